"""Markdown to sanitised HTML: partner descriptions are untrusted text, never markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import cache

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .plainmarkdown import plain_html

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
#: Headings in a description sit below the page's own h1 and h2.
HEADING_SHIFT = 2

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
        html = _markdown(patterns_in(text)).convert(text)
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


class _ShiftHeadings(Treeprocessor):
    """Description headings start at h3: the page owns h1 and h2."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_SHIFT)}"


#: The inline patterns _SafeMarkdown leaves registered, and what each needs in a text to match:
#: a text with none of these is left as it is by every one of them.
INLINE_PATTERNS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}
#: Marks Python-Markdown puts around placeholders: a text holding one is processed too.
_PLACEHOLDER_MARKS = ("\x02", "\x03")
_INLINE_TRIGGERS = tuple(
    sorted({mark for marks in INLINE_PATTERNS.values() for mark in marks} | set(_PLACEHOLDER_MARKS))
)


def patterns_in(text: str) -> frozenset[str]:
    """The inline patterns that could match somewhere in `text`: the others cannot match in any
    part of it, so a parser without them gives the same HTML."""
    # as the parser reads it: it drops these two first (which may bring "  " and "\n" together)
    text = text.replace("\x02", "").replace("\x03", "")
    return frozenset(
        name
        for name, triggers in INLINE_PATTERNS.items()
        if any(trigger in text for trigger in triggers)
    )


def has_inline_markup(text: str) -> bool:
    """Whether an inline pattern could match in `text` (or a placeholder is in it)."""
    return any(trigger in text for trigger in _INLINE_TRIGGERS)


class _SkipPlainText(Treeprocessor):
    """Texts no inline pattern can match are marked atomic, so the inline stage passes them by
    instead of trying every pattern on them: the same HTML, found sooner (most paragraphs of a
    description are plain sentences)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.text and not has_inline_markup(element.text):
                element.text = AtomicString(element.text)
            if element.tail and not has_inline_markup(element.tail):
                element.tail = AtomicString(element.tail)


class _SafeMarkdown(Extension):
    """Raw HTML is text, not markup; an image is a link to it (the site loads nothing remote).

    Of INLINE_PATTERNS, only `patterns` stay registered.
    """

    def __init__(self, patterns: frozenset[str]) -> None:
        super().__init__()
        self.patterns = patterns

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("image_link")
        md.inlinePatterns.deregister("image_reference")
        md.inlinePatterns.deregister("short_image_ref")
        for name in sorted(set(INLINE_PATTERNS) - self.patterns):
            md.inlinePatterns.deregister(name)
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 1)
        # before "inline" (20)
        md.treeprocessors.register(_SkipPlainText(md), "skip_plain_text", 30)


@cache
def _parser(patterns: frozenset[str] = frozenset(INLINE_PATTERNS)) -> markdown.Markdown:
    # Building a parser costs more than converting a description: build one per set of
    # patterns (descriptions use a few sets: emphasis and links, mostly), reset it per text.
    return markdown.Markdown(
        extensions=[_SafeMarkdown(patterns), "sane_lists"], output_format="html"
    )


def _markdown(patterns: frozenset[str]) -> markdown.Markdown:
    """A parser with `patterns` only, reset: a Markdown object keeps state (references)
    between conversions."""
    return _parser(patterns).reset()
