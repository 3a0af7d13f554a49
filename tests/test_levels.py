"""The level rules of DESIGN.md ("Levels: the rules, exactly"): tables of cases, the example
content as an oracle, and properties over random programmes and reviews."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from factories import make_program, make_row
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerdir.content.checking import check_content
from partnerdir.levels import (
    apply_caps,
    cap_limit,
    criterion_progress,
    earned_level,
    evaluate_levels,
    graduation_path,
    meets,
)
from partnerdir.model import (
    Better,
    Cap,
    Criterion,
    CriterionProgress,
    Evaluation,
    GraduationPath,
    LevelAt,
    Metric,
    MetricType,
    Op,
    Program,
    Region,
    ReviewRow,
    ReviewRules,
    Sealed,
    Standing,
    Value,
)

EXAMPLE = Path(__file__).parent.parent / "content"

TICKET_DAYS = Metric(
    "ticket_days", "Median ticket days", MetricType.NUMBER, public=True, better=Better.LOWER
)

# Review dates of the grace tables: D3 falls inside the grace of a drop at D2, D4 after it.
D1 = dt.date(2026, 1, 5)
D2 = dt.date(2026, 4, 1)
U2 = dt.date(2026, 6, 30)  # D2 + 90 days
D3 = dt.date(2026, 5, 15)
D4 = dt.date(2026, 7, 1)

Move = tuple[dt.date, str | None, str]


def ladder(
    *caps: Cap, grace_days: int = 90, entry_expiry_days: int = 365, public: bool = True
) -> Program:
    """One figure decides the level: certified engineers 2 Silver, 5 Gold, 10 Platinum.

    In the region `emerging-africa` (KE, NG) Gold needs 3 engineers. `public=False` makes the
    engineer count a private figure.
    """
    base = make_program()
    metrics = dict(base.metrics)
    metrics["ticket_days"] = TICKET_DAYS
    if not public:
        metrics["certified_engineers"] = dataclasses.replace(
            metrics["certified_engineers"], public=False
        )
    targets: tuple[int | None, ...] = (None, 2, 5, 10)
    levels = tuple(
        dataclasses.replace(
            level,
            criteria=() if target is None else (Criterion("certified_engineers", Op.MIN, target),),
        )
        for level, target in zip(base.levels, targets, strict=True)
    )
    return make_program(
        metrics=metrics,
        levels=levels,
        caps=caps,
        review=ReviewRules(grace_days=grace_days, entry_expiry_days=entry_expiry_days),
    )


def row(
    partner: str, date: dt.date, engineers: int | None, country: str = "NL", **figures: Value | None
) -> ReviewRow:
    return make_row(partner, date, country, certified_engineers=engineers, **figures)


def evaluate(program: Program, rows: Sequence[ReviewRow], today: dt.date) -> Evaluation:
    return evaluate_levels(program, sorted({r.partner for r in rows}), rows, today)


def moves(evaluation: Evaluation, partner: str) -> list[Move]:
    return [(c.date, c.previous, c.level) for c in evaluation.changes if c.partner == partner]


def capped(program: Program, *rows: ReviewRow) -> tuple[dict[str, str], dict[str, str]]:
    return apply_caps(program, {r.partner: r for r in rows})


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


# --- Rule 2: caps -------------------------------------------------------------------------------


def nl_cap(level: str, count: int, *rank_by: str) -> Cap:
    return Cap(level, "NL", None, count, None, rank_by)


def region_cap(level: str, share: float, *rank_by: str) -> Cap:
    return Cap(level, None, "emerging-africa", None, share, rank_by)


@pytest.mark.parametrize(
    ("count", "share", "measured", "limit"),
    [
        (2, None, 0, 2),
        (2, None, 10, 2),
        (None, 0.25, 8, 2),
        (None, 0.25, 9, 2),
        (None, 0.25, 7, 1),
        (None, 0.3, 10, 3),
        (None, 0.29, 100, 29),  # 0.29 * 100 is 28.999999999999996 in floating point
        (None, 0.57, 100, 57),
        (None, 1.0, 5, 5),
        (None, 0.25, 3, 1),  # floor(0.75) is 0: a share never shuts a scope out
        (None, 0.25, 1, 1),
        (None, 0.1, 0, 1),
    ],
)
def test_cap_limit(count: int | None, share: float | None, measured: int, limit: int) -> None:
    assert cap_limit(Cap("gold", "NL", None, count, share, ()), measured) == limit


def test_cap_by_count_keeps_the_best_ranked_in_the_country() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"))
    levels, reasons = capped(
        program,
        row("a", D1, 12, csat=4.5),
        row("b", D1, 15, csat=4.8),
        row("c", D1, 10, csat=4.6),
        row("d", D1, 11, "BE", csat=4.0),  # another country: the NL cap does not count it
    )
    assert levels == {"a": "gold", "b": "platinum", "c": "gold", "d": "platinum"}
    text = "meets Platinum criteria; Platinum is capped at 1 in NL"
    assert reasons == {"a": text, "c": text}


def test_cap_by_share_counts_every_partner_measured_in_the_region() -> None:
    program = ladder(region_cap("gold", 0.5, "certified_engineers"))
    levels, reasons = capped(
        program,
        row("k1", D1, 3, "KE"),
        row("k2", D1, 4, "KE"),
        row("k3", D1, 9, "NG"),
        row("k4", D1, 0, "NG"),  # Registered, but measured: 4 partners, 50% is 2
        row("n1", D1, 6, "NL"),  # Gold outside the region
    )
    assert levels == {"k1": "silver", "k2": "gold", "k3": "gold", "k4": "registered", "n1": "gold"}
    assert reasons == {
        "k1": "meets Gold criteria; Gold is capped at 50% (2 of 4 partners) in Emerging markets, "
        "Africa"
    }


def test_cap_by_share_allows_at_least_one() -> None:
    program = ladder(region_cap("gold", 0.3, "certified_engineers"))
    levels, reasons = capped(
        program, row("k1", D1, 3, "KE"), row("k2", D1, 4, "KE"), row("k3", D1, 5, "NG")
    )
    assert levels == {"k1": "silver", "k2": "silver", "k3": "gold"}
    assert reasons["k1"].endswith("capped at 30% (1 of 3 partners) in Emerging markets, Africa")


def test_cap_per_country_applies_to_each_country_separately() -> None:
    program = ladder(Cap("gold", "*", None, 1, None, ("certified_engineers",)))
    levels, reasons = capped(
        program,
        row("a", D1, 6),
        row("b", D1, 7),
        row("c", D1, 5, "BE"),
        row("d", D1, 8, "BE"),
        row("e", D1, 6, "DE"),
        row("f", D1, 4, "KE"),  # Gold by the regional target, alone in KE
    )
    assert levels == {
        "a": "silver",
        "b": "gold",
        "c": "silver",
        "d": "gold",
        "e": "gold",
        "f": "gold",
    }
    assert reasons == {
        "a": "meets Gold criteria; Gold is capped at 1 in NL",
        "c": "meets Gold criteria; Gold is capped at 1 in BE",
    }


def test_cap_ties_go_to_the_lower_partner_id() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"))
    levels, _ = capped(program, row("beta", D1, 12, csat=4.5), row("alpha", D1, 12, csat=4.5))
    assert levels == {"alpha": "platinum", "beta": "gold"}


def test_cap_ranks_lower_is_better_metrics_ascending() -> None:
    program = ladder(nl_cap("platinum", 1, "ticket_days"))
    levels, _ = capped(
        program, row("a", D1, 40, ticket_days=3.0), row("b", D1, 10, ticket_days=1.5)
    )
    assert levels == {"a": "gold", "b": "platinum"}


def test_cap_ranks_by_the_next_metric_on_a_tie() -> None:
    # the example's Zuiderzee: same csat, slower support, more engineers: it loses
    program = ladder(nl_cap("platinum", 1, "csat", "ticket_days", "certified_engineers"))
    levels, _ = capped(
        program,
        row("a-zuiderzee", D1, 37, csat=4.7, ticket_days=2.6),
        row("b-grachten", D1, 35, csat=4.7, ticket_days=2.1),
    )
    assert levels == {"a-zuiderzee": "gold", "b-grachten": "platinum"}


@pytest.mark.parametrize(
    ("metric", "worse"),
    [("csat", 0.0), ("ticket_days", 365.0), ("security_review", False), ("health_check", "failed")],
)
def test_cap_ranks_missing_figures_last(metric: str, worse: Value) -> None:
    program = ladder(nl_cap("platinum", 1, metric))
    levels, _ = capped(
        program, row("a", D1, 12, **{metric: None}), row("b", D1, 12, **{metric: worse})
    )
    assert levels == {"a": "gold", "b": "platinum"}


def test_cap_ranks_choices_by_their_order_and_true_above_false() -> None:
    program = ladder(nl_cap("platinum", 2, "health_check"), nl_cap("gold", 1, "security_review"))
    levels, _ = capped(
        program,
        row("a", D1, 12, health_check="passed", security_review=False),
        row("b", D1, 12, health_check="failed", security_review=True),
        row("c", D1, 12, health_check="excellent", security_review=False),
    )
    # "passed" beats "failed" for Platinum; alone at Gold, b keeps it
    assert levels == {"a": "platinum", "b": "gold", "c": "platinum"}
    gold = [
        row("a", D1, 6, security_review=False),
        row("b", D1, 6, security_review=True),
        row("c", D1, 6, security_review=None),
    ]
    levels, _ = capped(program, *gold)
    assert levels == {"a": "silver", "b": "gold", "c": "silver"}
    levels, _ = capped(ladder(nl_cap("gold", 2, "security_review")), *gold)
    assert levels == {"a": "gold", "b": "gold", "c": "silver"}


def test_a_partner_pushed_out_of_two_capped_levels() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"), nl_cap("gold", 1, "csat"))
    levels, reasons = capped(
        program,
        row("a", D1, 12, csat=4.9),
        row("b", D1, 11, csat=4.8),
        row("c", D1, 10, csat=4.7),
        row("d", D1, 6, csat=4.75),  # earns Gold only; b, pushed down from Platinum, outranks it
    )
    assert levels == {"a": "platinum", "b": "gold", "c": "silver", "d": "silver"}
    assert reasons == {
        "b": "meets Platinum criteria; Platinum is capped at 1 in NL",
        "c": "meets Platinum criteria; Platinum is capped at 1 in NL; "
        "meets Gold criteria; Gold is capped at 1 in NL",
        "d": "meets Gold criteria; Gold is capped at 1 in NL",
    }


def test_an_onboarding_file_competes_with_the_figures_carried_forward() -> None:
    onboarding = dt.date(2026, 10, 20)
    program = ladder(nl_cap("platinum", 1, "csat"))
    rows = [
        row("a", D4, 12, csat=4.6),
        row("b", D4, 12, csat=4.5),
        row("n", onboarding, 12, csat=4.4),  # earns Platinum; alone in its file it would keep it
    ]
    evaluation = evaluate(program, rows, dt.date(2026, 11, 24))
    levels = {p: s.level for p, s in evaluation.standings.items()}
    assert levels == {"a": "platinum", "b": "gold", "n": "gold"}
    new = evaluation.standings["n"]
    assert (new.earned, new.capped, new.member_since) == ("platinum", "gold", onboarding)
    assert new.reason == "meets Platinum criteria; Platinum is capped at 1 in NL"
    assert moves(evaluation, "n") == [(onboarding, None, "gold")]
    # b took part in the onboarding date with its figures of D4, without a row of its own
    assert [(h.date, h.capped, h.reviewed) for h in evaluation.standings["b"].history] == [
        (D4, "gold", True),
        (onboarding, "gold", False),
    ]


def test_an_onboarding_file_counts_the_region_measured_earlier() -> None:
    onboarding = dt.date(2026, 10, 20)
    program = ladder(region_cap("gold", 0.25, "certified_engineers"))
    quarter = [row(f"k{n}", D4, engineers, "KE") for n, engineers in enumerate((9, 8, 2, 1, 0))]
    quarter += [row(f"n{n}", D4, 0, "NG") for n in range(3)]
    late = row("z-new", onboarding, 4, "NG")  # Gold by the regional target, ranked third
    evaluation = evaluate(program, [*quarter, late], dt.date(2026, 11, 24))
    new = evaluation.standings["z-new"]
    assert (new.level, new.earned) == ("silver", "gold")
    assert new.reason == (
        "meets Gold criteria; Gold is capped at 25% (2 of 9 partners) in Emerging markets, Africa"
    )
    assert [p for p, s in evaluation.standings.items() if s.level == "gold"] == ["k0", "k1"]


def test_a_newcomer_who_outranks_a_holder_starts_its_grace() -> None:
    onboarding = dt.date(2026, 10, 20)
    until = onboarding + dt.timedelta(days=90)
    program = ladder(nl_cap("platinum", 1, "csat"))
    rows = [row("a", D4, 12, csat=4.6), row("n", onboarding, 12, csat=4.9)]
    evaluation = evaluate(program, rows, dt.date(2026, 11, 24))
    holder = evaluation.standings["a"]
    assert (holder.level, holder.capped, holder.under_review_until) == ("platinum", "gold", until)
    assert moves(evaluation, "a") == [(D4, None, "platinum")]
    evaluation = evaluate(program, rows, until)
    assert moves(evaluation, "a") == [(D4, None, "platinum"), (until, "platinum", "gold")]
    assert evaluation.standings["a"].reason == (
        "meets Platinum criteria; Platinum is capped at 1 in NL"
    )


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


def test_a_sealed_figure_ranks_as_a_missing_one() -> None:
    """program.yaml refuses a private rank_by; were one given in code, a seal has no rank."""
    program = ladder(Cap("platinum", "NL", None, 1, None, ("certified_engineers",)), public=False)
    rows = [
        make_row("a", D1, certified_engineers=Sealed(10, True)),
        make_row("b", D1, certified_engineers=Sealed(10, True)),
    ]
    level, reasons = capped(program, *rows)
    assert level == {"a": "platinum", "b": "gold"}  # the tie goes to the lower id
    assert set(reasons) == {"b"}


def test_a_private_figure_never_reaches_a_standing() -> None:
    evaluation = evaluate(ladder(public=False), [row("p", D1, 7), row("p", D2, 3)], D3)
    for standing in evaluation.standings.values():
        assert standing.path is not None
        assert all(c.value is None and c.progress in (0, 100) for c in standing.path.criteria)


# --- The example content as an oracle (content/README.md) --------------------------------------


@functools.cache
def example(today: dt.date) -> tuple[Program, Evaluation]:
    checked = check_content(EXAMPLE, today)
    assert checked.errors == 0, [str(p) for p in checked.problems]
    assert checked.directory is not None and checked.evaluation is not None
    return checked.directory.program, checked.evaluation


BUILD = dt.date(2026, 11, 24)
INITIAL = {"registered": "R", "silver": "S", "gold": "G", "platinum": "P"}


def earned_letters(standing: Standing) -> str:
    return "".join(INITIAL[h.earned] for h in standing.history if h.reviewed)


def test_example_lists_the_levels_the_readme_states() -> None:
    _, evaluation = example(BUILD)
    listed = [s for s in evaluation.standings.values() if not s.expired]
    assert len(evaluation.standings) == 50  # 51 partner files; isar-insight has no row yet
    assert "isar-insight" not in evaluation.standings
    assert [s.partner for s in evaluation.standings.values() if s.expired] == ["meseta-datos"]
    assert len(listed) == 49
    assert Counter(s.level for s in listed) == {
        "platinum": 9,
        "gold": 13,
        "silver": 21,
        "registered": 6,
    }


EXAMPLE_TABLE = [
    # partner, earned per review, level, level since, member since, under review until
    ("zuiderzee-systems", "PPPPP", "gold", "2025-10-01", "2025-10-01", None),
    ("polder-data-group", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("grachten-analytics", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("kilima-data-labs", "SSSGG", "silver", "2025-10-01", "2025-10-01", None),
    ("elbufer-datentechnik", "GGGGS", "gold", "2025-10-01", "2025-10-01", "2026-12-30"),
    ("thameside-data", "GGSSS", "silver", "2026-06-30", "2025-10-01", None),
    ("skargard-analys", "PGPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("canal-analytique", "SSSSG", "gold", "2026-10-01", "2025-10-01", None),
    ("altiplano-datos", "SSSSG", "gold", "2026-10-01", "2025-10-01", None),
    ("malabar-analytics", "RRRS", "silver", "2026-10-01", "2026-01-05", None),
    ("lagos-ledger-analytics", "SGGGG", "gold", "2026-01-05", "2025-10-01", None),
    ("kanda-integration", "GGGPP", "platinum", "2026-07-01", "2025-10-01", None),
    ("nordlys-analyse", "RSSS", "silver", "2026-04-01", "2026-01-05", None),
    ("eko-bridge-consulting", "RRSSS", "silver", "2026-04-01", "2025-10-01", None),
    ("albufera-analitica", "RSSSS", "silver", "2026-01-05", "2025-10-01", None),
    ("meseta-datos", "RRRRR", "registered", "2025-10-01", "2025-10-01", None),
    ("tulpveld-it", "RRRR", "registered", "2026-01-05", "2026-01-05", None),
    ("navigli-data-studio", "S", "silver", "2026-10-20", "2026-10-20", None),
    ("prairie-signal", "R", "registered", "2026-10-20", "2026-10-20", None),
    ("atlantica-plataforma", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("fjordline-data", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("oresund-data", "GGGGG", "gold", "2025-10-01", "2025-10-01", None),
]


@pytest.mark.parametrize(
    ("partner", "letters", "level", "since", "member", "until"),
    EXAMPLE_TABLE,
    ids=[case[0] for case in EXAMPLE_TABLE],
)
def test_example_partner(
    partner: str, letters: str, level: str, since: str, member: str, until: str | None
) -> None:
    standing = example(BUILD)[1].standings[partner]
    assert earned_letters(standing) == letters
    assert standing.level == level
    assert standing.level_since == dt.date.fromisoformat(since)
    assert standing.member_since == dt.date.fromisoformat(member)
    assert standing.under_review_until == (dt.date.fromisoformat(until) if until else None)


def test_example_level_changes_are_the_readme_ones() -> None:
    _, evaluation = example(BUILD)
    shifts = [(str(c.date), c.partner, c.previous, c.level) for c in evaluation.changes]
    assert [shift for shift in shifts if shift[2]] == [
        ("2026-01-05", "albufera-analitica", "registered", "silver"),
        ("2026-01-05", "lagos-ledger-analytics", "silver", "gold"),
        ("2026-04-01", "eko-bridge-consulting", "registered", "silver"),
        ("2026-04-01", "nordlys-analyse", "registered", "silver"),
        ("2026-06-30", "thameside-data", "gold", "silver"),
        ("2026-07-01", "kanda-integration", "gold", "platinum"),
        ("2026-10-01", "altiplano-datos", "silver", "gold"),
        ("2026-10-01", "canal-analytique", "silver", "gold"),
        ("2026-10-01", "malabar-analytics", "registered", "silver"),
    ]


def test_example_caps_bite_with_the_readme_reasons() -> None:
    _, evaluation = example(BUILD)
    zuiderzee = evaluation.standings["zuiderzee-systems"]
    grachten = evaluation.standings["grachten-analytics"]
    assert (zuiderzee.earned, zuiderzee.capped) == ("platinum", "gold")
    assert zuiderzee.reason == "meets Platinum criteria; Platinum is capped at 2 in NL"
    # the README's tie: same csat, Grachten answers faster although Zuiderzee has more engineers
    z, g = zuiderzee.latest.figures, grachten.latest.figures
    assert z["csat"] == g["csat"] == 4.7
    assert (z["median_ticket_days"], g["median_ticket_days"]) == (2.6, 2.1)
    assert z["certified_engineers"] > g["certified_engineers"]
    kilima = evaluation.standings["kilima-data-labs"]
    assert (kilima.earned, kilima.capped) == ("gold", "silver")
    assert kilima.reason == (
        "meets Gold criteria; Gold is capped at 25% (2 of 8 partners) in Emerging markets, Africa"
    )
    earners = sorted(
        (s.latest.figures["customer_deployments"], p)
        for p, s in evaluation.standings.items()
        if s.earned == "gold" and s.country in ("ET", "GH", "KE", "NG", "RW", "SN", "TZ", "UG")
    )
    assert [p for _, p in earners] == [
        "kilima-data-labs",
        "lagos-ledger-analytics",
        "savanna-cloud-works",
    ]


def test_example_grace_cancelled_by_recovery() -> None:
    skargard = example(BUILD)[1].standings["skargard-analys"]
    steps = [(str(h.date), h.capped, h.level, h.under_review_until) for h in skargard.history]
    assert steps[:3] == [
        ("2025-10-01", "platinum", "platinum", None),
        ("2026-01-05", "gold", "platinum", dt.date(2026, 4, 5)),
        ("2026-04-01", "platinum", "platinum", None),
    ]


@pytest.mark.parametrize(
    ("today", "level", "until", "since"),
    [
        (dt.date(2026, 12, 29), "gold", dt.date(2026, 12, 30), dt.date(2025, 10, 1)),
        (dt.date(2026, 12, 30), "silver", None, dt.date(2026, 12, 30)),
    ],
)
def test_example_grace_runs_out_on_the_build_date_alone(
    today: dt.date, level: str, until: dt.date | None, since: dt.date
) -> None:
    evaluation = example(today)[1]
    elbufer = evaluation.standings["elbufer-datentechnik"]
    assert (elbufer.level, elbufer.under_review_until, elbufer.level_since) == (level, until, since)
    demoted = [(c.date, c.previous, c.level) for c in evaluation.changes if c.date > BUILD]
    assert demoted == ([] if until else [(since, "gold", "silver")])


@pytest.mark.parametrize(
    ("partner", "today", "expired"),
    [
        ("meseta-datos", dt.date(2026, 9, 30), False),
        ("meseta-datos", dt.date(2026, 10, 1), True),
        ("tulpveld-it", dt.date(2027, 1, 4), False),
        ("tulpveld-it", dt.date(2027, 1, 5), True),
    ],
)
def test_example_entry_expiry(partner: str, today: dt.date, expired: bool) -> None:
    assert example(today)[1].standings[partner].expired is expired


@pytest.mark.parametrize(
    ("partner", "level", "in_germany"),
    [
        ("savanna-cloud-works", "gold", "silver"),
        ("lagos-ledger-analytics", "gold", "silver"),
        ("cerrado-analytics", "gold", "silver"),
        ("altiplano-datos", "gold", "silver"),
        ("atlantica-plataforma", "platinum", "gold"),
        ("rift-valley-digital", "silver", "registered"),
        ("thousand-hills-data", "silver", "registered"),
        ("volta-analytics", "silver", "registered"),
        ("harmattan-systems", "silver", "registered"),
        ("eko-bridge-consulting", "silver", "registered"),
        ("paulista-dados", "silver", "registered"),
        ("fjordline-data", "platinum", "gold"),
        ("oresund-data", "gold", "silver"),
    ],
)
def test_example_regional_targets(partner: str, level: str, in_germany: str) -> None:
    program, evaluation = example(BUILD)
    standing = evaluation.standings[partner]
    assert standing.level == level
    moved = dataclasses.replace(standing.latest, country="DE")
    assert earned_level(program, moved) == in_germany


def test_example_private_revenue_never_reaches_a_path() -> None:
    _, evaluation = example(BUILD)
    paths = [s.path for s in evaluation.standings.values() if s.path is not None]
    revenue = [c for path in paths for c in path.criteria if c.metric == "annual_revenue"]
    assert len(revenue) == len(paths)  # every level above Registered has a revenue target
    assert all(c.value is None and not c.public for c in revenue)
    assert all(c.progress == (100 if c.met else 0) for c in revenue)


# --- Properties over random programmes and reviews ---------------------------------------------

PROPERTY = settings(max_examples=60, deadline=None, database=None)
#: KE and NG form a region when the programme has one; NL often, so that caps there bite.
COUNTRIES = ("NL", "NL", "NL", "KE", "NG", "BE")
#: Some 30 or 90 days apart, so that a review can fall on the day a grace ends.
REVIEW_DATES = tuple(
    dt.date.fromisoformat(d)
    for d in ("2026-01-05", "2026-02-04", "2026-04-01", "2026-04-05", "2026-06-30", "2026-10-01")
)
GRACES = (0, 30, 90, 180)
#: Every figure a random row may hold, present; rows leave some of them out at random.
VALUES: dict[str, st.SearchStrategy[Value]] = {
    "certified_engineers": st.integers(0, 14),
    "csat": st.sampled_from([3.0, 3.5, 4.0, 4.2, 4.5, 4.9]),
    "ticket_days": st.sampled_from([1.0, 2.0, 3.5, 6.0, 9.0]),
    "security_review": st.booleans(),
    "health_check": st.sampled_from(["failed", "passed", "excellent"]),
}

Case = tuple[Program, list[ReviewRow], dt.date]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """Two to four levels whose criteria point the way each metric's `better` does; no caps.

    Equals is used as programmes use it: true for a boolean, the best choice for a choice
    (an equals on a middle choice would make a better figure lose a level by design).
    """
    base = ladder()
    levels = [base.levels[0]]
    for level in base.levels[1 : draw(st.integers(2, 4))]:
        options = [
            Criterion("certified_engineers", Op.MIN, draw(st.integers(0, 10))),
            Criterion("csat", Op.MIN, draw(st.sampled_from([3.0, 3.5, 4.0, 4.5]))),
            Criterion("ticket_days", Op.MAX, draw(st.sampled_from([2.0, 3.5, 6.0, 9.0]))),
            Criterion("security_review", Op.EQUALS, True),
            Criterion("health_check", Op.EQUALS, "excellent"),
        ]
        chosen = draw(st.sets(st.integers(0, len(options) - 1), min_size=1, max_size=2))
        criteria = tuple(c for n, c in enumerate(options) if n in chosen)
        levels.append(dataclasses.replace(level, criteria=criteria))
    regions: tuple[Region, ...] = ()
    if draw(st.booleans()):
        adjusted = draw(st.sampled_from(levels[1:]))
        target = Criterion("certified_engineers", Op.MIN, draw(st.integers(0, 12)))
        regions = (Region("south", "South", ("KE", "NG"), {adjusted.id: (target,)}),)
    review = ReviewRules(draw(st.sampled_from(GRACES)), draw(st.sampled_from([60, 365])))
    return make_program(metrics=base.metrics, levels=tuple(levels), regions=regions, review=review)


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Value | None]:
    """A row's figures, at most two of them missing (more would leave most partners at the
    lowest level)."""
    missing = draw(st.sets(st.sampled_from(sorted(VALUES)), max_size=2))
    return {m: None if m in missing else draw(values) for m, values in VALUES.items()}


@st.composite
def reviews(draw: st.DrawFn) -> list[ReviewRow]:
    """Four to twelve partners, each in one country, with rows on some of the review dates.

    Partners take their figures from one of a few profiles, so several earn the same level
    and caps bite (ties too). At each review a partner may switch profile (a level change)
    and has one figure redrawn, so drops, graces and recoveries happen.
    """
    profiles = draw(st.lists(figures(), min_size=1, max_size=3))
    rows = []
    for n in range(draw(st.sampled_from(range(4, 13)))):  # not skewed to few, as integers()
        country = draw(st.sampled_from(COUNTRIES))
        dates = [d for d in REVIEW_DATES if draw(st.booleans())]  # half of them, on average
        dates = dates or [draw(st.sampled_from(REVIEW_DATES))]
        current = draw(st.sampled_from(profiles))
        for date in dates:
            if draw(st.booleans()):
                current = draw(st.sampled_from(profiles))
            metric = draw(st.sampled_from(sorted(VALUES)))
            current = {**current, metric: draw(st.none() | VALUES[metric])}
            rows.append(make_row(f"p{n}", date, country, **current))
    return rows


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A programme with one to three caps on levels its rows earn (so they bite), the rows,
    and a build date."""
    program = draw(programs())
    rows = draw(reviews())
    earned = {earned_level(program, r) for r in rows} - {program.levels[0].id}
    levels = sorted(earned) or [level.id for level in program.levels[1:]]
    places = [("NL", None), ("NL", None), ("*", None), ("BE", None), ("KE", None)]
    places += [(None, "south")] if program.regions else []
    caps = []
    for _ in range(draw(st.integers(1, 3))):
        country, region = draw(st.sampled_from(places))
        count = draw(st.none() | st.integers(1, 2))
        share = draw(st.sampled_from([0.1, 0.25, 0.3, 0.5, 1.0])) if count is None else None
        rank_by = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=2))
        level = draw(st.sampled_from(levels))
        caps.append(Cap(level, country, region, count, share, tuple(rank_by)))
    today = draw(build_dates(program.review.grace_days))
    return dataclasses.replace(program, caps=tuple(caps)), rows, today


def build_dates(grace_days: int) -> st.SearchStrategy[dt.date]:
    """Any day, or the day a grace started at a review date ends, or the day before."""
    grace = dt.timedelta(days=grace_days)
    ends = [date + grace - dt.timedelta(days=d) for date in REVIEW_DATES for d in (0, 1)]
    return st.dates(dt.date(2026, 3, 1), dt.date(2026, 12, 31)) | st.sampled_from(ends)


@st.composite
def timelines(draw: st.DrawFn) -> Case:
    """One to three partners on the engineers ladder, jumping between levels at every review:
    drops, graces, recoveries and promotions in a few rows."""
    program = ladder(nl_cap("gold", 1, "csat"), grace_days=draw(st.sampled_from(GRACES)))
    rows = [
        row(f"p{n}", date, draw(st.sampled_from([0, 3, 6, 12])), csat=draw(st.sampled_from([4, 5])))
        for n in range(draw(st.integers(1, 3)))
        for date in REVIEW_DATES
        if draw(st.booleans())
    ]
    return program, rows, draw(build_dates(program.review.grace_days))


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
    for partner, standing in evaluation.standings.items():
        history = standing.history
        expected = set()
        for before, step in zip((None, *history), history, strict=False):
            until = step.under_review_until
            if until is None:
                assert step.level == step.capped
                if grace.days == 0 and before is not None and step.level != before.level:
                    if rank(step.level) < rank(before.level):
                        expected.add((step.date, before.level, step.level))
                continue
            assert rank(step.level) > rank(step.capped)
            assert step.date < until <= step.date + grace
            if before is None or before.under_review_until != until:
                assert step.date == until - grace  # the first review below starts the grace
            window = [h for h in history if step.date <= h.date <= until]
            if until <= today and all(rank(h.capped) < rank(step.level) for h in window):
                expected.add((until, step.level, window[-1].capped))
        drops = {
            (c.date, c.previous, c.level)
            for c in evaluation.changes
            if c.partner == partner and c.previous and rank(c.level) < rank(c.previous)
        }
        assert drops == expected


@PROPERTY
@given(cases())
def test_every_cap_holds_at_every_review_date(case: Case) -> None:
    program, rows, today = case
    evaluation = evaluate(program, rows, today)
    kept = sorted((r for r in rows if r.date <= today), key=lambda r: r.date)
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
