"""partners.json, its JSON Schema partners.schema.json, and partner.schema.json: each listed
partner's public fields, the schema they follow, and the JSON Schema of a partner file."""

from __future__ import annotations

import json
from typing import Any

from ..content.schema import ID_PATTERN, partner_json_schema
from ..levels import listed_partners
from ..model import (
    Directory,
    Evaluation,
    Metric,
    MetricType,
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
    """partners.json (every listed partner's public fields), partners.schema.json (its JSON
    Schema) and partner.schema.json (a partner file's).

    partners.json is a list, so it cannot name its schema with "$schema"; the schema's "$id"
    names itself, and the list stays as it was.
    """
    urls = Urls(options.base_url)
    records = partner_records(directory, evaluation, options)
    schema = partner_json_schema(directory.program, urls.absolute(urls.schema_json()))
    records_schema = partners_json_schema(
        directory.program, urls.absolute(urls.partners_schema_json())
    )
    return {
        output_path(urls.partners_json(), urls.root): _json(records, sort_keys=True, indent=None),
        # the schemas keep their designed key order ($schema, title, ... properties in order)
        output_path(urls.schema_json(), urls.root): _json(schema, sort_keys=False, indent=2),
        output_path(urls.partners_schema_json(), urls.root): _json(
            records_schema, sort_keys=False, indent=2
        ),
    }


def partners_json_schema(program: Program, schema_url: str = "") -> dict[str, Any]:
    """The JSON Schema of partners.json: a list of records as `_record` builds them.

    The fields a partner file sets take their rules from the partner file's schema (the same
    vocabularies and patterns); levels are the programme's, figures its public metrics. Every
    field is required and no other is allowed, so a field added to `_record` and not here fails
    the tests that validate partners.json against this schema.
    """
    own = partner_json_schema(program)["properties"]

    def from_file(name: str) -> dict[str, Any]:
        return {k: v for k, v in own[name].items() if k not in ("description", "examples")}

    def nullable(schema: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [schema, {"type": "null"}]}

    absolute_url = {"type": "string", "pattern": "^https?://"}
    date = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    level_ids = [level.id for level in program.levels]
    public = [metric for metric in program.metrics.values() if metric.public]
    figures = {
        "type": "object",
        "description": "The review's figures of public metrics; null where the cell was empty.",
        "properties": {metric.id: nullable(_figure_schema(metric)) for metric in public},
        "required": [metric.id for metric in public],
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": ID_PATTERN.pattern},
        "name": from_file("name"),
        "url": {**absolute_url, "description": "The partner's profile on this site."},
        "website": from_file("website"),
        "logo": nullable(absolute_url),
        "summary": nullable(from_file("summary")),
        "countries": from_file("countries"),
        "city": nullable(from_file("city")),
        "programs": from_file("programs"),
        "services": from_file("services"),
        "industries": from_file("industries"),
        "languages": from_file("languages"),
        "contact": nullable(from_file("contact")),
        "home_country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "level": {"type": "string", "enum": level_ids},
        "level_name": {"type": "string", "enum": [level.name for level in program.levels]},
        "badge": {**absolute_url, "description": "The partner's embeddable badge (SVG)."},
        "level_since": date,
        "member_since": date,
        "under_review_until": nullable(date),
        "latest_review": {
            "type": "object",
            "properties": {"date": date, "figures": figures},
            "required": ["date", "figures"],
            "additionalProperties": False,
        },
        "reviews": {
            "type": "array",
            "description": "Every review of the partner, oldest first.",
            "items": {
                "type": "object",
                "properties": {
                    "date": date,
                    "level": nullable({"type": "string", "enum": level_ids}),
                    "figures": figures,
                },
                "required": ["date", "level", "figures"],
                "additionalProperties": False,
            },
        },
    }
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Listed partners: {program.site.title}",
        "description": "partners.json: every listed partner's public fields, in the site's "
        "order (level, highest first, then name). Private figures are never included.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        },
    }
    if schema_url:
        schema = {"$schema": schema.pop("$schema"), "$id": schema_url, **schema}
    return schema


def _figure_schema(metric: Metric) -> dict[str, Any]:
    """A published figure of `metric`, as parse_value reads it."""
    if metric.type is MetricType.BOOLEAN:
        return {"type": "boolean"}
    if metric.type is MetricType.CHOICE:
        return {"type": "string", "enum": list(metric.choices)}
    schema: dict[str, Any] = {"type": "integer" if metric.type is MetricType.INTEGER else "number"}
    if metric.minimum is not None:
        schema["minimum"] = metric.minimum
    if metric.maximum is not None:
        schema["maximum"] = metric.maximum
    return schema


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
        "summary": partner.summary,
        "countries": list(partner.countries),
        "city": partner.city,
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
