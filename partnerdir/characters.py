"""The characters content text may not hold, defined once for the check, the schema and printing
(the rules that use them are in partnerdir/content/safety/characters.py).

Each set is a regex class body: `CONTROL` and `INVISIBLE_BMP` hold only `\\xNN` and `\\uNNNN`
escapes, which Python and the JSON Schema's regex dialect (ECMA-262) read alike.
"""

from __future__ import annotations

import unicodedata

#: Control characters other than tab and line feed, the line and paragraph separators, and
#: bidirectional overrides and isolates (they reorder what is read): no text a customer reads
#: holds them.
CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"

#: Characters that show nothing where they stand: every format character (Unicode category
#: Cf: zero-width space and joiners, direction marks, the word joiner, the byte order mark,
#: the soft hyphen...), the rest of Unicode's default-ignorable code points (variation
#: selectors, the combining grapheme joiner, tag characters) and the blank-looking letters
#: (the Hangul fillers, the blank Braille pattern). A name holding one reads the same as a
#: name without it. Ranges, first and last code point; category Cf as of Unicode 15.1.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x0600, 0x0605),  # ARABIC NUMBER SIGN ... ARABIC NUMBER MARK ABOVE
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x06DD, 0x06DD),  # ARABIC END OF AYAH
    (0x070F, 0x070F),  # SYRIAC ABBREVIATION MARK
    (0x0890, 0x0891),  # ARABIC POUND MARK ABOVE, ARABIC PIASTRE MARK ABOVE
    (0x08E2, 0x08E2),  # ARABIC DISPUTED END OF AYAH
    (0x115F, 0x1160),  # HANGUL CHOSEONG FILLER, HANGUL JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ, AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS, MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE, ZWNJ, ZWJ, LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x206F),  # WORD JOINER, invisible operators, isolates, deprecated format characters
    (0x2800, 0x2800),  # BRAILLE PATTERN BLANK
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1 ... -16
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte order mark)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFFB),  # unassigned default-ignorable, INTERLINEAR ANNOTATION characters
    (0x110BD, 0x110BD),  # KAITHI NUMBER SIGN
    (0x110CD, 0x110CD),  # KAITHI NUMBER SIGN ABOVE
    (0x13430, 0x1343F),  # EGYPTIAN HIEROGLYPH format controls
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT controls
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM ... END PHRASE
    (0xE0000, 0xE0FFF),  # LANGUAGE TAG, tag characters, VARIATION SELECTOR-17 ... -256
)

#: Noncharacters, U+FDD0-FDEF and the last two code points of every plane: an HTML page holding
#: one has a parse error.
NONCHARACTER_RANGES: tuple[tuple[int, int], ...] = ((0xFDD0, 0xFDEF),) + tuple(
    (plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)

#: Names Unicode does not give (control characters), for the ones a file name may hold.
_CONTROL_NAMES = {
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x85": "NEXT LINE",
}


def class_body(ranges: tuple[tuple[int, int], ...], *, bmp_only: bool = False) -> str:
    """A regex class body matching `ranges`; with `bmp_only`, only their part below U+10000,
    as escapes the JSON Schema's regex dialect reads too."""
    parts = []
    for first, last in ranges:
        if bmp_only and first > 0xFFFF:
            continue
        last = min(last, 0xFFFF) if bmp_only else last
        parts.append(_escape(first) if first == last else f"{_escape(first)}-{_escape(last)}")
    return "".join(parts)


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


#: Every invisible character, and every noncharacter (for Python's re).
INVISIBLE = class_body(INVISIBLE_RANGES)
NONCHARACTERS = class_body(NONCHARACTER_RANGES)
#: Those below U+10000, which the JSON Schema can name too.
INVISIBLE_BMP = class_body(INVISIBLE_RANGES, bmp_only=True)
NONCHARACTERS_BMP = class_body(NONCHARACTER_RANGES, bmp_only=True)


def describe(char: str) -> str:
    """A character by code point and Unicode name: "U+200B ZERO WIDTH SPACE"."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name}" if name else code
