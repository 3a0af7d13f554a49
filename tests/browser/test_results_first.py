"""Results first (issue 14): the first partner card on the home page is fully visible without
scrolling, on a desktop (1280×800) and a phone (360×740), with and without JavaScript, on the
example and on a generated directory of 3,000 partners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browsing import Site, Visit, expect, filter_select, open_search, wait_found
from conftest import check_visit, new_visit

pytestmark = pytest.mark.browser

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 1,
        "is_mobile": True,
    },
}


def first_card_box(page: Any, javascript: bool) -> dict[str, float]:
    """The first card of the search results (with JavaScript) or of the plain list."""
    where = "#search-results" if javascript else "#all-partners"
    card = page.locator(f"{where} .card").first
    expect(card).to_be_visible()
    box: dict[str, float] = card.bounding_box()
    return box


def check_first_card(
    site: Site, browser: Any, folder: Path, test: str, size: str, javascript: bool
) -> None:
    visit = new_visit(site, browser, folder, test, java_script_enabled=javascript, **SIZES[size])
    try:
        page = visit.open("")
        if javascript:
            expect(page.locator("#search-results .card").first).to_be_visible()
        box = first_card_box(page, javascript)
        height = SIZES[size]["viewport"]["height"]
        visit.shot(page, f"home {size}")
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= height, (
            f"the first card ends at y={box['y'] + box['height']:.0f}, below the fold at {height}"
        )
    finally:
        visit.context.close()
    check_visit(visit)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_first_card_is_above_the_fold_on_the_example(
    browser: Any, site: Site, screenshots: Path, request: Any, size: str, javascript: bool
) -> None:
    check_first_card(site, browser, screenshots, request.node.name, size, javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_first_card_is_above_the_fold_at_3000_partners(
    browser: Any, generated_site: Site, screenshots: Path, request: Any, size: str, javascript: bool
) -> None:
    check_first_card(generated_site, browser, screenshots, request.node.name, size, javascript)


def test_the_count_names_the_filters_and_chips_remove_them(visit: Visit) -> None:
    site = visit.site
    gold = [p for p in site.listed if p.level == "gold" and "DE" in p.countries]
    page = open_search(visit, "?country=DE&level=gold", len(gold))
    noun = "partner" if len(gold) == 1 else "partners"
    expect(page.get_by_role("status")).to_have_text(f"{len(gold)} Gold {noun} in Germany")
    chips = page.get_by_role("list", name="Active filters")
    expect(chips.get_by_role("button")).to_have_count(2)
    visit.shot(page, "DE gold with chips")
    chips.get_by_role("button", name="Remove filter Level: Gold").click()
    german = [p for p in site.listed if "DE" in p.countries]
    wait_found(page, len(german))
    expect(page.get_by_role("status")).to_have_text(f"{len(german)} partners in Germany")
    assert filter_select(page, "Level").input_value() == ""
    assert "level=" not in page.url
    expect(chips.get_by_role("button")).to_have_count(1)


def test_clear_shows_only_when_something_is_set(visit: Visit) -> None:
    page = open_search(visit)
    expect(page.get_by_role("button", name="Clear search and filters")).to_be_hidden()
    expect(page.get_by_role("list", name="Active filters")).to_be_hidden()
    filter_select(page, "Partner type").select_option(index=1)
    expect(page.get_by_role("button", name="Clear search and filters")).to_be_visible()


def test_on_a_phone_the_filters_fold_into_a_disclosure_that_counts_them(
    visit_factory: Any,
) -> None:
    visit = visit_factory("phone", **SIZES["phone"])
    page = open_search(
        visit, "?country=NL", len([p for p in visit.site.listed if "NL" in p.countries])
    )
    summary = page.locator("#filter-summary")
    expect(summary).to_have_text("Filters (1)")
    expect(filter_select(page, "Country")).to_be_hidden()
    summary.click()
    expect(filter_select(page, "Country")).to_be_visible()
    assert filter_select(page, "Country").input_value() == "NL"
    visit.shot(page, "phone filters open")
