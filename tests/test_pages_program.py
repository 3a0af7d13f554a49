"""The programme page: every rule in plain words."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sample_pages import render_sample, text_of


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_program_page_states_rules_in_plain_words(site: Mapping[str, str]) -> None:
    words = text_of(site["program/index.html"])
    for expected in (
        "At most 1 partner based in Netherlands holds Platinum. When more qualify, those ranked "
        "highest by Customer satisfaction, then Certified engineers keep it",
        "At most 30% of the partners based in Emerging markets, Africa hold Gold.",
        "keeps its level, shown as under review, for 90 days",
        "still at Registered 365 days after joining",
        "Code health check: Excellent or better",
        "Regional targets replace some of these in Emerging markets, Africa.",
        "Security review passed: yes",
        "Licence revenue (EUR) an amount No: only met / not yet",
    ):
        assert expected in words
    assert words.count("At most") == 4  # each of the two caps, under its level and in Caps
