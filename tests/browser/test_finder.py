"""The finder's behaviour on the example (issue 14): relevance with a level boost, the Industry
filter, history while arrowing through a list, "30 of 49 shown", widening when nothing is
found, focus after Back, no fallback to a shorter prefix, the excerpt, the 404 search box."""

from __future__ import annotations

import re

import pytest
import yaml
from browsing import (
    BATCH,
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
from paths import EXAMPLE

from partnerdir.wording import FINDER_WORDS

pytestmark = pytest.mark.browser

#: search.js: a keyword result's score is multiplied by 1 + BOOST per level step.
BOOST = 0.1

_SCORES = """async (word) => {
  const pagefind = await import(document.getElementById("search").dataset.pagefind);
  const found = await pagefind.search(word);
  const out = [];
  for (const result of found.results) {
    const page = await result.data();
    out.push([result.score, page.meta.name]);
  }
  return out;
}"""


def test_words_rank_by_relevance_with_a_boost_for_higher_levels(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill("analytics")
    names = result_names(page)
    scored = page.evaluate(_SCORES, "analytics")
    rank = {p.name: p.rank for p in site.listed}
    boosted = sorted(
        enumerate(scored),
        key=lambda e: (-e[1][0] * (1 + BOOST * rank[e[1][1]]), -rank[e[1][1]], e[0]),
    )
    assert names == [name for _, (_, name) in boosted]
    by_name = {p.name: p for p in site.listed}
    assert names != site.in_expected_order([by_name[n] for n in names]), "not level order"
    assert names != [name for _, name in scored], "the level boost changes the order"
    expect(page.get_by_role("combobox", name="Sort by")).to_contain_text("Best match")


def industries(partner_id: str) -> list[str]:
    data = yaml.safe_load((EXAMPLE / "partners" / f"{partner_id}.yaml").read_text())
    found: list[str] = data.get("industries", [])
    return found


def test_the_industry_filter_narrows_to_partners_in_that_industry(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)
    healthcare = [p for p in site.listed if "healthcare" in industries(p.id)]
    assert 0 < len(healthcare) < len(site.listed)
    industry = filter_select(page, "Industry")
    assert option_count(industry, "healthcare") == len(healthcare)
    industry.select_option("healthcare")
    wait_found(page, len(healthcare))
    expect(page.get_by_role("status")).to_have_text(
        f"{len(healthcare)} partners in Healthcare and life sciences"
    )
    assert result_names(page) == site.in_expected_order(healthcare)
    assert "industry=healthcare" in page.url


def test_arrowing_through_the_countries_adds_one_history_entry(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit)
    before = page.evaluate("history.length")
    country = filter_select(page, "Country")
    country.focus()
    for _ in range(4):
        with next_search(page):
            page.keyboard.press("ArrowDown")
    chosen = country.input_value()
    assert chosen and f"country={chosen}" in page.url
    assert page.evaluate("history.length") == before + 1
    page.keyboard.press("Tab")  # leaving the list settles the choice
    level = filter_select(page, "Level")
    level.select_option(
        level.locator("option[value]:not([value='']):not([disabled])").first.get_attribute("value")
    )
    assert page.evaluate("history.length") == before + 2
    page.go_back()
    wait_found(page, len([p for p in site.listed if chosen in p.countries]))
    page.go_back()
    wait_found(page, len(site.listed))
    assert "country=" not in page.url


def test_show_more_says_how_many_are_shown(visit: Visit) -> None:
    total = len(visit.site.listed)
    assert total > BATCH
    page = open_search(visit)
    expect(page.locator("#search-shown")).to_have_text(f"{BATCH} of {total} shown")
    page.get_by_role("button", name="Show more partners").click()
    expect(result_items(page)).to_have_count(min(total, 2 * BATCH))
    shown = f"{2 * BATCH} of {total} shown" if total > 2 * BATCH else ""
    expect(page.locator("#search-shown")).to_have_text(shown)


def test_nothing_found_offers_a_button_to_remove_each_filter(visit: Visit) -> None:
    site = visit.site
    page = open_search(visit, "?q=healthcare&country=KE&level=platinum", 0)
    widen = page.locator("#search-widen")
    buttons = widen.get_by_role("button")
    expect(buttons).to_have_text(
        [
            "Remove filter Country: Kenya",
            "Remove filter Level: Platinum",
            "Remove search words: healthcare",
        ]
    )
    visit.shot(page, "nothing found")
    widen.get_by_role("button", name="Remove search words: healthcare").click()
    kenyan = [p for p in site.listed if "KE" in p.countries and p.level == "platinum"]
    expect(page.get_by_role("status")).to_have_text(found_text(len(kenyan)))
    assert "q=" not in page.url


def test_nothing_found_without_words_asks_for_fewer_filters_only(visit: Visit) -> None:
    site = visit.site
    # a country and a level no listed partner has together
    country, level = next(
        (country, level)
        for country in sorted({c for p in site.listed for c in p.countries})
        for level in ("platinum", "gold", "silver", "registered")
        if not any(country in p.countries and p.level == level for p in site.listed)
    )
    page = open_search(visit, f"?country={country}&level={level}", 0)
    status = page.get_by_role("status")
    expect(status).to_have_text(FINDER_WORDS["none_filters"])
    search_box(page).fill("data")
    search_box(page).press("Enter")
    expect(status).to_have_text(FINDER_WORDS["none"])


def test_after_back_the_opened_card_has_the_focus(visit: Visit) -> None:
    page = open_search(visit)
    page.get_by_role("button", name="Show more partners").click()
    expect(result_items(page)).to_have_count(min(len(visit.site.listed), 2 * BATCH))
    link = result_items(page).nth(BATCH + 2).get_by_role("link")
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    page.go_back()
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", href or "")
    visit.shot(page, "focus after back")


def test_an_odd_remembered_link_cannot_break_the_finder(visit: Visit) -> None:
    """The opened card's href comes back from sessionStorage: a quote and a backslash in it
    (a crafted value, or a future URL) are compared, never parsed as a CSS selector."""
    page = open_search(visit)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    odd = {"url": page.url, "opened": 'x\\"]', "shown": BATCH}
    page.evaluate("v => sessionStorage.setItem('partnerdir-opened', JSON.stringify(v))", odd)
    page.reload()
    expect(result_items(page)).to_have_count(BATCH)
    assert errors == []


@pytest.mark.parametrize(
    ("term", "names"), [("isarx", []), ("harm", ["Harmattan Systems Ltd"]), ("harmx", [])]
)
def test_a_word_must_begin_a_word_of_the_page(visit: Visit, term: str, names: list[str]) -> None:
    """Pagefind alone lists all 49 for "isarx" (it falls back to the prefix "is")."""
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill(term)
    expect(page.get_by_role("status")).to_have_text(found_text(len(names)))
    assert result_names(page) == names


def test_a_keyword_result_shows_the_matching_excerpt_with_marks_only(visit: Visit) -> None:
    page = open_search(visit)
    with next_search(page):
        search_box(page).fill("health")
    excerpt = result_items(page).first.locator(".card-excerpt")
    expect(excerpt.locator("mark").first).to_be_visible()
    tags = excerpt.evaluate("e => [...e.querySelectorAll('*')].map(n => n.tagName)")
    assert set(tags) == {"MARK"}


def test_the_404_page_searches_the_finder(visit: Visit) -> None:
    page = visit.new_page()
    page.goto(visit.site.url("no-such-page/"))
    box = page.get_by_role("search").get_by_label("Search by name, service or keyword")
    box.fill("health")
    visit.shot(page, "404 search")
    box.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"partners matching “health”$"))
    assert page.url == visit.site.url("?q=health")
    expect(page.get_by_label("Search by name, service or keyword")).to_have_value("health")
