"""A partner's profile: facts, figures, notices, the graduation path, the badge snippet."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..charts import LineChart, Target, line_chart
from ..countries import country_name
from ..markup import render_markdown
from ..model import (
    Better,
    CriterionProgress,
    Level,
    Metric,
    MetricType,
    Op,
    Partner,
    Program,
    ReviewRow,
    Standing,
    Value,
)
from ..wording import (
    COPY_WORDS,
    EMBED_DISCLOSURE,
    LOWER_IS_BETTER,
    SCROLL_HINT,
    cap_notice,
    chart_target,
    column_label,
    country_list,
    criteria_met,
    display_url,
    embed_heading,
    format_value,
    initials,
    language_list,
    meets_text,
    month_text,
    review_text,
    sentence,
    target_text,
    term_list,
    upcoming_heading,
    upcoming_target_text,
)
from .context import Context, logo, page
from .regional import path_region
from .sorting import sortable_metrics
from .timeline import entry_notices, partner_events, timeline_view
from .views import (
    DateText,
    Fact,
    FigureRow,
    FigureTable,
    Link,
    Notice,
    Page,
    PagefindData,
    PagefindField,
    PathView,
    Profile,
    Snippet,
    StepView,
    UpcomingStep,
)

#: The profile's template: compiled before the other pages' (pipeline).
TEMPLATE = "partner.html"
#: Metric types drawn as a line over the review dates.
CHARTED = (MetricType.INTEGER, MetricType.NUMBER, MetricType.MONEY)


def profile_page(ctx: Context, partner: Partner, standing: Standing) -> Page:
    program, urls = ctx.program, ctx.urls
    level = program.level(standing.level)
    rows = ctx.rows.get(partner.id, ())
    public = [metric for metric in program.metrics.values() if metric.public]
    events = partner_events(ctx, standing)
    profile = Profile(
        id=partner.id,
        name=partner.name,
        logo=logo(urls, partner, decorative=False),
        initials=initials(partner.name),
        badge=ctx.badges[level.id],
        description=Markup(render_markdown(partner.description)),
        website=Link(partner.website, display_url(partner.website)),
        contact=Link(partner.contact, display_url(partner.contact)) if partner.contact else None,
        facts=_facts(ctx, partner),
        member_since=DateText.of(standing.member_since),
        level_since=DateText.of(standing.level_since),
        notices=_notices(ctx, standing) + entry_notices(ctx, events),
        figures=_figure_table(program, public, standing, rows),
        charts=_figure_charts(program, public, standing, rows),
        path=_path_view(ctx, standing),
        top_level=level.rank == len(program.levels) - 1,
        snippet=_snippet(ctx, partner, level),
        source=_source_link(ctx.program.site.repository, partner.source),
        pagefind=search_data(ctx, partner, standing),
        timeline=timeline_view(ctx, events),
        summary=partner.summary or "",
    )
    url = urls.partner(partner.id)
    return page(
        ctx,
        f"partners/{partner.id}/index.html",
        TEMPLATE,
        title=partner.name,
        section="",
        url=url,
        description=f"{partner.name}: {level.name} partner serving "
        + country_list(partner.countries),
        partner=profile,
        upcoming=_upcoming_steps(ctx, standing),
        upcoming_heading=upcoming_heading(),
    )


def _facts(ctx: Context, partner: Partner) -> tuple[Fact, ...]:
    program, urls = ctx.program, ctx.urls
    countries = sorted(partner.countries, key=lambda c: (country_name(c), c))
    facts = [
        Fact("Head office", (), ctx.cards[partner.id].place),
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


def _notices(ctx: Context, standing: Standing) -> tuple[Notice, ...]:
    program = ctx.program
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
    elif program.rank(standing.earned) > program.rank(standing.capped):
        # good news, told as such: the partner meets a higher level than a cap lets it hold
        notices.append(
            Notice(
                "cap",
                meets_text(program.level(standing.earned).name),
                cap_notice(
                    program,
                    standing.earned,
                    standing.capped,
                    standing.country,
                    ctx.holders,  # who holds the places, as the cap names them (DESIGN rule 2)
                )
                or sentence(standing.reason),
            )
        )
    elif standing.reason:
        notices.append(Notice("cap", f"Holds {level_name}", sentence(standing.reason)))
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
                DateText.of(row.date, short=True),
                level_at.get(row.date, ""),
                tuple(format_value(metric, row.published(metric)) for metric in public),
            )
            for row in sorted(rows, key=lambda r: r.date, reverse=True)
        ),
        hint=SCROLL_HINT,
    )


@dataclass(frozen=True, slots=True)
class FigureSeries:
    """What a published figure's sparkline is drawn from (`charts.line_chart`'s arguments),
    apart from the geometry: the benchmark's Hugo site draws the same chart from these."""

    metric: Metric
    title: str
    #: The review month ("Oct 2026") and the published value (None when not published).
    points: tuple[tuple[str, float | None], ...]
    floor: float | None
    target: Target | None
    better: str

    def format(self, value: float) -> str:
        return format_value(self.metric, value)


def figure_series(
    program: Program, public: Sequence[Metric], standing: Standing, rows: Sequence[ReviewRow]
) -> tuple[FigureSeries, ...]:
    """The series of each charted figure, in the order of the metrics."""
    return tuple(
        FigureSeries(
            metric,
            column_label(metric),
            tuple((month_text(row.date), _number(row.published(metric))) for row in rows),
            # counts and amounts from their floor (0), so a rise looks as large as it is; a
            # score (4.1 of 5) on its own range, its bottom and top labelled
            floor=metric.minimum if metric.type is not MetricType.NUMBER else None,
            target=_chart_target(program, metric, standing),
            better=LOWER_IS_BETTER if metric.better is Better.LOWER else "",
        )
        for metric in public
        if metric.type in CHARTED
    )


def _figure_charts(
    program: Program, public: Sequence[Metric], standing: Standing, rows: Sequence[ReviewRow]
) -> tuple[LineChart, ...]:
    charts = []
    for series in figure_series(program, public, standing, rows):
        chart = line_chart(
            series.title,
            series.points,
            series.format,
            floor=series.floor,
            target=series.target,
            better=series.better,
        )
        if chart is not None:
            charts.append(chart)
    return tuple(charts)


def _chart_target(program: Program, metric: Metric, standing: Standing) -> Target | None:
    """The target of `metric` on the partner's graduation path (to the next level, or to keep
    the top one), when it is a number to reach."""
    path = standing.path
    if path is None:
        return None
    for criterion in path.criteria:
        value = _number(criterion.target)
        if criterion.metric == metric.id and value is not None and criterion.op is not Op.EQUALS:
            words = target_text(metric, criterion.op, criterion.target)
            return Target(value, chart_target(words, program.level(path.level).name))
    return None


def _path_view(ctx: Context, standing: Standing) -> PathView | None:
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
            note = (
                f"A cap holds it at {level} for now: see the notice above. A cap applies at "
                "once, with no grace; the level comes back at the first review that ranks it "
                "within the cap."
            )
    region, region_note = path_region(ctx, standing.country, target)
    return PathView(
        heading=heading,
        summary=criteria_met(met, len(steps)),
        note=note,
        target=ctx.badges[target.id],
        steps=steps,
        region=region,
        region_note=region_note,
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
    if metric.type is MetricType.BOOLEAN:
        # a yes/no criterion is met or not yet: no share of a target, no bar
        return StepView(progress.label, progress.met, state, status, "", None, "")
    if progress.value is None:
        # nothing measured is not 0% of the target: no share, no bar
        detail = f"no figure at the last review; target {target}"
        return StepView(progress.label, progress.met, state, status, detail, None, "")
    detail = f"{format_value(metric, progress.value)} now; target {target}"
    if metric.type is MetricType.CHOICE:
        # a grade is reached or not: a percentage of "excellent" would mean nothing
        return StepView(progress.label, progress.met, state, status, detail, None, "")
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


def _upcoming_steps(ctx: Context, standing: Standing) -> tuple[UpcomingStep, ...]:
    """What rules files dated after the build date will ask of the partner, and whether it
    meets it already: "From 1 March 2027 Gold asks for customer satisfaction of at least 4.5
    / 5: 4.4 / 5 now" (issue 13: upcoming rules are public)."""
    return tuple(
        UpcomingStep(
            upcoming_target_text(ctx.program, target),
            target.progress.met,
            "met" if target.progress.met else "unmet",
            "Met already" if target.progress.met else "Not yet",
        )
        for target in standing.upcoming
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


def _snippet(ctx: Context, partner: Partner, level: Level) -> Snippet:
    urls = ctx.urls
    alt = f"{partner.name}: {level.name} partner, {ctx.program.site.title}"
    profile = urls.absolute(urls.partner(partner.id))
    image = urls.absolute(urls.badge(partner.id))
    html = (
        f'<a href="{escape(profile)}"><img src="{escape(image)}" alt="{escape(alt)}" '
        'height="20"></a>'
    )
    markdown_alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return Snippet(
        urls.badge(partner.id),
        alt,
        html,
        f"[![{markdown_alt}]({image})]({profile})",
        heading=embed_heading(partner.name),
        disclosure=EMBED_DISCLOSURE,
        script=urls.static("copy.js"),
        words=json.dumps(COPY_WORDS, ensure_ascii=False, sort_keys=True),
    )


def search_data(ctx: Context, partner: Partner, standing: Standing) -> PagefindData:
    """What the search knows of a partner: filter values, sort positions and the card's data.
    Pagefind reads them from the profile; the finder's data files are built from the same."""
    program = ctx.program
    card = ctx.cards[partner.id]
    filters = [
        *(PagefindField("country", code) for code in sorted(partner.countries)),
        PagefindField("level", standing.level),
        *(PagefindField("program", term) for term in sorted(partner.programs)),
        *(PagefindField("service", term) for term in sorted(partner.services)),
        *(PagefindField("language", code) for code in sorted(partner.languages)),
        *(PagefindField("industry", term) for term in sorted(partner.industries)),
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
    ]
    if card.logo:
        metas.append(PagefindField("logo", card.logo.src))
    if card.notice:
        metas.append(PagefindField("notice", card.notice))
    if card.meets:
        metas.append(PagefindField("meets", card.meets))
    # the card's choosing lines, as the card macro shows them (search.js card(meta))
    lines = (
        ("summary", card.summary),
        ("place", card.place),
        ("services", card.services),
        ("figures", card.figures),
    )
    for name, value in lines:
        if value:
            metas.append(PagefindField(name, value))
    for metric in sortable_metrics(program):
        metas.append(
            PagefindField(
                f"fig_{metric.id}", format_value(metric, standing.latest.published(metric))
            )
        )
    return PagefindData(tuple(filters), tuple(sorts), tuple(metas))


def _number(value: Value | None) -> float | None:
    if value is None or isinstance(value, (bool, str)):
        return None
    return float(value)
