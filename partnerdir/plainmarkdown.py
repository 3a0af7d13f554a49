"""The HTML Python-Markdown gives a plain text (paragraphs, a flat list, emphasis, web links),
found without running its parser; None for any other text, which the parser then reads.

Most descriptions are such texts, and the parser costs about 0.8 ms each. Every rule below
keeps a text away from a construct the parser would read differently: a text that passes gives
byte for byte the parser's output (tests/test_plainmarkdown.py compares them on random texts).
"""

from __future__ import annotations

import re

#: Characters that start markup outside this subset: raw HTML and entities, code, escapes,
#: underscores; and control characters and whitespace other than " " and "\n" (what
#: `str.isspace` calls space, which the parser's patterns and strip() treat as such).
_OTHER_MARKUP = re.compile(
    r"[<>&_`\\\x00-\x09\x0b-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
#: Runs that start markup outside this subset: images (`![`) and `***`.
_OTHER_RUNS = ("![", "***")
#: How a line may not start: indentation (code, nesting), headings, quotes, setext underlines,
#: list markers, rules and numbered lists.
_BLOCK_START = re.compile(r"[ #>=+\-]|\d+[.)]")
#: A web link, strong or emphasised words (one line, no nesting, no other `*` beside them), or a
#: mark outside them.
_INLINE = re.compile(
    r"\[(?P<text>[^\[\]*\n]+)\]\((?P<href>(?:https?://|mailto:)[A-Za-z0-9._~:/?#@!$+,;=%-]+)\)"
    r"|\*\*(?P<strong>[^\s*\[\]](?:[^*\[\]]*[^\s*\[\]])?)\*\*(?!\*)"
    r"|\*(?<!\*\*)(?P<em>[^\s*\[\]](?:[^*\[\]]*[^\s*\[\]])?)\*(?!\*)"
    r"|[\[\]*]"
)
_BLANK_LINES = re.compile(r"\n{2,}")
_ITEM = "- "


class _NotPlain(Exception):
    """A mark outside the subset: the parser reads the text."""


def plain_html(text: str) -> str | None:
    """Python-Markdown's HTML of `text` (before sanitising) when it is plain, else None."""
    text = text.strip("\n")
    if not text or _OTHER_MARKUP.search(text) or any(run in text for run in _OTHER_RUNS):
        return None
    blocks: list[str] = []
    after_list = False
    try:
        for chunk in _BLANK_LINES.split(text):
            lines = chunk.split("\n")
            if lines[0].startswith(_ITEM):
                if after_list:  # a list after a blank line continues the last one, loosely
                    return None
                items = "\n".join(f"<li>{_item(line)}</li>" for line in lines)
                blocks.append(f"<ul>\n{items}\n</ul>")
                after_list = True
            else:
                blocks.append("<p>" + "\n".join(_inline(line) for line in lines) + "</p>")
                after_list = False
    except _NotPlain:
        return None
    return "\n".join(blocks)


def _item(line: str) -> str:
    if not line.startswith(_ITEM):
        raise _NotPlain
    return _inline(line[len(_ITEM) :])


def _inline(line: str) -> str:
    if not line or line[-1] == " " or _BLOCK_START.match(line):
        raise _NotPlain
    if "*" not in line and "[" not in line and "]" not in line:
        return line
    return _INLINE.sub(_element, line)


def _element(match: re.Match[str]) -> str:
    text, href, strong, em = match.group("text", "href", "strong", "em")
    if href is not None:
        return f'<a href="{href}">{text}</a>'
    if strong is not None:
        return f"<strong>{strong}</strong>"
    if em is not None:
        return f"<em>{em}</em>"
    raise _NotPlain
