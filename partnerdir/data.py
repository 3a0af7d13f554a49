"""The site's machine-readable files: partners.json, the partner file's schema, sitemap, robots."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .content.schema import partner_json_schema
from .model import (
    Directory,
    Evaluation,
    Metric,
    Partner,
    Program,
    ReviewRow,
    SiteOptions,
    Standing,
)
from .pages import listed_partners
from .urls import Urls, output_path

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: URLs one sitemap file may hold (sitemaps.org); more go into numbered files behind an index.
SITEMAP_LIMIT = 50_000
#: Pages not worth a search engine's visit.
_NOT_IN_SITEMAP = frozenset({"404.html"})

#: A partner in partners.json: JSON values only (str, number, bool, None, lists, mappings).
Record = dict[str, object]


def data_files(
    directory: Directory,
    evaluation: Evaluation,
    options: SiteOptions,
    html_paths: Iterable[str],
) -> dict[str, bytes]:
    """partners.json, partner.schema.json, sitemap.xml (of `html_paths`) and robots.txt.

    `html_paths` are the site-relative paths of the HTML pages ("partners/acme/index.html").
    """
    urls = Urls(options.base_url)
    records = partner_records(directory, evaluation, options)
    schema = partner_json_schema(directory.program, urls.absolute(urls.schema_json()))
    return {
        output_path(urls.partners_json(), urls.root): _json(records, sort_keys=True, indent=None),
        # the schema keeps its designed key order ($schema, title, ... properties in file order)
        output_path(urls.schema_json(), urls.root): _json(schema, sort_keys=False, indent=2),
        **sitemap_files(html_paths, options),
        "robots.txt": robots_txt(options),
    }


def partner_records(
    directory: Directory, evaluation: Evaluation, options: SiteOptions
) -> list[Record]:
    """Each listed partner's public fields, in the site's order (level, then name).

    Private metrics are left out entirely: their values are never published (DESIGN: metrics).
    """
    program = directory.program
    urls = Urls(options.base_url)
    public = [metric for metric in program.metrics.values() if metric.public]
    rows: dict[str, list[ReviewRow]] = {}
    for row in directory.rows:
        rows.setdefault(row.partner, []).append(row)
    return [
        _record(program, urls, public, partner, standing, rows.get(partner.id, []))
        for partner, standing in listed_partners(directory, evaluation)
    ]


def _record(
    program: Program,
    urls: Urls,
    public: list[Metric],
    partner: Partner,
    standing: Standing,
    rows: list[ReviewRow],
) -> Record:
    level = program.level(standing.level)
    level_at = {step.date: step.level for step in standing.history}
    latest = standing.latest
    return {
        "id": partner.id,
        "name": partner.name,
        "url": urls.absolute(urls.partner(partner.id)),
        "website": partner.website,
        "logo": urls.absolute(urls.logo(partner.id, partner.logo)) if partner.logo else None,
        "countries": list(partner.countries),
        "programs": list(partner.programs),
        "services": list(partner.services),
        "industries": list(partner.industries),
        "languages": list(partner.languages),
        "contact": partner.contact,
        "home_country": standing.country,
        "level": level.id,
        "level_name": level.name,
        "badge": urls.absolute(urls.badge(partner.id)),
        "level_since": standing.level_since.isoformat(),
        "member_since": standing.member_since.isoformat(),
        "under_review_until": standing.under_review_until.isoformat()
        if standing.under_review_until
        else None,
        "latest_review": {
            "date": latest.date.isoformat(),
            "figures": _public_figures(public, latest),
        },
        "reviews": [
            {
                "date": row.date.isoformat(),
                "level": level_at.get(row.date),
                "figures": _public_figures(public, row),
            }
            for row in sorted(rows, key=lambda r: r.date)
        ],
    }


def _public_figures(public: list[Metric], row: ReviewRow) -> Record:
    """The row's values of public metrics (None where the cell was empty); nothing else."""
    return {metric.id: row.published(metric) for metric in public}


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


def _json(value: object, *, sort_keys: bool, indent: int | None) -> bytes:
    # allow_nan=False: NaN is not JSON; validation keeps it out, and a bug should fail loudly
    text = json.dumps(
        value,
        ensure_ascii=False,
        sort_keys=sort_keys,
        indent=indent,
        separators=(",", ":") if indent is None else (",", ": "),
        allow_nan=False,
    )
    return (text + "\n").encode("utf-8")
