"""The text colour on a level's colour: readable (WCAG AA) whatever the colour."""

from __future__ import annotations

import pytest

from partnerdir.colours import text_colour


def _contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "colour",
    ["#000000", "#ffffff", "#c9a227", "#5b6770", "#8a959e", "#3d4f7c", "#777777", "#ff0000"],
)
def test_badge_text_contrasts_with_any_level_colour(colour: str) -> None:
    assert _contrast(colour, text_colour(colour)) >= 4.5


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#000000", "#ffffff"),
        ("#3d4f7c", "#ffffff"),
        ("#ffffff", "#111111"),
        ("#c9a227", "#111111"),
        ("#777777", "#000000"),  # near-black falls short of 4.5:1 here; black does not
    ],
)
def test_near_black_where_it_reads_and_white_where_it_reads_better(
    background: str, expected: str
) -> None:
    assert text_colour(background) == expected
