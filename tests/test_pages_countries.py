"""The countries page and the country pages: partners per country, by level."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sample_pages import render_sample, text_of


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_country_page_groups_partners_by_level(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/nl/index.html"])
    assert "Partners in the Netherlands 3 partners serve the Netherlands." in words
    platinum, gold = words.index("Level: Platinum 1 partner"), words.index("Level: Gold 2 partners")
    assert platinum < words.index("Bright Cloud") < gold < words.index("Acme Digital")
    assert words.index("Acme Digital") < words.index("Capped & Co")
    assert "Dropping Ltd" not in words


def test_countries_index_counts(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/index.html"])
    assert "Netherlands 3 partners 1 Platinum, 2 Gold" in words
    assert "Belgium 2 partners 1 Gold, 1 Silver" in words
