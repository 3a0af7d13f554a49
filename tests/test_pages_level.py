"""The level pages: criteria, regional targets, benefits and partners of one level."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sample_pages import render_sample, text_of


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_level_page(site: Mapping[str, str]) -> None:
    words = text_of(site["levels/gold/index.html"])
    assert "Gold partners" in words
    assert "Certified engineers: at least 5" in words
    assert "Licence revenue: at least 100,000 EUR (private figure" in words
    assert (
        "In Emerging markets, Africa (Kenya, Nigeria), these replace the targets above: "
        "Certified engineers: at least 3"
    ) in words
    assert "Co-marketing" in words
    assert words.index("Acme Digital") < words.index("Capped & Co")
    assert "Bright Cloud" not in words
