"""The engineers ladder: a programme whose level one figure decides, and the helpers that the
level tests (tests/test_levels*.py) and their strategies read it with."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from factories import make_program, make_row

from partnerdir.levels import apply_caps, evaluate_levels
from partnerdir.model import (
    Better,
    Cap,
    Criterion,
    Evaluation,
    Metric,
    MetricType,
    Op,
    Program,
    ReviewRow,
    ReviewRules,
    Value,
)

TICKET_DAYS = Metric(
    "ticket_days", "Median ticket days", MetricType.NUMBER, public=True, better=Better.LOWER
)

# Review dates of the grace tables: D3 falls inside the grace of a drop at D2, D4 after it.
D1 = dt.date(2026, 1, 5)
D2 = dt.date(2026, 4, 1)
U2 = dt.date(2026, 6, 30)  # D2 + 90 days
D3 = dt.date(2026, 5, 15)
D4 = dt.date(2026, 7, 1)

#: A level change as (date, previous level, level).
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


def nl_cap(level: str, count: int, *rank_by: str) -> Cap:
    return Cap(level, "NL", None, count, None, rank_by)


def region_cap(level: str, share: float, *rank_by: str) -> Cap:
    return Cap(level, None, "emerging-africa", None, share, rank_by)


def evaluate(program: Program, rows: Sequence[ReviewRow], today: dt.date) -> Evaluation:
    """The levels of every partner with a row, on `today`."""
    return evaluate_levels(program, sorted({r.partner for r in rows}), rows, today)


def moves(evaluation: Evaluation, partner: str) -> list[Move]:
    return [(c.date, c.previous, c.level) for c in evaluation.changes if c.partner == partner]


def capped(program: Program, *rows: ReviewRow) -> tuple[dict[str, str], dict[str, str]]:
    """(level, reason) by partner after the caps, of one row each."""
    return apply_caps(program, {r.partner: r for r in rows})


def fr_gold_cap_program() -> Program:
    """The engineers ladder with Gold capped at 1 in France, ranked by customer satisfaction
    (issue 13, item 4)."""
    return ladder(Cap("gold", "FR", None, 1, None, ("csat",)))
