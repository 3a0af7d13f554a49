"""A profile's level history: the timeline of its events, the level chart and the notice of
a Registered partner's entry period (templates/_timeline.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..history import EventKind, LevelEvent, level_events
from ..levelchart import LevelChart, level_chart
from ..model import Standing
from ..wording import date_text, event_detail, event_title
from .context import Context
from .views import DateText, Notice

#: The timeline's heading, and the chart's accessible name before its description.
HEADING = "Level history"
CHART_TITLE = "Level over time"


@dataclass(frozen=True, slots=True)
class TimelineItem:
    date: DateText
    #: The event kind: the item's CSS class ("timeline-promotion").
    kind: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class TimelineView:
    heading: str
    chart: LevelChart | None
    #: Oldest first.
    items: tuple[TimelineItem, ...]


def partner_events(ctx: Context, standing: Standing) -> tuple[LevelEvent, ...]:
    """The partner's events (history.level_events), from the changes grouped once per site."""
    changes = ctx.changes.get(standing.partner, ())
    return level_events(ctx.program, standing, changes, ctx.evaluation.today)


def timeline_view(ctx: Context, events: tuple[LevelEvent, ...]) -> TimelineView | None:
    if not events:
        return None
    program = ctx.program
    items = tuple(
        TimelineItem(
            DateText.of(event.date),
            event.kind.value,
            event_title(program, event),
            event_detail(program, event),
        )
        for event in events
    )
    chart = level_chart(
        CHART_TITLE,
        [(level.name, level.colour) for level in program.levels],
        level_stretches(ctx, events),
        ctx.evaluation.today,
        lambda date: date_text(date, short=True),
    )
    return TimelineView(HEADING, chart, items)


def entry_notices(ctx: Context, events: tuple[LevelEvent, ...]) -> tuple[Notice, ...]:
    """DESIGN rule 4 told to the partner: when a partner at the lowest level stops being listed."""
    expiring = [event for event in events if event.kind is EventKind.EXPIRING]
    if not expiring:
        return ()
    event = expiring[-1]
    return (Notice("entry", event_title(ctx.program, event), event_detail(ctx.program, event)),)


def level_stretches(ctx: Context, events: tuple[LevelEvent, ...]) -> list[tuple[dt.date, int]]:
    """What the level chart draws: the day each level began and the level's rank, oldest
    first."""
    program = ctx.program
    return _merged(
        [(event.date, program.rank(event.level)) for event in events if event.changes_level]
    )


def _merged(stretches: list[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    """One stretch per day: of several changes on one day, the last counts."""
    merged: dict[dt.date, int] = {}
    for date, rank in stretches:
        merged[date] = rank
    return sorted(merged.items())
