"""A partner's level history as dated events, computed once from what the level rules return.

The level rules (`levels.evaluate_levels`) give each partner its levels at every evaluation
date (`Standing.history`) and every change of level (`Evaluation.changes`). The profile's
timeline and the changes feed both tell that history; this module turns it into one list of
events so that both tell the same story: joined, promoted, under review (and until when),
recovered, dropped, held by a cap (and released), entry period ending, expired.

Every event carries the level the partner holds after it, so the events replayed in order give
the level on every date. Nothing here reads a file or the build's options beyond `today`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from .model import ChangeKind, Evaluation, LevelAt, LevelChange, Program, Standing


class EventKind(StrEnum):
    """What happened; the value is the feed's category term (joined, promotion and demotion
    keep the terms of LevelChange.kind)."""

    JOINED = "joined"
    PROMOTED = "promotion"
    #: The figures no longer met the level for the whole grace (or a cap took it from a
    #: partner in grace): a demotion.
    DROPPED = "demotion"
    #: The figures of a review fell below the level: it is kept until `until`.
    UNDER_REVIEW = "under-review"
    #: The figures met the level again before the grace ran out: the drop is cancelled.
    RECOVERED = "recovered"
    #: The figures meet a higher level than a cap lets the partner hold (`previous` is set
    #: when the cap took a level it held).
    CAPPED = "capped"
    #: A cap no longer holds the partner below the level its figures meet.
    RELEASED = "released"
    #: Still at the lowest level: the entry period ends on `until` (DESIGN rule 4).
    EXPIRING = "expiring"
    #: Still at the lowest level when the entry period ended: no longer listed.
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class LevelEvent:
    kind: EventKind
    #: The day it happened (for EXPIRING: the evaluation date that found the partner still at
    #: the lowest level, so the date does not move with the build date).
    date: dt.date
    #: The level held after the event.
    level: str
    #: The level held before, when the event changed it; None otherwise (and for JOINED).
    previous: str | None = None
    #: UNDER_REVIEW: the day the grace ends; EXPIRING: the day the entry period ends.
    until: dt.date | None = None
    #: CAPPED and RELEASED: the level the figures meet.
    earned: str | None = None
    #: The level rules' own words for a change of level ("" for the other events).
    reason: str = ""
    #: DROPPED: a cap gave the level, held only by its grace, to a partner that meets it.
    by_cap: bool = False
    #: The event came from a rules file taking effect (content/rules/<date>.yaml), not from a
    #: review of the partner: the same figures judged by the rules in force from that date.
    by_rules: bool = False

    @property
    def changes_level(self) -> bool:
        return self.kind is EventKind.JOINED or self.previous is not None


def changes_by_partner(changes: Iterable[LevelChange]) -> dict[str, tuple[LevelChange, ...]]:
    """Each partner's level changes, in the order the rules made them."""
    grouped: dict[str, list[LevelChange]] = defaultdict(list)
    for change in changes:
        grouped[change.partner].append(change)
    return {partner: tuple(found) for partner, found in grouped.items()}


def all_events(program: Program, evaluation: Evaluation) -> dict[str, tuple[LevelEvent, ...]]:
    """partner id -> its events, for every partner the rules evaluated (listed or not)."""
    grouped = changes_by_partner(evaluation.changes)
    return {
        partner: level_events(program, standing, grouped.get(partner, ()), evaluation.today)
        for partner, standing in evaluation.standings.items()
    }


def level_events(
    program: Program, standing: Standing, changes: Sequence[LevelChange], today: dt.date
) -> tuple[LevelEvent, ...]:
    """One partner's events in date order (on one date, in the order they happened)."""
    events: list[LevelEvent] = []
    by_date: dict[dt.date, list[LevelChange]] = defaultdict(list)
    for change in changes:
        by_date[change.date].append(change)
    at = {step.date: step for step in standing.history}
    rules_dates = {change.date for change in program.changes}
    before: LevelAt | None = None
    for date in sorted(set(by_date) | set(at)):
        step = at.get(date)
        pending = before.under_review_until if before is not None else None
        here = [_change_event(program, change, step, pending) for change in by_date.get(date, ())]
        if step is None:
            events.extend(here)
            continue
        changed_since = any(
            day <= date and (before is None or day > before.date) for day in by_date
        )
        here += _step_events(program, before, step, here, changed_since)
        if not step.reviewed and date in rules_dates:
            # the partner's figures did not change on this date: the rules did
            here = [replace(event, by_rules=True) for event in here]
        events.extend(here)
        before = step
    events.extend(_expiry_events(program, standing, events, today))
    return sorted_events(events)


def _change_event(
    program: Program, change: LevelChange, step: LevelAt | None, pending: dt.date | None
) -> LevelEvent:
    """The event of one change; `step` is the evaluation on its date (None when a grace ran
    out between two), `pending` the end of the grace before it."""
    kind = change.kind(program)
    if kind is ChangeKind.JOINED:
        return LevelEvent(EventKind.JOINED, change.date, change.level, reason=change.reason)
    if kind is ChangeKind.PROMOTION:
        return LevelEvent(
            EventKind.PROMOTED, change.date, change.level, change.previous, reason=change.reason
        )
    if step is not None and change.previous is not None:
        if program.rank(step.earned) >= program.rank(change.previous):
            # the figures still meet the level it lost: a cap took it, not a shortfall
            return LevelEvent(
                EventKind.CAPPED,
                change.date,
                change.level,
                change.previous,
                earned=step.earned,
                reason=change.reason,
            )
    # on an evaluation date a grace ends only on its last day: a drop before it (or with no
    # grace begun) came from a cap giving the place to a partner that meets the level
    by_cap = step is not None and program.review.grace_days > 0 and pending != change.date
    return LevelEvent(
        EventKind.DROPPED,
        change.date,
        change.level,
        change.previous,
        reason=change.reason,
        by_cap=by_cap,
    )


def _step_events(
    program: Program,
    before: LevelAt | None,
    step: LevelAt,
    here: Sequence[LevelEvent],
    changed_since: bool,
) -> list[LevelEvent]:
    """What one evaluation date shows beyond the changes of level: a grace begun or cancelled,
    a cap that starts or stops holding the partner below its figures. `here` are the events of
    the changes on this date; `changed_since` tells whether the level changed since `before`."""
    events: list[LevelEvent] = []
    was_held = before is not None and _held(program, before)
    if _held(program, step) and not was_held:
        if not any(event.kind is EventKind.CAPPED for event in here):
            events.append(LevelEvent(EventKind.CAPPED, step.date, step.level, earned=step.earned))
    elif was_held and not _held(program, step) and not here:
        events.append(LevelEvent(EventKind.RELEASED, step.date, step.level, earned=step.earned))
    pending = before.under_review_until if before is not None else None
    if step.under_review_until is not None and step.under_review_until != pending:
        until = step.under_review_until
        events.append(LevelEvent(EventKind.UNDER_REVIEW, step.date, step.level, until=until))
    elif pending is not None and step.under_review_until is None and not changed_since:
        events.append(LevelEvent(EventKind.RECOVERED, step.date, step.level))
    return events


def _held(program: Program, step: LevelAt) -> bool:
    """Whether a cap holds the partner below the level its figures meet."""
    return program.rank(step.earned) > program.rank(step.capped)


def _expiry_events(
    program: Program, standing: Standing, events: Sequence[LevelEvent], today: dt.date
) -> list[LevelEvent]:
    """DESIGN rule 4 as events: each stretch at the lowest level that lasted past the end of
    the entry period expired; a partner at the lowest level now learns when its period ends."""
    lowest = program.levels[0].id
    ends = standing.member_since + dt.timedelta(days=program.review.entry_expiry_days)
    changes = [event for event in events if event.changes_level]
    found: list[LevelEvent] = []
    for index, event in enumerate(changes):
        if event.level != lowest:
            continue
        stretch_end = changes[index + 1].date if index + 1 < len(changes) else None
        expired_on = max(event.date, ends)
        if (stretch_end is None and expired_on <= today) or (
            stretch_end is not None and expired_on < stretch_end
        ):
            found.append(LevelEvent(EventKind.EXPIRED, expired_on, lowest))
    if changes and changes[-1].level == lowest and ends > today:
        reviewed = [step.date for step in standing.history if step.reviewed]
        known = max(reviewed[-1] if reviewed else changes[-1].date, changes[-1].date)
        found.append(LevelEvent(EventKind.EXPIRING, known, lowest, until=ends))
    # in date order among the others: an expiry comes after what happened on its date
    return found


def sorted_events(events: Iterable[LevelEvent]) -> tuple[LevelEvent, ...]:
    """Events by date, keeping the order of events on one date (Python's sort is stable)."""
    return tuple(sorted(events, key=lambda event: event.date))


def level_on(events: Sequence[LevelEvent], date: dt.date) -> str | None:
    """The level the events give on `date`: that of the last event on or before it."""
    level = None
    for event in events:
        if event.date > date:
            break
        level = event.level
    return level


__all__ = [
    "EventKind",
    "LevelEvent",
    "all_events",
    "changes_by_partner",
    "level_events",
    "level_on",
    "sorted_events",
]
