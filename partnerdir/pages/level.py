"""One page per level: its criteria, regional targets, caps and partners."""

from __future__ import annotations

from ..model import Criterion, Level, Program
from ..wording import cap_text, count, country_list, expiry_text, target_text
from .context import Context, page
from .regional import regional_holders
from .views import Adjustment, LevelInfo, NavItem, Page, Rule


def level_page(ctx: Context, level: Level) -> Page:
    info = level_info(ctx, level)
    cards = tuple(ctx.cards[p.id] for p, s in ctx.listed if s.level == level.id)
    return page(
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
        regional=regional_holders(ctx, level),
    )


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
        count=sum(1 for _, s in ctx.listed if s.level == level.id),
    )


def rule(program: Program, criterion: Criterion) -> Rule:
    metric = program.metrics.get(criterion.metric)
    label = metric.label if metric else criterion.metric
    note = "" if metric is None or metric.public else "private figure: only met / not yet is shown"
    return Rule(label, target_text(metric, criterion.op, criterion.target), note)
