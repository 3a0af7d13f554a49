"""The rules for text fields and file names (SECURITY.md: hide a file or an id in a file name,
pass a listing off as another's with invisible characters), over the character sets of
partnerdir/characters.py."""

from __future__ import annotations

import re

from ...characters import CONTROL, INVISIBLE, NONCHARACTERS, describe

# Control characters other than tab and newline have no place in text a customer reads.
_CONTROL = re.compile(f"[{CONTROL}]")
# Nor have invisible characters in one-line text: a name holding one reads as another name.
# Markdown may hold them (see `text_problem`), but not hold nothing else.
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_VISIBLE = re.compile(rf"[^\s{CONTROL}{INVISIBLE}]")
# Nor have noncharacters (U+FDD0-FDEF and the last two of every plane): an HTML page holding
# one has a parse error. A YAML escape ("\uFDD0") writes one past the YAML reader's own check.
_NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
#: Where str.splitlines breaks a line.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: A character a file name in partners/ must not hold: white space but the plain space,
#: control and invisible characters.
_ODD_NAME_CHARACTER = re.compile(rf"[^\S ]|[{CONTROL}{INVISIBLE}]")


def text_problem(text: str, *, multiline: bool) -> str | None:
    """Why a text field may not hold `text` (None when it may): a control character or a
    noncharacter anywhere; a line break or an invisible character in one-line text; nothing
    visible in Markdown."""
    if text.replace("\n", "").replace("\t", "").isprintable():
        pass  # the common case, at C speed: no control character, no noncharacter
    elif control := _CONTROL.search(text):
        # invisible in most editors: name it, so the partner can find it
        return f"contains the invisible control character U+{ord(control.group()):04X}"
    elif noncharacter := _NONCHARACTER.search(text):
        return f"contains U+{ord(noncharacter.group()):04X}, a Unicode noncharacter"
    if not multiline and "\n" in text:
        return "contains a line break; write it on one line"
    if text.isascii():
        return None  # the common case again: ASCII holds no invisible character
    if not multiline and (invisible := _INVISIBLE.search(text)):
        return (
            f"holds an invisible character ({describe(invisible.group())}); "
            "remove it, so that no two texts read the same"
        )
    # Markdown keeps them: emoji are joined by ZWJ and tagged by variation selectors, and
    # Persian or Hindi prose needs ZWNJ, mixed-direction prose its direction marks.
    if multiline and not _VISIBLE.search(text):
        return "is empty: it holds only invisible characters"
    return None


def file_name_problem(name: str) -> str | None:
    """Why `name` cannot name a file in partners/ (None when it can): a line break, a control
    or invisible character, or a space other than a plain one would hide in the listing."""
    found = _ODD_NAME_CHARACTER.search(name)
    if found is None:
        return None
    char = found.group()
    if char in _LINE_BREAKS:
        what = "a line break"
    elif _CONTROL.fullmatch(char):
        what = "a control character"
    elif char.isspace():
        what = "a space other than a plain space"
    else:
        what = "an invisible character"
    return f"the file name holds {what} ({describe(char)}); rename the file"
