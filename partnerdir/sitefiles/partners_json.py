"""partners.json and partner.schema.json: each listed partner's public fields, and the JSON Schema
of a partner file."""

from __future__ import annotations

import json

from ..content.schema import partner_json_schema
from ..levels import listed_partners
from ..model import (
    Directory,
    Evaluation,
    Metric,
    Partner,
    Program,
    ReviewRow,
    SiteOptions,
    Standing,
)
from ..urls import Urls, output_path

#: A partner in partners.json: JSON values only (str, number, bool, None, lists, mappings).
Record = dict[str, object]


def partners_json_files(
    directory: Directory, evaluation: Evaluation, options: SiteOptions
) -> dict[str, bytes]:
    """partners.json (every listed partner's public fields) and partner.schema.json."""
    urls = Urls(options.base_url)
    records = partner_records(directory, evaluation, options)
    schema = partner_json_schema(directory.program, urls.absolute(urls.schema_json()))
    return {
        output_path(urls.partners_json(), urls.root): _json(records, sort_keys=True, indent=None),
        # the schema keeps its designed key order ($schema, title, ... properties in file order)
        output_path(urls.schema_json(), urls.root): _json(schema, sort_keys=False, indent=2),
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
