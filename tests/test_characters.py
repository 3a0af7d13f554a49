"""The character sets: every format character is invisible, and nothing visible is."""

from __future__ import annotations

import re
import unicodedata

import pytest

from partnerdir.characters import (
    INVISIBLE,
    INVISIBLE_BMP,
    INVISIBLE_RANGES,
    NONCHARACTERS,
    class_body,
    describe,
)

#: The letters and symbols in INVISIBLE: each shows as a blank.
FILLERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}


def test_every_format_character_is_invisible() -> None:
    invisible = re.compile(f"[{INVISIBLE}]")
    missing = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and not invisible.fullmatch(chr(code))
    ]
    assert missing == []


def test_nothing_visible_is_invisible() -> None:
    # Format characters, marks that show nothing, unassigned code points, and the fillers.
    found = {
        chr(code)
        for first, last in INVISIBLE_RANGES
        for code in range(first, last + 1)
        if unicodedata.category(chr(code)) not in ("Cf", "Mn", "Cn")
    }
    assert found == FILLERS


def test_the_schemas_part_is_the_part_below_u10000() -> None:
    every, bmp = re.compile(f"[{INVISIBLE}]"), re.compile(f"[{INVISIBLE_BMP}]")
    for code in (0x200B, 0xFEFF, 0xFFFB, 0x3164, 0xE0020, 0x1D173):
        assert every.fullmatch(chr(code))
        assert bool(bmp.fullmatch(chr(code))) is (code <= 0xFFFF)
    assert class_body(((0x41, 0x41), (0xFFF0, 0x1000F)), bmp_only=True) == r"\u0041\ufff0-\uffff"
    assert class_body(((0xE0020, 0xE007F),)) == r"\U000e0020-\U000e007f"


def test_noncharacters() -> None:
    pattern = re.compile(f"[{NONCHARACTERS}]")
    assert all(pattern.fullmatch(c) for c in ("\ufdd0", "\ufffe", "\U0001ffff", "\U0010fffe"))
    assert not pattern.search("\ufdf0\ufffd")


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u3164", "U+3164 HANGUL FILLER"),
        ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("\n", "U+000A LINE FEED"),
        ("\x07", "U+0007"),
        ("\ufff0", "U+FFF0"),
    ],
)
def test_describe_names_a_character_by_code_point_and_unicode_name(char: str, shown: str) -> None:
    assert describe(char) == shown
