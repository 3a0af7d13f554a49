"""The programme page: every rule in plain words."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from factories import upcoming_site
from sample_pages import render_sample, text_of

from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_program_page_states_rules_in_plain_words(site: Mapping[str, str]) -> None:
    words = text_of(site["program/index.html"])
    for expected in (
        "At most 1 partner based in the Netherlands holds Platinum. When more qualify, those "
        "ranked highest by Customer satisfaction, then Certified engineers keep it",
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


def test_program_page_shows_each_upcoming_rules_file_beside_the_rules_in_force() -> None:
    directory, evaluation, options = upcoming_site()
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    words = text_of(files["program/index.html"].decode())
    assert (
        "Upcoming changes The rules on this page are in force today. Each change below is "
        "published at least 90 days before it takes effect." in words
    )
    assert (
        "From 1 June 2027 Gold: customer satisfaction of at least 4.6 (until then at least 4.2)"
        in words
    )
    # the rules in force still read as they are
    assert "Customer satisfaction: at least 4.2 Licence revenue" in words
    assert "Upcoming changes" not in text_of(render_sample()["program/index.html"])


def test_a_level_page_shows_what_upcoming_rules_change_for_that_level_only() -> None:
    directory, evaluation, options = upcoming_site()
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    gold = text_of(files["levels/gold/index.html"].decode())
    assert (
        "Upcoming changes The rules on this page are in force today. Each change below is "
        "published at least 90 days before it takes effect." in gold
    )
    assert (
        "From 1 June 2027 Gold: customer satisfaction of at least 4.6 (until then at least 4.2)"
        in gold
    )
    # the file changes nothing for Silver: no section there
    assert "Upcoming changes" not in text_of(files["levels/silver/index.html"].decode())
