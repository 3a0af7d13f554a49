"""The example's level colours are unmistakable (issue 14): every pair differs by a CIEDE2000
distance of at least 20, each differs as much from the grey left half of a badge, and each
gives white text a contrast ratio of at least 4.5:1.

CIEDE2000 (Sharma, Wu and Dalal, 2005) is implemented here, checked against their test data.
"""

from __future__ import annotations

import itertools
import math

import pytest
import yaml
from paths import EXAMPLE

from partnerdir.sitefiles.badges import LABEL_COLOUR

MIN_DISTANCE = 20.0
MIN_CONTRAST = 4.5

Lab = tuple[float, float, float]


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def lab(colour: str) -> Lab:
    """An sRGB "#rrggbb" in CIELAB (D65)."""
    r, g, b = (_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(one: Lab, two: Lab) -> float:
    l1, a1, b1 = one
    l2, a2, b2 = two
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p - h1p > 180 else h2p - h1p + 360
    big_dh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = -math.sin(math.radians(2 * rotation)) * rc
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (big_dh / sh) ** 2 + rt * (dc / sc) * (big_dh / sh)
    )


def contrast_with_white(colour: str) -> float:
    r, g, b = (_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize(
    ("one", "two", "expected"),
    [
        # pairs 1, 7, 13, 17 and 25 of Sharma, Wu and Dalal's test data
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
        ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_data(one: Lab, two: Lab, expected: float) -> None:
    assert ciede2000(one, two) == pytest.approx(expected, abs=1e-4)


def example_colours() -> dict[str, str]:
    program = yaml.safe_load((EXAMPLE / "program.yaml").read_text(encoding="utf-8"))
    return {level["name"]: level["colour"] for level in program["levels"]}


def test_every_pair_of_level_colours_differs_clearly() -> None:
    colours = example_colours()
    assert len(colours) == 4
    close = [
        f"{a} {colours[a]} / {b} {colours[b]}: {ciede2000(lab(colours[a]), lab(colours[b])):.1f}"
        for a, b in itertools.combinations(colours, 2)
        if ciede2000(lab(colours[a]), lab(colours[b])) < MIN_DISTANCE
    ]
    assert not close, f"level colours closer than {MIN_DISTANCE}: {close}"


def test_no_level_colour_looks_like_the_badge_label() -> None:
    close = {
        name: round(ciede2000(lab(colour), lab(LABEL_COLOUR)), 1)
        for name, colour in example_colours().items()
        if ciede2000(lab(colour), lab(LABEL_COLOUR)) < MIN_DISTANCE
    }
    assert not close, f"level colours close to the badge's grey {LABEL_COLOUR}: {close}"


def test_every_level_colour_carries_white_text() -> None:
    low = {
        name: round(contrast_with_white(colour), 2)
        for name, colour in example_colours().items()
        if contrast_with_white(colour) < MIN_CONTRAST
    }
    assert not low, f"white text below {MIN_CONTRAST}:1 on {low}"
