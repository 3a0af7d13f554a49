"""A profile's level history (pages/timeline.py, templates/_timeline.html): the timeline of
events with dates, the level chart with its text alternative, the entry period's notice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ladder import D1, D2, D3, D4, fr_gold_cap_program, ladder, row
from sample_pages import render_rows as render
from sample_pages import text_of

from partnerdir.levelchart import level_chart

TODAY = dt.date(2026, 11, 24)
ONBOARDING = dt.date(2026, 10, 20)


@pytest.fixture(scope="module")
def grace_pages() -> dict[str, str]:
    """`recovers` goes under review at D2 and recovers at D3; `drops` stays below Gold and is
    dropped when the grace runs out; `newcomer` joins Registered at D4."""
    rows = (
        row("recovers", D1, 6),
        row("drops", D1, 6),
        row("recovers", D2, 3),
        row("drops", D2, 3),
        row("recovers", D3, 6),
        row("drops", D4, 3),
        row("recovers", D4, 6),
        row("newcomer", D4, 0),
    )
    return render(ladder(), rows, TODAY)


def test_the_timeline_lists_each_event_with_its_date(grace_pages: dict[str, str]) -> None:
    words = text_of(grace_pages["partners/recovers/index.html"])
    assert (
        '<h2 id="timeline-title">Level history</h2>' in grace_pages["partners/recovers/index.html"]
    )
    assert (
        "5 January 2026 Joined at Gold First review: the figures meet Gold. "
        "1 April 2026 Under review until 30 June 2026 The figures of this review do not meet "
        "Gold. Gold is kept until then, and for good if the figures recover by then. "
        "15 May 2026 Recovered: keeps Gold The figures meet Gold again before the end of the "
        "grace: no drop."
    ) in words
    drops = text_of(grace_pages["partners/drops/index.html"])
    assert (
        "30 June 2026 Dropped to Silver The figures did not meet Gold for the 90 days of grace."
        in drops
    )


def test_the_level_chart_says_in_words_what_it_draws(grace_pages: dict[str, str]) -> None:
    html = grace_pages["partners/drops/index.html"]
    assert (
        'role="img" aria-label="Level over time: Gold from 5 Jan 2026 to 30 Jun 2026; '
        'Silver from 30 Jun 2026."'
    ) in html
    # each level is named beside its row, so the chart does not rely on colour alone
    for name in ("Registered", "Silver", "Gold", "Platinum"):
        assert re.search(rf'<text x="0" y="[0-9.]+">{name}</text>', html)
    assert html.count("<rect ") == 2


def test_a_registered_partner_is_told_when_its_entry_period_ends(
    grace_pages: dict[str, str],
) -> None:
    html = grace_pages["partners/newcomer/index.html"]
    words = text_of(html)
    notice = (
        "Entry period ends on 1 July 2027 Still Registered at this review: a partner still "
        "Registered 365 days after joining is no longer listed until it reaches Silver."
    )
    assert notice in words
    assert '<div class="notice notice-entry" data-pagefind-ignore>' in html
    assert "1 July 2026 Entry period ends on 1 July 2027" in words  # on the timeline too
    assert "Entry period" not in text_of(grace_pages["partners/recovers/index.html"])


def test_a_cap_that_takes_the_level_is_told_as_a_cap_not_a_shortfall() -> None:
    program = fr_gold_cap_program()
    rows = (
        row("holder", D4, 6, "FR", csat=4.5),
        row("holder", ONBOARDING, 6, "FR", csat=4.5),
        row("stronger", ONBOARDING, 6, "FR", csat=4.8),
    )
    words = text_of(render(program, rows, TODAY)["partners/holder/index.html"])
    assert (
        "20 October 2026 Held at Silver by a cap The figures meet Gold, but a cap limits how "
        "many partners hold it: listed as Silver (down from Gold, a cap applies at once)."
    ) in words
    assert "Dropped" not in words


def test_level_chart_geometry() -> None:
    levels = [("Registered", "#111111"), ("Silver", "#222222"), ("Gold", "#333333")]
    chart = level_chart(
        "Level over time",
        levels,
        [(dt.date(2026, 1, 1), 1), (dt.date(2026, 7, 1), 2)],
        dt.date(2027, 1, 1),
        dt.date.isoformat,
    )
    assert chart is not None
    assert chart.description == "Silver from 2026-01-01 to 2026-07-01; Gold from 2026-07-01."
    # the first stretch starts at the plot's left edge; the last ends at the build date
    first, last = chart.spans
    assert first.x == chart.label_width and first.colour == "#222222"
    assert last.x + last.width == chart.width
    assert first.width == pytest.approx(181 / 365 * 236, abs=0.1)
    assert [r.name for r in chart.rows] == ["Gold", "Silver", "Registered"]  # highest on top
    assert first.y > last.y  # Silver's row below Gold's
    assert level_chart("t", levels, [], dt.date(2027, 1, 1), str) is None
