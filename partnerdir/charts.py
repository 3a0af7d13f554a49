"""Geometry of the small SVG charts: templates draw these numbers, they compute nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Bar charts: each row is a label line with its bar below (narrow enough to stay readable on
#: a phone), and room after the longest bar for the row's total.
BAR_AREA_WIDTH = 280
BAR_TOTAL_WIDTH = 40
BAR_LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 12
#: White space between the segments of a bar, and the narrowest a segment is drawn, so that
#: neighbouring levels stay apart and a level of one partner beside hundreds still shows.
SEGMENT_GAP = 2
MIN_SEGMENT = 3
#: Longer labels are cut with an ellipsis inside the SVG (the table beside it has them whole).
MAX_LABEL_CHARS = 44

LINE_WIDTH = 240
LINE_HEIGHT = 72
LINE_PAD_X = 6
LINE_PAD_Y = 8


@dataclass(frozen=True, slots=True)
class Series:
    """One colour of a stacked bar chart: a level."""

    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    colour: str
    #: "Gold: 3", shown as the segment's tooltip.
    title: str


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    #: Baseline of the label line above the bar.
    label_y: float
    #: Top of the bar.
    y: float
    #: Baseline of the total after the bar.
    total_y: float
    total: int
    total_x: float
    segments: tuple[Segment, ...]

    @property
    def total_text(self) -> str:
        """The total as the page shows it: "1,188"."""
        return f"{self.total:,}"


@dataclass(frozen=True, slots=True)
class BarChart:
    #: The accessible name of the SVG ("Partners by level and home country").
    title: str
    width: int
    height: int
    bar_height: int
    rows: tuple[BarRow, ...]
    legend: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    #: "1 Oct 2026: 8", the point's tooltip.
    title: str


@dataclass(frozen=True, slots=True)
class LineChart:
    title: str
    #: Every point in words, for the chart's accessible description: "Jul 2026: 6; Oct 2026: 8".
    description: str
    width: int
    height: int
    #: The polyline's points attribute: "x,y x,y ...".
    points: str
    dots: tuple[Dot, ...]
    #: The scale's bottom and top, the latest value; the first and last date.
    low: str
    high: str
    latest: str
    first: str
    last: str
    #: Where the scale's top and bottom lines are drawn.
    top: float = LINE_PAD_Y
    bottom: float = LINE_HEIGHT - LINE_PAD_Y
    #: The target's line (None without a target) and its words: "Target: at least 10 for Gold".
    target_y: float | None = None
    target: str = ""
    #: "lower is better" for a figure that improves as it falls; "" otherwise.
    better: str = ""


def stacked_bar_chart(
    title: str, rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series]
) -> BarChart:
    """Horizontal stacked bars: one row per label, one segment per series, scaled to the max,
    with a gap between segments (the scale leaves room for the gaps and the narrowest
    segments)."""
    largest = max((sum(values) for _, values in rows), default=0) or 1
    room = BAR_AREA_WIDTH - max(0, len(series) - 1) * (SEGMENT_GAP + MIN_SEGMENT)
    scale = room / largest
    bar_rows: list[BarRow] = []
    row_height = BAR_LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    for index, (label, values) in enumerate(rows):
        top = index * row_height
        y = top + BAR_LABEL_HEIGHT
        x = 0.0
        segments: list[Segment] = []
        for one, value in zip(series, values, strict=True):
            if value <= 0:
                continue
            if segments:
                x += SEGMENT_GAP
            width = max(MIN_SEGMENT, value * scale)
            segments.append(
                Segment(_round(x), _round(width), one.colour, f"{label}, {one.label}: {value:,}")
            )
            x += width
        bar_rows.append(
            BarRow(
                label=_shorten(label),
                label_y=top + BAR_LABEL_HEIGHT - 5,
                y=y,
                total_y=_round(y + BAR_HEIGHT * 0.8),
                total=sum(values),
                total_x=_round(x + 6),
                segments=tuple(segments),
            )
        )
    return BarChart(
        title=title,
        width=BAR_AREA_WIDTH + BAR_TOTAL_WIDTH,
        height=max(1, len(rows) * row_height - BAR_GAP),
        bar_height=BAR_HEIGHT,
        rows=tuple(bar_rows),
        legend=tuple(series),
    )


@dataclass(frozen=True, slots=True)
class Target:
    """A criterion's target drawn across a line chart, with its words: "Target: at least 10
    for Gold"."""

    value: float
    text: str


def line_chart(
    title: str,
    points: Sequence[tuple[str, float | None]],
    format_value: Callable[[float], str],
    *,
    floor: float | None = None,
    target: Target | None = None,
    better: str = "",
) -> LineChart | None:
    """A small line over review dates, on a scale that shows how big a change is; None when
    fewer than two dates carry a value.

    The scale runs from `floor` (the metric's minimum, usually 0, when no value is below it)
    to the highest value or target, so 42 -> 46 looks as small as it is beside 265 -> 309;
    the target is a line across the chart. `better` says which way is good when it is not up
    ("lower is better").
    """
    known = [(label, value) for label, value in points if value is not None]
    if len(known) < 2:
        return None
    values = [value for _, value in known]
    marks = [*values, *([target.value] if target else [])]
    low = min(marks)
    if floor is not None and floor <= low:
        low = floor
    high = max(marks)
    span = (high - low) or 1.0
    step = (LINE_WIDTH - 2 * LINE_PAD_X) / (len(known) - 1)
    inner_height = LINE_HEIGHT - 2 * LINE_PAD_Y

    def y_of(value: float) -> float:
        # a flat series sits in the middle rather than on the floor
        share = (value - low) / span if high > low else 0.5
        return _round(LINE_PAD_Y + inner_height * (1 - share))

    dots = tuple(
        Dot(_round(LINE_PAD_X + index * step), y_of(value), f"{label}: {format_value(value)}")
        for index, (label, value) in enumerate(known)
    )
    words = "; ".join(dot.title for dot in dots)
    if target is not None:
        words += f"; {target.text}"
    if better:
        words += f" ({better})"
    return LineChart(
        title=title,
        description=words,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        points=" ".join(f"{dot.x:g},{dot.y:g}" for dot in dots),
        dots=dots,
        # a flat series has one value on its scale, on the one line through the middle
        low=format_value(low) if high > low else "",
        high=format_value(high),
        latest=format_value(values[-1]),
        first=known[0][0],
        last=known[-1][0],
        top=y_of(high),
        bottom=y_of(low),
        target_y=y_of(target.value) if target else None,
        target=target.text if target else "",
        better=better,
    )


def _round(number: float) -> float:
    # one decimal is finer than a pixel and keeps the SVG text short and identical across runs
    return round(number, 1)


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
