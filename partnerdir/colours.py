"""The text colour that stays readable on a level's colour, for pages and badges alike."""

from __future__ import annotations


def text_colour(background: str) -> str:
    """Near-black or white, whichever contrasts more with `background` (#rrggbb).

    The better of black and white always reaches 4.5:1 (WCAG AA), so badge text is readable on
    any level colour; near-black is softer and used wherever it reaches 4.5:1 too.
    """
    lum = _luminance(background)
    on_light = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance("#111111") + 0.05)
    best, contrast = max((("#ffffff", on_light), ("#111111", on_dark)), key=lambda c: c[1])
    return best if contrast >= 4.5 else "#000000"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
