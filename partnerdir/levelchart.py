"""Geometry of the small level-over-time chart on a profile: one row per level, a bar for each
stretch of time a level was held; templates draw these numbers, they compute nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Level names in a column on the left, the time axis to their right.
LABEL_WIDTH = 84
PLOT_WIDTH = 236
ROW_HEIGHT = 22
BAR_HEIGHT = 10
AXIS_HEIGHT = 4


@dataclass(frozen=True, slots=True)
class LevelRow:
    """A level's row: its name at the left, at baseline `y`."""

    name: str
    y: float


@dataclass(frozen=True, slots=True)
class LevelSpan:
    """A stretch of time at one level: a bar in the level's row."""

    x: float
    y: float
    width: float
    colour: str
    #: "Gold from 1 Oct 2025 to 30 Jun 2026", the bar's tooltip.
    title: str


@dataclass(frozen=True, slots=True)
class LevelChart:
    #: The accessible name and description: every stretch in words.
    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[LevelRow, ...]
    spans: tuple[LevelSpan, ...]
    #: The step line joining the bars: the polyline's points, "x,y x,y ...".
    points: str
    #: The first date and the last (the build date), under the axis.
    first: str
    last: str


def level_chart(
    title: str,
    levels: Sequence[tuple[str, str]],
    stretches: Sequence[tuple[dt.date, int]],
    end: dt.date,
    date_label: Callable[[dt.date], str],
) -> LevelChart | None:
    """The chart of `stretches` (the day a level began, the level's index in `levels`, lowest
    first, each given as (name, colour)) up to `end`; None when there is nothing to draw."""
    if not stretches or end < stretches[0][0]:
        return None
    start = stretches[0][0]
    days = max(1, (end - start).days)
    scale = PLOT_WIDTH / days
    top = len(levels) - 1

    def x_of(date: dt.date) -> float:
        return _round(LABEL_WIDTH + (date - start).days * scale)

    def y_of(rank: int) -> float:
        return float((top - rank) * ROW_HEIGHT + ROW_HEIGHT / 2)

    spans: list[LevelSpan] = []
    points: list[str] = []
    words: list[str] = []
    for index, (begins, rank) in enumerate(stretches):
        ends = stretches[index + 1][0] if index + 1 < len(stretches) else end
        name, colour = levels[rank]
        x, x_end = x_of(begins), x_of(ends)
        y = y_of(rank)
        until = f" to {date_label(ends)}" if index + 1 < len(stretches) else ""
        words.append(f"{name} from {date_label(begins)}{until}")
        # a stretch shorter than a pixel still shows as a mark
        spans.append(
            LevelSpan(x, _round(y - BAR_HEIGHT / 2), max(2.0, _round(x_end - x)), colour, words[-1])
        )
        points += [f"{x:g},{y:g}", f"{x_end:g},{y:g}"]
    rows = tuple(LevelRow(name, y_of(rank) + 4) for rank, (name, _) in enumerate(levels))
    return LevelChart(
        title=title,
        description="; ".join(words) + ".",
        width=LABEL_WIDTH + PLOT_WIDTH,
        height=len(levels) * ROW_HEIGHT + AXIS_HEIGHT,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        rows=tuple(reversed(rows)),
        spans=tuple(spans),
        points=" ".join(points),
        first=date_label(start),
        last=date_label(end),
    )


def _round(number: float) -> float:
    # one decimal is finer than a pixel and keeps the SVG text short and identical across runs
    return round(number, 1)
