"""Dated rules (issue 13, item 1): each date judged by the rules in force on it, a rules
file's date an evaluation date, and the drop it causes given the same grace as any other."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from ladder import D1, D2, D4, U2, evaluate, ladder, moves, nl_cap, row

from partnerdir.levels import level_difference, rules_differences, upcoming_drops
from partnerdir.model import (
    Cap,
    Criterion,
    CriterionChange,
    Op,
    Program,
    Rules,
    RulesChange,
    RulesDifference,
    UpcomingDrop,
)


def raised(program: Program, date: dt.date, gold: int) -> Program:
    """The ladder with Gold asking for `gold` engineers from `date`."""
    levels = tuple(
        dataclasses.replace(level, criteria=(Criterion("certified_engineers", Op.MIN, gold),))
        if level.id == "gold"
        else level
        for level in program.levels
    )
    change = RulesChange(date, Rules(levels, program.regions, program.caps), "rules/x.yaml")
    return dataclasses.replace(program, changes=(change,))


def test_rules_on_a_date_are_the_latest_file_in_force_and_omit_nothing() -> None:
    program = raised(ladder(), D2, 7)
    assert program.rules_on(D1) is program
    assert program.rules_on(D2).level("gold").criteria[0].target == 7
    assert program.rules_on(D2).level("silver") == program.level("silver")  # omitted: stays
    assert program.rules_on(D2).rules_on(D1).level("gold").criteria[0].target == 5
    assert program.upcoming(D1) == program.changes
    assert program.upcoming(D2) == ()


@pytest.mark.parametrize(
    ("rows", "today", "expected"),
    [
        # Gold earned at D1 under 5 engineers; from D2 Gold asks for 7: under review at once,
        # for the grace, then Silver on the day it runs out
        ([row("p", D1, 6)], D4, [(D1, None, "gold"), (U2, "gold", "silver")]),
        # before the grace ends, the drop is pending only
        ([row("p", D1, 6)], U2 - dt.timedelta(days=1), [(D1, None, "gold")]),
        # figures that meet the new target inside the grace cancel the drop
        ([row("p", D1, 6), row("p", dt.date(2026, 5, 15), 7)], D4, [(D1, None, "gold")]),
        # a review before the rules' date is judged by the rules then: 6 engineers is Gold
        (
            [row("p", D1, 4), row("p", dt.date(2026, 3, 1), 6)],
            dt.date(2026, 3, 2),
            [
                (D1, None, "silver"),
                (dt.date(2026, 3, 1), "silver", "gold"),
            ],
        ),
    ],
)
def test_a_rules_file_judges_the_latest_figures_from_its_date_with_grace(
    rows: list, today: dt.date, expected: list
) -> None:
    assert moves(evaluate(raised(ladder(), D2, 7), rows, today), "p") == expected


def test_the_rules_date_is_in_the_history_and_starts_the_grace() -> None:
    standing = evaluate(raised(ladder(), D2, 7), [row("p", D1, 6)], D2).standings["p"]
    assert [
        (h.date, h.earned, h.level, h.under_review_until, h.reviewed) for h in standing.history
    ] == [
        (D1, "gold", "gold", None, True),
        (D2, "silver", "gold", U2, False),
    ]
    assert standing.path is not None
    assert (standing.path.goal, standing.path.criteria[0].target) == ("keep", 7)


def test_a_rules_file_dated_after_the_build_date_changes_nothing_yet() -> None:
    rows = [row("p", D1, 6)]
    later, now = evaluate(raised(ladder(), D4, 7), rows, D2), evaluate(ladder(), rows, D2)
    assert later.changes == now.changes
    standing = later.standings["p"]
    assert dataclasses.replace(standing, upcoming=()) == now.standings["p"]
    # public before it takes effect: to keep Gold it will need 7 engineers; it has 6
    assert [
        (t.date, t.level, t.goal, t.progress.target, t.progress.value, t.progress.met)
        for t in standing.upcoming
    ] == [(D4, "gold", "keep", 7, 6, False)]


def test_upcoming_drops_are_those_the_rules_cause() -> None:
    program = raised(ladder(), D4, 7)
    rows = [row("p", D1, 6), row("q", D1, 8), row("r", D1, 1)]
    evaluation = evaluate(program, rows, D2)
    assert upcoming_drops(program, evaluation) == (UpcomingDrop(D4, "p", "gold", "silver"),)


def test_a_rules_file_on_the_first_day_a_date_names_is_compared_with_program_yaml() -> None:
    # the rules in force the day before 0001-01-01 are program.yaml's (before: OverflowError)
    program = raised(ladder(), dt.date.min, 7)
    (difference,) = rules_differences(program)
    assert difference.date == dt.date.min
    assert [(c.before, c.after) for c in difference.criteria] == [
        (Criterion("certified_engineers", Op.MIN, 5), Criterion("certified_engineers", Op.MIN, 7))
    ]
    assert program.rules_before(D4).level("gold").criteria[0].target == 7


def test_a_rules_difference_names_each_criterion_changed() -> None:
    program = raised(ladder(), D4, 7)
    assert rules_differences(program) == (
        RulesDifference(
            D4,
            (
                CriterionChange(
                    "gold",
                    None,
                    "certified_engineers",
                    Criterion("certified_engineers", Op.MIN, 5),
                    Criterion("certified_engineers", Op.MIN, 7),
                ),
            ),
            None,
        ),
    )


@pytest.mark.parametrize(
    ("level", "criteria", "caps"),
    [
        # Gold's criterion changes; Gold's cap in the Netherlands arrives with the same file
        ("gold", ("certified_engineers",), (nl_cap("gold", 2),)),
        # Platinum's cap stays 1: nothing changes for Platinum
        ("platinum", (), None),
        ("silver", (), None),
    ],
)
def test_a_level_difference_keeps_what_a_rules_file_changes_for_that_level(
    level: str, criteria: tuple[str, ...], caps: tuple[Cap, ...] | None
) -> None:
    program = ladder(nl_cap("platinum", 1))
    raised_gold = raised(program, D4, 7)
    (change,) = raised_gold.changes
    rules = dataclasses.replace(change.rules, caps=(nl_cap("platinum", 1), nl_cap("gold", 2)))
    dated = dataclasses.replace(raised_gold, changes=(dataclasses.replace(change, rules=rules),))
    (difference,) = rules_differences(dated)
    found = level_difference(dated, difference, level)
    assert (found.date, tuple(c.metric for c in found.criteria), found.caps) == (D4, criteria, caps)
