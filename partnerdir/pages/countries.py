"""The countries page and one page per country served, its partners by level."""

from __future__ import annotations

from collections.abc import Sequence

from ..countries import country_name
from ..model import Partner, Standing
from ..wording import count, country_in_sentence
from .context import Context, country_links, page
from .views import LevelGroup, Link, Page


def countries_page(ctx: Context) -> Page:
    links = country_links(ctx)
    return page(
        ctx,
        "countries/index.html",
        "countries.html",
        title="Partners by country",
        section="countries",
        url=ctx.urls.countries(),
        description=f"Partners in {count(len(links), 'country', 'countries')}",
        countries=links,
        count_text=count(len(links), "country", "countries"),
    )


def country_pages(ctx: Context) -> list[Page]:
    served: dict[str, list[tuple[Partner, Standing]]] = {}
    for partner, standing in ctx.listed:
        for code in partner.countries:
            served.setdefault(code, []).append((partner, standing))
    pages = []
    for code in sorted(served):
        name = country_name(code)
        in_sentence = country_in_sentence(code)
        region = ctx.program.region_of(code)
        pages.append(
            page(
                ctx,
                f"countries/{code.lower()}/index.html",
                "country.html",
                title=f"Partners in {in_sentence}",
                section="countries",
                url=ctx.urls.country(code),
                description=f"Partners serving {in_sentence}, by level",
                country=name,
                code=code,
                groups=_groups(ctx, served[code]),
                count_text=f"{count(len(served[code]), 'partner', verb=True)} {in_sentence}.",
                region=Link(ctx.urls.program() + f"#region-{region.id}", region.name)
                if region
                else None,
                back=Link(ctx.urls.countries(), "All countries"),
            )
        )
    return pages


def _groups(ctx: Context, partners: Sequence[tuple[Partner, Standing]]) -> tuple[LevelGroup, ...]:
    groups = []
    for level in reversed(ctx.program.levels):
        cards = tuple(ctx.cards[p.id] for p, s in partners if s.level == level.id)
        if cards:
            groups.append(LevelGroup(ctx.badges[level.id], count(len(cards), "partner"), cards))
    return tuple(groups)
