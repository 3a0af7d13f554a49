"""Regional targets named where they apply (pages/regional.py): on a profile's path, when the
region where the partner is measured replaces some of the next level's targets, and on the
level page, with the partners that hold the level by them."""

from __future__ import annotations

import datetime as dt

import pytest
from ladder import D4, ladder, row
from sample_pages import render_rows, text_of

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    # the engineers ladder: Gold needs 5 engineers, 3 in Emerging markets, Africa (KE, NG)
    rows = (
        row("nairobi-data", D4, 2, "KE"),
        row("lagos-ledger", D4, 4, "NG"),
        row("amstel-data", D4, 4, "NL"),
    )
    return render_rows(ladder(), rows, TODAY)


def test_the_path_names_the_region_whose_targets_it_shows(pages: dict[str, str]) -> None:
    html = pages["partners/nairobi-data/index.html"]
    assert (
        '<p class="path-region"><a href="/program/#region-emerging-africa">Targets for Emerging '
        "markets, Africa</a>: this partner is measured in Emerging markets, Africa, so they "
        "replace some of Gold&#39;s own.</p>"
    ) in html
    assert "Certified engineers Not yet 2 now; target at least 3" in text_of(html)


def test_no_region_is_named_where_the_levels_own_targets_apply(pages: dict[str, str]) -> None:
    # Amstel is measured in the Netherlands; Lagos's next level, Platinum, has no regional target
    assert "path-region" not in pages["partners/amstel-data/index.html"]
    assert "path-region" not in pages["partners/lagos-ledger/index.html"]


def test_the_level_page_names_who_holds_it_by_a_regions_targets(pages: dict[str, str]) -> None:
    words = text_of(pages["levels/gold/index.html"])
    assert "Judged by the targets for Emerging markets, Africa: Lagos Ledger." in words
    assert "Judged by" not in text_of(pages["levels/silver/index.html"])
