"""Python-Markdown as descriptions are read: raw HTML as text, images as links, headings from
h3, and only the inline patterns a text could match (markup imports it on the first text
plainmarkdown cannot render)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

#: Headings in a description sit below the page's own h1 and h2.
HEADING_SHIFT = 2


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
def parser(patterns: frozenset[str] = frozenset(INLINE_PATTERNS)) -> markdown.Markdown:
    # Building a parser costs more than converting a description: build one per set of
    # patterns (descriptions use a few sets: emphasis and links, mostly), reset it per text.
    return markdown.Markdown(
        extensions=[_SafeMarkdown(patterns), "sane_lists"], output_format="html"
    )


def parser_for(text: str) -> markdown.Markdown:
    """A parser with the patterns that could match in `text` only, reset: a Markdown object
    keeps state (references) between conversions."""
    return parser(patterns_in(text)).reset()
