"""No request leaves 127.0.0.1 while any page loads, and none misses the site's own path."""

from __future__ import annotations

import pytest
from browsing import Visit, next_search, open_search, search_box

pytestmark = pytest.mark.browser

#: Every kind of page and file a customer's browser loads (profiles with and without a logo).
PAGES = [
    "partners/polder-data-group/",
    "partners/kilima-data-labs/",
    "countries/",
    "countries/ke/",
    "levels/platinum/",
    "program/",
    "stats/",
    "badges/polder-data-group.svg",
    "badges/levels/gold.svg",
    "partners.json",
    "changes.xml",
]


def test_no_request_leaves_127_0_0_1_on_any_page(visit: Visit) -> None:
    failed: list[str] = []
    visit.context.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill("health")  # loads the index chunks and the result fragments
    for path in PAGES:
        visit.open(path, page)
    response = page.goto(visit.site.url("no-such-page/"))
    assert response is not None and response.status == 404
    assert page.title().startswith("Page not found"), "the site's own 404 page is served"
    visit.shot(page, "not found")
    assert failed == [f"404 {visit.site.url('no-such-page/')}"], "only the missing page fails"
    assert visit.outside == []


def test_requests_elsewhere_are_blocked_and_reported(visit: Visit) -> None:
    """The guard itself: a request to another host, or outside /partners/, is caught."""
    page = visit.open("")
    other = "http://192.0.2.1/tracker.js"  # TEST-NET-1: never a real host
    outcome = page.evaluate("url => fetch(url).then(() => 'loaded', () => 'blocked')", other)
    assert outcome == "blocked"
    stray = visit.site.url("").replace("/partners/", "/static/style.css")
    page.evaluate("url => fetch(url).then(r => r.status)", stray)
    assert visit.outside == [
        f"GET {other} (off this machine: blocked)",
        f"GET {stray} (outside the site's path)",
    ]
    visit.outside.clear()  # caught on purpose: the fixture would fail the test otherwise
