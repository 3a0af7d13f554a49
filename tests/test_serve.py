"""`serve`: the site on 127.0.0.1 under its own path, rebuilt when a file changes."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from partnerdir.building import BuildResult
from partnerdir.problems import PartnerdirError
from partnerdir.serve import ProfileUpdate, serve

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)


class Server:
    def __init__(self, content: Path, out: Path) -> None:
        self.content = content
        self.reports: list[BuildResult | ProfileUpdate | PartnerdirError] = []
        self.address = ""
        self.stop = threading.Event()
        started = threading.Event()

        def ready(address: str) -> None:
            self.address = address
            started.set()

        self.thread = threading.Thread(
            target=serve,
            args=(content, out, TODAY),
            kwargs={
                "port": 0,
                "templates": None,
                "report": self.reports.append,
                "stop": self.stop,
                "ready": ready,
            },
            daemon=True,
        )
        self.thread.start()
        assert started.wait(30), "serve did not start"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.address.rstrip("/") + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
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
    partner = server.content / "partners" / "zuiderzee-systems.yaml"
    text = partner.read_text()
    partner.write_text(text.replace("name: Zuiderzee Systems", "name: Zuiderzee Systems Renamed"))
    seconds = wait_for(
        lambda: "Zuiderzee Systems Renamed" in server.get("/partners/zuiderzee-systems/")[1]
    )
    assert seconds < 10
    # the profile first, in place; then the full build brings the lists up to date
    update = next(r for r in server.reports if isinstance(r, ProfileUpdate))
    assert update.partners == ("zuiderzee-systems",) and not update.problems
    wait_for(lambda: "Zuiderzee Systems Renamed" in server.get("/countries/nl/")[1])
    wait_for(lambda: isinstance(server.reports[-1], BuildResult))
    assert isinstance(server.reports[-1], BuildResult) and server.reports[-1].built


def test_a_new_partner_file_waits_for_the_full_build(server: Server) -> None:
    source = server.content / "partners" / "zuiderzee-systems.yaml"
    (server.content / "partners" / "zuiderzee-two.yaml").write_text(source.read_text())
    builds = len(server.reports)
    wait_for(lambda: len(server.reports) > builds)
    assert not any(isinstance(r, ProfileUpdate) for r in server.reports)


def test_an_error_keeps_the_last_good_site(server: Server) -> None:
    partner = server.content / "partners" / "zuiderzee-systems.yaml"
    builds = len(server.reports)
    partner.write_text(partner.read_text() + "level: platinum\n")
    wait_for(lambda: len(server.reports) > builds)
    report = server.reports[-1]
    assert isinstance(report, ProfileUpdate)
    assert [str(p) for p in report.problems] == [
        f"{partner}:{len(partner.read_text().splitlines())}: level: is set by the programme, not "
        "in a partner file: levels and figures are computed from the reviews"
    ]
    status, page = server.get("/partners/zuiderzee-systems/")
    assert status == 200 and "Zuiderzee Systems" in page


def test_the_preview_path_comes_from_program_yaml_alone(tmp_path: Path) -> None:
    from partnerdir.serve import site_path

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    program = content / "program.yaml"
    program.write_text(
        program.read_text().replace(
            "base_url: https://partners.northwind.example/",
            "base_url: https://northwind.example/partners",
        )
    )
    (content / "partners" / "zuiderzee-systems.yaml").write_text("name: [broken\n")
    assert site_path(content) == "/partners/"
