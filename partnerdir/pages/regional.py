"""Regional targets named where they apply: on a profile's path and on a level page."""

from __future__ import annotations

from ..model import Level, Region
from ..wording import regional_partners_text, regional_path_note, regional_targets_text
from .context import Context
from .views import Link


def adjusting_region(ctx: Context, country: str, level: Level) -> Region | None:
    """The region of `country` when its targets replace some of `level`'s criteria."""
    region = ctx.program.region_of(country)
    if region is None or not region.adjustments.get(level.id):
        return None
    return region


def path_region(ctx: Context, country: str, level: Level) -> tuple[Link | None, str]:
    """For a path to `level` of a partner measured in `country`: a link to the region's targets
    on the programme page and a sentence, or (None, "") where the level's own targets apply."""
    region = adjusting_region(ctx, country, level)
    if region is None:
        return None, ""
    link = Link(f"{ctx.urls.program()}#region-{region.id}", regional_targets_text(region.name))
    return link, regional_path_note(region.name, level.name)


def regional_holders(ctx: Context, level: Level) -> tuple[str, ...]:
    """On a level page: for each region with targets of its own for `level`, the listed
    partners holding it by those targets, in the site's order, in one sentence."""
    names: dict[str, list[str]] = {}
    for name, country in ctx.holders.get(level.id, ()):
        region = adjusting_region(ctx, country, level)
        if region is not None:
            names.setdefault(region.id, []).append(name)
    return tuple(
        regional_partners_text(region.name, names[region.id])
        for region in ctx.program.regions
        if region.id in names
    )
