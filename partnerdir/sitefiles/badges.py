"""The embeddable level badges: shields-style flat SVGs, one per listed partner and per level, and
a neutral "not listed" one for each partner no longer (or not yet) listed, so that a badge
embedded on a partner's own site never becomes a broken image."""

from __future__ import annotations

import math
import re
import unicodedata
from html import escape

from ..colours import text_colour
from ..levels import listed_partners
from ..model import Directory, Evaluation, Level, Program, SiteOptions
from ..urls import Urls, output_path
from ..wording import NOT_LISTED_BADGE, not_listed_badge_title
from .xmltext import xml_text

#: The label part's background; white text on it has a contrast ratio of 7.5:1.
LABEL_COLOUR = "#555555"
LABEL_TEXT = "#ffffff"
#: The value part of a partner's badge while it is not listed: a neutral grey, no level's colour,
#: apart from the label's; near-black text on it has a contrast ratio of 7.1:1.
NOT_LISTED_COLOUR = "#9f9f9f"
FONT_FAMILY = "Verdana,Geneva,DejaVu Sans,sans-serif"
#: Space left and right of each part's text, in pixels.
PADDING = 5
#: A label longer than this is cut with an ellipsis: a badge is a badge, not a banner.
MAX_LABEL = 32
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: Words a site title ends with that a badge can do without: "Northwind Data Partner
#: Directory" -> "Northwind Data".
_TAIL_WORDS = r"(?:partners?|directory|programme|program)"
_TITLE_TAIL = re.compile(rf"(?:\s+{_TAIL_WORDS})+$", re.IGNORECASE)
_ONLY_TAIL = re.compile(_TAIL_WORDS, re.IGNORECASE)
_FIRST = 0x20

# Advance widths at 11px, U+0020 to U+017F (ASCII, Latin-1, Latin Extended-A), measured from the
# hmtx table of DejaVu Sans (advance / unitsPerEm * 11, to 0.1px). DejaVu Sans derives from
# Bitstream Vera, drawn to Verdana's proportions: its widths are within a few percent of
# Verdana's, and textLength makes the browser fit the text to the width we allot anyway.
# U+007F to U+009F are control characters: no width.
# fmt: off
_WIDTHS: tuple[float, ...] = (
    3.5, 4.4, 5.1, 9.2, 7, 10.5, 8.6, 3, 4.3, 4.3, 5.5, 9.2, 3.5, 4, 3.5, 3.7,  # U+0020
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 3.7, 3.7, 9.2, 9.2, 9.2, 5.8,  # U+0030
    11, 7.5, 7.5, 7.7, 8.5, 7, 6.3, 8.5, 8.3, 3.2, 3.2, 7.2, 6.1, 9.5, 8.2, 8.7,  # U+0040
    6.6, 8.7, 7.6, 7, 6.7, 8.1, 7.5, 10.9, 7.5, 6.7, 7.5, 4.3, 3.7, 4.3, 9.2, 5.5,  # U+0050
    5.5, 6.7, 7, 6, 7, 6.8, 3.9, 7, 7, 3.1, 3.1, 6.4, 3.1, 10.7, 7, 6.7,  # U+0060
    7, 7, 4.5, 5.7, 4.3, 7, 6.5, 9, 6.5, 6.5, 5.8, 7, 3.7, 7, 9.2, 0,  # U+0070
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  # U+0080
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  # U+0090
    3.5, 4.4, 7, 7, 7, 7, 3.7, 5.5, 5.5, 11, 5.2, 6.7, 9.2, 4, 11, 5.5,  # U+00A0
    5.5, 9.2, 4.4, 4.4, 5.5, 7, 7, 3.5, 5.5, 4.4, 5.2, 6.7, 10.7, 10.7, 10.7, 5.8,  # U+00B0
    7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 10.7, 7.7, 7, 7, 7, 7, 3.2, 3.2, 3.2, 3.2,  # U+00C0
    8.5, 8.2, 8.7, 8.7, 8.7, 8.7, 8.7, 9.2, 8.7, 8.1, 8.1, 8.1, 8.1, 6.7, 6.7, 6.9,  # U+00D0
    6.7, 6.7, 6.7, 6.7, 6.7, 6.7, 10.8, 6, 6.8, 6.8, 6.8, 6.8, 3.1, 3.1, 3.1, 3.1,  # U+00E0
    6.7, 7, 6.7, 6.7, 6.7, 6.7, 6.7, 9.2, 6.7, 7, 7, 7, 7, 6.5, 7, 6.5,  # U+00F0
    7.5, 6.7, 7.5, 6.7, 7.5, 6.7, 7.7, 6, 7.7, 6, 7.7, 6, 7.7, 6, 8.5, 7,  # U+0100
    8.5, 7, 7, 6.8, 7, 6.8, 7, 6.8, 7, 6.8, 7, 6.8, 8.5, 7, 8.5, 7,  # U+0110
    8.5, 7, 8.5, 7, 8.3, 7, 10.1, 7.6, 3.2, 3.1, 3.2, 3.1, 3.2, 3.1, 3.2, 3.1,  # U+0120
    3.2, 3.1, 6.5, 6.1, 3.2, 3.1, 7.2, 6.4, 6.4, 6.1, 3.1, 6.1, 3.1, 6.1, 4.1, 6.1,  # U+0130
    3.8, 6.2, 3.1, 8.2, 7, 8.2, 7, 8.2, 7, 8.9, 8.2, 7, 8.7, 6.7, 8.7, 6.7,  # U+0140
    8.7, 6.7, 11.8, 11.3, 7.6, 4.5, 7.6, 4.5, 7.6, 4.5, 7, 5.7, 7, 5.7, 7, 5.7,  # U+0150
    7, 5.7, 6.7, 4.3, 6.7, 4.3, 6.7, 4.3, 8.1, 7, 8.1, 7, 8.1, 7, 8.1, 7,  # U+0160
    8.1, 7, 8.1, 7, 10.9, 9, 6.7, 6.5, 6.7, 7.5, 5.8, 7.5, 5.8, 7.5, 5.8, 3.9,  # U+0170
)
# fmt: on
#: Characters outside the table: a wide Latin letter's width, or a full em for wide scripts.
_FALLBACK = 9.5
_WIDE = 11.0


def text_width(text: str) -> float:
    """The width of `text` in pixels, set in Verdana 11px, estimated per character."""
    total = 0.0
    for char in text:
        code = ord(char)
        if _FIRST <= code < _FIRST + len(_WIDTHS):
            total += _WIDTHS[code - _FIRST]
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += _WIDE
        else:
            total += _FALLBACK
    return total


def badge_svg(label: str, value: str, colour: str, *, title: str = "") -> bytes:
    """A two-part badge: `label` on grey, `value` on `colour` (#rrggbb) in a contrasting colour.

    `title` is the badge's accessible name (its <title> and aria-label); "label: value" if empty.
    Self-contained: no script, no link, no external reference; the same input gives the same bytes.
    """
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"badge colour {colour!r} is not #rrggbb")
    label, value = xml_text(label), xml_text(value)
    name = xml_text(title) or f"{label}: {value}"
    label_text = math.ceil(text_width(label))
    value_text = math.ceil(text_width(value))
    left = label_text + 2 * PADDING
    right = value_text + 2 * PADDING
    width = left + right
    # text is drawn at 10x and scaled down, as shields does, for sub-pixel placement
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'viewBox="0 0 {width} 20" role="img" aria-label="{_attr(name)}">'
        f"<title>{_text(name)}</title>"
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3"/></clipPath>'
        f'<g clip-path="url(#r)">'
        f'<rect width="{left}" height="20" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour.lower()}"/>'
        "</g>"
        f'<g text-anchor="middle" font-family="{FONT_FAMILY}" '
        'text-rendering="geometricPrecision" font-size="110">'
        f'<text x="{left * 5}" y="140" transform="scale(.1)" fill="{LABEL_TEXT}" '
        f'textLength="{label_text * 10}">{_text(label)}</text>'
        f'<text x="{left * 10 + right * 5}" y="140" transform="scale(.1)" '
        f'fill="{text_colour(colour.lower())}" textLength="{value_text * 10}">{_text(value)}</text>'
        "</g></svg>\n"
    )
    return svg.encode("utf-8")


def badge_label(program: Program) -> str:
    """The badge's grey part: the site title without "Partner Directory" and the like."""
    title = xml_text(program.site.title)
    short = _TITLE_TAIL.sub("", title)
    if not short or _ONLY_TAIL.fullmatch(short):
        short = title  # "Partner Directory" says more than "Partner"
    if len(short) > MAX_LABEL:
        short = short[: MAX_LABEL - 1].rstrip() + "\u2026"
    return short


def badge_value(level: Level) -> str:
    """The badge's coloured part: "Gold partner"."""
    return f"{level.name} partner"


def badge_files(
    directory: Directory, evaluation: Evaluation, options: SiteOptions
) -> dict[str, bytes]:
    """badges/<partner id>.svg for each listed partner, badges/levels/<level id>.svg per level, and
    a neutral "not listed" badges/<partner id>.svg for every other partner id the content names
    (a partner file or review rows): expired, not yet reviewed, or its file removed."""
    program = directory.program
    urls = Urls(options.base_url)
    label = badge_label(program)
    site_title = program.site.title
    files: dict[str, bytes] = {}
    for level in program.levels:
        path = output_path(urls.level_badge(level.id), urls.root)
        title = f"{level.name} partner, {site_title}"
        files[path] = badge_svg(label, badge_value(level), level.colour, title=title)
    for partner, standing in listed_partners(directory, evaluation):
        level = program.level(standing.level)
        path = output_path(urls.badge(partner.id), urls.root)
        # the same words as the embed snippet's alt text on the profile
        title = f"{partner.name}: {level.name} partner, {site_title}"
        files[path] = badge_svg(label, badge_value(level), level.colour, title=title)
    listed = {partner.id for partner, _ in listed_partners(directory, evaluation)}
    known = {partner.id for partner in directory.partners} | set(directory.unfiled)
    neutral_title = not_listed_badge_title(label, site_title)
    for partner_id in sorted(known - listed):
        path = output_path(urls.badge(partner_id), urls.root)
        files[path] = badge_svg(label, NOT_LISTED_BADGE, NOT_LISTED_COLOUR, title=neutral_title)
    return files


def _text(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)
