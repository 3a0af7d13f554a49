"""A partner's level history as events (partnerdir/history.py): each case of the level rules
as the events it gives, and the property that the events replayed give the level on every
evaluation date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from ladder import D1, D2, D3, D4, U2, evaluate, ladder, nl_cap, row
from strategies import Case, cases, timelines
from test_levels_rules import raised

from partnerdir.history import EventKind, LevelEvent, all_events, level_on
from partnerdir.model import Program, ReviewRow
from partnerdir.wording import event_detail

PROPERTY = settings(max_examples=80, deadline=None, database=None)
TODAY = dt.date(2026, 11, 24)

#: An event as (date, kind, previous, level, until or earned).
Told = tuple[dt.date, str, str | None, str, object]


def told(
    program: Program, rows: list[ReviewRow], partner: str, today: dt.date = TODAY
) -> list[Told]:
    events = all_events(program, evaluate(program, rows, today))[partner]
    return [(e.date, e.kind.value, e.previous, e.level, e.until or e.earned) for e in events]


def test_a_grace_begun_then_cancelled_by_recovery() -> None:
    rows = [row("p", D1, 6), row("p", D2, 3), row("p", D3, 6)]
    assert told(ladder(), rows, "p") == [
        (D1, "joined", None, "gold", None),
        (D2, "under-review", None, "gold", U2),
        (D3, "recovered", None, "gold", None),
    ]


def test_a_grace_that_runs_out_between_reviews_drops_on_its_last_day() -> None:
    rows = [row("p", D1, 6), row("p", D2, 3), row("p", D4, 3)]
    assert told(ladder(), rows, "p") == [
        (D1, "joined", None, "gold", None),
        (D2, "under-review", None, "gold", U2),
        (U2, "demotion", "gold", "silver", None),
    ]
    assert not all_events(ladder(), evaluate(ladder(), rows, TODAY))["p"][-1].by_cap


def test_a_grace_that_runs_out_on_the_build_date_alone_drops() -> None:
    rows = [row("p", D1, 6), row("p", D2, 3)]
    assert told(ladder(), rows, "p", today=U2)[-1] == (U2, "demotion", "gold", "silver", None)
    assert told(ladder(), rows, "p", today=U2 - dt.timedelta(days=1))[-1] == (
        D2,
        "under-review",
        None,
        "gold",
        U2,
    )


def test_a_promotion_and_no_grace_with_grace_days_zero() -> None:
    rows = [row("p", D1, 3), row("p", D2, 12), row("p", D4, 6)]
    assert told(ladder(grace_days=0), rows, "p") == [
        (D1, "joined", None, "silver", None),
        (D2, "promotion", "silver", "platinum", None),
        (D4, "demotion", "platinum", "gold", None),
    ]


def test_held_by_a_cap_from_the_start_then_released_when_the_figures_fall() -> None:
    program = ladder(nl_cap("gold", 1, "csat"))
    rows = [
        row("a", D1, 6, csat=5),
        row("b", D1, 6, csat=4),
        row("a", D2, 6, csat=5),
        row("b", D2, 3, csat=4),
    ]
    assert told(program, rows, "b") == [
        (D1, "joined", None, "silver", None),
        (D1, "capped", None, "silver", "gold"),
        (D2, "released", None, "silver", "silver"),
    ]


def test_a_cap_that_takes_a_held_level_is_one_event_naming_both_levels() -> None:
    program = ladder(nl_cap("gold", 1, "csat"))
    rows = [row("a", D1, 6, csat=4), row("a", D2, 6, csat=4), row("b", D2, 6, csat=5)]
    assert told(program, rows, "a") == [
        (D1, "joined", None, "gold", None),
        (D2, "capped", "gold", "silver", "gold"),
    ]


def test_a_holder_in_grace_gives_its_place_up_and_the_other_is_promoted() -> None:
    program = ladder(nl_cap("gold", 1, "csat"))
    rows = [
        row("a", D1, 6, csat=5),
        row("b", D1, 6, csat=4),
        row("a", D2, 3, csat=5),
        row("b", D2, 6, csat=4),
    ]
    assert told(program, rows, "a") == [
        (D1, "joined", None, "gold", None),
        (D2, "demotion", "gold", "silver", None),
    ]
    events = all_events(program, evaluate(program, rows, TODAY))
    assert events["a"][-1].by_cap  # not the end of a grace: a cap took the place
    assert told(program, rows, "b")[-1] == (D2, "promotion", "silver", "gold", None)


def test_still_registered_learns_when_its_entry_period_ends() -> None:
    rows = [row("p", D1, 0), row("p", D2, 1), row("q", D4, 3)]
    ends = D1 + dt.timedelta(days=365)
    # dated by the last review that found it still Registered, not by the build date nor by
    # a later review of other partners
    assert told(ladder(), rows, "p") == [
        (D1, "joined", None, "registered", None),
        (D2, "expiring", None, "registered", ends),
    ]


def test_expired_at_the_end_of_the_entry_period_and_listed_again_when_promoted() -> None:
    later = D1 + dt.timedelta(days=400)
    rows = [row("p", D1, 0), row("p", later, 3)]
    ends = D1 + dt.timedelta(days=365)
    assert told(ladder(), rows, "p", today=later) == [
        (D1, "joined", None, "registered", None),
        (ends, "expired", None, "registered", None),
        (later, "promotion", "registered", "silver", None),
    ]
    assert told(ladder(), rows[:1], "p", today=ends)[-1] == (
        ends,
        "expired",
        None,
        "registered",
        None,
    )


def test_a_drop_to_the_lowest_level_after_the_entry_period_expires_at_once() -> None:
    program = ladder(grace_days=0)
    later = D1 + dt.timedelta(days=400)
    rows = [row("p", D1, 3), row("p", later, 0)]
    assert told(program, rows, "p", today=later)[-2:] == [
        (later, "demotion", "silver", "registered", None),
        (later, "expired", None, "registered", None),
    ]


def test_a_change_keeps_the_level_rules_reason() -> None:
    rows = [row("p", D1, 3), row("p", D2, 6)]
    events = all_events(ladder(), evaluate(ladder(), rows, TODAY))["p"]
    assert events[1] == LevelEvent(
        EventKind.PROMOTED, D2, "gold", "silver", reason="promoted: meets the Gold criteria"
    )


@PROPERTY
@given(cases() | timelines())
def test_events_replayed_give_the_level_on_every_evaluation_date(case: Case) -> None:
    assert_replayed(*case)


@PROPERTY
@given(timelines(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), st.integers(1, 12))
def test_events_replayed_give_the_level_with_a_rules_file_too(
    case: Case, rules: dt.date, gold: int
) -> None:
    """A rules file's date is an evaluation date: the events still replay to every level, and
    only events on that date, where the partner had no review, come from the rules."""
    program, rows, today = case
    dated = raised(program, rules, gold)
    assert_replayed(dated, rows, today)
    reviewed = {(r.partner, r.date) for r in rows}
    events = all_events(dated, evaluate(dated, rows, today))
    from_rules = [(p, e) for p, found in events.items() for e in found if e.by_rules]
    assert all(e.date == rules and (p, rules) not in reviewed for p, e in from_rules)


def assert_replayed(program: Program, rows: list[ReviewRow], today: dt.date) -> None:
    """Each partner's events are in date order, start with its joining, and replayed give
    its level on every evaluation date and on `today`; one event per change of level."""
    evaluation = evaluate(program, rows, today)
    events = all_events(program, evaluation)
    assert events.keys() == evaluation.standings.keys()
    grace = dt.timedelta(days=program.review.grace_days)
    for partner, standing in evaluation.standings.items():
        found = events[partner]
        assert [e.date for e in found] == sorted(e.date for e in found)
        assert found[0].kind is EventKind.JOINED and found[0].date == standing.member_since
        for step in standing.history:
            assert level_on(found, step.date) == step.level, (partner, step)
        assert level_on(found, today) == standing.level
        # every change of level is one event, and only changes of level name a previous one
        changes = [c for c in evaluation.changes if c.partner == partner]
        moved = [(e.date, e.previous, e.level) for e in found if e.changes_level]
        assert moved == [(c.date, c.previous, c.level) for c in changes]
        for event in found:
            if event.kind is EventKind.UNDER_REVIEW:
                assert event.until == event.date + grace
        expired = [e for e in found if e.kind is EventKind.EXPIRED]
        assert standing.expired == bool(expired and expired[-1].date >= moved[-1][0])
        expiring = [e for e in found if e.kind is EventKind.EXPIRING]
        assert bool(expiring) == (standing.level == program.levels[0].id and not standing.expired)


def test_a_rules_files_date_is_an_evaluation_date_and_its_events_say_so() -> None:
    """A rules file raising Gold to 7 engineers from RULES (no review that day) starts a grace
    on its own date; the review after it is a review again."""
    rules = dt.date(2026, 3, 1)
    program = raised(ladder(), rules, 7)
    rows = [row("p", D1, 6), row("p", D2, 6), row("p", D3, 7)]
    events = all_events(program, evaluate(program, rows, TODAY))["p"]
    assert [(e.date, e.kind.value, e.until, e.by_rules) for e in events] == [
        (D1, "joined", None, False),
        (rules, "under-review", rules + dt.timedelta(days=90), True),
        (D3, "recovered", None, False),
    ]
    assert event_detail(program, events[1]) == (
        "New rules take effect on this date. The latest figures do not meet Gold. Gold is kept "
        "until then, and for good if the figures recover by then."
    )
