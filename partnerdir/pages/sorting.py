"""What the search sorts partners by, and every partner's place in each order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Metric, MetricType, Partner, Program, Standing

#: Metric types a customer can sort partners by (an order exists between their values).
SORTABLE = (MetricType.INTEGER, MetricType.NUMBER, MetricType.MONEY, MetricType.CHOICE)


def sortable_metrics(program: Program) -> list[Metric]:
    """The public metrics the search can sort partners by, in declaration order."""
    return [m for m in program.metrics.values() if m.public and m.type in SORTABLE]


#: How many public figures a card shows.
CARD_FIGURES = 2


def card_metrics(program: Program) -> list[Metric]:
    """The public figures a card shows: counts first (certified engineers, deployments: the
    figures a customer compares partners by at a glance), then other numbers, in declaration
    order; choices and yes/no figures stay on the profile."""
    numeric = [m for m in sortable_metrics(program) if m.type is not MetricType.CHOICE]
    numeric.sort(key=lambda m: m.type is not MetricType.INTEGER)
    return numeric[:CARD_FIGURES]


def sort_positions(
    program: Program, listed: Sequence[tuple[Partner, Standing]]
) -> dict[str, dict[str, int]]:
    """Sort key -> partner id -> position: Pagefind sorts the zero-padded positions as text.

    Every listed partner gets every key (Pagefind drops pages without the sort key), missing
    figures sort last, and ties fall back to level then name, so every order is total.
    """
    level_position = {partner.id: n for n, (partner, _) in enumerate(listed)}
    positions: dict[str, dict[str, int]] = {
        "level": level_position,
        "name": _positions(sorted(listed, key=lambda ps: (ps[0].name.casefold(), ps[0].id))),
    }
    for metric in sortable_metrics(program):

        def key(ps: tuple[Partner, Standing], metric: Metric = metric) -> tuple[bool, float, int]:
            figure = metric.sort_key(ps[1].latest.published(metric))
            return (*figure, level_position[ps[0].id])

        positions[f"fig_{metric.id}"] = _positions(sorted(listed, key=key))
    return positions


def _positions(ordered: Iterable[tuple[Partner, Standing]]) -> dict[str, int]:
    return {partner.id: n for n, (partner, _) in enumerate(ordered)}
