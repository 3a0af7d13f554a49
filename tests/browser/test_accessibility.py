"""axe-core in Chromium: no serious or critical violation on any kind of page."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Visit, open_search

pytestmark = pytest.mark.browser

SEVERE = ("serious", "critical")

PAGES = {
    "home": "",
    "profile": "partners/elbufer-datentechnik/",  # under review: the notice is checked too
    "country": "countries/nl/",
    "level": "levels/gold/",
    "program": "program/",
    "stats": "stats/",
}


def severe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response["passes"], "axe-core checked nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in SEVERE
    ]


@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_or_critical_axe_violations(visit: Visit, kind: str) -> None:
    if kind == "home":
        page = open_search(visit)  # with the search form and its result cards shown
    else:
        page = visit.open(PAGES[kind])
    visit.shot(page, kind)
    problems = severe_violations(page)
    assert not problems, f"{PAGES[kind] or 'home'}:\n" + "\n".join(problems)


def test_no_serious_or_critical_axe_violations_when_nothing_is_found(visit: Visit) -> None:
    page = open_search(visit, "?q=qzxvbnmw", 0)
    problems = severe_violations(page)
    assert not problems, "\n".join(problems)
