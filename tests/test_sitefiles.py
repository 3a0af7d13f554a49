"""The site files besides pages: partners.json and its schema, the partner file schema, the
sitemap and robots.txt (public, exact, stable), beside the badges and the feed (test_badges.py,
test_changes_feed.py)."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from factories import SECRET_REVENUE, make_partner, sample_site

from partnerdir.content.schema import PARTNER_FIELDS
from partnerdir.model import Directory, Evaluation, SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.sitefiles import files_besides_pages
from partnerdir.sitefiles.badges import badge_files
from partnerdir.sitefiles.changes_feed import changes_feed
from partnerdir.sitefiles.sitemap import robots_txt, sitemap_files
from partnerdir.sitefiles.xmltext import xml_text

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.github.io/partners/"
HOSTILE = "<script>alert(1)</script> & \"Quotes\" 'R' Us Skärgård"


def build(directory: Directory, evaluation: Evaluation, options: SiteOptions) -> dict[str, bytes]:
    paths = [page.path for page in plan_pages(directory, evaluation, options)]
    return files_besides_pages(directory, evaluation, options, paths)


def partners_of(files: dict[str, bytes]) -> list[dict[str, object]]:
    records = json.loads(files["partners.json"].decode("utf-8"))
    assert isinstance(records, list)
    return records


def test_files() -> None:
    site = sample_site()
    files = build(*site)
    assert sorted(name for name in files if not name.startswith("badges/")) == [
        "changes.xml",
        "partner.schema.json",
        "partners.json",
        "partners.schema.json",
        "robots.txt",
        "sitemap.xml",
    ]
    badges = sorted(name for name in files if name.startswith("badges/"))
    assert badges == sorted(badge_files(*site)) and "badges/acme-digital.svg" in badges


def test_partners_are_the_listed_ones_in_the_site_order() -> None:
    ids = [record["id"] for record in partners_of(build(*sample_site()))]
    # by level, highest first, then name; old-registered has expired and is listed nowhere
    assert ids == ["bright-cloud", "acme-digital", "capped-co", "dropping-ltd", "kenya-ops"]


def test_a_partner_record_holds_its_public_fields() -> None:
    acme = partners_of(build(*sample_site(BASE)))[1]
    figures_q3 = {
        "certified_engineers": 6,
        "csat": 4.3,
        "health_check": "passed",
        "security_review": True,
    }
    figures_q4 = {
        "certified_engineers": 8,
        "csat": 4.4,
        "health_check": "passed",
        "security_review": True,
    }
    assert acme == {
        "id": "acme-digital",
        "name": "Acme Digital",
        "url": BASE + "partners/acme-digital/",
        "website": "https://acme-digital.example.com/",
        "logo": BASE + "logos/acme-digital.svg",
        "summary": "Retail data platforms, built and handed over.",
        "countries": ["NL", "BE"],
        "city": "Utrecht",
        "programs": ["reseller", "integrator"],
        "services": ["implementation", "training"],
        "industries": ["retail"],
        "languages": ["en", "nl"],
        "contact": "mailto:sales@acme-digital.example.com",
        "home_country": "NL",
        "level": "gold",
        "level_name": "Gold",
        "badge": BASE + "badges/acme-digital.svg",
        "level_since": "2026-10-01",
        "member_since": "2026-07-01",
        "under_review_until": None,
        "latest_review": {"date": "2026-10-01", "figures": figures_q4},
        "reviews": [
            {"date": "2026-07-01", "level": "silver", "figures": figures_q3},
            {"date": "2026-10-01", "level": "gold", "figures": figures_q4},
        ],
    }


def test_under_review_and_missing_values() -> None:
    records = {r["id"]: r for r in partners_of(build(*sample_site()))}
    assert records["dropping-ltd"]["under_review_until"] == "2027-03-01"
    assert records["dropping-ltd"]["level"] == "silver"
    assert records["bright-cloud"]["logo"] is None
    assert records["bright-cloud"]["summary"] is None
    assert records["bright-cloud"]["city"] is None


def test_private_metrics_are_left_out_entirely() -> None:
    site = sample_site()
    files = build(*site)
    assert len(partners_of(files)) == 5  # the listed partners of sample_site
    for record in partners_of(files):
        latest = record["latest_review"]
        assert isinstance(latest, dict)
        assert sorted(latest["figures"]) == [
            "certified_engineers",
            "csat",
            "health_check",
            "security_review",
        ]
    every = {**files, **badge_files(*site), **changes_feed(*site)}
    for path, data in every.items():
        assert b"annual_revenue" not in data, path
        assert str(SECRET_REVENUE).encode() not in data, path
        assert f"{SECRET_REVENUE:,}".encode() not in data, path


def test_json_is_utf8_with_sorted_keys_and_round_trips_hostile_names() -> None:
    directory, evaluation, options = sample_site()
    hostile = make_partner("acme-digital", name=HOSTILE)
    partners = tuple(hostile if p.id == "acme-digital" else p for p in directory.partners)
    data = build(dataclasses.replace(directory, partners=partners), evaluation, options)
    raw = data["partners.json"]
    assert "Skärgård".encode() in raw  # ensure_ascii=False: readable, not \u escapes
    records = json.loads(raw.decode("utf-8"))
    assert records[1]["name"] == HOSTILE
    again = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert raw == (again + "\n").encode("utf-8")


def test_same_input_gives_the_same_bytes() -> None:
    assert build(*sample_site()) == build(*sample_site())


def test_schema_names_its_url_and_accepts_a_valid_partner_file() -> None:
    schema = json.loads(build(*sample_site(BASE))["partner.schema.json"])
    assert schema["$id"] == BASE + "partner.schema.json"
    jsonschema.Draft202012Validator.check_schema(schema)
    example = {
        f.name: list(f.example) if isinstance(f.example, tuple) else f.example
        for f in PARTNER_FIELDS
    }
    example["programs"] = ["reseller"]
    example["services"] = ["implementation"]
    example["industries"] = ["retail"]
    jsonschema.validate(example, schema)
    example["level"] = "platinum"  # a partner cannot set its own level
    assert not jsonschema.Draft202012Validator(schema).is_valid(example)


def partners_validator(files: dict[str, bytes]) -> jsonschema.Draft202012Validator:
    schema = json.loads(files["partners.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_partners_json_follows_its_own_schema() -> None:
    files = build(*sample_site(BASE))
    schema = json.loads(files["partners.schema.json"])
    assert schema["$id"] == BASE + "partners.schema.json"
    validator = partners_validator(files)
    records = partners_of(files)
    validator.validate(records)
    # exact: every field is required, none other allowed, levels and figures are the programme's
    item = schema["items"]
    assert sorted(item["required"]) == sorted(records[0]) == sorted(item["properties"])
    assert item["properties"]["level"]["enum"] == ["registered", "silver", "gold", "platinum"]
    assert "annual_revenue" not in json.dumps(schema)  # a private metric has no place in it
    for change in (
        {"level": "diamond"},
        {"tier": "gold"},
        {"countries": ["XX"]},
        {"member_since": "1 March 2026"},
        {"latest_review": {"date": "2026-10-01", "figures": {"annual_revenue": 1}}},
    ):
        assert not validator.is_valid([{**records[0], **change}]), change
    missing = dict(records[0])
    del missing["badge"]
    assert not validator.is_valid([missing])


def test_the_example_partners_json_follows_its_own_schema(example_site: Path) -> None:
    files = {
        name: (example_site / name).read_bytes()
        for name in ("partners.json", "partners.schema.json")
    }
    records = partners_of(files)
    assert len(records) == 49
    partners_validator(files).validate(records)


def locations(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    assert root.tag == f"{SM}urlset"
    return [loc.text or "" for loc in root.iter(f"{SM}loc")]


def test_sitemap_lists_every_page_but_404_by_full_url() -> None:
    site = sample_site(BASE)
    paths = [page.path for page in plan_pages(*site)]
    assert "404.html" in paths
    locs = locations(build(*site)["sitemap.xml"])
    assert len(locs) == len(paths) - 1
    assert locs == sorted(set(locs))
    assert BASE in locs
    assert BASE + "partners/acme-digital/" in locs
    assert BASE + "countries/nl/" in locs
    assert not any("404" in loc or loc.endswith("index.html") for loc in locs)
    assert all(loc.startswith(BASE) for loc in locs)


def test_sitemap_skips_other_files_and_quotes_paths() -> None:
    _, _, options = sample_site()
    files = sitemap_files(
        ["index.html", "a b&c/index.html", "extra.html", "badges/x.svg", "index.html"], options
    )
    assert locations(files["sitemap.xml"]) == [
        "https://partners.example.com/",
        "https://partners.example.com/a%20b%26c/",
        "https://partners.example.com/extra.html",
    ]


def test_a_long_sitemap_becomes_an_index_of_parts() -> None:
    _, _, options = sample_site(BASE)
    paths = [f"partners/p{n:02d}/index.html" for n in range(7)]
    files = sitemap_files(paths, options, limit=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SM}loc")] == [
        f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    parts = [locations(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [3, 3, 1]
    assert sum(parts, []) == [f"{BASE}partners/p{n:02d}/" for n in range(7)]


def test_robots_allows_all_and_names_the_sitemap() -> None:
    _, _, options = sample_site(BASE)
    assert robots_txt(options) == (
        b"User-agent: *\nAllow: /\n\nSitemap: https://example.github.io/partners/sitemap.xml\n"
    )


def test_xml_text_keeps_exactly_the_characters_xml_allows() -> None:
    def allowed(point: int) -> bool:  # XML 1.0's Char production
        return (
            point in (0x9, 0xA, 0xD)
            or 0x20 <= point <= 0xD7FF
            or 0xE000 <= point <= 0xFFFD
            or 0x10000 <= point <= 0x10FFFF
        )

    points = range(0x110000)
    every = "".join(chr(point) for point in points if not chr(point).isspace())
    kept = "".join(chr(point) for point in points if allowed(point) and not chr(point).isspace())
    assert xml_text(every) == kept
    assert xml_text(" a\t\x00b \n\ufffe c\r") == "a b c"
