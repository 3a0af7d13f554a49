"""Markdown to sanitised HTML: partner descriptions are untrusted text, never markup."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import nh3

from .plainmarkdown import plain_html

if TYPE_CHECKING:
    import markdown

#: Longer input is cut before parsing (partner descriptions are validated to 5,000 characters;
#: this guards every other caller against pathological input).
MAX_CHARS = 10_000
#: Indentation, block quote markers and list markers beyond this depth are flattened: deep
#: nesting costs recursion in the parser and reads badly anyway.
MAX_NESTING = 4
#: `[` opens a link only this many times per paragraph; later ones are plain text.
MAX_LINK_OPENERS = 100
#: A link text longer than this is not a link (its `[` becomes plain text).
MAX_LINK_TEXT = 500
#: Openers with no `]` (or a too long text) left as they are, per paragraph: each costs a scan
#: to the end of the paragraph.
MAX_COSTLY_OPENERS = 2

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"})}
#: No javascript:, data: or any other scheme; relative links stay (nh3 allows them).
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_INDENT = re.compile(r"^[ \t]*")
_QUOTES = re.compile(r"^(?:[ \t]*>)+")
_LIST_MARKERS = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
#: A backslash escape (two characters, skipped) or a bracket.
_BRACKETS = re.compile(r"\\.|[\[\]]", re.DOTALL)


def render_markdown(text: str) -> str:
    """Sanitised HTML of a Markdown text: no raw HTML, only http(s)/mailto links, no images."""
    text = limit_input(text)
    html = plain_html(text)
    if html is None:
        html = _markdown(text).convert(text)
    return str(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )


def limit_input(text: str) -> str:
    """Cut length and nesting so that parsing stays linear, whatever the input."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_CHARS]
    lines = [_limit_line(line) for line in text.split("\n")]
    chunks = _PARAGRAPH_BREAK.split("\n".join(lines))
    return "".join(_limit_links(chunk) for chunk in chunks)


def _limit_line(line: str) -> str:
    line = line.expandtabs(4)
    quotes = _QUOTES.match(line)
    if quotes and quotes.group().count(">") > MAX_NESTING:
        line = ">" * MAX_NESTING + " " + line[quotes.end() :].lstrip()
    markers = _LIST_MARKERS.match(line)
    if markers and len(_LIST_MARKER.findall(markers.group())) > 1:
        # "- - - x" nests a list per marker; keep the first marker only
        first = _LIST_MARKER.match(line)
        if first is not None:
            line = first.group() + line[markers.end() :]
    indent = _INDENT.match(line)
    if indent and len(indent.group()) > 4 * MAX_NESTING:
        line = " " * (4 * MAX_NESTING) + line[indent.end() :]
    return line


def _limit_links(chunk: str) -> str:
    """Escape the `[` whose scan for a closing `]` would be long, so parsing stays linear.

    Python-Markdown scans from every `[` to its matching `]` (or to the end of the paragraph when
    there is none): a run of `[` costs quadratic time. An opener with no `]`, or a link text
    longer than MAX_LINK_TEXT, cannot be a sensible link: past the first few such, they become
    plain text, as do openers beyond MAX_LINK_OPENERS per paragraph.
    """
    if "[" not in chunk:
        return chunk
    brackets = [(m.start(), m.group()) for m in _BRACKETS.finditer(chunk) if len(m.group()) == 1]
    closer: dict[int, int] = {}
    stack: list[int] = []
    for index, char in brackets:
        if char == "[":
            stack.append(index)
        elif stack:
            closer[stack.pop()] = index
    pieces: list[str] = []
    done = openers = costly = 0
    for index, char in brackets:
        if char != "[":
            continue
        openers += 1
        cheap = _is_cheap_link(chunk, index, closer.get(index))
        costly += not cheap
        if openers > MAX_LINK_OPENERS or costly > MAX_COSTLY_OPENERS:
            pieces.append(chunk[done:index])
            pieces.append("\\")
            done = index
            costly -= not cheap
    pieces.append(chunk[done:])
    return "".join(pieces)


def _is_cheap_link(chunk: str, start: int, end: int | None) -> bool:
    """Whether the parser's scans from this `[` stop soon: a short text, then a short target."""
    if end is None or end - start > MAX_LINK_TEXT:
        return False
    if not chunk.startswith("(", end + 1):
        return True
    depth = 0
    index = end + 1
    limit = min(len(chunk), index + MAX_LINK_TEXT)
    while index < limit:
        char = chunk[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return True
        elif char in "\"'":
            closing = chunk.find(char, index + 1, limit)
            if closing < 0:
                return False
            index = closing
        index += 1
    return False


def _markdown(text: str) -> markdown.Markdown:
    """A parser for `text`, reset (markdownparser).

    Imported on the first text plain_html cannot render: Python-Markdown takes 0.02 s to
    import, and on a site whose descriptions are all plain it is never needed.
    """
    from .markdownparser import parser_for

    return parser_for(text)
