"""The statistics page: partners per level, country, region and review; level changes."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from sample_pages import render_sample, text_of


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
