"""The programme page: every level's criteria, regional targets, caps and metrics."""

from __future__ import annotations

from ..wording import (
    cap_text,
    column_label,
    country_list,
    expiry_text,
    metric_kind,
    upcoming_rules_text,
)
from .context import Context, page
from .level import level_info, rule
from .upcoming import upcoming_rules
from .views import LevelRules, MetricInfo, Page, RegionInfo


def program_page(ctx: Context) -> Page:
    program = ctx.program
    levels = tuple(level_info(ctx, level) for level in program.levels)
    regions = tuple(
        RegionInfo(
            f"region-{region.id}",
            region.name,
            country_list(region.countries),
            region.description,
            tuple(
                LevelRules(
                    ctx.badges[level.id],
                    tuple(rule(program, c) for c in region.adjustments[level.id]),
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
    return page(
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
        upcoming=upcoming_rules(ctx),
        upcoming_intro=upcoming_rules_text(program),
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
