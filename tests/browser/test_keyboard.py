"""Keyboard only: Tab reaches the search box, the filters and the results, Enter opens one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
from browsing import (
    Site,
    Visit,
    expect,
    filter_select,
    next_search,
    open_search,
    result_items,
    result_names,
    search_box,
)

pytestmark = pytest.mark.browser

#: What has focus and whether a person can see it: an outline or a shadow on the element or
#: on a pseudo-element drawn over it (a card's link outlines the whole card with ::after).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawn = (style) =>
    (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
      && style.outlineColor !== 'rgba(0, 0, 0, 0)')
    || (style.boxShadow !== 'none' && style.boxShadow !== '');
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || '').trim().slice(0, 40),
    href: el.getAttribute('href') || '',
    inResults: !!el.closest('#search-results'),
    focusVisible: el.matches(':focus-visible'),
    visible: drawn(getComputedStyle(el)) || drawn(getComputedStyle(el, '::after'))
      || drawn(getComputedStyle(el, '::before')),
  };
}"""


def partner_id(site: Site, name: str) -> str:
    return next(p.id for p in site.listed if p.name == name)


def tab_until(page: Any, wanted: Any, limit: int = 60) -> list[dict[str, Any]]:
    """Press Tab until `wanted(focused)`; every element passed on the way must show focus."""
    passed: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, (
            f"Tab left the page after {[f['id'] or f['text'] for f in passed]}"
        )
        assert focused["focusVisible"] and focused["visible"], f"no visible focus on {focused}"
        passed.append(focused)
        if wanted(focused):
            return passed
    raise AssertionError(f"not reached with {limit} Tabs: {[f['id'] or f['text'] for f in passed]}")


def test_search_filters_and_results_work_with_tab_and_enter(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)

    tab_until(page, lambda f: f["id"] == "search-q")
    with next_search(page):
        page.keyboard.type("health")
        page.keyboard.press("Enter")
    everywhere = result_names(page)
    assert 0 < len(everywhere) < len(site.listed)

    passed = tab_until(page, lambda f: f["id"] == "filter-level")
    assert passed[-2]["id"] == "filter-country", "the filters follow the search box"
    with next_search(page):
        page.keyboard.type("Silver")  # a closed select picks the option typed, as a person does
    assert filter_select(page, "Level").input_value() == "silver"
    silver = result_names(page)
    assert 0 < len(silver) < len(everywhere)
    assert "level=silver" in page.url and "q=health" in page.url

    passed = tab_until(page, lambda f: f["inResults"])
    ids = [f["id"] for f in passed]
    for control in ("filter-program", "filter-service", "filter-language", "search-sort"):
        assert control in ids, f"Tab skipped {control}: {ids}"
    first = passed[-1]
    assert first["text"] == silver[0], "the first result is the first one Tab reaches"
    visit.shot(page, "focus on first result")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        page.url
        == urljoin(page.url, first["href"])
        == site.url(f"partners/{partner_id(site, silver[0])}/")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(silver[0])
    visit.shot(page, "opened with enter")


def test_clear_is_reachable_and_puts_focus_back_in_the_search_box(visit: Visit) -> None:
    page = open_search(visit, "?country=NL&level=platinum", 2)
    tab_until(page, lambda f: f["text"] == "Clear search and filters")
    with next_search(page):
        page.keyboard.press("Enter")
    expect(result_items(page)).to_have_count(30)
    assert page.evaluate("document.activeElement.id") == "search-q"
    expect(search_box(page)).to_be_focused()
