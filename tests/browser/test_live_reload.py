"""`serve` reloads the page in the browser after a rebuild, as `mkdocs serve` does; the reload
script is added only to the pages it serves, never to a file it writes nor to a built site."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import Served, Site, Visit, expect

from partnerdir.serve import LIVE

pytestmark = pytest.mark.browser

PROFILE = "partners/zuiderzee-systems/"
RELOAD_SCRIPT = f'script[src$="/{LIVE}reload.js"]'


def test_an_edited_partner_file_reloads_its_profile_and_the_lists(served: Served) -> None:
    visit = served.visit
    profile = visit.open(PROFILE)
    country = visit.open("countries/nl/")
    heading = profile.get_by_role("heading", level=1)
    expect(heading).to_have_text("Zuiderzee Systems")
    expect(country.get_by_role("main")).not_to_contain_text("Zuiderzee Systems Renamed")
    for page in (profile, country):  # gone once the page reloads
        page.evaluate("() => { window.servedBeforeTheEdit = true; }")

    partner = served.content / "partners" / "zuiderzee-systems.yaml"
    text = partner.read_text()
    partner.write_text(text.replace("name: Zuiderzee Systems", "name: Zuiderzee Systems Renamed"))

    # the profile is rewritten first, then the whole site: both pages reload by themselves
    expect(heading).to_have_text("Zuiderzee Systems Renamed")
    expect(country.get_by_role("main")).to_contain_text("Zuiderzee Systems Renamed")
    reloaded = [page.evaluate("() => window.servedBeforeTheEdit") for page in (profile, country)]
    assert reloaded == [None, None]
    visit.shot(profile, "profile reloaded after the edit")


def test_content_with_an_error_keeps_the_page_and_the_fix_reloads_it(served: Served) -> None:
    visit = served.visit
    profile = visit.open(PROFILE)
    heading = profile.get_by_role("heading", level=1)
    expect(heading).to_have_text("Zuiderzee Systems")
    profile.evaluate("() => { window.servedBeforeTheEdit = true; }")
    partner = served.content / "partners" / "zuiderzee-systems.yaml"
    text = partner.read_text()
    reports = len(served.reports)
    partner.write_text(text + "level: platinum\n")  # refused: the last good site stays
    wait_until(lambda: len(served.reports) > reports)
    assert [str(problem.message) for problem in served.reports[-1].problems] == [
        "is set by the programme, not in a partner file: levels and figures are computed from "
        "the reviews"
    ]
    assert profile.evaluate("() => window.servedBeforeTheEdit") is True  # not reloaded
    partner.write_text(text.replace("name: Zuiderzee Systems", "name: Zuiderzee Fixed"))
    expect(heading).to_have_text("Zuiderzee Fixed")
    assert profile.evaluate("() => window.servedBeforeTheEdit") is None


def test_only_served_pages_carry_the_reload_script(
    served: Served, visit: Visit, site: Site
) -> None:
    page = served.visit.open(PROFILE)
    expect(page.locator(RELOAD_SCRIPT)).to_have_count(1)
    missing = served.visit.new_page()
    missing.goto(served.visit.site.url("no-such-page/"))
    expect(missing.locator(RELOAD_SCRIPT)).to_have_count(1)  # the 404 page too
    # what serve writes is the site as published: no file names the script or its URLs
    assert files_naming_live(served.out) == []
    # the published site (built by build_site, served plainly) holds no reload script
    assert files_naming_live(site.out) == []
    published = visit.open(PROFILE)
    expect(published.get_by_role("heading", level=1)).to_have_count(1)
    expect(published.locator(RELOAD_SCRIPT)).to_have_count(0)


def files_naming_live(folder: Path) -> list[str]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert len(files) > 100, f"{folder} holds only {len(files)} files"
    return [str(path) for path in files if LIVE.encode() in path.read_bytes()]


def wait_until(condition: Callable[[], bool], seconds: float = 60) -> None:
    """Until serve reports what the test waits for (it runs in a thread of this process)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        threading.Event().wait(0.05)
