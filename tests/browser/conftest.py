"""Real-browser tests: the example directory built once, served on 127.0.0.1, driven in Chromium.

The site is served under a path (`/partners/`), as a GitHub project site is, so a link or an
asset that ignores the base path fails here. Every request that leaves our server is blocked
and recorded, and a test that caused one fails. Each page a test visits is saved as a full-page
screenshot in tests/.screenshots/ (ignored by git) for a person to look at.

Chromium is Debian's (/usr/bin/chromium), not Playwright's download. When it cannot start the
tests are skipped, unless PARTNERDIR_REQUIRE_BROWSER=1 (set by .ci/run): then they fail.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browsing import Listed, Site, Visit

from partnerdir.building import build_site
from partnerdir.pages import listed_partners

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
TODAY = dt.date(2026, 11, 24)
#: The site's path on the server: everything outside it is a 404, so subpath bugs show.
PREFIX = "/partners/"
SCREENSHOTS = ROOT / "tests" / ".screenshots"
CHROMIUM = os.environ.get("PARTNERDIR_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ENV = "PARTNERDIR_REQUIRE_BROWSER"
# Without the background-networking switches Chromium calls Google hosts on start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Generous for a shared two-core machine; a search normally settles in well under a second.
TIMEOUT_MS = 15_000


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under PREFIX only, with the site's own 404 page."""

    def do_GET(self) -> None:
        if self._inside():
            super().do_GET()
        else:
            self.send_error(404)

    def do_HEAD(self) -> None:
        if self._inside():
            super().do_HEAD()
        else:
            self.send_error(404)

    def _inside(self) -> bool:
        return urlsplit(self.path).path.startswith(PREFIX)

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Bind a free port first, so the build knows its base URL, then serve the built site."""
    out = tmp_path_factory.mktemp("browser") / "site"
    out.mkdir()
    handler = functools.partial(_SiteHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    result = build_site(CONTENT, out, TODAY, base_url=base)
    assert result.built, f"the example content did not build: {result.checked.errors} errors"
    directory, evaluation = result.checked.directory, result.checked.evaluation
    assert directory is not None and evaluation is not None
    program = directory.program
    listed = tuple(
        Listed(
            id=partner.id,
            name=partner.name,
            level=standing.level,
            level_name=program.level(standing.level).name,
            rank=program.rank(standing.level),
            countries=partner.countries,
            description=partner.description,
        )
        for partner, standing in listed_partners(directory, evaluation)
    )
    levels = tuple(level.id for level in sorted(program.levels, key=lambda lv: -lv.rank))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(base, out, listed, levels)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; a skip (or, under .ci/run, a failure) when it cannot start."""
    required = os.environ.get(REQUIRE_ENV) == "1"

    def unavailable(reason: str) -> None:
        message = f"Chromium cannot start: {reason}"
        if required:
            pytest.fail(f"{message} ({REQUIRE_ENV}=1, so the browser tests must run)")
        pytest.skip(f"{message} (set {REQUIRE_ENV}=1 to make this a failure)")

    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        unavailable(f"Playwright is not installed ({error})")
    if not Path(CHROMIUM).is_file():
        unavailable(f"no browser at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            unavailable(str(error).strip().splitlines()[0])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """tests/.screenshots/, emptied once per run so it shows only this run's pages."""
    if SCREENSHOTS.is_dir():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


def new_visit(
    site: Site, browser: Any, folder: Path, test: str, **options: Any
) -> tuple[Visit, Any]:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(site, context, folder, test)
    origin = site.base[: -len(PREFIX) + 1]

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(site.base):
            route.continue_()
            return
        # 127.0.0.1 but outside the site's path is a base-path bug: answered (a 404), recorded
        where = "outside the site's path" if url.startswith(origin) else "off this machine"
        visit.outside.append(f"{route.request.method} {url} ({where})")
        if url.startswith(origin):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return visit, context


@pytest.fixture()
def visit(
    site: Site, browser: Any, screenshots: Path, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    """A fresh desktop-sized context (JavaScript on) for the test."""
    yield from _visit(site, browser, screenshots, request.node.name)


@pytest.fixture()
def visit_factory(
    site: Site, browser: Any, screenshots: Path, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """Contexts with other options (no JavaScript, a phone viewport), closed after the test."""
    made: list[Visit] = []

    def make(suffix: str, **options: Any) -> Visit:
        visit, _ = new_visit(site, browser, screenshots, f"{request.node.name}-{suffix}", **options)
        made.append(visit)
        return visit

    yield make
    outside = [line for visit in made for line in visit.outside]
    for visit in made:
        visit.context.close()
    assert not outside, "requests left 127.0.0.1:\n" + "\n".join(outside)


def _visit(site: Site, browser: Any, folder: Path, test: str) -> Iterator[Visit]:
    visit, context = new_visit(site, browser, folder, test)
    try:
        yield visit
    finally:
        context.close()
    assert not visit.outside, "requests left 127.0.0.1:\n" + "\n".join(visit.outside)
