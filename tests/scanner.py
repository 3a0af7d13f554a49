"""The output scanner: what built pages load, run and link to, read as a browser reads them,
and where a built site shows a figure it must not. Every test that scans output uses it."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

#: A project site: the site lives under a path, so a link that forgets the base path breaks.
PROJECT_SITE = "https://example.github.io/partners/"

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
#: Attributes no page of this site uses: a document written inline, a form sent elsewhere.
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "formaction"})
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
    #: Forbidden elements by tag, "meta refresh", and forbidden attributes as "tag attribute".
    forbidden: list[str] = field(default_factory=list)
    #: Text of <style> elements and style attributes.
    styles: list[str] = field(default_factory=list)
    #: Text of every <h1>.
    headings: list[str] = field(default_factory=list)
    #: (tag, attributes) of every element, in document order.
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._open: str | None = None  # script, style or h1 whose text is being collected
        self._text: list[str] = []
        self._attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.scan.elements.append((tag, values))
        for name, value in values.items():
            if name.startswith("on"):
                self.scan.handlers.append((tag, name))
            if name in FORBIDDEN_ATTRIBUTES:
                self.scan.forbidden.append(f"{tag} {name}")
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


def tags_outside(scan: Scan, allowed: Collection[str]) -> list[str]:
    """Tags of a fragment (a rendered description) that its allow-list does not name."""
    return [f"<{tag}>" for tag, _ in scan.elements if tag not in allowed]


def relative_urls(scan: Scan) -> list[str]:
    """URLs that a browser resolves against the page's own address: neither a scheme, nor a
    path from the root, nor a fragment."""
    return [
        use.value
        for use in scan.urls
        if url_scheme(use.value) is None and not use.value.strip().startswith(("/", "#"))
    ]


def page_url(relative: str, base_url: str = PROJECT_SITE) -> str:
    """The URL a file of the site is served at: "partners/acme/index.html" -> ".../acme/"."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return base_url + relative


def site_file(url: str, base_url: str = PROJECT_SITE) -> str | None:
    """The output file an absolute URL inside the site names, or None if it is outside."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(base.path):
        return None
    relative = path[len(base.path) :]
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


@dataclass(slots=True)
class LinkCheck:
    """Links collected from a site: internal ones must name a file, the others be allowed."""

    files: set[str]
    #: Partner websites and contact links, exactly.
    allowed_outside: set[str]
    #: URLs starting with one of these (the repository's "update this listing" links).
    allowed_prefixes: tuple[str, ...] = ()
    base_url: str = PROJECT_SITE
    problems: list[str] = field(default_factory=list)

    def check(self, where: str, base: str, value: str) -> None:
        url = urljoin(base, value.strip())
        internal = site_file(url, self.base_url)
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


def scan_site(
    rendered: Mapping[str, bytes],
    allowed_outside: set[str],
    private: Iterable[int],
    base_url: str = PROJECT_SITE,
) -> list[str]:
    """What the scanner finds wrong in a site rendered in memory (path -> bytes): a private
    figure anywhere, unsafe parts of pages and SVGs, and a link out of the site but to
    `allowed_outside` (nothing, for a good site). Links to files the in-memory site lacks
    (logos, Pagefind, the stylesheet) are left to a check of a real build."""
    problems: list[str] = []
    own_scripts = {urlsplit(base_url).path + f"static/{name}" for name in ("search.js", "copy.js")}
    links = LinkCheck(set(rendered), allowed_outside, base_url=base_url)
    private = list(private)
    for name, data in sorted(rendered.items()):
        body = data.decode()
        problems += leaks([(name, body)], private)
        if name.endswith((".html", ".svg")):
            scan = scan_html(body)
            problems += [f"{name}: {found}" for found in unsafe_parts(scan, own_scripts)]
            for use in scan.urls:
                if url_scheme(use.value) in (None, *SAFE_SCHEMES):
                    links.check(
                        f"{name} {use.tag} {use.attribute}", page_url(name, base_url), use.value
                    )
        elif name.endswith(".xml"):
            for value in xml_links(data):
                links.check(name, base_url, value)
        elif name == "partners.json":  # the schema's URLs are identifiers and examples
            for key, value in json_items(json.loads(data)):
                if key in LINK_KEYS and isinstance(value, str):
                    links.check(f"{name} {key}", base_url, value)
    return problems + [p for p in links.problems if "leaves the site" in p]
