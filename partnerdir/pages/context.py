"""What every page is planned from, computed once, and how a page is put together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..colours import text_colour
from ..countries import country_name
from ..history import changes_by_partner
from ..levels import listed_partners
from ..model import (
    Directory,
    Evaluation,
    LevelChange,
    Partner,
    Program,
    ReviewRow,
    SiteOptions,
    Standing,
)
from ..urls import Urls
from ..wording import (
    card_figures,
    card_place,
    card_services,
    country_list,
    initials,
    meets_text,
    review_text,
)
from .sorting import card_metrics, sort_positions
from .views import Badge, Card, CountLink, DateText, LevelStyle, Link, Logo, NavItem, Page, Site


@dataclass(frozen=True, slots=True)
class Context:
    """What every page function needs, computed once per planner."""

    program: Program
    directory: Directory
    evaluation: Evaluation
    urls: Urls
    site: Site
    #: Listed partners (levels.listed_partners), by level (highest first), then name.
    listed: tuple[tuple[Partner, Standing], ...]
    cards: Mapping[str, Card]
    badges: Mapping[str, Badge]
    #: Sort key -> partner id -> position (see sort_positions).
    positions: Mapping[str, Mapping[str, int]]
    #: Partner id -> its review rows, oldest first.
    rows: Mapping[str, tuple[ReviewRow, ...]]
    #: Partner id -> its level changes, in order (history.changes_by_partner).
    changes: Mapping[str, tuple[LevelChange, ...]]
    #: Level id -> (name, home country) of the listed partners holding it, in the site's
    #: order: each level's count, who holds the places a cap limits (wording.cap_notice) and
    #: who holds it by regional targets, gathered once rather than from every listed partner
    #: on each capped partner's profile.
    holders: Mapping[str, tuple[tuple[str, str], ...]]


def build_context(directory: Directory, evaluation: Evaluation, options: SiteOptions) -> Context:
    """The context of every page: listed partners with their cards and badges, sort
    positions and review rows, the site's own record."""
    program = directory.program
    urls = Urls(options.base_url)
    badges = {
        level.id: Badge(level.id, level.name, f"level-{level.id}", urls.level(level.id))
        for level in program.levels
    }
    listed = tuple(listed_partners(directory, evaluation))
    site = Site(
        title=program.site.title,
        tagline=program.site.tagline,
        home=urls.home(),
        stylesheet=urls.static("style.css"),
        script=urls.static("search.js"),
        feed=urls.feed(),
        level_styles=tuple(
            LevelStyle(f"level-{level.id}", level.colour, text_colour(level.colour))
            for level in program.levels
        ),
        footer=(
            Link(urls.program(), "How levels work"),
            Link(urls.partners_json(), "Partners as JSON"),
            Link(urls.feed(), "Level changes (Atom feed)"),
            Link(urls.schema_json(), "Partner file schema"),
        ),
        today=DateText.of(options.today),
    )
    by_id = {partner.id: (partner, standing) for partner, standing in listed}
    cards = _Cards(lambda partner_id: _card(program, urls, badges, *by_id[partner_id]))
    positions = sort_positions(program, listed)
    rows: dict[str, list[ReviewRow]] = {}
    for row in directory.rows:
        rows.setdefault(row.partner, []).append(row)
    by_partner = {pid: tuple(sorted(found, key=lambda r: r.date)) for pid, found in rows.items()}
    changes = changes_by_partner(evaluation.changes)
    holders: dict[str, list[tuple[str, str]]] = {}
    for partner, standing in listed:
        holders.setdefault(standing.level, []).append((partner.name, standing.country))
    return Context(
        program,
        directory,
        evaluation,
        urls,
        site,
        listed,
        cards,
        badges,
        positions,
        by_partner,
        changes,
        {level: tuple(found) for level, found in holders.items()},
    )


def _nav(ctx: Context, current: str) -> tuple[NavItem, ...]:
    items = (
        ("home", ctx.urls.home(), "Find a partner"),
        ("countries", ctx.urls.countries(), "Countries"),
        ("program", ctx.urls.program(), "Levels & criteria"),
        ("stats", ctx.urls.stats(), "Statistics"),
    )
    return tuple(NavItem(href, text, key == current) for key, href, text in items)


def page(
    ctx: Context,
    path: str,
    template: str,
    *,
    title: str,
    section: str,
    url: str,
    description: str,
    **values: object,
) -> Page:
    """A page: what every template reads (site, navigation, titles, canonical URL) and the
    page's own `values`."""
    full_title = ctx.site.title if title == ctx.site.title else f"{title} · {ctx.site.title}"
    context: dict[str, object] = {
        "site": ctx.site,
        "nav": _nav(ctx, section),
        "title": full_title,
        "heading": title,
        "description": description,
        "canonical": ctx.urls.absolute(url),
        **values,
    }
    return Page(path, template, context)


class _Cards(dict[str, Card]):
    """Each listed partner's card, made when first asked for: a process that plans a share of
    the profiles makes the cards of its share only, not every partner's before it starts
    (0.1 to 0.3 s of CPU at 10,000 partners, before the profiles could start)."""

    def __init__(self, make: Callable[[str], Card]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, partner_id: str) -> Card:
        card = self[partner_id] = self._make(partner_id)
        return card


def _card(
    program: Program, urls: Urls, badges: Mapping[str, Badge], partner: Partner, standing: Standing
) -> Card:
    return Card(
        id=partner.id,
        name=partner.name,
        href=urls.partner(partner.id),
        logo=logo(urls, partner, decorative=True),
        initials=initials(partner.name),
        badge=badges[standing.level],
        countries=country_list(partner.countries),
        notice=review_text(standing.under_review_until) if standing.under_review_until else "",
        meets=meets_text(program.level(standing.earned).name)
        if standing.under_review_until is None
        and program.rank(standing.earned) > program.rank(standing.capped)
        else "",
        summary=partner.summary or "",
        place=card_place(partner.city, standing.country),
        services=card_services(program.services, partner.services),
        figures=card_figures(
            [(metric, standing.latest.published(metric)) for metric in card_metrics(program)]
        ),
    )


def logo(urls: Urls, partner: Partner, *, decorative: bool) -> Logo | None:
    """The partner's logo; a decorative one (beside the name on a card) has no alt text."""
    if not partner.logo:
        return None
    return Logo(urls.logo(partner.id, partner.logo), "" if decorative else f"{partner.name} logo")


def level_links(ctx: Context) -> tuple[CountLink, ...]:
    """Every level, highest first, with its count of listed partners."""
    return tuple(
        CountLink(ctx.urls.level(level.id), level.name, len(ctx.holders.get(level.id, ())), "")
        for level in reversed(ctx.program.levels)
    )


def country_links(ctx: Context) -> tuple[CountLink, ...]:
    """Every country where a listed partner is based or that one serves, by name, with its
    count of partners: those based there by level, then those based elsewhere serving it."""
    based: dict[str, Counter[str]] = {}
    serving: dict[str, Counter[str]] = {}
    for partner, standing in ctx.listed:
        based.setdefault(standing.country, Counter())[standing.level] += 1
        for code in partner.countries:
            if code != standing.country:
                serving.setdefault(code, Counter())[standing.level] += 1

    def levels(counts: Counter[str]) -> str:
        return ", ".join(
            f"{counts[level.id]} {level.name}"
            for level in reversed(ctx.program.levels)
            if counts[level.id]
        )

    links = []
    for code in sorted(based.keys() | serving.keys(), key=lambda c: (country_name(c), c)):
        here, also = based.get(code, Counter()), serving.get(code, Counter())
        parts = []
        if here:
            parts.append(f"based here: {levels(here)}")
        if also:
            parts.append(f"also serving: {sum(also.values())}")
        detail = "; ".join(parts)
        links.append(
            CountLink(
                ctx.urls.country(code),
                country_name(code),
                sum(here.values()) + sum(also.values()),
                detail[:1].upper() + detail[1:],
            )
        )
    return tuple(links)
