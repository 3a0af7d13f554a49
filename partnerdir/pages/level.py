"""One page per level: its criteria, regional targets, caps and partners."""

from __future__ import annotations

from ..model import Criterion, Level, Program
from ..urls import output_path
from ..wording import (
    cap_text,
    count,
    country_list,
    expiry_text,
    level_pager_label,
    page_title,
    target_text,
    upcoming_rules_text,
)
from .context import Context, page
from .paging import CARDS_PER_PAGE, chunks, short_pager
from .regional import regional_holders
from .upcoming import upcoming_rules
from .views import Adjustment, LevelInfo, NavItem, Page, Rule


def level_pages(ctx: Context, level: Level) -> list[Page]:
    """A level's pages: its criteria, then its partners by name, CARDS_PER_PAGE a page."""
    info = level_info(ctx, level)
    cards = tuple(ctx.cards[p.id] for p, s in ctx.listed if s.level == level.id)
    runs = chunks(cards, CARDS_PER_PAGE)
    all_levels = tuple(
        NavItem(ctx.urls.level(other.id), other.name, other.id == level.id)
        for other in reversed(ctx.program.levels)
    )
    regional = regional_holders(ctx, level)
    upcoming = upcoming_rules(ctx, level.id)
    return [
        page(
            ctx,
            output_path(ctx.urls.level(level.id, number), ctx.urls.root),
            "level.html",
            title=page_title(f"{level.name} partners", number, len(runs)),
            section="program",
            url=ctx.urls.level(level.id, number),
            description=level.description or f"{level.name} partners",
            level=info,
            cards=tuple(run),
            count_text=count(len(cards), f"{level.name} partner"),
            all_levels=all_levels,
            expiry=expiry_text(ctx.program) if level.rank == 0 else "",
            regional=regional,
            upcoming=upcoming,
            upcoming_intro=upcoming_rules_text(ctx.program),
            pager=short_pager(
                number,
                len(runs),
                lambda n: ctx.urls.level(level.id, n),
                level_pager_label(level.name),
            ),
        )
        for number, run in enumerate(runs, start=1)
    ]


def level_info(ctx: Context, level: Level) -> LevelInfo:
    program = ctx.program
    adjustments = tuple(
        Adjustment(
            region.name,
            f"{ctx.urls.program()}#region-{region.id}",
            country_list(region.countries),
            tuple(rule(program, c) for c in region.adjustments[level.id]),
        )
        for region in program.regions
        if region.adjustments.get(level.id)
    )
    return LevelInfo(
        id=level.id,
        badge=ctx.badges[level.id],
        description=level.description,
        benefits=level.benefits,
        rules=tuple(rule(program, c) for c in level.criteria),
        adjustments=adjustments,
        caps=tuple(cap_text(program, cap) for cap in program.caps if cap.level == level.id),
        count=len(ctx.holders.get(level.id, ())),
    )


def rule(program: Program, criterion: Criterion) -> Rule:
    metric = program.metrics.get(criterion.metric)
    label = metric.label if metric else criterion.metric
    note = "" if metric is None or metric.public else "private figure: only met / not yet is shown"
    return Rule(label, target_text(metric, criterion.op, criterion.target), note)
