"""Without JavaScript: the home page lists every partner and links to countries and levels."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Site, expect

from partnerdir.wording import NO_SCRIPT_NOT_FOUND, NO_SCRIPT_SEARCH

pytestmark = pytest.mark.browser


def card_names(scope: Any, level: int = 3) -> list[str]:
    names: list[str] = scope.get_by_role("heading", level=level).all_inner_texts()
    return names


def test_without_javascript_home_lists_partners_and_links_to_countries_and_levels(
    visit_factory: Any, site: Site
) -> None:
    visit = visit_factory("no-js", java_script_enabled=False)
    page = visit.open("")
    expect(page.get_by_role("search")).to_have_count(0)  # the search form stays hidden
    listing = page.get_by_role("region", name="All partners")
    expect(listing).to_be_visible()
    assert card_names(listing) == site.in_expected_order(list(site.listed))
    expect(listing).to_contain_text(f"{len(site.listed)} partners, by level, then name.")

    by_level = page.get_by_role("region", name="Browse by level").get_by_role("link")
    assert [link.get_attribute("href") for link in by_level.all()] == [
        site.path(f"levels/{level}/") for level in site.levels
    ]
    countries = sorted({code for p in site.listed for code in (*p.countries, p.home)})
    by_country = page.get_by_role("region", name="Browse by country").get_by_role("link")
    assert sorted(link.get_attribute("href") for link in by_country.all()) == sorted(
        site.path(f"countries/{code.lower()}/") for code in countries
    )
    visit.shot(page, "home without javascript")

    page.get_by_role("link", name="Netherlands", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners in the Netherlands")
    based = [p for p in site.listed if p.home == "NL"]
    serving = [p for p in site.listed if p.home != "NL" and "NL" in p.countries]
    for name, partners in (
        ("Partners based in the Netherlands", based),
        ("Also serving the Netherlands", serving),
    ):
        if not partners:
            expect(page.get_by_role("region", name=name)).to_have_count(0)
            continue
        groups = page.get_by_role("region", name=name).locator("section.level-group")
        headings = [
            text.replace("Level:", "").split()[0]
            for text in groups.get_by_role("heading", level=3).all_inner_texts()
        ]
        levels_here = [lv for lv in site.levels if any(p.level == lv for p in partners)]
        assert headings == [site.level_name(lv) for lv in levels_here], (
            "grouped by level, highest first"
        )
        for level, group in zip(levels_here, groups.all(), strict=True):
            expected = sorted(
                (p for p in partners if p.level == level), key=lambda p: p.name.casefold()
            )
            assert card_names(group, 4) == [p.name for p in expected]
    visit.shot(page, "country without javascript")

    page.go_back()
    page.get_by_role("region", name="Browse by level").get_by_role("link", name="Gold").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gold partners")
    gold = sorted((p for p in site.listed if p.level == "gold"), key=lambda p: p.name.casefold())
    partners = page.get_by_role("region", name="Partners at this level")
    assert card_names(partners) == [p.name for p in gold]
    visit.shot(page, "level without javascript")


def test_without_javascript_a_search_from_the_404_page_says_searching_needs_it(
    visit_factory: Any,
) -> None:
    visit = visit_factory("no-js", java_script_enabled=False)
    page = visit.new_page()
    page.goto(visit.site.url("no-such-page/"))  # answered 404, as it should be
    # Playwright's text locators skip <noscript>: the note is found by its class
    note = page.locator(".no-script")
    expect(note).to_have_text(NO_SCRIPT_NOT_FOUND)
    expect(note).to_be_visible()
    visit.shot(page, "404 without javascript")
    page.get_by_label("Search by name, service or keyword").fill("health")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(visit.site.url("?q=health"))
    listing = page.get_by_role("region", name="All partners")
    note = listing.locator(".no-script")
    expect(note).to_have_text(NO_SCRIPT_SEARCH)
    expect(note).to_be_visible()
    visit.shot(page, "home without javascript after a search")
