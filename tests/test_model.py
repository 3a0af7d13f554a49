"""The domain rules the model defines once: which partners are listed, the kind of a level
change, and the order of a metric's values."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import Q4, make_program, make_row, make_standing, sample_site

from partnerdir.model import (
    Better,
    ChangeKind,
    Evaluation,
    LevelChange,
    Listing,
    Metric,
    MetricType,
    Value,
)

# --- Listed: reviewed, and not expired (DESIGN rule 4) --------------------------------------


@pytest.mark.parametrize(
    ("partner", "expected"),
    [
        ("acme-digital", Listing.LISTED),
        ("dropping-ltd", Listing.LISTED),  # under review is still listed
        ("kenya-ops", Listing.LISTED),  # at the lowest level, not yet expired
        ("old-registered", Listing.EXPIRED),
        ("no-such-partner", Listing.NOT_REVIEWED),  # no review row: no standing
    ],
)
def test_listing(partner: str, expected: Listing) -> None:
    _, evaluation, _ = sample_site()
    assert evaluation.listing(partner) is expected


def test_a_standing_that_expired_is_not_listed() -> None:
    row = make_row("acme", Q4)
    standings = {"acme": make_standing(row, "registered", expired=True)}
    assert Evaluation(Q4, standings, ()).listing("acme") is Listing.EXPIRED
    standings = {"acme": make_standing(row, "registered", expired=False)}
    assert Evaluation(Q4, standings, ()).listing("acme") is Listing.LISTED


# --- The kind of a level change -------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "promotion"),
    [
        ("registered", "silver", True),
        ("silver", "platinum", True),
        ("gold", "silver", False),
        ("platinum", "registered", False),
        ("gold", "gold", False),
    ],
)
def test_is_promotion(before: str, after: str, promotion: bool) -> None:
    assert make_program().is_promotion(before, after) is promotion


@pytest.mark.parametrize(
    ("previous", "level", "kind"),
    [
        (None, "silver", ChangeKind.JOINED),
        (None, "registered", ChangeKind.JOINED),
        ("silver", "gold", ChangeKind.PROMOTION),
        ("gold", "silver", ChangeKind.DEMOTION),
        ("platinum", "registered", ChangeKind.DEMOTION),
    ],
)
def test_change_kind(previous: str | None, level: str, kind: ChangeKind) -> None:
    change = LevelChange("acme", dt.date(2026, 10, 1), previous, level, "")
    assert change.kind(make_program()) is kind


# --- The order of a metric's values: best first, missing last --------------------------------


def _ordered(metric: Metric, values: list[Value | None]) -> list[Value | None]:
    return sorted(values, key=metric.sort_key)


@pytest.mark.parametrize(
    ("metric", "values", "expected"),
    [
        (
            Metric("n", "N", MetricType.INTEGER, public=True),
            [3, None, 10, 0],
            [10, 3, 0, None],
        ),
        (
            Metric("d", "D", MetricType.NUMBER, public=True, better=Better.LOWER),
            [3.5, None, 1.0, 12.0],
            [1.0, 3.5, 12.0, None],
        ),
        (
            Metric("m", "M", MetricType.MONEY, public=True),
            [None, 99.5, 1200.0],
            [1200.0, 99.5, None],
        ),
        (
            Metric("c", "C", MetricType.CHOICE, public=True, choices=("failed", "passed", "top")),
            ["passed", None, "top", "failed"],
            ["top", "passed", "failed", None],
        ),
        (
            # choices run worst first whatever `better` says: a choice's best is its last
            Metric(
                "c",
                "C",
                MetricType.CHOICE,
                public=True,
                better=Better.LOWER,
                choices=("failed", "passed", "top"),
            ),
            ["passed", "failed", "top"],
            ["top", "passed", "failed"],
        ),
        (
            Metric("b", "B", MetricType.BOOLEAN, public=True),
            [False, None, True],
            [True, False, None],
        ),
    ],
)
def test_sort_key_orders_best_first_and_missing_last(
    metric: Metric, values: list[Value | None], expected: list[Value | None]
) -> None:
    assert _ordered(metric, values) == expected


def test_sort_key_puts_an_unknown_choice_after_every_known_one() -> None:
    metric = Metric("c", "C", MetricType.CHOICE, public=True, choices=("failed", "passed"))
    assert _ordered(metric, ["gone", "failed", None]) == ["failed", "gone", None]
