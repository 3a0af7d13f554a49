"""`serve`: the site on 127.0.0.1 under its own path, rebuilt when a file changes, and the
version its pages wait on to reload (the reload in a browser: tests/browser/test_live_reload.py)."""

from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import BUILD_DATE, SITES

from partnerdir.pipeline import BuildResult, ProfileUpdate, SiteJob
from partnerdir.problems import PartnerdirError
from partnerdir.serve import LIVE, LiveReload, add_script, serve

#: Seven partners, five listed (tests/sites/listing/README.md); tulpveld-it serves NL.
CONTENT = SITES / "listing" / "content"


class Server:
    def __init__(self, content: Path, out: Path) -> None:
        self.content = content
        self.out = out
        self.reports: list[BuildResult | ProfileUpdate | PartnerdirError] = []
        self.address = ""
        self.stop = threading.Event()
        started = threading.Event()

        def ready(address: str) -> None:
            self.address = address
            started.set()

        self.thread = threading.Thread(
            target=serve,
            args=(SiteJob(content, out, BUILD_DATE),),
            kwargs={
                "port": 0,
                "report": self.reports.append,
                "stop": self.stop,
                "ready": ready,
            },
            daemon=True,
        )
        self.thread.start()
        assert started.wait(30), "serve did not start"

    def get(self, path: str, timeout: float = 5) -> tuple[int, str]:
        try:
            url = self.address.rstrip("/") + path
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    running = Server(content, tmp_path / "site")
    yield running
    running.stop.set()
    running.thread.join(10)


def wait_for(predicate: object, seconds: float = 20.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():  # type: ignore[operator]
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_serves_the_site_under_its_own_path(server: Server) -> None:
    # program.yaml's base URL has a path; serve keeps it under localhost
    assert server.address.startswith("http://127.0.0.1:")
    status, home = server.get("/")
    assert status == 200 and "<h1" in home
    path = server.address.split("/", 3)[3]
    assert f'href="/{path}static/style.css"' in home
    status, page = server.get("/no-such-page/")
    assert status == 404 and "Page not found" in page


def test_a_changed_partner_file_is_rebuilt(server: Server) -> None:
    partner = server.content / "partners" / "tulpveld-it.yaml"
    text = partner.read_text()
    assert text.count("name: Tulpveld IT\n") == 1
    partner.write_text(text.replace("name: Tulpveld IT", "name: Tulpveld IT Renamed"))
    seconds = wait_for(lambda: "Tulpveld IT Renamed" in server.get("/partners/tulpveld-it/")[1])
    assert seconds < 10
    # the profile first, in place; then the full build brings the lists up to date
    update = next(r for r in server.reports if isinstance(r, ProfileUpdate))
    assert update.partners == ("tulpveld-it",) and not update.problems
    wait_for(lambda: "Tulpveld IT Renamed" in server.get("/countries/nl/")[1])
    wait_for(lambda: isinstance(server.reports[-1], BuildResult))
    assert isinstance(server.reports[-1], BuildResult) and server.reports[-1].built


def test_a_new_partner_file_waits_for_the_full_build(server: Server) -> None:
    source = server.content / "partners" / "tulpveld-it.yaml"
    (server.content / "partners" / "tulpveld-two.yaml").write_text(source.read_text())
    builds = len(server.reports)
    wait_for(lambda: len(server.reports) > builds)
    assert not any(isinstance(r, ProfileUpdate) for r in server.reports)


def test_an_error_keeps_the_last_good_site(server: Server) -> None:
    partner = server.content / "partners" / "tulpveld-it.yaml"
    builds = len(server.reports)
    partner.write_text(partner.read_text() + "level: platinum\n")
    wait_for(lambda: len(server.reports) > builds)
    report = server.reports[-1]
    assert isinstance(report, ProfileUpdate)
    assert [str(p) for p in report.problems] == [
        f"{partner}:{len(partner.read_text().splitlines())}: level: is set by the programme, not "
        "in a partner file: levels and figures are computed from the reviews"
    ]
    status, page = server.get("/partners/tulpveld-it/")
    assert status == 200 and "Tulpveld IT" in page


def test_pages_are_served_with_the_reload_script_and_written_without_it(server: Server) -> None:
    status, home = server.get("/")
    assert status == 200
    tag = f'<script src="/{LIVE}reload.js" data-version="'
    assert home.count(tag) == 1 and home.index(tag) < home.rindex("</body>")
    status, page = server.get("/partners/tulpveld-it/")
    assert status == 200 and tag in page
    status, missing = server.get("/no-such-page/")
    assert status == 404 and tag in missing
    status, script = server.get(f"/{LIVE}reload.js")
    assert status == 200 and "location.reload()" in script
    # what serve wrote is the site as published: no file holds the script or its URLs
    written = [path for path in server.out.rglob("*") if path.is_file()]
    (build,) = server.reports  # the first build, before serve was ready
    assert isinstance(build, BuildResult) and build.built
    # every page the build wrote, and more files than it counts (Pagefind's index besides)
    assert len([path for path in written if path.suffix == ".html"]) == build.pages > 20
    assert len(written) > build.files
    assert [path for path in written if LIVE.encode() in path.read_bytes()] == []
    # the page served is the file written, with the tag added and nothing else changed
    full_tag = re.search(f'{re.escape(tag)}[^"]+" defer></script>\n', home)
    assert full_tag is not None
    assert home.replace(full_tag.group(), "") == (server.out / "index.html").read_text()


def test_a_version_request_is_answered_by_the_next_build(server: Server) -> None:
    status, version = server.get(f"/{LIVE}version")  # no `since`: answered at once
    assert status == 200 and f'data-version="{version}"' in server.get("/")[1]
    answers: list[tuple[int, str]] = []
    waiting = threading.Thread(
        target=lambda: answers.append(server.get(f"/{LIVE}version?since={version}", timeout=60))
    )
    waiting.start()
    partner = server.content / "partners" / "tulpveld-it.yaml"
    partner.write_text(
        partner.read_text().replace("name: Tulpveld IT", "name: Tulpveld IT Renamed")
    )
    waiting.join(60)
    assert len(answers) == 1
    status, newer = answers[0]
    assert status == 200 and newer != version and newer.startswith(version.split("-")[0] + "-")
    # a new version is announced only once the files are written
    assert "Tulpveld IT Renamed" in server.get("/partners/tulpveld-it/")[1]


def test_live_reload_versions() -> None:
    live = LiveReload("/site/")
    first = live.version
    assert live.wait(first, timeout=0.01) == first  # nothing new: the same version, at timeout
    assert live.wait("an-old-version", timeout=60) == first  # behind: answered at once
    woken: list[str] = []
    waiting = threading.Thread(target=lambda: woken.append(live.wait(first, timeout=60)))
    waiting.start()
    live.changed()
    waiting.join(60)
    assert woken == [live.version] and live.version != first
    assert LiveReload("/site/").version != live.version  # a restarted serve: pages reload
    assert (
        live.script_tag()
        == (
            f'<script src="/site/{LIVE}reload.js" data-version="{live.version}" defer></script>\n'
        ).encode()
    )
    live.close()
    assert live.wait(live.version, timeout=60) == live.version  # closing answers at once


def test_the_script_goes_before_the_last_body_end_tag() -> None:
    tag = b"<script></script>"
    assert add_script(b"<p></body></BODY>\n", tag) == b"<p></body><script></script></BODY>\n"
    assert add_script(b"<p>no body", tag) == b"<p>no body<script></script>"
