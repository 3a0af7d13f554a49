"""The level rules of DESIGN.md ("Levels: the rules, exactly") as tables of cases: the level
earned, grace, entry expiry and the graduation path.

The caps are in test_levels_caps.py, the properties over random programmes in
test_levels_properties.py, the example content's levels in test_example.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from factories import make_program, make_row, sample_site
from ladder import D1, D2, D3, D4, U2, Move, evaluate, ladder, moves, nl_cap, row

from partnerdir.levels import (
    Judge,
    criterion_progress,
    earned_level,
    entry_expired,
    graduation_path,
    listed_partners,
    meets,
)
from partnerdir.model import (
    Criterion,
    CriterionProgress,
    GraduationPath,
    LevelAt,
    Op,
    Sealed,
    Value,
)

# --- Rule 1: earned -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "op", "target", "value", "expected"),
    [
        ("certified_engineers", Op.MIN, 5, 5, True),
        ("certified_engineers", Op.MIN, 5, 4, False),
        ("certified_engineers", Op.MIN, 0, 0, True),  # zero is a figure, not a missing one
        ("certified_engineers", Op.MIN, 0, None, False),  # a missing figure never meets
        ("csat", Op.MIN, 4.2, 4.2, True),
        ("csat", Op.MIN, 4.2, 4.19, False),
        ("ticket_days", Op.MAX, 5, 5.0, True),
        ("ticket_days", Op.MAX, 5, 5.1, False),
        ("ticket_days", Op.MAX, 5, 0.0, True),
        ("ticket_days", Op.MAX, 5, None, False),  # not "zero days, the best"
        ("security_review", Op.EQUALS, True, True, True),
        ("security_review", Op.EQUALS, True, False, False),
        ("security_review", Op.EQUALS, True, None, False),
        ("security_review", Op.EQUALS, False, False, True),
        ("health_check", Op.EQUALS, "excellent", "excellent", True),
        ("health_check", Op.EQUALS, "excellent", "passed", False),
        ("health_check", Op.EQUALS, "passed", "excellent", False),  # equals, not at least
        ("health_check", Op.EQUALS, "excellent", None, False),
    ],
)
def test_meets(metric: str, op: Op, target: Value, value: Value | None, expected: bool) -> None:
    program = ladder()
    assert meets(program.metrics[metric], Criterion(metric, op, target), value) is expected


@pytest.mark.parametrize(
    ("op", "target", "cell", "expected"),
    [
        (Op.MIN, 5, ">=5", True),
        (Op.MIN, 5, ">=5 <10", True),
        (Op.MIN, 2, ">=5 <10", True),
        (Op.MIN, 10, ">=5 <10", False),
        (Op.MIN, 5, "<5", False),
        (Op.MIN, 5, ">5", True),
        (Op.MIN, 5, "<=5", False),  # undecided (5 meets, 4 does not): the check refuses it
        (Op.MIN, 7, ">=5 <10", False),  # undecided too: not met, like a missing figure
        (Op.MAX, 5, "<=5", True),
        (Op.MAX, 5, "<5", True),
        (Op.MAX, 5, ">5", False),
        (Op.MAX, 5, ">=5", False),  # undecided
        (Op.EQUALS, 5, ">=5 <=5", True),
        (Op.EQUALS, 5, ">5", False),
    ],
)
def test_meets_a_sealed_figure(op: Op, target: int, cell: str, expected: bool) -> None:
    program = ladder(public=False)
    sealed = Sealed.parse(cell)
    assert sealed is not None
    metric = program.metrics["certified_engineers"]
    assert meets(metric, Criterion("certified_engineers", op, target), sealed) is expected


@pytest.mark.parametrize(
    ("country", "cell", "expected"),
    [
        ("NL", "<2", "registered"),
        ("NL", ">=2 <5", "silver"),
        ("NL", ">=5 <10", "gold"),
        ("NL", ">=10", "platinum"),
        ("KE", ">=3 <10", "gold"),  # the region's Gold target is 3
        ("KE", ">=2 <3", "silver"),
    ],
)
def test_earned_level_from_sealed_figures(country: str, cell: str, expected: str) -> None:
    program = ladder(public=False)
    sealed = make_row("p", D1, country, certified_engineers=Sealed.parse(cell))
    assert earned_level(program, sealed) == expected


@pytest.mark.parametrize(
    ("country", "engineers", "expected"),
    [
        ("NL", None, "registered"),
        ("NL", 1, "registered"),
        ("NL", 2, "silver"),
        ("NL", 3, "silver"),
        ("KE", 3, "gold"),  # the region's Gold target is 3, not 5
        ("NG", 3, "gold"),
        ("KE", 2, "silver"),  # Silver keeps its own target in the region
        ("NL", 5, "gold"),
        ("KE", 9, "gold"),
        ("KE", 10, "platinum"),  # Platinum has no regional target
    ],
)
def test_earned_level_with_regional_targets(
    country: str, engineers: int | None, expected: str
) -> None:
    assert earned_level(ladder(), row("p", D1, engineers, country)) == expected


@pytest.mark.parametrize(
    ("country", "figures", "expected"),
    [
        # the factory's Gold: engineers 5 (3 in emerging-africa), csat 4.2, revenue 100,000
        ("NL", {"csat": 4.3, "annual_revenue": 100000}, "silver"),
        ("KE", {"csat": 4.3, "annual_revenue": 100000}, "gold"),
        ("KE", {"csat": None, "annual_revenue": 100000}, "silver"),
        ("KE", {"csat": 4.3}, "silver"),  # no revenue column at all
        ("KE", {"csat": 4.3, "annual_revenue": 99999.99}, "silver"),
    ],
)
def test_earned_level_needs_every_criterion(
    country: str, figures: dict[str, Value | None], expected: str
) -> None:
    figures = {"certified_engineers": 3, "security_review": True, **figures}
    assert earned_level(make_program(), make_row("p", D1, country, **figures)) == expected


def test_one_judge_tells_equal_figures_of_other_types_apart() -> None:
    """A Judge keeps each criterion's verdict by figure across rows: True and 1 are equal keys
    to a dict, but `meets` reads a boolean only by `equals`, so True meets no minimum."""
    base = make_program()
    silver = dataclasses.replace(
        base.levels[1], criteria=(Criterion("certified_engineers", Op.MIN, 1),)
    )
    program = make_program(levels=(base.levels[0], silver, *base.levels[2:]))
    rows = [make_row("p", D1, "NL", certified_engineers=v) for v in (True, 1, 1.0)]
    judge = Judge()
    assert [earned_level(program, r, judge) for r in rows] == ["registered", "silver", "silver"]
    assert [earned_level(program, r) for r in rows] == ["registered", "silver", "silver"]


# --- Rule 3: grace ------------------------------------------------------------------------------

# fmt: off
GRACE_CASES = [
    # id, (review date, engineers)..., grace_days, today, level, under review until, moves
    ("drop pending", [(D1, 6), (D2, 3)], 90, D2 + dt.timedelta(days=10), "gold", U2,
     [(D1, None, "gold")]),
    ("the day before U the drop still waits", [(D1, 6), (D2, 3)], 90,
     U2 - dt.timedelta(days=1), "gold", U2, [(D1, None, "gold")]),
    ("the build date demotes on U", [(D1, 6), (D2, 3)], 90, U2, "silver", None,
     [(D1, None, "gold"), (U2, "gold", "silver")]),
    ("recovery before U cancels", [(D1, 6), (D2, 3), (D3, 6)], 90,
     D4 + dt.timedelta(days=100), "gold", None, [(D1, None, "gold")]),
    ("a later drop starts a new grace", [(D1, 6), (D2, 3), (D3, 6), (D4, 3)], 90,
     dt.date(2026, 9, 28), "gold", dt.date(2026, 9, 29), [(D1, None, "gold")]),
    ("a second review below keeps U", [(D1, 6), (D2, 3), (D3, 3)], 90, U2, "silver", None,
     [(D1, None, "gold"), (U2, "gold", "silver")]),
    ("grace runs out between reviews", [(D1, 6), (D2, 3), (D4, 3)], 90, D4, "silver", None,
     [(D1, None, "gold"), (U2, "gold", "silver")]),
    ("U takes the latest review on or before it", [(D1, 12), (D2, 6), (D3, 3), (D4, 0)], 90,
     D4, "silver", dt.date(2026, 9, 29), [(D1, None, "platinum"), (U2, "platinum", "silver")]),
    ("partial recovery before U", [(D1, 12), (D2, 3), (D3, 6)], 90, D4, "gold", None,
     [(D1, None, "platinum"), (U2, "platinum", "gold")]),
    ("recovery after U comes too late", [(D1, 6), (D2, 3), (D4, 6)], 90, D4, "gold", None,
     [(D1, None, "gold"), (U2, "gold", "silver"), (D4, "silver", "gold")]),
    ("drop on a review dated U", [(D1, 12), (D2, 6), (U2, 3)], 90, D4, "silver", None,
     [(D1, None, "platinum"), (U2, "platinum", "silver")]),
    ("recovery on a review dated U", [(D1, 12), (D2, 6), (U2, 12)], 90, D4, "platinum", None,
     [(D1, None, "platinum")]),
    ("a drop of two levels", [(D1, 12), (D2, 0)], 90, U2, "registered", None,
     [(D1, None, "platinum"), (U2, "platinum", "registered")]),
    ("grace_days 30", [(D1, 6), (D2, 3)], 30, dt.date(2026, 5, 1), "silver", None,
     [(D1, None, "gold"), (dt.date(2026, 5, 1), "gold", "silver")]),
    ("grace_days 0 drops at once", [(D1, 6), (D2, 3)], 0, D2, "silver", None,
     [(D1, None, "gold"), (D2, "gold", "silver")]),
    ("grace_days 0, then a recovery", [(D1, 6), (D2, 3), (D3, 6)], 0, D3, "gold", None,
     [(D1, None, "gold"), (D2, "gold", "silver"), (D3, "silver", "gold")]),
    ("a promotion takes effect at once", [(D1, 3), (D2, 6)], 90, D2, "gold", None,
     [(D1, None, "silver"), (D2, "silver", "gold")]),
    ("promotion during a pending drop", [(D1, 6), (D2, 3), (D3, 12)], 90, D4, "platinum", None,
     [(D1, None, "gold"), (D3, "gold", "platinum")]),
    ("rows after the build date are ignored", [(D1, 6), (D2, 3)], 90,
     D2 - dt.timedelta(days=1), "gold", None, [(D1, None, "gold")]),
]
# fmt: on


@pytest.mark.parametrize(
    ("steps", "grace_days", "today", "level", "until", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in GRACE_CASES],
)
def test_grace(
    steps: list[tuple[dt.date, int]],
    grace_days: int,
    today: dt.date,
    level: str,
    until: dt.date | None,
    expected: list[Move],
) -> None:
    program = ladder(grace_days=grace_days)
    evaluation = evaluate(program, [row("p", d, n) for d, n in steps], today)
    standing = evaluation.standings["p"]
    assert moves(evaluation, "p") == expected
    assert (standing.level, standing.under_review_until) == (level, until)
    assert standing.level_since == expected[-1][0]
    assert standing.member_since == steps[0][0]


def test_a_pending_drop_in_the_standing() -> None:
    evaluation = evaluate(ladder(), [row("p", D1, 6), row("p", D2, 3)], D3)
    standing = evaluation.standings["p"]
    assert standing.history == (
        LevelAt(D1, "gold", "gold", "gold", None, True),
        LevelAt(D2, "silver", "silver", "gold", U2, True),
    )
    assert (standing.earned, standing.capped, standing.level) == ("silver", "silver", "gold")
    assert standing.reason == (
        "the figures of the latest review meet Silver, not Gold; Gold is kept until then, and "
        "for good if the figures recover by then"
    )


def test_a_drop_on_a_review_dated_u_shows_in_that_review() -> None:
    rows = [row("p", D1, 12), row("p", D2, 6), row("p", U2, 3)]
    history = evaluate(ladder(), rows, D4).standings["p"].history
    assert history[1:] == (
        LevelAt(D2, "gold", "gold", "platinum", U2, True),
        LevelAt(U2, "silver", "silver", "silver", None, True),
    )


def test_the_reason_of_a_demotion() -> None:
    rows = [row("p", D1, 6), row("q", D1, 6), row("p", D2, 3), row("q", D2, 3)]
    evaluation = evaluate(ladder(grace_days=90), rows, U2)
    assert [c.reason for c in evaluation.changes if c.previous] == [
        "demoted: the figures did not meet Gold for 90 days",
        "demoted: the figures did not meet Gold for 90 days",
    ]
    evaluation = evaluate(ladder(grace_days=0), rows, U2)
    assert [c.reason for c in evaluation.changes if c.previous] == [
        "demoted: the figures no longer meet Gold",
        "demoted: the figures no longer meet Gold",
    ]


# --- Rule 4: entry expiry -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engineers", "days_after", "expired"),
    [
        (0, 364, False),
        (0, 365, True),
        (0, 800, True),
        (None, 365, True),
        (3, 365, False),  # Silver: not at the lowest level
    ],
)
def test_entry_expiry(engineers: int | None, days_after: int, expired: bool) -> None:
    today = D1 + dt.timedelta(days=days_after)
    evaluation = evaluate(ladder(), [row("p", D1, engineers), row("p", D4, engineers)], today)
    standing = evaluation.standings["p"]
    assert standing.member_since == D1
    assert standing.expired is expired


def test_entry_expiry_counts_from_the_first_row_not_the_latest() -> None:
    program = ladder(entry_expiry_days=30)
    rows = [row("p", D1, 0), row("p", D2, 0)]
    assert evaluate(program, rows, D2).standings["p"].expired is True
    assert evaluate(program, rows[1:], D2).standings["p"].expired is False


@pytest.mark.parametrize(
    ("level", "days_after", "expired"),
    [
        ("registered", 364, False),
        ("registered", 365, True),
        ("silver", 365, False),
        ("gold", 800, False),
    ],
)
def test_entry_expired_on_a_date(level: str, days_after: int, expired: bool) -> None:
    date = D1 + dt.timedelta(days=days_after)
    assert entry_expired(ladder(), level, D1, date) is expired


def test_listed_partners_by_level_then_name_then_id() -> None:
    directory, evaluation, _ = sample_site()
    listed = [
        (partner.id, standing.level) for partner, standing in listed_partners(directory, evaluation)
    ]
    # old-registered has expired: not listed
    assert listed == [
        ("bright-cloud", "platinum"),
        ("acme-digital", "gold"),
        ("capped-co", "gold"),
        ("dropping-ltd", "silver"),
        ("kenya-ops", "registered"),
    ]


# --- Rule 5: the graduation path ----------------------------------------------------------------


def engineers_progress(
    target: int, value: int | None, met: bool, percent: int, public: bool = True
) -> CriterionProgress:
    return CriterionProgress(
        "certified_engineers",
        "Certified engineers",
        Op.MIN,
        target,
        value if public else None,
        public,
        met,
        percent,
    )


def reach(level: str, target: int, value: int | None, met: bool, percent: int) -> GraduationPath:
    return GraduationPath(level, "reach", (engineers_progress(target, value, met, percent),))


@pytest.mark.parametrize(
    ("country", "engineers", "level", "path"),
    [
        ("NL", 0, "registered", reach("silver", 2, 0, False, 0)),
        ("NL", 1, "registered", reach("silver", 2, 1, False, 50)),
        ("NL", None, "registered", reach("silver", 2, None, False, 0)),
        ("NL", 3, "silver", reach("gold", 5, 3, False, 60)),
        ("KE", 2, "silver", reach("gold", 3, 2, False, 66)),  # the regional target
        ("NL", 9, "gold", reach("platinum", 10, 9, False, 90)),
        ("NL", 10, "platinum", None),
    ],
)
def test_path_to_the_next_level(
    country: str, engineers: int | None, level: str, path: GraduationPath | None
) -> None:
    evaluation = evaluate(ladder(), [row("p", D1, engineers, country)], D1)
    standing = evaluation.standings["p"]
    assert standing.level == level
    assert standing.path == path


def test_path_while_under_review_is_to_keep_the_level() -> None:
    rows = [row("p", D1, 6), row("p", D2, 3), row("t", D1, 12), row("t", D2, 9)]
    evaluation = evaluate(ladder(), rows, D3)
    assert evaluation.standings["p"].path == GraduationPath(
        "gold", "keep", (engineers_progress(5, 3, False, 60),)
    )
    # at the top level too: nothing above, but Platinum is what is at stake
    assert evaluation.standings["t"].path == GraduationPath(
        "platinum", "keep", (engineers_progress(10, 9, False, 90),)
    )
    evaluation = evaluate(ladder(), rows, U2)  # both demoted: the path leads up again
    assert evaluation.standings["p"].path == GraduationPath(
        "gold", "reach", (engineers_progress(5, 3, False, 60),)
    )
    assert evaluation.standings["t"].path == GraduationPath(
        "platinum", "reach", (engineers_progress(10, 9, False, 90),)
    )


def test_path_of_a_capped_partner_shows_every_criterion_met() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"))
    evaluation = evaluate(program, [row("a", D1, 12, csat=4.9), row("b", D1, 11, csat=4.0)], D1)
    assert evaluation.standings["b"].path == GraduationPath(
        "platinum", "reach", (engineers_progress(10, 11, True, 100),)
    )


def test_path_of_several_criteria_in_the_programme_order() -> None:
    program = make_program()
    figures: dict[str, Value | None] = {
        "certified_engineers": 3,
        "csat": 4.5,
        "annual_revenue": 50000,
        "security_review": True,
    }
    path = graduation_path(program, "silver", False, make_row("p", D1, "NL", **figures))
    assert path is not None
    assert (path.level, path.goal, path.met_count) == ("gold", "reach", 1)
    assert [(c.metric, c.op, c.target, c.value, c.public, c.met) for c in path.criteria] == [
        ("certified_engineers", Op.MIN, 5, 3, True, False),
        ("csat", Op.MIN, 4.2, 4.5, True, True),
        ("annual_revenue", Op.MIN, 100000, None, False, False),
    ]
    regional = graduation_path(program, "silver", False, make_row("p", D1, "KE", **figures))
    assert regional is not None
    assert [(c.metric, c.target, c.met) for c in regional.criteria][0] == (
        "certified_engineers",
        3,
        True,
    )


@pytest.mark.parametrize(
    ("metric", "op", "target", "value", "met", "percent"),
    [
        ("certified_engineers", Op.MIN, 10, 8, False, 80),
        ("certified_engineers", Op.MIN, 10, 10, True, 100),
        ("certified_engineers", Op.MIN, 10, 14, True, 100),
        ("certified_engineers", Op.MIN, 10, 0, False, 0),
        ("certified_engineers", Op.MIN, 0, 0, True, 100),
        ("certified_engineers", Op.MIN, 100, 29, False, 29),
        ("certified_engineers", Op.MIN, 50, 29, False, 58),
        ("certified_engineers", Op.MIN, 150, 87, False, 58),
        ("csat", Op.MIN, 4.5, 4.4, False, 97),
        ("csat", Op.MIN, 10, 9.999, False, 99),  # 100 only when met
        ("csat", Op.MIN, 4.5, None, False, 0),
        ("ticket_days", Op.MAX, 3, 6.0, False, 50),
        ("ticket_days", Op.MAX, 3, 3.1, False, 96),
        ("ticket_days", Op.MAX, 5, 5.0001, False, 99),
        ("ticket_days", Op.MAX, 3, 3.0, True, 100),
        ("ticket_days", Op.MAX, 3, 0.0, True, 100),
        ("ticket_days", Op.MAX, 0, 2.0, False, 0),
        ("ticket_days", Op.MAX, 3, None, False, 0),
        ("security_review", Op.EQUALS, True, False, False, 0),
        ("security_review", Op.EQUALS, True, True, True, 100),
        ("health_check", Op.EQUALS, "excellent", "passed", False, 0),
        ("health_check", Op.EQUALS, "excellent", "excellent", True, 100),
    ],
)
def test_criterion_progress(
    metric: str, op: Op, target: Value, value: Value | None, met: bool, percent: int
) -> None:
    progress = criterion_progress(ladder().metrics[metric], Criterion(metric, op, target), value)
    assert (progress.value, progress.met, progress.progress) == (value, met, percent)


@pytest.mark.parametrize(
    ("target", "value", "met"),
    [
        (10, 3, False),
        (10, 7, False),
        (10, 9, False),
        (10, 10, True),
        (10, 40, True),
        (10, None, False),
    ],
)
def test_a_private_figure_never_reaches_the_path(target: int, value: int | None, met: bool) -> None:
    program = ladder(public=False)
    progress = criterion_progress(
        program.metrics["certified_engineers"],
        Criterion("certified_engineers", Op.MIN, target),
        value,
    )
    # only met / not yet (DESIGN rule 5): a percentage of a public target would give the figure
    assert progress == engineers_progress(target, None, met, 100 if met else 0, public=False)


@pytest.mark.parametrize(("cell", "met"), [(">=10", True), (">=5 <10", False)])
def test_a_sealed_figure_never_reaches_the_path(cell: str, met: bool) -> None:
    program = ladder(public=False)
    progress = criterion_progress(
        program.metrics["certified_engineers"],
        Criterion("certified_engineers", Op.MIN, 10),
        Sealed.parse(cell),
    )
    assert progress == engineers_progress(10, None, met, 100 if met else 0, public=False)


def test_a_private_figure_never_reaches_a_standing() -> None:
    evaluation = evaluate(ladder(public=False), [row("p", D1, 7), row("p", D2, 3)], D3)
    (standing,) = evaluation.standings.values()
    assert standing.path is not None and standing.path.criteria
    assert all(c.value is None and c.progress in (0, 100) for c in standing.path.criteria)
