"""Check that two built sites have the same pages: counts per kind, and the text of profiles.

Both sites are compared as a reader sees them: the text of the profile (`<article
class="profile">`) with whitespace collapsed, including the hidden fields Pagefind indexes and
filters on. The charts (the figures' sparklines, the level history's chart) are compared as
drawn: inside an `<svg>` every element counts, with its name and its attributes (in a fixed
order, entities decoded), so a point one tenth of a pixel off is a difference.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Elements without an end tag.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(frozen=True, slots=True)
class PageCounts:
    profiles: int
    countries: int
    levels: int
    home: int

    def __str__(self) -> str:
        return (
            f"{self.profiles} profiles, {self.countries} country pages, "
            f"{self.levels} level pages, {self.home} home pages"
        )


def count_pages(site: Path) -> PageCounts:
    """Pages of each kind in a built site; Hugo's redirect at /page/1/ is not a page."""

    def pages(pattern: str) -> list[Path]:
        return [path for path in site.glob(pattern) if not _is_redirect(path)]

    return PageCounts(
        profiles=len(pages("partners/*/index.html")),
        countries=len(pages("countries/*/index.html")),
        levels=len(pages("levels/*/index.html")),
        home=len(pages("index.html")) + len(pages("page/*/index.html")),
    )


def _is_redirect(path: Path) -> bool:
    with path.open("rb") as file:
        head = file.read(512)
    return b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head


class _ProfileText(HTMLParser):
    """Collects the text of <article class="profile">, one entry per element's text run, and
    one entry per start and end tag of the drawings inside it (`<svg>` and what it holds)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.inside = 0
        #: How many `<svg>` elements are open: their markup is compared, not only their text.
        self.drawing = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag == "article" and "profile" in (dict(attrs).get("class") or "").split():
            self.inside += 1
        if tag == "svg":
            self.drawing += 1
        if self.inside and self.drawing:
            self.parts.append(_tag(tag, attrs))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if self.inside and self.drawing:
                self.parts.append(f"</{open_tag}>")
            if open_tag == "svg":
                self.drawing -= 1
            if open_tag == "article" and self.inside:
                self.inside -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.inside:
            return
        text = " ".join(data.split())
        if text:
            self.parts.append(text)


def _tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    """A drawing's element as one line: `<circle cx="6.0" cy="52.8" r="3.5">`, its attributes
    sorted by name (in lower case, as the parser gives them), so the markup's own order and
    quoting do not count."""
    pairs = "".join(f' {name}="{value or ""}"' for name, value in sorted(attrs))
    return f"<{tag}{pairs}>"


def profile_text(html: str) -> list[str]:
    """The text runs of a profile page's article, whitespace collapsed."""
    parser = _ProfileText()
    parser.feed(html)
    parser.close()
    return parser.parts


def compare_profiles(ours: Path, hugo: Path, ids: list[str]) -> list[str]:
    """A unified diff for every profile whose text differs (empty when all agree)."""
    differences = []
    for partner_id in ids:
        relative = f"partners/{partner_id}/index.html"
        mine = profile_text((ours / relative).read_text(encoding="utf-8"))
        theirs = profile_text((hugo / relative).read_text(encoding="utf-8"))
        if not mine:
            differences.append(f"{relative}: no profile text in partnerdir's page")
        elif mine != theirs:
            diff = difflib.unified_diff(mine, theirs, "partnerdir", "hugo", lineterm="", n=1)
            differences.append(f"{relative}:\n" + "\n".join(diff))
    return differences
