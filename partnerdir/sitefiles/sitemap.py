"""sitemap.xml (every page by its full URL, split into parts past 50,000) and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..model import SiteOptions
from ..urls import Urls

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: URLs one sitemap file may hold (sitemaps.org); more go into numbered files behind an index.
SITEMAP_LIMIT = 50_000
#: Pages not worth a search engine's visit.
_NOT_IN_SITEMAP = frozenset({"404.html"})


def sitemap_files(
    html_paths: Iterable[str], options: SiteOptions, *, limit: int = SITEMAP_LIMIT
) -> dict[str, bytes]:
    """sitemap.xml listing every page by its full URL; past `limit` URLs, sitemap.xml is an
    index of sitemap-1.xml, sitemap-2.xml, ..."""
    urls = Urls(options.base_url)
    locations = sorted(
        {
            urls.absolute(urls.path(_page_url(path)))
            for path in html_paths
            if path.endswith(".html") and path not in _NOT_IN_SITEMAP
        }
    )
    if len(locations) <= limit:
        return {"sitemap.xml": _urlset(locations)}
    files: dict[str, bytes] = {}
    parts = [locations[i : i + limit] for i in range(0, len(locations), limit)]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for number, part in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        files[name] = _urlset(part)
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = urls.absolute(urls.path(name))
    files["sitemap.xml"] = _xml(index)
    return files


def robots_txt(options: SiteOptions) -> bytes:
    """Every crawler may read everything; the sitemap's full URL."""
    urls = Urls(options.base_url)
    sitemap = urls.absolute(urls.path("sitemap.xml"))
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def _page_url(path: str) -> str:
    """ "partners/acme/index.html" -> "partners/acme/"; "index.html" -> ""."""
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def _urlset(locations: list[str]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for location in locations:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = location
    return _xml(urlset)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
