"""The countries page and one page per country served, its partners by level."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..countries import country_name
from ..model import Partner, Standing
from ..urls import output_path
from ..wording import (
    count,
    country_cap_text,
    country_in_sentence,
    country_pager_label,
    group_heading,
    jump_text,
    page_title,
    search_within_text,
)
from .context import Context, country_links, page
from .paging import CARDS_PER_PAGE, chunks, short_pager
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
    """Pages per country where a listed partner is based or that one serves: first the
    partners based there (their home country, from their latest review row: where the
    programme measures them and counts its caps), then those based elsewhere that also serve
    it. A partner adding a country to its own file joins only the second list. A long list
    is cut into pages of CARDS_PER_PAGE cards, with jump links to each level's group."""
    pages = []
    for code, (based, serving) in sorted(split_by_country(ctx).items()):
        pages += _pages_of_country(ctx, code, based, serving)
    return pages


def _pages_of_country(ctx: Context, code: str, based: Pairs, serving: Pairs) -> list[Page]:
    name = country_name(code)
    in_sentence = country_in_sentence(code)
    region = ctx.program.region_of(code)
    caps = tuple(
        text
        for cap in ctx.program.caps
        if (text := country_cap_text(ctx.program, cap, code)) is not None
    )
    entries = [("based", pair) for pair in based] + [("serving", pair) for pair in serving]
    runs = chunks(entries, CARDS_PER_PAGE)
    jumps = _jump_links(ctx, code, entries)
    pages = []
    for number, run in enumerate(runs, start=1):
        title = page_title(f"Partners in {in_sentence}", number, len(runs))
        pages.append(
            page(
                ctx,
                output_path(ctx.urls.country(code, number), ctx.urls.root),
                "country.html",
                title=title,
                section="countries",
                url=ctx.urls.country(code, number),
                description=f"Partners based in or serving {in_sentence}, by level",
                country=name,
                code=code,
                first_page=number == 1,
                count_text=_count_text(len(based), len(serving), in_sentence),
                based_heading=f"Partners based in {in_sentence}",
                based_groups=_groups(ctx, based, [pair for kind, pair in run if kind == "based"]),
                based_empty=f"No listed partner is based in {in_sentence}.",
                caps=caps,
                serving_heading=f"Also serving {in_sentence}",
                serving_lead=f"Partners based in another country that also serve {in_sentence}. "
                "Each is measured, and counted against caps, in its home country.",
                serving_groups=_groups(
                    ctx, serving, [pair for kind, pair in run if kind == "serving"]
                ),
                region=Link(ctx.urls.program() + f"#region-{region.id}", region.name)
                if region
                else None,
                back=Link(ctx.urls.countries(), "All countries"),
                jumps=jumps if len(runs) > 1 else (),
                search_within=Link(
                    f"{ctx.urls.home()}?country={code}", search_within_text(in_sentence)
                ),
                pager=short_pager(
                    number,
                    len(runs),
                    lambda n: ctx.urls.country(code, n),
                    country_pager_label(name),
                ),
            )
        )
    return pages


def _jump_links(
    ctx: Context, code: str, entries: Sequence[tuple[str, tuple[Partner, Standing]]]
) -> tuple[Link, ...]:
    """A link to where each level's group starts, on whichever page that is: "Gold (40)"
    for the partners based there, "Also serving (12)" for the rest."""
    starts: dict[tuple[str, str], int] = {}
    sizes: Counter[tuple[str, str]] = Counter()
    for index, (kind, (_, standing)) in enumerate(entries):
        key = (kind, standing.level if kind == "based" else "")
        starts.setdefault(key, index)
        sizes[key] += 1
    links = []
    for (kind, level_id), start in starts.items():
        anchor = f"based-{level_id}" if kind == "based" else "also-serving"
        text = ctx.program.level(level_id).name if kind == "based" else "Also serving"
        href = ctx.urls.country(code, start // CARDS_PER_PAGE + 1) + "#" + anchor
        links.append(Link(href, jump_text(text, sizes[(kind, level_id)])))
    return tuple(links)


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


def _groups(ctx: Context, partners: Pairs, on_page: Pairs) -> tuple[LevelGroup, ...]:
    """The level groups of `on_page` (part of `partners`), each headed by its whole count
    and, when the group runs over more than this page, which of them this page shows."""
    totals: Counter[str] = Counter()
    place: dict[str, int] = {}  # partner id -> its place in its level's group, from 1
    for partner, standing in partners:
        totals[standing.level] += 1
        place[partner.id] = totals[standing.level]
    groups = []
    for level in reversed(ctx.program.levels):
        shown = [p for p, s in on_page if s.level == level.id]
        if shown:
            heading = group_heading(totals[level.id], place[shown[0].id], place[shown[-1].id])
            cards = tuple(ctx.cards[p.id] for p in shown)
            groups.append(LevelGroup(ctx.badges[level.id], heading, cards))
    return tuple(groups)
