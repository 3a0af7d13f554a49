"""The level rules of DESIGN.md as properties over random programmes and reviews
(strategies.py): what holds for any programme, any reviews and any build date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from factories import make_row
from hypothesis import given, settings
from hypothesis import strategies as st
from ladder import D1, evaluate
from strategies import (
    COUNTRIES,
    REVIEW_DATES,
    VALUES,
    Case,
    cases,
    figures,
    programs,
    rules_changes,
    timelines,
)

from partnerdir.levels import Judge, earned_level, evaluate_levels, graduation_path, meets
from partnerdir.model import Cap, Evaluation, Program, ReviewRow, RulesChange, Value

PROPERTY = settings(max_examples=60, deadline=None, database=None)


def goodness(metric: str, value: Value) -> float:
    """The test's own reading of `better`: higher is better, except for ticket days."""
    if metric == "health_check":
        return float(["failed", "passed", "excellent"].index(str(value)))
    number = float(value)
    return -number if metric == "ticket_days" else number


def scopes(program: Program, cap: Cap, rows: Mapping[str, ReviewRow]) -> list[list[str]]:
    if cap.region is not None:
        countries = next(r.countries for r in program.regions if r.id == cap.region)
        return [[p for p, r in rows.items() if r.country in countries]]
    by_country: dict[str, list[str]] = defaultdict(list)
    for partner, r in rows.items():
        if cap.country in ("*", r.country):
            by_country[r.country].append(partner)
    return list(by_country.values())


def allowed(cap: Cap, measured: int) -> int:
    if cap.count is not None:
        return cap.count
    return max(1, math.floor(Fraction(str(cap.share)) * measured))


@PROPERTY
@given(cases() | timelines())
def test_the_level_held_is_the_capped_level_unless_a_drop_is_pending(case: Case) -> None:
    program, rows, today = case
    rank = program.rank
    grace = dt.timedelta(days=program.review.grace_days)
    evaluation = evaluate(program, rows, today)
    assert all(c.previous != c.level and c.date <= today for c in evaluation.changes)
    for standing in evaluation.standings.values():
        until = standing.under_review_until
        # never above the level earned at the latest review unless a grace is pending
        assert rank(standing.level) <= rank(standing.earned) or until is not None
        assert rank(standing.capped) <= rank(standing.earned)
        if until is None:
            assert standing.level == standing.capped
        else:
            assert rank(standing.level) > rank(standing.capped)
            assert today < until <= today + grace


@PROPERTY
@given(cases() | timelines())
def test_every_demotion_is_a_grace_that_ran_out(case: Case) -> None:
    """Rule 3 read off the history: a drop starts at the first review below, waits until U,
    and at U takes the capped level of the latest review on or before U unless one of those
    reviews recovered; grace_days 0 drops at the review."""
    program, rows, today = case
    rank = program.rank
    grace = dt.timedelta(days=program.review.grace_days)
    evaluation = evaluate(program, rows, today)
    # the loop reads every partner measured by the build date, each from its first row on
    assert set(evaluation.standings) == {r.partner for r in rows if r.date <= today}
    assert all(standing.history for standing in evaluation.standings.values())
    for partner, standing in evaluation.standings.items():
        history = standing.history
        expected = set()
        for before, step in zip((None, *history), history, strict=False):
            until = step.under_review_until
            if until is None:
                assert step.level == step.capped
                if before is not None:
                    # a drop that leaves no grace pending is one with grace_days 0, one a cap
                    # made (the figures still meet the level, or a partner that meets it takes
                    # the place of one in grace), or the end of a grace (the same tuple below)
                    pending = before.under_review_until
                    held = before.level
                    if pending is not None and pending < step.date:
                        held = before.capped  # the grace ran out before this review
                    if rank(step.level) < rank(held):
                        expected.add((step.date, held, step.level))
                continue
            assert rank(step.level) > rank(step.capped)
            assert step.date < until <= step.date + grace
            if before is None or before.under_review_until != until:
                assert step.date == until - grace  # the first review below starts the grace
            window = [h for h in history if step.date <= h.date <= until]
            displaced = any(h.level != step.level for h in window if h.date < until)
            if (
                until <= today
                and not displaced
                and all(rank(h.capped) < rank(step.level) for h in window)
            ):
                expected.add((until, step.level, window[-1].capped))
        drops = {
            (c.date, c.previous, c.level)
            for c in evaluation.changes
            if c.partner == partner and c.previous and rank(c.level) < rank(c.previous)
        }
        assert drops == expected


@PROPERTY
@given(cases() | timelines())
def test_every_cap_holds_for_the_levels_shown(case: Case) -> None:
    """Issue 13, item 4: a cap holds for the level each partner is shown at, grace or not, at
    every review date and on the build date, so every count of a capped level agrees with it."""
    program, rows, today = case
    evaluation = evaluate(program, rows, today)
    kept = sorted((r for r in rows if r.date <= today), key=lambda r: r.date)
    assert set(evaluation.standings) == {r.partner for r in kept}
    for date in sorted({r.date for r in kept}):
        current = {r.partner: r for r in kept if r.date <= date}
        shown = {
            partner: next(h.level for h in evaluation.standings[partner].history if h.date == date)
            for partner in current
        }
        for cap in program.caps:
            for scope in scopes(program, cap, current):
                holders = [p for p in scope if shown[p] == cap.level]
                assert len(holders) <= allowed(cap, len(scope)), (date, cap, holders)
    latest = {r.partner: r for r in kept}
    for cap in program.caps:
        for scope in scopes(program, cap, latest):
            holders = [p for p in scope if evaluation.standings[p].level == cap.level]
            assert len(holders) <= allowed(cap, len(scope)), (today, cap, holders)


@PROPERTY
@given(cases())
def test_every_cap_holds_at_every_review_date(case: Case) -> None:
    program, rows, today = case
    evaluation = evaluate(program, rows, today)
    kept = sorted((r for r in rows if r.date <= today), key=lambda r: r.date)
    # every partner measured by the build date is checked, against each cap cases() draws
    assert set(evaluation.standings) == {r.partner for r in kept}
    assert 1 <= len(program.caps) <= 3
    for date in sorted({r.date for r in kept}):
        current = {r.partner: r for r in kept if r.date <= date}  # the latest row of each
        capped = {
            partner: next(h.capped for h in evaluation.standings[partner].history if h.date == date)
            for partner in current
        }
        for cap in program.caps:
            for scope in scopes(program, cap, current):
                holders = [p for p in scope if capped[p] == cap.level]
                assert len(holders) <= allowed(cap, len(scope)), (date, cap, holders)


@PROPERTY
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_rows_and_partner_ids_does_not_matter(
    case: Case, shuffler: random.Random
) -> None:
    program, rows, today = case
    ids = sorted({r.partner for r in rows})
    expected = evaluate_levels(program, ids, rows, today)
    shuffler.shuffle(ids)
    shuffler.shuffle(rows)
    result = evaluate_levels(program, ids, rows, today)
    assert result == expected
    assert list(result.standings) == list(expected.standings)


def summary(evaluation: Evaluation, leave_out: str) -> dict[str, tuple[object, ...]]:
    return {
        partner: (
            s.level,
            s.earned,
            s.capped,
            s.level_since,
            s.member_since,
            s.under_review_until,
            s.reason,
            s.path,
            s.expired,
        )
        for partner, s in evaluation.standings.items()
        if partner != leave_out
    }


@PROPERTY
@given(
    cases(),
    st.sampled_from([*REVIEW_DATES, dt.date(2026, 3, 3), dt.date(2026, 6, 30)]),
    figures(),
)
def test_a_partner_in_an_uncapped_country_changes_nobody_else(
    case: Case, date: dt.date, outsider: dict[str, Value | None]
) -> None:
    program, rows, today = case
    # JP: no cap names it and no region holds it; a "*" cap gives it a scope of its own
    before = evaluate(program, rows, today)
    after = evaluate(program, [*rows, make_row("zz-outsider", date, "JP", **outsider)], today)
    assert summary(after, "zz-outsider") == summary(before, "zz-outsider")
    assert [c for c in after.changes if c.partner != "zz-outsider"] == list(before.changes)


@settings(PROPERTY, max_examples=200)  # one row, no history: cheap
@given(programs(), figures(), st.sampled_from(COUNTRIES), st.data())
def test_a_better_figure_never_lowers_the_earned_level(
    program: Program, others: dict[str, Value | None], country: str, data: st.DataObject
) -> None:
    # a figure no criterion reads cannot matter: raise one that some criterion reads
    used = sorted({c.metric for level in program.levels for c in level.criteria})
    metric = data.draw(st.sampled_from(used))
    pair = data.draw(st.lists(VALUES[metric], min_size=2, max_size=2, unique=True))
    worse, better = sorted(pair, key=lambda value: goodness(metric, value))
    # a missing figure is the worst of all, but less often: it meets nothing either way
    old = data.draw(st.one_of(st.just(worse), st.just(worse), st.none()))
    before = make_row("p", D1, country, **{**others, metric: old})
    after = make_row("p", D1, country, **{**others, metric: better})
    assert program.rank(earned_level(program, after)) >= program.rank(earned_level(program, before))


@PROPERTY
@given(cases() | timelines(), st.data())
def test_a_rules_file_dated_after_every_review_changes_no_level_before_its_date(
    case: Case, data: st.DataObject
) -> None:
    """Issue 13: adding a rules file dated after every review never changes a past level, nor
    any level before its date."""
    program, rows, today = case
    last = max((r.date for r in rows), default=today)
    date = last + dt.timedelta(days=data.draw(st.integers(1, 200)))
    changed = data.draw(rules_changes(program))
    dated = dataclasses.replace(program, changes=(RulesChange(date, changed, "rules/x.yaml"),))
    before, after = evaluate(program, rows, today), evaluate(dated, rows, today)
    assert [c for c in after.changes if c.date < date] == [
        c for c in before.changes if c.date < date
    ]
    for partner, standing in after.standings.items():
        kept = [h for h in standing.history if h.date < date]
        assert kept == [h for h in before.standings[partner].history if h.date < date]
    if today < date:  # the one difference before its date: its targets are public
        assert after.changes == before.changes
        assert {p: dataclasses.replace(s, upcoming=()) for p, s in after.standings.items()} == (
            before.standings
        )


@PROPERTY
@given(
    programs(),
    st.lists(st.tuples(figures(), st.sampled_from(COUNTRIES)), min_size=1, max_size=30),
)
def test_one_judge_for_many_rows_earns_the_highest_level_whose_criteria_all_hold(
    program: Program, drawn: list[tuple[dict[str, Value | None], str]]
) -> None:
    """Rule 1 read literally, criterion by criterion, against one Judge kept across the rows
    (its verdicts found on earlier rows, the levels walked from the highest down)."""
    rows = [make_row("p", D1, country, **figures_of) for figures_of, country in drawn]
    expected = [
        max(
            (
                level
                for level in program.levels
                if all(
                    meets(program.metrics[c.metric], c, row.figures.get(c.metric))
                    for c in program.criteria_for(level, row.country)
                )
            ),
            key=lambda level: level.rank,
        ).id
        for row in rows
    ]
    judge = Judge()
    assert [earned_level(program, row, judge) for row in rows] == expected
    # and each graduation path from the progress the judge keeps, as from a fresh computation
    paths = [(program, level.id, False, row) for row in rows for level in program.levels]
    assert [graduation_path(*path, judge) for path in paths] == [
        graduation_path(*path) for path in paths
    ]
