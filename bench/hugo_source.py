"""Turn a checked content folder into the source of the Hugo site in bench/hugo/.

Hugo cannot compute levels, so the harness hands it what our evaluation decided: each listed
partner's level, level and member dates, notices, graduation path, the published figures as
the site formats them and the sort positions for search. Its charts are handed as data (each
figure's values with the words the site prints for them, the days each level began), never as
geometry. Everything a Hugo site would do itself stays Hugo's work: rendering the Markdown
descriptions, looking up country, language and term names, grouping and ordering partners on
the home, country and level pages, paginating the home page, scaling, rounding and drawing the
charts, copying logos, and (with Pagefind after it) indexing the profiles.

Partners become content/partners/<id>.md (JSON front matter, the description as the body);
countries and levels are Hugo taxonomies, so /countries/<cc>/ and /levels/<id>/ are term pages.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from partnerdir.colours import text_colour
from partnerdir.content.checking import check_content
from partnerdir.countries import country_name, language_name
from partnerdir.model import SiteOptions
from partnerdir.pages import home, profile, timeline
from partnerdir.pages.context import build_context
from partnerdir.pages.level import level_info
from partnerdir.pages.views import DateText
from partnerdir.render import builtin_templates
from partnerdir.urls import logo_file_name
from partnerdir.wording import country_in_sentence, date_text, expiry_text

SITE = Path(__file__).resolve().parent / "hugo"


@dataclass(frozen=True, slots=True)
class HugoSource:
    """What was written: the Hugo source folder and the page counts Hugo should produce."""

    folder: Path
    partners: int
    countries: int
    levels: int
    home_pages: int


class ContentError(Exception):
    """The content does not pass the check, so there is nothing to build."""


def write_hugo_source(content: Path, today: date, folder: Path) -> HugoSource:
    """Copy bench/hugo/ to `folder` and add the content, data and static files of `content`."""
    checked = check_content(content, today)
    if checked.directory is None or checked.evaluation is None:
        errors = "\n".join(str(p) for p in checked.problems if p.is_error)
        raise ContentError(f"{content} does not pass the check:\n{errors}")
    directory, evaluation = checked.directory, checked.evaluation
    program = directory.program
    options = SiteOptions(program.site.base_url, today)
    # The page planner's own helpers, so Hugo shows the same words for the same facts.
    ctx = build_context(directory, evaluation, options)
    public = [metric for metric in program.metrics.values() if metric.public]

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SITE, folder)
    partners_dir = folder / "content" / "partners"
    partners_dir.mkdir(parents=True, exist_ok=True)
    logos = folder / "static" / "logos"
    logos.mkdir(parents=True)
    static = folder / "static" / "static"
    shutil.copytree(builtin_templates() / "static", static)

    served: dict[str, int] = {}
    for position, (partner, standing) in enumerate(ctx.listed, start=1):
        card = ctx.cards[partner.id]
        figures = profile._figure_table(program, public, standing, ctx.rows.get(partner.id, ()))
        path = profile._path_view(ctx, standing)
        search = profile.search_data(ctx, partner, standing)
        events = timeline.partner_events(ctx, standing)
        history = timeline.timeline_view(ctx, events)
        snippet = profile._snippet(ctx, partner, program.level(standing.level))
        front: dict[str, Any] = {
            "title": partner.name,
            "weight": position,
            "countries": [code.lower() for code in partner.countries],
            "levels": [standing.level],
            "level": standing.level,
            "level_since": _date(standing.level_since),
            "member_since": _date(standing.member_since),
            "website": partner.website,
            "contact": partner.contact or "",
            "logo": card.logo.src if card.logo else "",
            "initials": card.initials,
            "notice": card.notice,
            "meets": card.meets,
            "card_summary": card.summary,
            "card_place": card.place,
            "card_services": card.services,
            "card_figures": card.figures,
            "notices": [
                {"kind": n.kind, "title": n.title, "text": n.text}
                for n in profile._notices(ctx, standing) + timeline.entry_notices(ctx, events)
            ],
            "programs": list(partner.programs),
            "services": list(partner.services),
            "industries": list(partner.industries),
            "languages": list(partner.languages),
            "figures": None
            if figures is None
            else {
                "caption": figures.caption,
                "hint": figures.hint,
                "columns": list(figures.columns),
                "rows": [
                    {"iso": r.date.iso, "text": r.date.text, "level": r.level, "cells": r.cells}
                    for r in figures.rows
                ],
            },
            "path": None
            if path is None
            else {
                "heading": path.heading,
                "summary": path.summary,
                "note": path.note,
                "target": path.target.level,
                "region": None
                if path.region is None
                else {"href": path.region.href, "text": path.region.text, "note": path.region_note},
                "steps": [
                    {
                        "label": s.label,
                        "state": s.state,
                        "status": s.status,
                        "detail": s.detail,
                        "progress": s.progress,
                        "bar_label": s.bar_label,
                    }
                    for s in path.steps
                ],
            },
            "top_level": program.rank(standing.level) == len(program.levels) - 1,
            "sparks": [
                _series_data(series)
                for series in profile.figure_series(
                    program, public, standing, ctx.rows.get(partner.id, ())
                )
            ],
            "timeline": None
            if history is None
            else {
                "heading": history.heading,
                "chart": {
                    "title": timeline.CHART_TITLE,
                    "stretches": [
                        {
                            "iso": day.isoformat(),
                            "label": date_text(day, short=True),
                            "level": program.levels[rank].id,
                        }
                        for day, rank in timeline.level_stretches(ctx, events)
                    ],
                },
                "items": [
                    {
                        "iso": i.date.iso,
                        "date": i.date.text,
                        "kind": i.kind,
                        "title": i.title,
                        "text": i.text,
                    }
                    for i in history.items
                ],
            },
            "sorts": [{"name": f.name, "value": f.value} for f in search.sorts],
            "embed": {"heading": snippet.heading, "disclosure": snippet.disclosure},
            "card_lines": [
                {"name": f.name, "value": f.value}
                for f in search.metas
                if f.name in ("summary", "place", "services", "figures")
            ],
            "figs": [
                {"name": f.name, "value": f.value}
                for f in search.metas
                if f.name.startswith("fig_")
            ],
        }
        text = json.dumps(front, ensure_ascii=False, indent=None) + "\n\n" + partner.description
        (partners_dir / f"{partner.id}.md").write_text(text + "\n", encoding="utf-8")
        if partner.logo:
            shutil.copyfile(
                content / "partners" / partner.logo,
                logos / logo_file_name(partner.id, partner.logo),
            )
        for code in partner.countries:
            served[code] = served.get(code, 0) + 1

    _write_terms(folder, ctx, sorted(served))
    data = folder / "data"
    data.mkdir(exist_ok=True)
    _write_json(data / "site.json", _site_data(ctx, today))
    _write_json(data / "program.json", _program_data(ctx))
    _write_json(
        data / "countries.json",
        {
            code.lower(): {
                "code": code.lower(),
                "name": country_name(code),
                "in": country_in_sentence(code),
            }
            for code in sorted(served)
        },
    )
    languages = sorted({code for partner, _ in ctx.listed for code in partner.languages})
    _write_json(data / "languages.json", {code: language_name(code) for code in languages})
    total = len(ctx.listed)
    return HugoSource(
        folder=folder,
        partners=total,
        countries=len(served),
        levels=len({s.level for _, s in ctx.listed}),
        home_pages=max(1, -(-total // home.PAGE_SIZE)),
    )


def _write_terms(folder: Path, ctx: Any, countries: list[str]) -> None:
    """Term pages' titles: "Partners in the Netherlands", "Gold partners"."""
    for code in countries:
        where = country_in_sentence(code)
        region = ctx.program.region_of(code)
        front = {
            "title": f"Partners in {where}",
            "code": code,
            "in": where,
            "region": {"id": region.id, "name": region.name} if region else None,
        }
        _write_index(folder / "content" / "countries" / code.lower(), front)
    used = {standing.level for _, standing in ctx.listed}
    for level in ctx.program.levels:
        if level.id in used:
            front = {"title": f"{level.name} partners", "level": level.id}
            _write_index(folder / "content" / "levels" / level.id, front)


def _write_index(folder: Path, front: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(front, ensure_ascii=False) + "\n"
    (folder / "_index.md").write_text(text, encoding="utf-8")


def _site_data(ctx: Any, today: date) -> dict[str, Any]:
    site = ctx.program.site
    return {
        "title": site.title,
        "tagline": site.tagline,
        "intro": site.intro,
        "today": {**_date(today), "short": date_text(today, short=True)},
    }


def _program_data(ctx: Any) -> dict[str, Any]:
    program = ctx.program
    levels = []
    for level in reversed(program.levels):
        info = level_info(ctx, level)
        levels.append(
            {
                "id": level.id,
                "name": level.name,
                "rank": level.rank,
                "background": level.colour,
                "foreground": text_colour(level.colour),
                "description": level.description,
                "benefits": list(level.benefits),
                "rules": [
                    {"label": r.label, "target": r.target, "note": r.note} for r in info.rules
                ],
                "adjustments": [
                    {
                        "id": a.href.rsplit("#region-", 1)[-1],
                        "region": a.region,
                        "countries": a.countries,
                        "rules": [
                            {"label": r.label, "target": r.target, "note": r.note} for r in a.rules
                        ],
                    }
                    for a in info.adjustments
                ],
                "caps": list(info.caps),
                "expiry": expiry_text(program) if level.rank == 0 else "",
            }
        )
    sorts = [
        {"value": s.value, "label": s.label, "figure": s.figure_label}
        for s in home._search_ui(ctx).sorts
    ]

    def terms(items: Any) -> list[dict[str, str]]:
        return [{"id": t.id, "name": t.name} for t in items]

    return {
        "levels": levels,
        "level": {level["id"]: level for level in levels},
        "programs": terms(program.programs),
        "services": terms(program.services),
        "industries": terms(program.industries),
        "sorts": sorts,
    }


def _series_data(series: profile.FigureSeries) -> dict[str, Any]:
    """A figure's sparkline as data: the values, and the words the site prints for each of
    them (Hugo cannot apply the metric's format); the scale and the drawing are Hugo's work."""

    def mark(value: float) -> dict[str, Any]:
        return {"value": value, "text": series.format(value)}

    target = series.target
    return {
        "title": series.title,
        "better": series.better,
        "floor": None if series.floor is None else mark(series.floor),
        "target": None if target is None else {**mark(target.value), "words": target.text},
        # an unpublished value leaves a review out of the line
        "points": [
            {"label": label, **(mark(value) if value is not None else {"value": None})}
            for label, value in series.points
        ],
    }


def _date(day: date) -> dict[str, str]:
    text = DateText.of(day)
    return {"iso": text.iso, "text": text.text}


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
