"""The statistics page: partners per level, country, region and review; level changes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

import pytest
from factories import make_program
from sample_pages import render_sample, text_of

from partnerdir.pages.stats import TOP_COUNTRIES, _table, _top_rows
from partnerdir.pages.views import Link


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_stats_page(site: Mapping[str, str]) -> None:
    html = site["stats/index.html"]
    words = text_of(html)
    assert "Netherlands 1 2 0 0 3" in words  # home country: platinum, gold, silver, reg, total
    assert "Emerging markets, Africa 0 0 0 1 1" in words
    assert "Other countries 1 2 1 0 4" in words
    assert "1 July 2026 2 0 2 0 4" in words  # the expired partner no longer counts then
    assert "Today (10 January 2027) 1 2 1 1 5" in words
    assert re.search(r"Promotions \(1\).*Acme Digital.*Demotions \(1\).*Capped & Co", words)
    assert html.count("<svg") == 3


def test_promotions_and_demotions_are_counts_with_the_lists_behind_a_disclosure(
    site: Mapping[str, str],
) -> None:
    html = site["stats/index.html"]
    assert '<details class="change-details">\n      <summary>List 1 promotion</summary>' in html
    assert "<summary>List 1 demotion</summary>" in html
    # the legend comes before the bars it explains
    assert html.index('<figcaption class="legend">') < html.index("<svg")


def test_the_largest_countries_and_one_row_for_the_others() -> None:
    rows = [(Link(f"/countries/c{n}/", f"Country {n}"), Counter(gold=100 - n)) for n in range(15)]
    top = _top_rows(rows)
    assert [link.text for link, _ in top] == [
        *(f"Country {n}" for n in range(TOP_COUNTRIES)),
        "3 other countries",
    ]
    assert top[-1][1] == Counter(gold=88 + 87 + 86)
    # one country more than the top is shown as itself, not as "1 other country"
    assert _top_rows(rows[: TOP_COUNTRIES + 1]) == rows[: TOP_COUNTRIES + 1]


def test_counts_have_thousands_separators() -> None:
    counts = Counter(gold=1200, silver=3)
    table = _table("t", "t", "Country", ("Gold", "Silver", "Total"), make_program().levels[2:0:-1],
                   [(Link("", "Big"), counts)])  # fmt: skip
    assert table.rows[0].cells == ("1,200", "3", "1,203")


def test_a_table_wider_than_a_phone_says_it_scrolls(site: Mapping[str, str]) -> None:
    html = site["stats/index.html"]
    hints = re.findall(r'<p class="scroll-hint" id="([a-z-]+-hint)">', html)
    assert len(hints) == 3 and len(set(hints)) == 3  # five number columns: every table
    for hint in hints:
        assert html.count(f'aria-describedby="{hint}"') == 1
    # three number columns fit a phone: no hint
    levels = make_program().levels[2:0:-1]
    narrow = _table("n", "n", "Country", ("Gold", "Silver", "Total"), levels, [])
    assert narrow.hint == ""
    assert _table("w", "w", "Country", ("A", "B", "C", "Total"), levels, []).hint


def test_the_country_chart_draws_the_largest_countries_alone(site: Mapping[str, str]) -> None:
    html = site["stats/index.html"]
    assert 'aria-label="Partners by level in the largest home countries' in html


def test_the_region_chart_draws_the_regions_and_the_table_has_the_others(
    site: Mapping[str, str],
) -> None:
    html = site["stats/index.html"]
    section = html[html.index('id="by-region-title"') : html.index('id="history-title"')]
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert "Emerging markets, Africa" in chart
    assert "Other countries" not in chart  # 4 partners outside the one region: table only
    assert "Other countries 1 2 1 0 4" in text_of(section)
    assert (
        "The chart draws the regions only; the 4 partners based outside every region are in "
        "the table’s last row, Other countries." in text_of(section)
    )
