"""Long lists on pages of at most CARDS_PER_PAGE cards (issue 14), and the short pager."""

from __future__ import annotations

import dataclasses
import re

import pytest
from factories import many_partners_site
from sample_pages import text_of

from partnerdir.pages import plan_pages
from partnerdir.pages.paging import CARDS_PER_PAGE, short_pager
from partnerdir.pages.views import Page
from partnerdir.render import make_environment, render_pages
from partnerdir.wording import PAGER_WORDS, group_heading


def href(n: int) -> str:
    return f"/list/{n}/"


@pytest.mark.parametrize(
    ("current", "total", "numbers", "gaps"),
    [
        (1, 1, [1], (False, False)),
        (1, 3, [1, 2, 3], (False, False)),
        (1, 50, [1, 2, 3], (False, True)),
        (25, 50, [23, 24, 25, 26, 27], (True, True)),
        (50, 50, [48, 49, 50], (True, False)),
        (3, 5, [1, 2, 3, 4, 5], (False, False)),
    ],
)
def test_the_pager_shows_a_few_numbers_around_the_current_page(
    current: int, total: int, numbers: list[int], gaps: tuple[bool, bool]
) -> None:
    pager = short_pager(current, total, href, "Pages")
    assert [link.number for link in pager.pages] == numbers
    assert [link.number for link in pager.pages if link.current] == [current]
    assert (pager.gap_before, pager.gap_after) == gaps
    assert pager.first == ("" if current == 1 else href(1))
    assert pager.previous == ("" if current == 1 else href(current - 1))
    assert pager.next == ("" if current == total else href(current + 1))
    assert pager.last == ("" if current == total else href(total))


def cards_on(page: Page) -> int:
    context = page.context
    if "cards" in context:
        return len(context["cards"])  # type: ignore[arg-type]
    groups = [*context["based_groups"], *context["serving_groups"]]  # type: ignore[misc]
    return sum(len(group.cards) for group in groups)


@pytest.fixture(scope="module")
def planned() -> dict[str, Page]:
    # 1,250 partners over three countries and four levels: 417 serve NL, 312 are Gold
    directory, evaluation, options = many_partners_site(1250)
    return {page.path: page for page in plan_pages(directory, evaluation, options)}


def test_no_country_or_level_page_lists_more_than_a_page_of_cards(
    planned: dict[str, Page],
) -> None:
    paths = [p for p in planned if p.startswith(("countries/nl/", "levels/gold/"))]
    assert sorted(paths) == sorted(
        ["countries/nl/index.html"]
        + [f"countries/nl/page/{n}/index.html" for n in (2, 3, 4, 5)]
        + ["levels/gold/index.html"]
        + [f"levels/gold/page/{n}/index.html" for n in (2, 3, 4)]
    )
    assert max(cards_on(planned[p]) for p in paths) == CARDS_PER_PAGE
    assert sum(cards_on(planned[p]) for p in paths if p.startswith("countries/nl/")) == 417
    assert sum(cards_on(planned[p]) for p in paths if p.startswith("levels/gold/")) == 312
    last = planned["countries/nl/page/5/index.html"].context
    assert last["heading"] == "Partners in the Netherlands, page 5 of 5"


def test_jump_links_lead_to_the_page_where_each_level_starts(planned: dict[str, Page]) -> None:
    context = planned["countries/nl/page/3/index.html"].context
    jumps = [(link.href, link.text) for link in context["jumps"]]  # type: ignore[attr-defined]
    levels = [text.split(" (")[0] for _, text in jumps]
    assert levels == ["Platinum", "Gold", "Silver", "Registered"]
    # 417 in level order, about 104 a level: each group starts on the page of its first card
    assert jumps[0][0] == "/countries/nl/#based-platinum"
    assert jumps[1][0] == "/countries/nl/page/2/#based-gold"
    search = context["search_within"]
    assert search.href == "/?country=NL"  # type: ignore[attr-defined]


def test_the_finder_writes_every_count_with_thousands_separators() -> None:
    directory, evaluation, options = many_partners_site(1250)
    pages = [p for p in plan_pages(directory, evaluation, options) if p.path == "index.html"]
    home = render_pages(pages, make_environment())["index.html"].decode()
    # 1,250 partners, a quarter at each level, a third in each country
    assert 'data-label="Gold" data-phrase="Gold" data-count="312">Gold (312)</option>' in home
    assert 'data-count="1250">English (1,250)</option>' in home
    assert re.search(r'<span class="count">417<span class="visually-hidden">', home)
    assert "1250" not in text_of(home)


def test_the_pager_reads_its_words_from_wording() -> None:
    pager = short_pager(2, 12, href, "Pages of Gold partners")
    assert (pager.words, pager.last_note) == (PAGER_WORDS, "(page 12)")
    words = {"first": "Erste", "previous": "Zurück", "next": "Weiter", "last": "Letzte"}
    template = make_environment().from_string(
        '{% from "_pager.html" import pager as nav %}{{ nav(p) }}'
    )
    html = template.render(p=dataclasses.replace(pager, words={**PAGER_WORDS, **words}))
    assert 'aria-label="Pages of Gold partners"' in html
    assert text_of(html).split() == (
        "Erste Zurück Page 1 Page 2 Page 3 Page 4 … Weiter Letzte (page 12)".split()
    )


def test_a_group_that_runs_over_pages_says_which_of_its_partners_this_page_shows(
    planned: dict[str, Page],
) -> None:
    headings = [
        [group.heading for group in planned[path].context["based_groups"]]  # type: ignore[attr-defined]
        for path in ("countries/nl/index.html", "countries/nl/page/2/index.html")
    ]
    # 417 in level order, about 104 a level: Platinum fills page 1 and goes on on page 2
    platinum = int(headings[0][0].split()[0])
    assert headings[0] == [f"{platinum} partners, 1–100 on this page"]
    assert headings[1][0] == f"{platinum} partners, 101–{platinum} on this page"
    assert headings[1][1].endswith(" on this page")  # Gold goes on on page 3


@pytest.mark.parametrize(
    ("total", "first", "last", "heading"),
    [
        (40, 1, 40, "40 partners"),
        (250, 1, 60, "250 partners, 1–60 on this page"),
        (1250, 1001, 1250, "1,250 partners, 1,001–1,250 on this page"),
        (101, 101, 101, "101 partners, 101 on this page"),
    ],
)
def test_group_headings(total: int, first: int, last: int, heading: str) -> None:
    assert group_heading(total, first, last) == heading
