"""Chart geometry: bars scale to the largest row, lines need two points."""

from __future__ import annotations

import pytest

from partnerdir.charts import (
    BAR_AREA_WIDTH,
    LINE_HEIGHT,
    MIN_SEGMENT,
    SEGMENT_GAP,
    Series,
    Target,
    line_chart,
    stacked_bar_chart,
)

SERIES = (Series("Gold", "#c9a227"), Series("Silver", "#8a959e"))


def test_bars_scale_to_the_largest_row_with_gaps_between_segments() -> None:
    chart = stacked_bar_chart("t", [("NL", [2, 2]), ("BE", [0, 1])], SERIES)
    nl, be = chart.rows
    room = BAR_AREA_WIDTH - SEGMENT_GAP - MIN_SEGMENT  # one gap and one narrowest segment
    assert [s.width for s in nl.segments] == [room / 2, room / 2]
    assert nl.segments[0].x == 0
    assert nl.segments[1].x == room / 2 + SEGMENT_GAP
    # a zero segment is not drawn; the next one starts where the bar starts
    assert [(s.x, s.width, s.colour) for s in be.segments] == [(0, round(room / 4, 1), "#8a959e")]
    assert (nl.total, be.total) == (4, 1)
    assert be.segments[0].title == "BE, Silver: 1"
    assert nl.label_y < nl.y < be.label_y < be.y  # each label sits above its bar
    assert chart.height >= be.y + chart.bar_height


def test_a_small_segment_still_shows_and_totals_have_separators() -> None:
    chart = stacked_bar_chart("t", [("US", [1, 1200])], SERIES)
    (us,) = chart.rows
    assert us.segments[0].width == MIN_SEGMENT
    assert us.segments[1].x == MIN_SEGMENT + SEGMENT_GAP
    assert (us.total_text, us.segments[1].title) == ("1,201", "US, Silver: 1,200")


def test_empty_chart_has_no_rows() -> None:
    chart = stacked_bar_chart("t", [], SERIES)
    assert chart.rows == ()


@pytest.mark.parametrize(
    ("label", "shown"),
    [("Kenya", "Kenya"), ("A" * 50, "A" * 43 + "…")],
)
def test_long_labels_are_cut(label: str, shown: str) -> None:
    assert stacked_bar_chart("t", [(label, [1, 0])], SERIES).rows[0].label == shown


@pytest.mark.parametrize(
    "points",
    [[], [("Jul", 1.0)], [("Jul", None), ("Oct", 2.0)], [("Jul", None), ("Oct", None)]],
)
def test_line_needs_two_values(points: list[tuple[str, float | None]]) -> None:
    assert line_chart("t", points, str) is None


def test_line_runs_from_low_to_high() -> None:
    chart = line_chart("Engineers", [("Jul", 6.0), ("Aug", None), ("Oct", 8.0)], lambda v: f"{v:g}")
    assert chart is not None
    low, high = chart.dots
    assert low.x < high.x and low.y > high.y  # SVG y grows downwards
    assert (chart.low, chart.high, chart.latest, chart.first, chart.last) == (
        "6",
        "8",
        "8",
        "Jul",
        "Oct",
    )
    assert chart.description == "Jul: 6; Oct: 8"


def test_flat_line_sits_in_the_middle_with_one_value_on_its_scale() -> None:
    chart = line_chart("t", [("a", 3.0), ("b", 3.0)], str)
    assert chart is not None
    assert {dot.y for dot in chart.dots} == {LINE_HEIGHT / 2}
    assert (chart.high, chart.low, chart.top, chart.bottom) == ("3.0", "", 36, 36)


def test_the_scale_starts_at_the_floor_so_a_small_rise_looks_small() -> None:
    small = line_chart("a", [("Jul", 42.0), ("Oct", 46.0)], lambda v: f"{v:g}", floor=0)
    large = line_chart("b", [("Jul", 265.0), ("Oct", 309.0)], lambda v: f"{v:g}", floor=0)
    assert small is not None and large is not None
    assert (small.low, small.high, large.low, large.high) == ("0", "46", "0", "309")
    rise = [chart.dots[0].y - chart.dots[1].y for chart in (small, large)]
    assert rise[0] < rise[1]  # 4 of 46 is a smaller step than 44 of 309


def test_a_floor_above_a_value_is_not_used() -> None:
    chart = line_chart("t", [("a", -2.0), ("b", 3.0)], lambda v: f"{v:g}", floor=0)
    assert chart is not None and chart.low == "-2"


def test_the_target_is_a_line_within_the_scale_and_in_the_words() -> None:
    target = Target(10.0, "Target for Gold: at least 10")
    chart = line_chart(
        "E", [("Jul", 6.0), ("Oct", 8.0)], lambda v: f"{v:g}", floor=0, target=target
    )
    assert chart is not None
    assert chart.high == "10" and chart.target_y == chart.top
    assert chart.target == "Target for Gold: at least 10"
    assert chart.description == "Jul: 6; Oct: 8; Target for Gold: at least 10"


def test_lower_is_better_is_said() -> None:
    chart = line_chart("Days", [("a", 3.0), ("b", 5.0)], str, better="lower is better")
    assert chart is not None and chart.better == "lower is better"
    assert chart.description.endswith("(lower is better)")
