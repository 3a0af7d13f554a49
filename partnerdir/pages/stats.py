"""The statistics page: partners per level, country, region and review; level changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..charts import BarChart, Series, stacked_bar_chart
from ..countries import country_name
from ..levels import entry_expired, last_full_review
from ..model import ChangeKind, Level, LevelChange, Partner
from ..wording import (
    OUTSIDE_REGIONS,
    SCROLL_HINT,
    all_rows,
    count,
    date_text,
    other_countries,
    outside_regions_note,
    sentence,
)
from .context import Context, page
from .views import Changes, ChangeView, DateText, LevelCount, Link, Page, Table, TableRow

#: Countries the chart and table show one by one; the others are summed in one row.
TOP_COUNTRIES = 12
#: Number columns (levels and the total) from which a table is wider than a phone (360 px):
#: such a table says on phones that it scrolls sideways.
WIDE_TABLE_COLUMNS = 4


def stats_page(ctx: Context) -> Page:
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
    top_rows = _top_rows(country_rows)

    region_rows: list[tuple[Link, Counter[str]]] = []
    outside: Counter[str] = Counter()
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
        outside = by_region.get("", Counter())
    # the chart draws the named regions only: the partners outside every region outnumber
    # them many times over (2,213 against tens at 3,000 partners), so their bar would shrink
    # the regions to slivers; the table has their row, as the country table has its "other"
    outside_row = [(Link("", OUTSIDE_REGIONS), outside)] if outside else []

    history_rows = _distribution(ctx)
    return page(
        ctx,
        "stats/index.html",
        "stats.html",
        title="Statistics",
        section="stats",
        url=ctx.urls.stats(),
        description="Partners per level, per country and per region; level changes",
        total_text=count(len(ctx.listed), "listed partner"),
        summary=tuple(
            LevelCount(ctx.badges[level.id], len(ctx.holders.get(level.id, ()))) for level in levels
        ),
        by_country=_table(
            "by-country",
            "Partners by level and home country",
            "Home country",
            columns,
            levels,
            top_rows,
        ),
        # the chart draws the largest countries alone: a bar summing 48 others would shrink
        # every other bar to a sliver (the table beside it has that row)
        by_country_chart=_chart(
            "Partners by level in the largest home countries",
            series,
            levels,
            country_rows[:TOP_COUNTRIES],
        ),
        # every country, behind a disclosure, when the table above sums the smaller ones
        all_countries=_table(
            "all-countries",
            "Partners by level in every home country",
            "Home country",
            columns,
            levels,
            country_rows,
        )
        if len(top_rows) < len(country_rows)
        else None,
        all_countries_summary=all_rows(len(country_rows), "home countries"),
        by_region=_table(
            "by-region",
            "Partners by level and region",
            "Region",
            columns,
            levels,
            region_rows + outside_row,
        )
        if region_rows
        else None,
        by_region_chart=_chart("Partners by level and region", series, levels, region_rows)
        if region_rows
        else None,
        by_region_note=outside_regions_note(sum(outside.values())) if outside else "",
        history=_table(
            "history", "Partners per level at each review", "Review", columns, levels, history_rows
        ),
        history_chart=_chart("Partners per level at each review", series, levels, history_rows),
        changes=_changes(ctx),
    )


def _top_rows(rows: Sequence[tuple[Link, Counter[str]]]) -> list[tuple[Link, Counter[str]]]:
    """The largest TOP_COUNTRIES rows, and one row summing the rest: a chart of 60 countries
    is a column of slivers, so the smaller ones are counted together."""
    if len(rows) <= TOP_COUNTRIES + 1:
        return list(rows)
    rest: Counter[str] = Counter()
    for _, counts in rows[TOP_COUNTRIES:]:
        rest.update(counts)
    other = Link("", other_countries(len(rows) - TOP_COUNTRIES))
    return [*rows[:TOP_COUNTRIES], (other, rest)]


def _table(
    key: str,
    caption: str,
    corner: str,
    columns: tuple[str, ...],
    levels: Sequence[Level],
    rows: Sequence[tuple[Link, Counter[str]]],
) -> Table:
    return Table(
        key,
        caption,
        corner,
        columns,
        tuple(
            TableRow(
                header,
                (*(f"{counts[level.id]:,}" for level in levels), f"{sum(counts.values()):,}"),
            )
            for header, counts in rows
        ),
        SCROLL_HINT if len(columns) >= WIDE_TABLE_COLUMNS else "",
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


def _distribution(ctx: Context) -> list[tuple[Link, Counter[str]]]:
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
        rows.append((Link("", date_text(date)), counts))
    today = Counter(standing.level for _, standing in ctx.listed)
    rows.append((Link("", f"Today ({ctx.site.today.text})"), today))
    return rows


def _changes(ctx: Context) -> Changes:
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
    return Changes(DateText.of(start), tuple(promotions), tuple(demotions))


def _change_view(ctx: Context, partner: Partner, change: LevelChange) -> ChangeView:
    return ChangeView(
        Link(ctx.urls.partner(partner.id), partner.name),
        ctx.badges[change.previous or change.level],
        ctx.badges[change.level],
        DateText.of(change.date),
        sentence(change.reason),
    )
