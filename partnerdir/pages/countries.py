"""The countries page and one page per country served, its partners by level."""

from __future__ import annotations

from collections.abc import Sequence

from ..countries import country_name
from ..model import Partner, Standing
from ..wording import count, country_cap_text, country_in_sentence
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
    """A page per country where a listed partner is based or that one serves: first the
    partners based there (their home country, from their latest review row: where the
    programme measures them and counts its caps), then those based elsewhere that also serve
    it. A partner adding a country to its own file joins only the second list."""
    pages = []
    for code, (based, serving) in sorted(split_by_country(ctx).items()):
        name = country_name(code)
        in_sentence = country_in_sentence(code)
        region = ctx.program.region_of(code)
        caps = tuple(
            text
            for cap in ctx.program.caps
            if (text := country_cap_text(ctx.program, cap, code)) is not None
        )
        pages.append(
            page(
                ctx,
                f"countries/{code.lower()}/index.html",
                "country.html",
                title=f"Partners in {in_sentence}",
                section="countries",
                url=ctx.urls.country(code),
                description=f"Partners based in or serving {in_sentence}, by level",
                country=name,
                code=code,
                count_text=_count_text(len(based), len(serving), in_sentence),
                based_heading=f"Partners based in {in_sentence}",
                based_groups=_groups(ctx, based),
                based_empty=f"No listed partner is based in {in_sentence}.",
                caps=caps,
                serving_heading=f"Also serving {in_sentence}",
                serving_lead=f"Partners based in another country that also serve {in_sentence}. "
                "Each is measured, and counted against caps, in its home country.",
                serving_groups=_groups(ctx, serving),
                region=Link(ctx.urls.program() + f"#region-{region.id}", region.name)
                if region
                else None,
                back=Link(ctx.urls.countries(), "All countries"),
            )
        )
    return pages


Pairs = list[tuple[Partner, Standing]]


def split_by_country(ctx: Context) -> dict[str, tuple[Pairs, Pairs]]:
    """Country code -> (partners based there, partners based elsewhere that serve it), each
    in the order of `ctx.listed`."""
    split: dict[str, tuple[Pairs, Pairs]] = {}
    for partner, standing in ctx.listed:
        split.setdefault(standing.country, ([], []))[0].append((partner, standing))
        for code in partner.countries:
            if code != standing.country:
                split.setdefault(code, ([], []))[1].append((partner, standing))
    return split


def _count_text(based: int, serving: int, in_sentence: str) -> str:
    """ "2 partners are based in the Netherlands; 1 partner based elsewhere also serves it." """
    parts = []
    if based:
        verb = "is" if based == 1 else "are"
        parts.append(f"{count(based, 'partner')} {verb} based in {in_sentence}")
    if serving:
        verb = "serves" if serving == 1 else "serve"
        whom = "it" if based else in_sentence
        parts.append(f"{count(serving, 'partner')} based elsewhere also {verb} {whom}")
    return "; ".join(parts) + "."


def _groups(ctx: Context, partners: Sequence[tuple[Partner, Standing]]) -> tuple[LevelGroup, ...]:
    groups = []
    for level in reversed(ctx.program.levels):
        cards = tuple(ctx.cards[p.id] for p, s in partners if s.level == level.id)
        if cards:
            groups.append(LevelGroup(ctx.badges[level.id], count(len(cards), "partner"), cards))
    return tuple(groups)
