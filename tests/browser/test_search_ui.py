"""The home page's search in Chromium: words, filters with counts, the URL, history, order."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import (
    Site,
    Visit,
    expect,
    filter_select,
    found_text,
    next_search,
    open_search,
    option_count,
    result_items,
    result_names,
    search_box,
    wait_found,
)

pytestmark = pytest.mark.browser


def serving(site: Site, country: str, level: str | None = None) -> list[str]:
    return [
        p.name
        for p in site.listed
        if country in p.countries and (level is None or p.level == level)
    ]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_typing_a_partners_name_finds_it(visit: Visit) -> None:
    page = open_search(visit)
    search_box(page).press_sequentially("Kilima")
    wait_found(page, 1)
    assert result_names(page) == ["Kilima Data Labs"]
    visit.shot(page, "name kilima")


def test_a_word_from_the_description_finds_the_partner(visit: Visit) -> None:
    partner = visit.site.partner("zuiderzee-systems")
    assert "greenhouse" in partner.description and "greenhouse" not in partner.name.lower()
    page = open_search(visit)
    search_box(page).press_sequentially("greenhouse")
    wait_found(page, 1)
    assert result_names(page) == [partner.name]
    visit.shot(page, "description greenhouse")


def test_a_nonsense_word_says_no_partners_were_found(visit: Visit) -> None:
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill("qzxvbnmw")
    status = page.get_by_role("status")
    expect(status).to_contain_text("No partners found")
    expect(status).to_be_visible()
    expect(result_items(page)).to_have_count(0)
    # the way out is named, and works
    expect(status).to_contain_text("Clear search and filters")
    visit.shot(page, "nothing found")
    with next_search(page):
        page.get_by_role("button", name="Clear search and filters").click()
    expect(status).to_have_text(found_text(len(visit.site.listed)))


def test_a_country_narrows_to_partners_serving_it_with_matching_counts(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)
    country = filter_select(page, "Country")
    dutch = serving(site, "NL")
    assert 1 < len(dutch) < len(site.listed)
    # before choosing: the count beside the value is the number it will give
    assert option_count(country, "NL") == len(dutch)
    country.select_option("NL")
    wait_found(page, len(dutch))
    assert sorted(result_names(page)) == sorted(dutch)
    for item in result_items(page).all():
        expect(item).to_contain_text("Netherlands")
    assert option_count(country, "NL") == len(dutch)
    # every other filter's counts are now counts within the Netherlands
    level = filter_select(page, "Level")
    per_level = Counter(p.level for p in site.listed if "NL" in p.countries)
    for level_id in site.levels:
        if level.locator(f'option[value="{level_id}"]').count():
            assert option_count(level, level_id) == per_level[level_id], level_id
    visit.shot(page, "country NL")


def test_a_level_narrows_further_and_clearing_restores_all(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit, "?country=NL", len(serving(site, "NL")))
    both = serving(site, "NL", "platinum")
    assert 0 < len(both) < len(serving(site, "NL"))
    filter_select(page, "Level").select_option("platinum")
    wait_found(page, len(both))
    assert sorted(result_names(page)) == sorted(both)
    for item in result_items(page).all():
        expect(item).to_contain_text("Platinum")
    assert option_count(filter_select(page, "Level"), "platinum") == len(both)
    assert option_count(filter_select(page, "Country"), "NL") == len(both)
    visit.shot(page, "NL platinum")

    page.get_by_role("button", name="Clear search and filters").click()
    wait_found(page, len(site.listed))
    assert len(result_names(page)) == len(site.listed)
    assert urlsplit(page.url).query == ""
    assert filter_select(page, "Country").input_value() == ""
    assert filter_select(page, "Level").input_value() == ""
    assert option_count(filter_select(page, "Country"), "NL") == len(serving(site, "NL"))
    visit.shot(page, "cleared")


def test_the_url_carries_the_query_and_filters_and_restores_them(visit: Visit) -> None:
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill("health")
    everywhere = result_names(page)
    with next_search(page):
        filter_select(page, "Level").select_option("silver")
    names = result_names(page)
    assert 0 < len(names) < len(everywhere), "pick a query and level that narrow the results"
    assert query_of(page.url) == {"q": ["health"], "level": ["silver"]}

    again = visit.new_page()
    again.goto(page.url)
    wait_found(again, len(names))
    assert result_names(again) == names
    assert search_box(again).input_value() == "health"
    assert filter_select(again, "Level").input_value() == "silver"
    visit.shot(again, "restored from url")


def test_the_back_button_restores_the_previous_state(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)
    dutch, top = serving(site, "NL"), serving(site, "NL", "platinum")
    filter_select(page, "Country").select_option("NL")
    wait_found(page, len(dutch))
    filter_select(page, "Level").select_option("platinum")
    wait_found(page, len(top))

    page.go_back()
    wait_found(page, len(dutch))
    assert query_of(page.url) == {"country": ["NL"]}
    assert filter_select(page, "Level").input_value() == ""
    assert filter_select(page, "Country").input_value() == "NL"
    assert sorted(result_names(page)) == sorted(dutch)
    visit.shot(page, "back once")

    page.go_back()
    wait_found(page, len(site.listed))
    assert filter_select(page, "Country").input_value() == ""
    page.go_forward()
    wait_found(page, len(dutch))


def test_results_are_ordered_by_level_then_name(visit: Visit) -> None:
    """Browsing; with search words the order is relevance (test_finder.py)."""
    site = visit.site
    page = open_search(visit)
    names = result_names(page)
    assert names == site.in_expected_order(list(site.listed))
    visit.shot(page, "all partners")
    filter_select(page, "Country").select_option("DE")
    german = [p for p in site.listed if "DE" in p.countries]
    wait_found(page, len(german))
    assert result_names(page) == site.in_expected_order(german)
