"""End-to-end tests on built sites: what a customer's browser and a crawler would find.

1. The example `content/` built once under a base path (a project site): every internal link and
   asset resolves to a file, every link that leaves the site is one a partner or the programme
   wrote, every page is HTML5 without parse errors, the rules show as content/README.md says,
   and no private figure is anywhere in the output.
2. Byte-identical output from two processes with other hash seeds and another file order.
3. A property (Hypothesis): any site built from valid generated content, hostile text included,
   passes the output scanner: no script but ours, no event handler, no `javascript:`/`data:`
   URL, no private figure, no link out of the site but the partners' websites and contacts.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest
import yaml
from factories import Q3, Q4, SECRET_REVENUE, TODAY, make_partner, make_program, make_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdir.building import build_site, site_extras
from partnerdir.content.safety.links import url_problem
from partnerdir.levels import evaluate_levels
from partnerdir.model import Directory, Sealed, SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
EXAMPLE_TODAY = dt.date(2026, 11, 24)
#: A project site: the site lives under a path, so a link that forgets the base path breaks.
BASE_URL = "https://example.github.io/partners/"
BASE_PATH = urlsplit(BASE_URL).path


# --- The output scanner -----------------------------------------------------------------------

#: Attributes whose value a browser loads or follows as a URL (srcset is split separately);
#: `data-pagefind` and `data-base` are the search script's bundle and base path.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "cite",
        "data",
        "background",
        "longdesc",
        "manifest",
        "ping",
        "xlink:href",
        "data-pagefind",
        "data-base",
    }
)
#: Elements that load or run something no page of this site has any use for.
FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
#: Schemes a page may link with; anything else (javascript:, data:, vbscript:, file:) is refused.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: The site's own exception: an empty icon, so browsers do not ask for /favicon.ico.
OWN_DATA_URLS = frozenset({("link", "href", "data:,")})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class UrlUse:
    tag: str
    attribute: str
    value: str


@dataclass(slots=True)
class Scan:
    """What a page loads, runs and links to, as a browser reads it (character references
    decoded, attribute names lowercased)."""

    urls: list[UrlUse] = field(default_factory=list)
    #: (attributes, inline text) of every <script>.
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    #: (tag, attribute) of every on* attribute.
    handlers: list[tuple[str, str]] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    #: Text of <style> elements and style attributes.
    styles: list[str] = field(default_factory=list)
    #: Text of every <h1>.
    headings: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._open: str | None = None  # script, style or h1 whose text is being collected
        self._text: list[str] = []
        self._attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.scan.handlers.append((tag, name))
            if name in URL_ATTRIBUTES:
                self.scan.urls.append(UrlUse(tag, name, value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.scan.urls.append(UrlUse(tag, name, candidate.split()[0]))
            elif name == "style":
                self.scan.styles.append(value)
        if tag in FORBIDDEN_TAGS:
            self.scan.forbidden.append(tag)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.scan.forbidden.append("meta refresh")
        if tag in ("script", "style", "h1"):
            self._open, self._text, self._attrs = tag, [], values

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == self._open:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._open:
            return
        text = "".join(self._text)
        if tag == "script":
            self.scan.scripts.append((self._attrs, text))
        elif tag == "style":
            self.scan.styles.append(text)
        else:
            self.scan.headings.append(text)
        self._open = None


def scan_html(html: str) -> Scan:
    """Every URL, script, event handler, forbidden element and style of an HTML or SVG text."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def css_urls(css: str) -> list[str]:
    return [match.group(2) for match in _CSS_URL.finditer(css)]


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees: tabs and newlines inside and spaces around are ignored."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def unsafe_parts(scan: Scan, own_scripts: Iterable[str]) -> list[str]:
    """Everything in a scanned page that runs script or loads an unsafe URL, but our search."""
    found = []
    for attrs, text in scan.scripts:
        if attrs.get("src") not in set(own_scripts) or text.strip():
            found.append(f"script {attrs} {text[:80]!r}")
    found += [f"event handler {tag} {name}" for tag, name in scan.handlers]
    found += [f"element {tag}" for tag in scan.forbidden]
    for use in scan.urls:
        scheme = url_scheme(use.value)
        own = (use.tag, use.attribute, use.value) in OWN_DATA_URLS
        if scheme is not None and scheme not in SAFE_SCHEMES and not own:
            found.append(f"{scheme}: URL in {use.tag} {use.attribute}: {use.value[:80]!r}")
    for style in scan.styles:
        for url in css_urls(style):
            if url_scheme(url) not in (None, "http", "https"):
                found.append(f"url() with a scheme in a style: {url[:80]!r}")
    return found


def page_url(relative: str) -> str:
    """The URL a file of the site is served at: "partners/acme/index.html" -> ".../acme/"."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return BASE_URL + relative


def site_file(url: str) -> str | None:
    """The output file an absolute URL inside the site names, or None if it is outside."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(BASE_PATH):
        return None
    relative = path[len(BASE_PATH) :]
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


@dataclass(slots=True)
class LinkCheck:
    """Links collected from a site: internal ones must name a file, the others be allowed."""

    files: set[str]
    #: Partner websites and contact links, exactly.
    allowed_outside: set[str]
    #: URLs starting with one of these (the repository's "update this listing" links).
    allowed_prefixes: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)

    def check(self, where: str, base: str, value: str) -> None:
        url = urljoin(base, value.strip())
        internal = site_file(url)
        if internal is not None:
            if internal not in self.files:
                self.problems.append(f"{where}: {value!r} -> no file {internal!r}")
        elif not self.allowed(url):
            self.problems.append(f"{where}: {value!r} leaves the site")

    def allowed(self, url: str) -> bool:
        """An allowed link, or one to another page of a partner's website (a description's
        "read our case study")."""
        if url in self.allowed_outside or url.startswith(self.allowed_prefixes):
            return True
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and any(
            parts.netloc == urlsplit(allowed).netloc
            for allowed in self.allowed_outside
            if urlsplit(allowed).scheme in ("http", "https")
        )


#: Keys of partners.json whose values are links.
LINK_KEYS = frozenset({"url", "website", "contact", "badge", "logo"})


def json_items(node: object) -> Iterator[tuple[str, object]]:
    """(key, value) of every member of every object in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from json_items(value)
    elif isinstance(node, list):
        for item in node:
            yield from json_items(item)


def xml_links(data: bytes) -> Iterator[str]:
    """Links of a sitemap or Atom feed: href attributes, <loc> and <uri>, and <id>s that are
    URLs (an entry's id is a tag: URI, a name rather than a link)."""
    for element in ElementTree.fromstring(data).iter():
        local = element.tag.rpartition("}")[2]
        if "href" in element.attrib:
            yield element.attrib["href"]
        if local in ("loc", "uri") or local == "id" and re.match(r"https?:", element.text or ""):
            yield (element.text or "").strip()


def decoded(path: Path) -> bytes:
    """A file's bytes; Pagefind's gzip files decompressed, without their `pagefind_dcd` mark."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data).removeprefix(b"pagefind_dcd")
    return data


def output_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of every output file that holds content: Pagefind's own program files
    (its scripts, styles and WebAssembly) are the same bytes for every site and are skipped."""
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or is_pagefind_program(relative):
            continue
        yield relative, decoded(path).decode("utf-8", "replace")


def is_pagefind_program(relative: str) -> bool:
    return (
        relative.startswith("pagefind/") and re.search(r"\.(js|css)$|/wasm\.", relative) is not None
    )


#: A number as a page may write it: digits, or groups of three after a thousands separator.
_NUMBER = re.compile(r"(?<!\d)\d+(?:[,. \u00a0\u202f]\d{3})*(?!\d)")
_SEPARATOR = re.compile(r"[,. \u00a0\u202f]")


def leaks(texts: Iterable[tuple[str, str]], values: Iterable[int]) -> list[str]:
    """Where a text shows one of `values`, as digits or grouped ("420000", "420,000",
    "420 000"); a grouped number is searched in every run of its groups ("1,420,000" holds
    "420,000"), so a figure is found even inside a longer one written with separators."""
    wanted = {str(value) for value in values}
    found = []
    for name, text in texts:
        for match in _NUMBER.finditer(text):
            groups = _SEPARATOR.split(match.group())
            runs = {
                "".join(groups[i:j])
                for i in range(len(groups))
                for j in range(i + 1, len(groups) + 1)
            }
            if runs & wanted:
                found.append(f"{name}: {text[max(0, match.start() - 40) : match.end() + 40]!r}")
    return found


# --- 1. The example, built once ---------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(CONTENT, out, EXAMPLE_TODAY, base_url=BASE_URL)
    assert result.built, [str(p) for p in result.checked.problems]
    return out


@pytest.fixture(scope="module")
def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def pages(site: Path, files: set[str]) -> dict[str, str]:
    return {name: (site / name).read_text() for name in sorted(files) if name.endswith(".html")}


def partner_files() -> dict[str, dict[str, Any]]:
    return {
        path.stem: yaml.safe_load(path.read_text())
        for path in sorted((CONTENT / "partners").glob("*.yaml"))
    }


def program_yaml() -> dict[str, Any]:
    program = yaml.safe_load((CONTENT / "program.yaml").read_text())
    assert isinstance(program, dict)
    return program


def program_links(program: Mapping[str, object]) -> set[str]:
    """Absolute URLs written in program.yaml's texts (not its own base URL, which the build's
    base URL replaces)."""
    found: set[str] = set()

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key != "base_url":
            found.update(re.findall(r"(?:https?|mailto):[^\s)<>\]]+", node))

    walk(program)
    return found


@pytest.fixture()
def links(files: set[str]) -> LinkCheck:
    """Partner websites and contacts, links from program.yaml's texts and the repository's
    "update this listing" links are the only ways out of the site."""
    partner_links = {
        str(data[key])
        for data in partner_files().values()
        for key in ("website", "contact")
        if key in data
    }
    program = program_yaml()
    repository = str(program["site"].get("repository", "")).rstrip("/")
    return LinkCheck(
        files,
        partner_links | program_links(program),
        (repository + "/",) if repository else (),
    )


def test_every_link_and_asset_of_every_page_resolves(
    pages: dict[str, str], links: LinkCheck
) -> None:
    checked = 0
    for name, html in pages.items():
        scan = scan_html(html)
        for use in scan.urls:
            if (use.tag, use.attribute, use.value) in OWN_DATA_URLS:
                continue
            links.check(f"{name} {use.tag} {use.attribute}", page_url(name), use.value)
            checked += 1
        for style in scan.styles:
            for url in css_urls(style):
                links.check(f"{name} style", page_url(name), url)
    assert links.problems == []
    assert checked > 20 * len(pages)  # the scanner did find the links


def test_the_not_found_page_links_the_same_from_any_address(pages: dict[str, str]) -> None:
    """404.html is served for every missing path: a relative link on it would break."""
    relative = [
        use.value
        for use in scan_html(pages["404.html"]).urls
        if url_scheme(use.value) is None and not use.value.startswith(("/", "#"))
    ]
    assert relative == []


def test_stylesheet_urls_resolve(site: Path, links: LinkCheck) -> None:
    for css in sorted(site.glob("static/*.css")):
        name = css.relative_to(site).as_posix()
        for url in css_urls(css.read_text()):
            links.check(name, page_url(name), url)
    assert links.problems == []


def test_links_in_sitemap_feed_robots_and_data_resolve(site: Path, links: LinkCheck) -> None:
    seen = 0
    for name in ("sitemap.xml", "changes.xml"):
        for value in xml_links((site / name).read_bytes()):
            links.check(name, BASE_URL, value)
            seen += 1
    for line in (site / "robots.txt").read_text().splitlines():
        if line.lower().startswith("sitemap:"):
            links.check("robots.txt", BASE_URL, line.split(":", 1)[1])
            seen += 1

    for key, value in json_items(json.loads((site / "partners.json").read_text())):
        if key in LINK_KEYS and isinstance(value, str):
            links.check(f"partners.json {key}", BASE_URL, value)
            seen += 1
    assert links.problems == []
    assert seen > 3 * 49  # every listed partner's page, badge and website, at least


def test_search_results_link_to_pages_of_the_site(site: Path, links: LinkCheck) -> None:
    """The search script builds result cards from Pagefind's metadata: their links resolve."""
    fragments = sorted(site.glob("pagefind/fragment/*.pf_fragment"))
    assert len(fragments) == 49
    for fragment in fragments:
        meta = json.loads(decoded(fragment))["meta"]
        for key in ("href", "level_href", "logo"):
            if key in meta:
                links.check(f"{fragment.name} meta {key}", BASE_URL, meta[key])
    assert links.problems == []


def test_every_page_parses_as_html5_without_errors(site: Path, pages: dict[str, str]) -> None:
    errors = {}
    for name in pages:
        parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
        parser.parse((site / name).read_bytes())
        if parser.errors:
            errors[name] = [f"{pos}: {code} {data}" for pos, code, data in parser.errors]
    assert errors == {}
    assert len(pages) == 102


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        ("\\x9B", "contains the invisible control character U+009B"),
        ("\\x85", "contains the invisible control character U+0085"),
        ("\\uFDD0", "contains U+FDD0, a Unicode noncharacter"),
        ("\\U0010FFFF", "contains U+10FFFF, a Unicode noncharacter"),
    ],
)
def test_text_a_page_cannot_hold_is_refused_on_its_line(
    tmp_path: Path, escape: str, message: str
) -> None:
    """A YAML escape writes what the YAML reader refuses raw: a C1 control or a noncharacter
    in a name made every page listing the partner fail to parse as HTML5 (invalid-codepoint)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    listing = content / "partners" / "zuiderzee-systems.yaml"
    original = listing.read_text()
    assert original.startswith("name: Zuiderzee Systems\n")
    listing.write_text(original.replace("Zuiderzee Systems", f'"Zuiderzee {escape} Systems"', 1))
    result = build_site(content, tmp_path / "site", EXAMPLE_TODAY, base_url=BASE_URL)
    assert not result.built and not (tmp_path / "site").exists()
    errors = [str(p) for p in result.checked.problems if p.is_error]
    assert errors == [f"{listing}:1: name: {message}"]


# --- The rules, as content/README.md says they show ----------------------------------------


def tree(html: str) -> ElementTree.Element:
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    assert isinstance(root, ElementTree.Element)
    return root


def by_class(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def profile_level(pages: Mapping[str, str], partner: str) -> str:
    """The level id of a profile's badge (class level-<id>) and its visible name."""
    (line,) = by_class(tree(pages[f"partners/{partner}/index.html"]), "profile-level")
    (badge,) = by_class(line, "badge")
    classes = [c for c in (badge.get("class") or "").split() if c.startswith("level-")]
    assert len(classes) == 1 and text(badge) == "Level: " + classes[0][6:].title()
    return classes[0][6:]


def notices(pages: Mapping[str, str], partner: str, kind: str) -> list[str]:
    root = tree(pages[f"partners/{partner}/index.html"])
    return [text(n) for n in by_class(root, "notice") if f"notice-{kind}" in n.get("class", "")]


@pytest.mark.parametrize(
    ("partner", "level", "earned", "words"),
    [
        ("zuiderzee-systems", "gold", "Platinum", ("Platinum is capped at 2", "NL")),
        ("kilima-data-labs", "silver", "Gold", ("Gold is capped at 25%",)),
    ],
)
def test_a_capped_partner_holds_the_level_below_and_says_why(
    pages: dict[str, str], partner: str, level: str, earned: str, words: tuple[str, ...]
) -> None:
    assert profile_level(pages, partner) == level
    (notice,) = notices(pages, partner, "cap")
    assert f"Meets {earned} criteria" in notice
    for word in words:
        assert word in notice
    assert partner in level_page_partners(pages, level)
    assert partner not in level_page_partners(pages, earned.lower())
    # the path to the capped level shows every criterion met, and says what holds it back
    body = text(tree(pages[f"partners/{partner}/index.html"]))
    level_name = level.capitalize()
    assert f"met for Level: {earned}. A cap holds it at {level_name} for now" in " ".join(
        body.split()
    )


def test_a_partner_under_review_keeps_its_level_until_the_date(pages: dict[str, str]) -> None:
    assert profile_level(pages, "elbufer-datentechnik") == "gold"
    (notice,) = notices(pages, "elbufer-datentechnik", "review")
    assert notice.startswith("Under review until 30 December 2026")
    assert "elbufer-datentechnik" in level_page_partners(pages, "gold")


@pytest.mark.parametrize("partner", ["meseta-datos", "isar-insight"])
def test_an_expired_or_unreviewed_partner_is_nowhere(
    site: Path, files: set[str], partner: str
) -> None:
    """meseta-datos expired (Registered for 365 days), isar-insight has no review row."""
    data = partner_files()[partner]
    assert not any(partner in name for name in files)  # no profile, badge or logo
    listed = [p["id"] for p in json.loads((site / "partners.json").read_text())]
    assert len(listed) == 49 and partner not in listed
    assert f"/partners/{partner}/" not in (site / "sitemap.xml").read_text()
    traces = [str(data["name"]), str(data["website"]), partner]
    found = [(name, t) for name, body in output_texts(site) for t in traces if t in body]
    assert found == []


#: content/README.md: levels on 2026-11-24 of the partners that show a rule.
README_LEVELS = {
    "zuiderzee-systems": "gold",
    "polder-data-group": "platinum",
    "grachten-analytics": "platinum",
    "kilima-data-labs": "silver",
    "elbufer-datentechnik": "gold",
    "thameside-data": "silver",
    "skargard-analys": "platinum",
    "canal-analytique": "gold",
    "altiplano-datos": "gold",
    "malabar-analytics": "silver",
    "albufera-analitica": "silver",
    "eko-bridge-consulting": "silver",
    "tulpveld-it": "registered",
    "navigli-data-studio": "silver",
    "prairie-signal": "registered",
    "savanna-cloud-works": "gold",
    "lagos-ledger-analytics": "gold",
    "cerrado-analytics": "gold",
    "atlantica-plataforma": "platinum",
    "rift-valley-digital": "silver",
    "thousand-hills-data": "silver",
    "volta-analytics": "silver",
    "harmattan-systems": "silver",
    "paulista-dados": "silver",
    "fjordline-data": "platinum",
    "oresund-data": "gold",
    "kanda-integration": "platinum",
    "nordlys-analyse": "silver",
}
#: content/README.md: "9 Platinum, 13 Gold, 21 Silver and 6 Registered".
README_COUNTS = {"platinum": 9, "gold": 13, "silver": 21, "registered": 6}


def level_page_partners(pages: Mapping[str, str], level: str) -> set[str]:
    """Ids of the partners a level page lists (its cards link to their profiles)."""
    root = tree(pages[f"levels/{level}/index.html"])
    found = []
    for title in by_class(root, "card-title"):
        for link in title.iter("a"):
            match = re.fullmatch(
                re.escape(BASE_PATH) + r"partners/([a-z0-9-]+)/", link.get("href", "")
            )
            assert match, link.get("href")
            found.append(match.group(1))
    assert len(found) == len(set(found)), "a partner listed twice"
    return set(found)


def test_each_level_page_lists_exactly_the_partners_at_that_level(
    site: Path, pages: dict[str, str]
) -> None:
    profiles = sorted(
        name.split("/")[1] for name in pages if re.fullmatch(r"partners/[^/]+/index\.html", name)
    )
    shown = {partner: profile_level(pages, partner) for partner in profiles}
    data = {p["id"]: p["level"] for p in json.loads((site / "partners.json").read_text())}
    assert data == shown
    assert README_LEVELS.items() <= shown.items()
    for level, count in README_COUNTS.items():
        expected = {partner for partner, at in shown.items() if at == level}
        assert level_page_partners(pages, level) == expected
        assert len(expected) == count, level


# --- No private figure -----------------------------------------------------------------------


def private_cells() -> tuple[list[str], set[str]]:
    """The private metrics of program.yaml and every cell they hold in the reviews: seals such
    as `>=50000 <200000`, never figures (tests/test_sealing.py checks every cell's grammar)."""
    program = program_yaml()
    private = [m for m, spec in program["metrics"].items() if spec.get("public") is False]
    cells: set[str] = set()
    for review in sorted((CONTENT / "reviews").glob("*.csv")):
        with review.open(newline="") as f:
            cells.update(row[metric] for row in csv.DictReader(f) for metric in private)
    return private, cells - {""}


def test_no_private_figure_anywhere_in_the_output(site: Path) -> None:
    private, cells = private_cells()
    assert private == ["annual_revenue"] and len(cells) > 5
    texts = list(output_texts(site))
    assert sum(name.endswith(".pf_fragment") for name, _ in texts) == 49
    # The repository holds no private figure to leak (DESIGN); its seals are for the level
    # rules only: no cell, nor any of its bounds, is shown anywhere, raw or escaped.
    bounds = cells | {bound for cell in cells for bound in cell.split()}
    shown = {text for bound in bounds for text in (bound, escape(bound))}
    assert [(name, text) for name, body in texts for text in shown if text in body] == []
    # nor a sort or filter by a private metric, nor its values in the data
    for metric in private:
        assert [name for name, body in texts if f"fig_{metric}" in body] == []
        for partner in json.loads((site / "partners.json").read_text()):
            for review in partner["reviews"]:
                assert metric not in review["figures"]


def test_the_leak_search_finds_a_figure_written_any_way() -> None:
    for written in ("420000", "420,000 EUR", "€420 000", "420\u202f000", "420.000", "1,420,000"):
        assert leaks([("page", written)], [420000]), written
    for written in ("1420000", "4200001", "42,000", "420,0001", "420", "4.2 000"):
        assert not leaks([("page", written)], [420000]), written


# --- 2. Byte-identical over hash seeds and file order ----------------------------------------

#: Directory listings reversed in the build's process: on a file system that lists by name
#: hash (ext4), files created in another order are listed in the same order, so the order is
#: changed where the build reads it.
REVERSED_LISTINGS = '''\
"""Test shim: every directory listing in reverse order."""
import os

_listdir = os.listdir
_scandir = os.scandir


def listdir(path="."):
    return list(reversed(_listdir(path)))


class _Reversed:
    def __init__(self, path):
        with _scandir(path) as entries:
            self._entries = list(entries)[::-1]

    def __iter__(self):
        return iter(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


def scandir(path="."):
    return _Reversed(path)


os.listdir = listdir
os.scandir = scandir
'''
#: Pagefind writes its filter files in hash-map order (Pagefind issue #638): their names, the
#: metadata file that names them and the entry file that names that one differ between runs.
PAGEFIND_UNSTABLE = re.compile(
    r"pagefind/(filter/[a-z_0-9]+\.pf_filter|pagefind\.[a-z_0-9]+\.pf_meta|pagefind-entry\.json)"
)


def copy_in_reverse(source: Path, target: Path) -> None:
    for path in sorted((p for p in source.rglob("*") if p.is_file()), reverse=True):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def filters(folder: Path) -> dict[bytes, bytes]:
    """Filter name -> the bytes of its file, sorted: equal when only their order differs."""
    found = {}
    for path in folder.glob("pagefind/filter/*.pf_filter"):
        data = decoded(path)
        assert data[0] == 0x82 and 0x60 <= data[1] < 0x78  # [name, ...], a short text name
        found[data[2 : 2 + data[1] - 0x60]] = bytes(sorted(data))
    return found


def test_same_bytes_from_shuffled_input_and_other_hash_seeds(tmp_path: Path) -> None:
    shuffled = tmp_path / "shuffled"
    copy_in_reverse(CONTENT, shuffled)
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(REVERSED_LISTINGS)
    runs = [
        (CONTENT, {"PYTHONHASHSEED": "1"}),
        (shuffled, {"PYTHONHASHSEED": "2", "PYTHONPATH": str(shim)}),
    ]
    listings, outputs = [], []
    for n, (content, extra) in enumerate(runs):
        env = {**os.environ, **extra}
        probe = [sys.executable, "-c", "import os, sys; print(os.listdir(sys.argv[1]))"]
        seen = subprocess.run(
            [*probe, str(content / "partners")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        listings.append(seen.stdout)
        out = tmp_path / f"out{n}"
        command = [sys.executable, "build.py", "build", "--content", str(content),
                   "--out", str(out), "--today", "2026-11-24"]  # fmt: skip
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    assert listings[0] != listings[1]  # the second build did read its files in another order

    first, second = hashes(outputs[0]), hashes(outputs[1])
    differ = {name for name in first.keys() | second.keys() if first.get(name) != second.get(name)}
    assert [name for name in sorted(differ) if not PAGEFIND_UNSTABLE.fullmatch(name)] == []
    stable = {name for name in first if not PAGEFIND_UNSTABLE.fullmatch(name)}
    assert len(stable) > 170 and stable == {n for n in second if not PAGEFIND_UNSTABLE.fullmatch(n)}
    # the unstable files hold the same filters, only in another order
    assert filters(outputs[0]) == filters(outputs[1]) and len(filters(outputs[0])) == 5


# --- 3. Any valid content: the output scanner finds nothing ----------------------------------

PROPERTY_BASE_URL = BASE_URL
#: Revenue figures of the generated reviews: private, so they must appear nowhere.
PRIVATE_REVENUES = (SECRET_REVENUE, 98765)
#: Sealed revenue figures, as committed review files hold them: the level rules read them.
PRIVATE_SEALS = (Sealed(100000, True, 400000, False), Sealed(upper=100000), Sealed(400000, True))

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&amp;",
    '"',
    "'",
    '" onmouseover="alert(1)',
    "</textarea><script>alert(1)</script>",
    "]]><script>",
]
HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "<javascript:alert(1)>",
]
_PLAIN = st.text(
    # what the check refuses in text: controls, noncharacters, line separators, bidi controls
    st.characters(
        blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"),  # Cn: noncharacters
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=12,
)


@st.composite
def partner_names(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), _PLAIN), min_size=1, max_size=4)
    )
    return " ".join(pieces)[:100].strip() or "Plain Name"


@st.composite
def websites(draw: st.DrawFn) -> str:
    host = draw(
        st.from_regex(
            r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?\.(example|example\.com)", fullmatch=True
        )
    )
    path = draw(
        st.sampled_from(
            ["", "/", "/contact", '/?q="><script>alert(1)</script>', "/a'b", "/#x{{7*7}}"]
        )
    )
    url = f"{draw(st.sampled_from(['https', 'http']))}://{host}{path}"
    assert url_problem(url, ("http", "https")) is None  # the check accepts it
    return url


@st.composite
def descriptions(draw: st.DrawFn, website: str) -> str:
    link = st.builds(
        lambda text, target: f"[{text}]({target})",
        st.sampled_from(["site", "click", "<b>x</b>", "{{ 7*7 }}"]),
        st.sampled_from([*HOSTILE_LINKS, website]),
    )
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(HOSTILE_TEXT),
                link,
                _PLAIN,
                st.sampled_from(["**bold**", "- item", "# Head", "> quote", "`code`"]),
            ),
            min_size=1,
            max_size=8,
        )
    )
    separators = draw(
        st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=len(pieces), max_size=len(pieces))
    )
    return "".join(p + s for p, s in zip(pieces, separators, strict=True)).strip() or "Plain."


@st.composite
def sites(draw: st.DrawFn) -> tuple[Directory, set[str]]:
    """A valid directory of 1 to 4 partners with drawn text and links, and the links it allows."""
    program = make_program()
    countries = ("NL", "BE", "DE", "KE", "NG")
    partners, rows, allowed = [], [], set()
    for n in range(draw(st.integers(1, 4))):
        partner_id = f"partner-{n}"
        website = draw(websites())
        contact = draw(
            st.one_of(st.none(), websites(), st.just(f"mailto:sales@{partner_id}.example"))
        )
        country = draw(st.sampled_from(countries))
        partners.append(
            make_partner(
                partner_id,
                name=draw(partner_names()),
                description=draw(descriptions(website)),
                website=website,
                contact=contact,
                countries=tuple(
                    draw(st.sets(st.sampled_from(countries), min_size=1, max_size=3)) | {country}
                ),
            )
        )
        allowed |= {website} | ({contact} if contact else set())
        for date in draw(st.sampled_from([(Q4,), (Q3, Q4)])):
            rows.append(
                make_row(
                    partner_id,
                    date,
                    country,
                    certified_engineers=draw(st.integers(0, 30)),
                    csat=draw(st.sampled_from([3.5, 4.2, 4.6, 4.9])),
                    annual_revenue=draw(st.sampled_from([*PRIVATE_REVENUES, *PRIVATE_SEALS])),
                    health_check=draw(st.sampled_from(["failed", "passed", "excellent"])),
                    security_review=draw(st.booleans()),
                )
            )
    rows.sort(key=lambda r: (r.date, r.partner))
    directory = Directory(
        program, tuple(partners), tuple(rows), tuple(sorted({r.date for r in rows}))
    )
    return directory, allowed


ENVIRONMENT = make_environment()


def build_in_memory(directory: Directory) -> dict[str, bytes]:
    """Every page and extra file of the site, as the build renders them, without Pagefind."""
    evaluation = evaluate_levels(
        directory.program, [p.id for p in directory.partners], directory.rows, TODAY
    )
    options = SiteOptions(PROPERTY_BASE_URL, TODAY)
    planned = plan_pages(directory, evaluation, options)
    rendered = render_pages(planned, ENVIRONMENT)
    rendered.update(site_extras(directory, evaluation, options, [page.path for page in planned]))
    return rendered


def scan_site(rendered: Mapping[str, bytes], allowed_outside: set[str]) -> list[str]:
    """What the output scanner finds wrong in a built site (nothing, for a good one)."""
    problems: list[str] = []
    own_scripts = {BASE_PATH + "static/search.js"}
    links = LinkCheck(set(rendered), allowed_outside)
    for name, data in sorted(rendered.items()):
        body = data.decode()
        problems += leaks([(name, body)], PRIVATE_REVENUES)
        if name.endswith((".html", ".svg")):
            scan = scan_html(body)
            problems += [f"{name}: {found}" for found in unsafe_parts(scan, own_scripts)]
            for use in scan.urls:
                if url_scheme(use.value) in (None, *SAFE_SCHEMES):
                    links.check(f"{name} {use.tag} {use.attribute}", page_url(name), use.value)
        elif name.endswith(".xml"):
            for value in xml_links(data):
                links.check(name, PROPERTY_BASE_URL, value)
        elif name == "partners.json":  # the schema's URLs are identifiers and examples
            for key, value in json_items(json.loads(data)):
                if key in LINK_KEYS and isinstance(value, str):
                    links.check(f"{name} {key}", PROPERTY_BASE_URL, value)
    # links to pages and assets that the in-memory build does not make (logos, Pagefind,
    # the stylesheet) are checked on the real build above; here only leaving the site counts
    return problems + [p for p in links.problems if "leaves the site" in p]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_any_valid_content_gives_a_site_the_scanner_passes(
    drawn: tuple[Directory, set[str]],
) -> None:
    directory, allowed = drawn
    rendered = build_in_memory(directory)
    assert scan_site(rendered, allowed) == []
    # partner text is shown as text: each name is its profile's heading, literally
    for partner in directory.partners:
        scan = scan_html(rendered[f"partners/{partner.id}/index.html"].decode())
        assert scan.headings == [partner.name]


def test_the_scanner_finds_what_it_must() -> None:
    """The scanner is the test: it reports each way a page could go wrong."""
    page = """<!doctype html><title>t</title>
<script src="/partners/static/search.js" defer></script>
<script>alert(1)</script>
<script src="https://cdn.example/x.js"></script>
<img src="x.png" onerror="alert(1)"><svg><a xlink:href="java&#x09;script:alert(1)">x</a></svg>
<a href=" &#106;avascript:alert(1)">a</a><a href="DATA:text/html,x">b</a>
<iframe src="/partners/"></iframe><div style="background: url(javascript:alert(1))"></div>
<link rel="icon" href="data:,"><a href="https://elsewhere.example/">c</a>
<a href="../../../outside/">d</a><a href="https://partner.example/">e</a>
"""
    found = unsafe_parts(scan_html(page), {"/partners/static/search.js"})
    assert len(found) == 8, found
    assert [f.split(" ")[0] for f in found] == [
        "script", "script", "event", "element", "javascript:", "javascript:", "data:", "url()"
    ]  # fmt: skip
    rendered = {"index.html": page.encode()}
    outside = [p for p in scan_site(rendered, {"https://partner.example/"}) if "leaves" in p]
    assert [p.split(": ", 1)[1] for p in outside] == [
        "'https://cdn.example/x.js' leaves the site",
        "'https://elsewhere.example/' leaves the site",
        "'../../../outside/' leaves the site",
    ]
    assert leaks([("x", f"revenue {SECRET_REVENUE:,}")], [SECRET_REVENUE])


def test_a_link_without_the_base_path_or_its_file_is_reported() -> None:
    check = LinkCheck({"index.html", "static/style.css"}, set())
    for value in ("static/style.css", "/partners/static/style.css?v=1#x", "/partners/"):
        check.check("page", BASE_URL, value)
    assert check.problems == []
    check.check("page", BASE_URL, "/partners/countries/")
    check.check("page", BASE_URL, "/static/style.css")
    assert check.problems == [
        "page: '/partners/countries/' -> no file 'countries/index.html'",
        "page: '/static/style.css' leaves the site",
    ]
