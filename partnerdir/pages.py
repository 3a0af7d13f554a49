"""Which pages the site has and every value they show, prepared so templates compute nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup, escape

from .charts import BarChart, LineChart, Series, line_chart, stacked_bar_chart
from .colours import text_colour
from .countries import country_name, language_name
from .levels import entry_expired, last_full_review, listed_partners
from .markup import render_markdown
from .model import (
    ChangeKind,
    Criterion,
    CriterionProgress,
    Directory,
    Evaluation,
    Level,
    LevelChange,
    Metric,
    MetricType,
    Partner,
    Program,
    ReviewRow,
    SiteOptions,
    Standing,
    Term,
    Value,
)
from .urls import Urls
from .wording import (
    cap_text,
    column_label,
    count,
    country_in_sentence,
    country_list,
    date_text,
    display_url,
    expiry_text,
    format_value,
    initials,
    language_list,
    metric_kind,
    month_text,
    review_text,
    sentence,
    target_text,
    term_list,
)

#: Partners per page of the plain (no-JavaScript) list on the home page.
PAGE_SIZE = 60
#: Metric types a customer can sort partners by (an order exists between their values).
SORTABLE = (MetricType.INTEGER, MetricType.NUMBER, MetricType.MONEY, MetricType.CHOICE)
#: Metric types drawn as a line over the review dates.
CHARTED = (MetricType.INTEGER, MetricType.NUMBER, MetricType.MONEY)


# --- Records the templates read -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    #: Output file, relative to the site root: "partners/acme/index.html".
    path: str
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    text: str
    current: bool


@dataclass(frozen=True, slots=True)
class DateText:
    iso: str
    text: str


@dataclass(frozen=True, slots=True)
class LevelStyle:
    """The colours of one level's badge: the level colour and a text colour that contrasts."""

    css_class: str
    background: str
    foreground: str


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    tagline: str
    home: str
    stylesheet: str
    script: str
    feed: str
    level_styles: tuple[LevelStyle, ...]
    footer: tuple[Link, ...]
    today: DateText


@dataclass(frozen=True, slots=True)
class Badge:
    """A level badge as shown on cards and profiles."""

    level: str
    name: str
    css_class: str
    href: str


@dataclass(frozen=True, slots=True)
class Logo:
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class Card:
    """A partner in a list: what a customer needs to pick whom to open."""

    id: str
    name: str
    href: str
    logo: Logo | None
    initials: str
    badge: Badge
    countries: str
    programs: str
    notice: str


@dataclass(frozen=True, slots=True)
class CountLink:
    href: str
    text: str
    count: int
    #: "3 Gold, 1 Silver": the levels behind the count.
    detail: str

    @property
    def unit(self) -> str:
        """The word after the count, for screen readers: "partner" or "partners"."""
        return "partner" if self.count == 1 else "partners"


@dataclass(frozen=True, slots=True)
class PagerLink:
    number: int
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    current: int
    total: int
    previous: str
    next: str
    pages: tuple[PagerLink, ...]


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Facet:
    #: The Pagefind filter name and the URL parameter: "country".
    name: str
    label: str
    #: The first option's text: "All countries".
    any_label: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True, slots=True)
class SortChoice:
    #: The Pagefind sort key and the URL value: "level", "name", "fig_csat".
    value: str
    label: str
    #: The card line shown when this sort is chosen ("Customer satisfaction"); "" for none.
    figure_label: str


@dataclass(frozen=True, slots=True)
class SearchUi:
    pagefind: str
    base: str
    facets: tuple[Facet, ...]
    sorts: tuple[SortChoice, ...]
    total: int


@dataclass(frozen=True, slots=True)
class PagefindField:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class PagefindData:
    """What Pagefind reads from a profile: facets, sort keys and the card fields."""

    filters: tuple[PagefindField, ...]
    sorts: tuple[PagefindField, ...]
    metas: tuple[PagefindField, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of the profile's fact list: a label and its links or words."""

    label: str
    links: tuple[Link, ...]
    text: str


@dataclass(frozen=True, slots=True)
class FigureTable:
    caption: str
    columns: tuple[str, ...]
    #: Each row: the date, then the level at that date, then one formatted cell per column.
    rows: tuple[FigureRow, ...]


@dataclass(frozen=True, slots=True)
class FigureRow:
    date: DateText
    level: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    """One criterion on the graduation path, readable as text with or without the bar."""

    label: str
    met: bool
    #: "met" or "unmet": the step's CSS class.
    state: str
    status: str
    #: "8 now; target at least 10" or "private figure: only met / not yet is published".
    detail: str
    #: 0..100, None for private metrics (no bar).
    progress: int | None
    #: The bar's accessible name: "Certified engineers: 80% of the target".
    bar_label: str


@dataclass(frozen=True, slots=True)
class PathView:
    heading: str
    summary: str
    target: Badge
    steps: tuple[StepView, ...]
    #: Why a partner meeting every criterion does not hold the level ("" when it does not apply).
    note: str = ""


@dataclass(frozen=True, slots=True)
class Snippet:
    image: str
    alt: str
    html: str
    markdown: str


@dataclass(frozen=True, slots=True)
class Notice:
    #: "review" (under review until D) or "cap" (held below the earned level by a cap).
    kind: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    logo: Logo | None
    initials: str
    badge: Badge
    description: Markup
    website: Link
    contact: Link | None
    facts: tuple[Fact, ...]
    member_since: DateText
    level_since: DateText
    notices: tuple[Notice, ...]
    figures: FigureTable | None
    charts: tuple[LineChart, ...]
    path: PathView | None
    top_level: bool
    snippet: Snippet
    #: The partner file in the directory's repository ("edit this listing"); "" when unknown.
    source: str
    pagefind: PagefindData


@dataclass(frozen=True, slots=True)
class LevelGroup:
    badge: Badge
    heading: str
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A criterion in plain words: "Certified engineers: at least 10"."""

    label: str
    target: str
    note: str


@dataclass(frozen=True, slots=True)
class Adjustment:
    region: str
    #: The region on the programme page.
    href: str
    countries: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class LevelInfo:
    id: str
    badge: Badge
    description: str
    benefits: tuple[str, ...]
    rules: tuple[Rule, ...]
    adjustments: tuple[Adjustment, ...]
    caps: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class LevelRules:
    badge: Badge
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class RegionInfo:
    anchor: str
    name: str
    countries: str
    description: str
    levels: tuple[LevelRules, ...]


@dataclass(frozen=True, slots=True)
class LevelCount:
    badge: Badge
    count: int


@dataclass(frozen=True, slots=True)
class Changes:
    """Promotions and demotions since `since`, the last full review."""

    since: DateText | None
    promotions: tuple[ChangeView, ...]
    demotions: tuple[ChangeView, ...]

    @property
    def promotions_heading(self) -> str:
        return f"Promotions ({len(self.promotions)})"

    @property
    def demotions_heading(self) -> str:
        return f"Demotions ({len(self.demotions)})"


@dataclass(frozen=True, slots=True)
class MetricInfo:
    label: str
    description: str
    kind: str
    public: bool


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    #: The header of the first column: "Country", "Region", "Review".
    corner: str
    columns: tuple[str, ...]
    #: Each row: a header cell (a link or words), then the numbers as text.
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class TableRow:
    header: Link
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChangeView:
    partner: Link
    before: Badge
    after: Badge
    date: DateText
    reason: str


# --- The plan -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """What every page function needs, computed once."""

    program: Program
    directory: Directory
    evaluation: Evaluation
    urls: Urls
    site: Site
    #: Listed partners (a standing, not expired), by level (highest first), then name.
    listed: tuple[tuple[Partner, Standing], ...]
    cards: Mapping[str, Card]
    badges: Mapping[str, Badge]
    #: Sort key -> partner id -> position (see _sort_positions).
    positions: Mapping[str, Mapping[str, int]]
    #: Partner id -> its review rows, oldest first.
    rows: Mapping[str, tuple[ReviewRow, ...]]


def plan_pages(
    directory: Directory,
    evaluation: Evaluation,
    options: SiteOptions,
    shard: tuple[int, int] = (0, 1),
    *,
    profiles: Collection[str] | None = None,
) -> list[Page]:
    """Every HTML page of the site with its prepared context, sorted by output path.

    `shard=(k, n)` plans part k of n: every n-th profile from the k-th, and the other pages in
    part 0; the n parts together are the whole site. `profiles` plans the profiles of these
    partner ids only (serve, after a partner's edit). A build uses Planner, one page at a time.
    """
    planner = Planner(directory, evaluation, options)
    if profiles is not None:
        return list(planner.profiles(only=profiles))
    pages = list(planner.profiles(shard))
    if shard[0] == 0:
        pages += planner.others()
    return sorted(pages, key=lambda page: page.path)


class Planner:
    """Plans pages one at a time, so that a large site never holds every page's context."""

    def __init__(self, directory: Directory, evaluation: Evaluation, options: SiteOptions):
        self._ctx = _context(directory, evaluation, options)

    def profiles(
        self, shard: tuple[int, int] = (0, 1), only: Collection[str] | None = None
    ) -> Iterator[Page]:
        """Profiles of every n-th listed partner from the k-th (`shard=(k, n)`), or of `only`."""
        ctx = self._ctx
        part, parts = shard
        for partner, standing in ctx.listed[part::parts]:
            if only is None or partner.id in only:
                yield _profile_page(ctx, partner, standing)

    def others(self) -> Iterator[Page]:
        """Every page but the profiles: home, countries, levels, programme, statistics, 404."""
        ctx = self._ctx
        yield from _home_pages(ctx)
        yield _countries_page(ctx)
        yield from _country_pages(ctx)
        yield from (_level_page(ctx, level) for level in ctx.program.levels)
        yield _program_page(ctx)
        yield _stats_page(ctx)
        yield _not_found_page(ctx)


def _context(directory: Directory, evaluation: Evaluation, options: SiteOptions) -> _Context:
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
        today=_date(options.today),
    )
    cards = {
        partner.id: _card(program, urls, badges, partner, standing) for partner, standing in listed
    }
    positions = _sort_positions(program, listed)
    rows: dict[str, list[ReviewRow]] = {}
    for row in directory.rows:
        rows.setdefault(row.partner, []).append(row)
    by_partner = {pid: tuple(sorted(found, key=lambda r: r.date)) for pid, found in rows.items()}
    return _Context(
        program, directory, evaluation, urls, site, listed, cards, badges, positions, by_partner
    )


def _nav(ctx: _Context, current: str) -> tuple[NavItem, ...]:
    items = (
        ("home", ctx.urls.home(), "Find a partner"),
        ("countries", ctx.urls.countries(), "Countries"),
        ("program", ctx.urls.program(), "Levels & criteria"),
        ("stats", ctx.urls.stats(), "Statistics"),
    )
    return tuple(NavItem(href, text, key == current) for key, href, text in items)


def _page(
    ctx: _Context,
    path: str,
    template: str,
    *,
    title: str,
    section: str,
    url: str,
    description: str,
    **values: object,
) -> Page:
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


# --- Home and the plain list ----------------------------------------------------------------


def _home_pages(ctx: _Context) -> list[Page]:
    cards = [ctx.cards[partner.id] for partner, _ in ctx.listed]
    chunks = [cards[i : i + PAGE_SIZE] for i in range(0, len(cards), PAGE_SIZE)] or [[]]
    total = len(chunks)
    level_links = _level_links(ctx)
    country_links = _country_links(ctx)
    pages: list[Page] = []
    for number, chunk in enumerate(chunks, start=1):
        url = ctx.urls.home(number)
        pager = Pager(
            current=number,
            total=total,
            previous=ctx.urls.home(number - 1) if number > 1 else "",
            next=ctx.urls.home(number + 1) if number < total else "",
            pages=tuple(PagerLink(n, ctx.urls.home(n), n == number) for n in range(1, total + 1)),
        )
        first = number == 1
        pages.append(
            _page(
                ctx,
                "index.html" if first else f"page/{number}/index.html",
                "home.html",
                title=ctx.site.title if first else f"All partners, page {number} of {total}",
                section="home",
                url=url,
                description=ctx.program.site.tagline or ctx.site.title,
                intro=Markup(render_markdown(ctx.program.site.intro)) if first else Markup(""),
                search=_search_ui(ctx) if first else None,
                cards=tuple(chunk),
                count_text=count(len(cards), "partner"),
                list_heading="All partners"
                if total == 1
                else f"All partners, page {number} of {total}",
                pager=pager,
                levels=level_links,
                countries=country_links,
            )
        )
    return pages


def _search_ui(ctx: _Context) -> SearchUi:
    program = ctx.program
    partners = [partner for partner, _ in ctx.listed]
    standings = [standing for _, standing in ctx.listed]
    country_counts = Counter(code for p in partners for code in p.countries)
    level_counts = Counter(s.level for s in standings)
    program_counts = Counter(term for p in partners for term in p.programs)
    service_counts = Counter(term for p in partners for term in p.services)
    language_counts = Counter(code for p in partners for code in p.languages)
    facets = (
        Facet(
            "country",
            "Country",
            "All countries",
            tuple(
                FacetOption(code, country_name(code), country_counts[code])
                for code in sorted(country_counts, key=lambda c: (country_name(c), c))
            ),
        ),
        Facet(
            "level",
            "Level",
            "All levels",
            tuple(
                FacetOption(level.id, level.name, level_counts[level.id])
                for level in reversed(program.levels)
                if level_counts[level.id]
            ),
        ),
        _term_facet("program", "Programme", "All programmes", program.programs, program_counts),
        _term_facet("service", "Service", "All services", program.services, service_counts),
        Facet(
            "language",
            "Language",
            "All languages",
            tuple(
                FacetOption(code, language_name(code), language_counts[code])
                for code in sorted(language_counts, key=lambda c: (language_name(c), c))
            ),
        ),
    )
    sorts = [
        SortChoice("level", "Level, then name", ""),
        SortChoice("name", "Name (A to Z)", ""),
    ]
    for metric in _sortable_metrics(program):
        order = "highest" if metric.better == "higher" else "lowest"
        if metric.type is MetricType.CHOICE:
            order = "best"
        sorts.append(
            SortChoice(f"fig_{metric.id}", f"{metric.label} ({order} first)", metric.label)
        )
    return SearchUi(
        pagefind=ctx.urls.pagefind(),
        base=ctx.urls.root,
        facets=tuple(facet for facet in facets if facet.options),
        sorts=tuple(sorts),
        total=len(partners),
    )


def _term_facet(
    name: str, label: str, any_label: str, terms: Sequence[Term], counts: Counter[str]
) -> Facet:
    options = tuple(FacetOption(t.id, t.name, counts[t.id]) for t in terms if counts[t.id])
    return Facet(name, label, any_label, options)


def _level_links(ctx: _Context) -> tuple[CountLink, ...]:
    counts = Counter(standing.level for _, standing in ctx.listed)
    return tuple(
        CountLink(ctx.urls.level(level.id), level.name, counts[level.id], "")
        for level in reversed(ctx.program.levels)
    )


def _country_links(ctx: _Context) -> tuple[CountLink, ...]:
    by_country: dict[str, Counter[str]] = {}
    for partner, standing in ctx.listed:
        for code in partner.countries:
            by_country.setdefault(code, Counter())[standing.level] += 1
    links = []
    for code in sorted(by_country, key=lambda c: (country_name(c), c)):
        counts = by_country[code]
        detail = ", ".join(
            f"{counts[level.id]} {level.name}"
            for level in reversed(ctx.program.levels)
            if counts[level.id]
        )
        links.append(
            CountLink(ctx.urls.country(code), country_name(code), sum(counts.values()), detail)
        )
    return tuple(links)


# --- Partner profile ------------------------------------------------------------------------


def _card(
    program: Program, urls: Urls, badges: Mapping[str, Badge], partner: Partner, standing: Standing
) -> Card:
    return Card(
        id=partner.id,
        name=partner.name,
        href=urls.partner(partner.id),
        logo=_logo(urls, partner, decorative=True),
        initials=initials(partner.name),
        badge=badges[standing.level],
        countries=country_list(partner.countries),
        programs=term_list(program.programs, partner.programs),
        notice=review_text(standing.under_review_until) if standing.under_review_until else "",
    )


def _profile_page(ctx: _Context, partner: Partner, standing: Standing) -> Page:
    program, urls = ctx.program, ctx.urls
    level = program.level(standing.level)
    rows = ctx.rows.get(partner.id, ())
    public = [metric for metric in program.metrics.values() if metric.public]
    profile = Profile(
        id=partner.id,
        name=partner.name,
        logo=_logo(urls, partner, decorative=False),
        initials=initials(partner.name),
        badge=ctx.badges[level.id],
        description=Markup(render_markdown(partner.description)),
        website=Link(partner.website, display_url(partner.website)),
        contact=Link(partner.contact, display_url(partner.contact)) if partner.contact else None,
        facts=_facts(ctx, partner),
        member_since=_date(standing.member_since),
        level_since=_date(standing.level_since),
        notices=_notices(program, standing),
        figures=_figure_table(program, public, standing, rows),
        charts=_figure_charts(public, rows),
        path=_path_view(ctx, standing),
        top_level=level.rank == len(program.levels) - 1,
        snippet=_snippet(ctx, partner, level),
        source=_source_link(ctx.program.site.repository, partner.source),
        pagefind=_pagefind_data(ctx, partner, standing),
    )
    url = urls.partner(partner.id)
    return _page(
        ctx,
        f"partners/{partner.id}/index.html",
        "partner.html",
        title=partner.name,
        section="",
        url=url,
        description=f"{partner.name}: {level.name} partner serving "
        + country_list(partner.countries),
        partner=profile,
    )


def _facts(ctx: _Context, partner: Partner) -> tuple[Fact, ...]:
    program, urls = ctx.program, ctx.urls
    countries = sorted(partner.countries, key=lambda c: (country_name(c), c))
    facts = [
        Fact(
            "Countries served",
            tuple(Link(urls.country(code), country_name(code)) for code in countries),
            "",
        ),
        Fact("Programmes", (), term_list(program.programs, partner.programs)),
        Fact("Services", (), term_list(program.services, partner.services)),
        Fact("Industries", (), term_list(program.industries, partner.industries)),
        Fact("Languages", (), language_list(partner.languages)),
    ]
    return tuple(fact for fact in facts if fact.links or fact.text)


def _notices(program: Program, standing: Standing) -> tuple[Notice, ...]:
    notices = []
    level_name = program.level(standing.level).name
    if standing.under_review_until is not None:
        notices.append(
            Notice(
                "review",
                review_text(standing.under_review_until),
                sentence(standing.reason)
                or f"The latest review's figures do not meet the {level_name} criteria; the "
                "level holds until then and is kept if the figures recover.",
            )
        )
    elif standing.reason:
        notices.append(
            Notice(
                "cap",
                f"Holds {level_name}",
                sentence(standing.reason),
            )
        )
    return tuple(notices)


def _figure_table(
    program: Program, public: Sequence[Metric], standing: Standing, rows: Sequence[ReviewRow]
) -> FigureTable | None:
    if not rows or not public:
        return None
    level_at = {step.date: program.level(step.level).name for step in standing.history}
    return FigureTable(
        caption="Published figures at each review",
        columns=tuple(column_label(metric) for metric in public),
        rows=tuple(
            FigureRow(
                _date(row.date, short=True),
                level_at.get(row.date, ""),
                tuple(format_value(metric, row.published(metric)) for metric in public),
            )
            for row in sorted(rows, key=lambda r: r.date, reverse=True)
        ),
    )


def _figure_charts(public: Sequence[Metric], rows: Sequence[ReviewRow]) -> tuple[LineChart, ...]:
    charts = []
    for metric in public:
        if metric.type not in CHARTED:
            continue
        points = [(month_text(row.date), _number(row.published(metric))) for row in rows]
        chart = line_chart(column_label(metric), points, partial(format_value, metric))
        if chart is not None:
            charts.append(chart)
    return tuple(charts)


def _path_view(ctx: _Context, standing: Standing) -> PathView | None:
    path = standing.path
    if path is None:
        return None
    program = ctx.program
    target = program.level(path.level)
    metrics = program.metrics
    steps = tuple(_step_view(metrics.get(c.metric), c) for c in path.criteria)
    met = sum(1 for step in steps if step.met)
    note = ""
    if path.goal == "keep":
        heading = f"What it takes to keep {target.name}"
    else:
        heading = f"The path to {target.name}"
        if met == len(steps) and program.rank(standing.earned) >= target.rank:
            # every criterion met, yet a cap holds the partner below: say so beside "met"
            level = program.level(standing.level).name
            note = f"A cap holds it at {level} for now: see the notice above."
    return PathView(
        heading=heading,
        summary=f"{met} of {count(len(steps), 'criterion', 'criteria')} met",
        note=note,
        target=ctx.badges[target.id],
        steps=steps,
    )


def _step_view(metric: Metric | None, progress: CriterionProgress) -> StepView:
    status = "Met" if progress.met else "Not yet"
    state = "met" if progress.met else "unmet"
    target = target_text(metric, progress.op, progress.target)
    if metric is None or not metric.public or not progress.public:
        # private figures: only met / not yet is published (DESIGN rule 5)
        return StepView(
            progress.label,
            progress.met,
            state,
            status,
            f"target {target}; the figure itself is private",
            None,
            "",
        )
    if progress.value is None:
        detail = f"no figure at the last review; target {target}"
    else:
        detail = f"{format_value(metric, progress.value)} now; target {target}"
    percent = max(0, min(100, progress.progress))
    return StepView(
        progress.label,
        progress.met,
        state,
        status,
        f"{detail} ({percent}%)",
        percent,
        f"{progress.label}: {percent}% of the target",
    )


def _source_link(repository: str, source: str) -> str:
    """The partner file on the repository's default branch, when the path is repository-relative.

    An absolute path (a build run with --content /somewhere) says nothing about the repository
    and would make the output depend on the machine: no link then.
    """
    if not repository or not source or source.startswith(("/", "\\")) or ":" in source:
        return ""
    path = "/".join(part for part in source.replace("\\", "/").split("/") if part not in ("", "."))
    return f"{repository.rstrip('/')}/blob/HEAD/{path}"


def _snippet(ctx: _Context, partner: Partner, level: Level) -> Snippet:
    urls = ctx.urls
    alt = f"{partner.name}: {level.name} partner, {ctx.program.site.title}"
    profile = urls.absolute(urls.partner(partner.id))
    image = urls.absolute(urls.badge(partner.id))
    html = (
        f'<a href="{escape(profile)}"><img src="{escape(image)}" alt="{escape(alt)}" '
        'height="20"></a>'
    )
    markdown_alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return Snippet(urls.badge(partner.id), alt, html, f"[![{markdown_alt}]({image})]({profile})")


def _pagefind_data(ctx: _Context, partner: Partner, standing: Standing) -> PagefindData:
    program = ctx.program
    card = ctx.cards[partner.id]
    filters = [
        *(PagefindField("country", code) for code in sorted(partner.countries)),
        PagefindField("level", standing.level),
        *(PagefindField("program", term) for term in sorted(partner.programs)),
        *(PagefindField("service", term) for term in sorted(partner.services)),
        *(PagefindField("language", code) for code in sorted(partner.languages)),
    ]
    width = len(str(len(ctx.listed)))
    sorts = [
        PagefindField(key, str(order[partner.id]).zfill(width))
        for key, order in sorted(ctx.positions.items())
    ]
    metas = [
        PagefindField("name", partner.name),
        PagefindField("href", card.href),
        PagefindField("level", standing.level),
        PagefindField("level_name", card.badge.name),
        PagefindField("level_href", card.badge.href),
        PagefindField("initials", card.initials),
        PagefindField("countries", card.countries),
        PagefindField("programs", card.programs),
    ]
    if card.logo:
        metas.append(PagefindField("logo", card.logo.src))
    if card.notice:
        metas.append(PagefindField("notice", card.notice))
    for metric in _sortable_metrics(program):
        metas.append(
            PagefindField(
                f"fig_{metric.id}", format_value(metric, standing.latest.published(metric))
            )
        )
    return PagefindData(tuple(filters), tuple(sorts), tuple(metas))


def _sort_positions(
    program: Program, listed: Sequence[tuple[Partner, Standing]]
) -> dict[str, dict[str, int]]:
    """Sort key -> partner id -> position: Pagefind sorts the zero-padded positions as text.

    Every listed partner gets every key (Pagefind drops pages without the sort key), missing
    figures sort last, and ties fall back to level then name, so every order is total.
    """
    level_position = {partner.id: n for n, (partner, _) in enumerate(listed)}
    positions: dict[str, dict[str, int]] = {
        "level": level_position,
        "name": _positions(sorted(listed, key=lambda ps: (ps[0].name.casefold(), ps[0].id))),
    }
    for metric in _sortable_metrics(program):

        def key(ps: tuple[Partner, Standing], metric: Metric = metric) -> tuple[bool, float, int]:
            figure = metric.sort_key(ps[1].latest.published(metric))
            return (*figure, level_position[ps[0].id])

        positions[f"fig_{metric.id}"] = _positions(sorted(listed, key=key))
    return positions


def _positions(ordered: Iterable[tuple[Partner, Standing]]) -> dict[str, int]:
    return {partner.id: n for n, (partner, _) in enumerate(ordered)}


def _sortable_metrics(program: Program) -> list[Metric]:
    return [m for m in program.metrics.values() if m.public and m.type in SORTABLE]


# --- Countries and levels -------------------------------------------------------------------


def _countries_page(ctx: _Context) -> Page:
    links = _country_links(ctx)
    return _page(
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


def _country_pages(ctx: _Context) -> list[Page]:
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
            _page(
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


def _groups(ctx: _Context, partners: Sequence[tuple[Partner, Standing]]) -> tuple[LevelGroup, ...]:
    groups = []
    for level in reversed(ctx.program.levels):
        cards = tuple(ctx.cards[p.id] for p, s in partners if s.level == level.id)
        if cards:
            groups.append(LevelGroup(ctx.badges[level.id], count(len(cards), "partner"), cards))
    return tuple(groups)


def _level_page(ctx: _Context, level: Level) -> Page:
    info = _level_info(ctx, level)
    cards = tuple(ctx.cards[p.id] for p, s in ctx.listed if s.level == level.id)
    return _page(
        ctx,
        f"levels/{level.id}/index.html",
        "level.html",
        title=f"{level.name} partners",
        section="program",
        url=ctx.urls.level(level.id),
        description=level.description or f"{level.name} partners",
        level=info,
        cards=cards,
        count_text=count(len(cards), f"{level.name} partner"),
        all_levels=tuple(
            NavItem(ctx.urls.level(other.id), other.name, other.id == level.id)
            for other in reversed(ctx.program.levels)
        ),
        expiry=expiry_text(ctx.program) if level.rank == 0 else "",
    )


def _level_info(ctx: _Context, level: Level) -> LevelInfo:
    program = ctx.program
    adjustments = tuple(
        Adjustment(
            region.name,
            f"{ctx.urls.program()}#region-{region.id}",
            country_list(region.countries),
            tuple(_rule(program, c) for c in region.adjustments[level.id]),
        )
        for region in program.regions
        if region.adjustments.get(level.id)
    )
    return LevelInfo(
        id=level.id,
        badge=ctx.badges[level.id],
        description=level.description,
        benefits=level.benefits,
        rules=tuple(_rule(program, c) for c in level.criteria),
        adjustments=adjustments,
        caps=tuple(cap_text(program, cap) for cap in program.caps if cap.level == level.id),
        count=sum(1 for _, s in ctx.listed if s.level == level.id),
    )


def _rule(program: Program, criterion: Criterion) -> Rule:
    metric = program.metrics.get(criterion.metric)
    label = metric.label if metric else criterion.metric
    note = "" if metric is None or metric.public else "private figure: only met / not yet is shown"
    return Rule(label, target_text(metric, criterion.op, criterion.target), note)


# --- Programme page -------------------------------------------------------------------------


def _program_page(ctx: _Context) -> Page:
    program = ctx.program
    levels = tuple(_level_info(ctx, level) for level in program.levels)
    regions = tuple(
        RegionInfo(
            f"region-{region.id}",
            region.name,
            country_list(region.countries),
            region.description,
            tuple(
                LevelRules(
                    ctx.badges[level.id],
                    tuple(_rule(program, c) for c in region.adjustments[level.id]),
                )
                for level in program.levels
                if region.adjustments.get(level.id)
            ),
        )
        for region in program.regions
    )
    metrics = tuple(
        MetricInfo(
            column_label(metric),
            metric.description,
            metric_kind(metric),
            metric.public,
        )
        for metric in program.metrics.values()
    )
    grace = program.review.grace_days
    return _page(
        ctx,
        "program/index.html",
        "program.html",
        title="Levels and criteria",
        section="program",
        url=ctx.urls.program(),
        description="Every level's criteria, regional adjustments and caps",
        levels=levels,
        regions=regions,
        caps=tuple(cap_text(program, cap) for cap in program.caps),
        metrics=metrics,
        rules=(
            "Levels are computed from the figures the programme team verifies at each review; "
            "no one types a level in by hand.",
            "A partner holds the highest level whose criteria its latest figures all meet, "
            "with the criteria of its region where the region adjusts them.",
            f"A promotion takes effect at the review that earns it. A drop does not: the partner "
            f"keeps its level, shown as under review, for {grace} days; figures that recover "
            "before then cancel the drop.",
            expiry_text(program),
        ),
    )


# --- Statistics -----------------------------------------------------------------------------


def _stats_page(ctx: _Context) -> Page:
    program = ctx.program
    levels = tuple(reversed(program.levels))
    series = tuple(Series(level.name, level.colour) for level in levels)
    columns = (*(level.name for level in levels), "Total")

    by_country: dict[str, Counter[str]] = {}
    for _, standing in ctx.listed:
        by_country.setdefault(standing.country, Counter())[standing.level] += 1
    country_order = sorted(
        by_country, key=lambda c: (-sum(by_country[c].values()), country_name(c), c)
    )
    country_rows = [
        (Link(ctx.urls.country(c), country_name(c)), by_country[c]) for c in country_order
    ]

    region_rows: list[tuple[Link, Counter[str]]] = []
    if program.regions:
        by_region: dict[str, Counter[str]] = {}
        for _, standing in ctx.listed:
            region = program.region_of(standing.country)
            by_region.setdefault(region.id if region else "", Counter())[standing.level] += 1
        for region in program.regions:
            region_rows.append(
                (
                    Link(ctx.urls.program() + f"#region-{region.id}", region.name),
                    by_region.get(region.id, Counter()),
                )
            )
        if "" in by_region:
            region_rows.append((Link("", "Other countries"), by_region[""]))

    history_rows = _distribution(ctx)
    return _page(
        ctx,
        "stats/index.html",
        "stats.html",
        title="Statistics",
        section="stats",
        url=ctx.urls.stats(),
        description="Partners per level, per country and per region; level changes",
        total_text=count(len(ctx.listed), "listed partner"),
        summary=tuple(
            LevelCount(ctx.badges[level.id], sum(1 for _, s in ctx.listed if s.level == level.id))
            for level in levels
        ),
        by_country=_table(
            "Partners by level and home country", "Home country", columns, levels, country_rows
        ),
        by_country_chart=_chart("Partners by level and home country", series, levels, country_rows),
        by_region=_table("Partners by level and region", "Region", columns, levels, region_rows)
        if region_rows
        else None,
        by_region_chart=_chart("Partners by level and region", series, levels, region_rows)
        if region_rows
        else None,
        history=_table(
            "Partners per level at each review", "Review", columns, levels, history_rows
        ),
        history_chart=_chart("Partners per level at each review", series, levels, history_rows),
        changes=_changes(ctx),
    )


def _table(
    caption: str,
    corner: str,
    columns: tuple[str, ...],
    levels: Sequence[Level],
    rows: Sequence[tuple[Link, Counter[str]]],
) -> Table:
    return Table(
        caption,
        corner,
        columns,
        tuple(
            TableRow(
                header,
                (*(str(counts[level.id]) for level in levels), str(sum(counts.values()))),
            )
            for header, counts in rows
        ),
    )


def _chart(
    title: str,
    series: Sequence[Series],
    levels: Sequence[Level],
    rows: Sequence[tuple[Link, Counter[str]]],
) -> BarChart:
    return stacked_bar_chart(
        title,
        [(header.text, [counts[level.id] for level in levels]) for header, counts in rows],
        series,
    )


def _distribution(ctx: _Context) -> list[tuple[Link, Counter[str]]]:
    """Listed partners per level at each review date, and today."""
    program = ctx.program
    rows: list[tuple[Link, Counter[str]]] = []
    for date in ctx.directory.review_dates:
        counts: Counter[str] = Counter()
        for standing in ctx.evaluation.standings.values():
            steps = [step for step in standing.history if step.date <= date]
            if not steps:
                continue
            level = steps[-1].level
            # entry expiry applies at that date as it does today (DESIGN rule 4)
            if entry_expired(program, level, standing.member_since, date):
                continue
            counts[level] += 1
        rows.append((Link("", _date(date).text), counts))
    today = Counter(standing.level for _, standing in ctx.listed)
    rows.append((Link("", f"Today ({ctx.site.today.text})"), today))
    return rows


def _changes(ctx: _Context) -> Changes:
    """Promotions and demotions since the last full review (not joins)."""
    start = last_full_review(ctx.directory)
    if start is None:
        return Changes(None, (), ())
    listed = {partner.id: partner for partner, _ in ctx.listed}
    promotions: list[ChangeView] = []
    demotions: list[ChangeView] = []
    for change in ctx.evaluation.changes:
        kind = change.kind(ctx.program)
        if kind is ChangeKind.JOINED or change.date < start or change.partner not in listed:
            continue
        view = _change_view(ctx, listed[change.partner], change)
        if kind is ChangeKind.PROMOTION:
            promotions.append(view)
        else:
            demotions.append(view)
    return Changes(_date(start), tuple(promotions), tuple(demotions))


def _change_view(ctx: _Context, partner: Partner, change: LevelChange) -> ChangeView:
    return ChangeView(
        Link(ctx.urls.partner(partner.id), partner.name),
        ctx.badges[change.previous or change.level],
        ctx.badges[change.level],
        _date(change.date),
        sentence(change.reason),
    )


# --- 404 ------------------------------------------------------------------------------------


def _not_found_page(ctx: _Context) -> Page:
    return _page(
        ctx,
        "404.html",
        "404.html",
        title="Page not found",
        section="",
        url=ctx.urls.path("404.html"),
        description="This page does not exist.",
        levels=_level_links(ctx),
    )


# --- Helpers --------------------------------------------------------------------------------


def _date(date: dt.date, *, short: bool = False) -> DateText:
    return DateText(date.isoformat(), date_text(date, short=short))


def _number(value: Value | None) -> float | None:
    if value is None or isinstance(value, (bool, str)):
        return None
    return float(value)


def _logo(urls: Urls, partner: Partner, *, decorative: bool) -> Logo | None:
    if not partner.logo:
        return None
    return Logo(urls.logo(partner.id, partner.logo), "" if decorative else f"{partner.name} logo")
