"""The level rules of DESIGN.md, as pure functions: earned, caps, grace, expiry, the path.

Nothing here reads a file. The rules run over every review date in order. At each date every
partner measured so far takes part with its most recent row (figures carry forward until a newer
review replaces them), so a cap judges the whole directory at that date, not only the partners
in that date's file: a small onboarding file cannot slip a partner past a cap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .model import (
    Cap,
    Criterion,
    CriterionChange,
    CriterionProgress,
    Directory,
    Evaluation,
    Figure,
    GraduationPath,
    LevelAt,
    LevelChange,
    Listing,
    Metric,
    Op,
    Partner,
    Program,
    ReviewRow,
    RulesChange,
    RulesDifference,
    Sealed,
    Standing,
    UpcomingDrop,
    UpcomingTarget,
    Value,
)
from .wording import and_list


def evaluate_levels(
    program: Program,
    partner_ids: Iterable[str],
    rows: Sequence[ReviewRow],
    today: dt.date,
    names: Mapping[str, str] | None = None,
) -> Evaluation:
    """Every listed partner's standing on `today`, and every level change up to `today`.

    `rows` may hold rows of partners not in `partner_ids` (they are ignored) and rows dated
    after `today` (ignored too: the build date is the present). `names` (partner id -> name)
    names the partners that hold a capped level in the reasons of those a cap displaced; an id
    stands for a partner without one.
    """
    wanted = set(partner_ids)
    kept = sorted(
        (r for r in rows if r.partner in wanted and r.date <= today),
        key=lambda r: (r.date, r.partner),
    )
    by_date: dict[dt.date, list[ReviewRow]] = defaultdict(list)
    for row in kept:
        by_date[row.date].append(row)

    # a rules file's date is an evaluation date like a review's: from it the latest figures
    # are judged by the new rules, and a drop they cause gets the same grace as any other
    rule_dates = {c.date for c in program.changes if c.date <= today}
    judge = Judge()
    current: dict[str, ReviewRow] = {}
    earned: dict[str, str] = {}  # of each partner's current row: computed once per row and rules
    timelines: dict[str, _Timeline] = {}
    for date in sorted(by_date.keys() | rule_dates):
        rules = program.rules_on(date)  # each date judged by the rules in force on it
        if date in rule_dates:
            earned = {partner: earned_level(rules, row, judge) for partner, row in current.items()}
        for row in by_date.get(date, ()):
            current[row.partner] = row
            earned[row.partner] = earned_level(rules, row, judge)
        capped, reasons = apply_caps(rules, current, earned, names)
        reviewed = {row.partner for row in by_date.get(date, ())}
        for partner, row in current.items():
            timeline = timelines.get(partner)
            if timeline is None:
                timeline = timelines[partner] = _Timeline(partner, date)
            timeline.step(
                rules,
                date,
                row,
                earned[partner],
                capped[partner],
                reasons.get(partner),
                partner in reviewed,
            )
        _hold_caps(rules, date, current, timelines, names)

    standings: dict[str, Standing] = {}
    changes: list[LevelChange] = []
    for partner in sorted(timelines):
        timeline = timelines[partner]
        timeline.finish(program, today)
        standing = timeline.standing(program.rules_on(today), current[partner], today, judge)
        if program.upcoming(today):  # else it has none
            standing = replace(standing, upcoming=upcoming_targets(program, standing, today))
        standings[partner] = standing
        changes.extend(timeline.changes)
    changes.sort(key=lambda c: (c.date, c.partner))
    return Evaluation(today, standings, tuple(changes))


def last_full_review(directory: Directory) -> dt.date | None:
    """The latest review date that measured at least half of the partners with rows.

    Small onboarding files (a few new partners) are review dates too; "the last review" that
    summaries and the statistics page talk about is the last quarterly-style one.
    """
    counts = Counter(row.date for row in directory.rows)
    measured = len({row.partner for row in directory.rows})
    full = [date for date, n in counts.items() if 2 * n >= measured]
    return max(full) if full else (max(counts) if counts else None)


def listed_partners(directory: Directory, evaluation: Evaluation) -> list[tuple[Partner, Standing]]:
    """The partners the site lists (Evaluation.listing), by level (highest first), then name,
    then id: the order of every list of partners the site shows."""
    program = directory.program
    listed = [
        (partner, evaluation.standings[partner.id])
        for partner in directory.partners
        if evaluation.listing(partner.id) is Listing.LISTED
    ]
    listed.sort(key=lambda ps: (-program.rank(ps[1].level), ps[0].name.casefold(), ps[0].id))
    return listed


# --- Rule 1: earned ---------------------------------------------------------------------------


def meets(metric: Metric, criterion: Criterion, value: Figure | None) -> bool:
    """Whether one figure meets one criterion. A missing figure never does."""
    if value is None:
        return False
    if isinstance(value, Sealed):
        # a private figure, sealed: the check makes sure the seal decides every criterion
        # of the row's country; one it does not decide counts as not met, like a missing figure
        return value.decides(criterion.op, criterion.target) is True
    if criterion.op is Op.EQUALS:
        return value == criterion.target
    if isinstance(value, bool | str) or isinstance(criterion.target, bool | str):
        return False  # validation allows only `equals` on choice and boolean metrics
    if criterion.op is Op.MIN:
        return value >= criterion.target
    return value <= criterion.target


def earned_level(program: Program, row: ReviewRow, judge: Judge | None = None) -> str:
    """Rule 1: the highest level all of whose criteria (regional ones applied) the row meets.

    `judge` keeps the verdicts found so far, for a caller that judges many rows."""
    if judge is None:
        judge = Judge()
    figures = row.figures
    # from the highest level down: the first whose criteria all hold is the highest that does
    for level_id, criteria in judge.levels(program, row.country):
        for metric_id, verdicts, metric, criterion in criteria:
            value = figures.get(metric_id)
            key = (value.__class__, value)  # 1, 1.0 and True are equal keys, not equal figures
            met = verdicts.get(key)
            if met is None:
                met = verdicts[key] = meets(metric, criterion, value)
            if not met:
                break
        else:
            return level_id
    return program.levels[0].id


#: A criterion as Judge.levels gives it: its metric's id, its verdict by figure so far, its
#: metric and itself.
_Judged = tuple[str, dict[tuple[type, object], bool], Metric, Criterion]


class Judge:
    """The verdicts of `meets` found so far, each criterion's by figure (a pure function of
    the two): an evaluation judges 35,000 rows against a few criteria and a few hundred
    distinct figures. Valid for the programmes it is given while they live."""

    def __init__(self) -> None:
        self._levels: dict[tuple[int, str], tuple[Program, list[tuple[str, list[_Judged]]]]] = {}
        self._verdicts: dict[tuple[int, Criterion], dict[tuple[type, object], bool]] = {}
        self._progress: dict[tuple[object, ...], tuple[Metric, Criterion, CriterionProgress]] = {}

    def levels(self, program: Program, country: str) -> list[tuple[str, list[_Judged]]]:
        """The levels above the lowest, highest first, each with its criteria in `country`."""
        key = (id(program), country)
        found = self._levels.get(key)
        if found is None:
            levels = [
                (level.id, [self._judged(program, c) for c in program.criteria_for(level, country)])
                for level in reversed(program.levels[1:])
            ]
            # the programme is kept with its levels: its id is not reused while it lives here
            found = self._levels[key] = (program, levels)
        return found[1]

    def progress(
        self, metric: Metric, criterion: Criterion, value: Figure | None
    ) -> CriterionProgress:
        """criterion_progress, each distinct (metric, criterion, figure) computed once."""
        # by identity (hashing a metric is slow): the entry keeps both alive, so no id is reused
        key = (id(metric), id(criterion), value.__class__, value)
        found = self._progress.get(key)
        if found is None:
            progress = criterion_progress(metric, criterion, value)
            self._progress[key] = (metric, criterion, progress)
            return progress
        return found[2]

    def _judged(self, program: Program, criterion: Criterion) -> _Judged:
        metric = program.metrics[criterion.metric]
        verdicts = self._verdicts.setdefault((id(metric), criterion), {})
        return (criterion.metric, verdicts, metric, criterion)


# --- Rule 2: caps -----------------------------------------------------------------------------


def apply_caps(
    program: Program,
    rows: Mapping[str, ReviewRow],
    earned: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Rule 2 at one date: partner -> level after caps, and partner -> why a cap lowered it.

    Caps apply top-down: a partner pushed out of a capped level takes the level below, where it
    competes under that level's caps in turn. Within a scope the partners are ranked by the
    cap's `rank_by` metrics (missing figures last), ties broken by partner id. `earned` may
    give each row's earned level where the caller has it already. The reason names the cap and
    the partners that keep the level (by `names`, else by id).
    """
    judge = Judge()
    level = (
        dict(earned)
        if earned is not None
        else {partner: earned_level(program, row, judge) for partner, row in rows.items()}
    )
    reasons: dict[str, list[str]] = defaultdict(list)
    for capped_level in reversed(program.levels[1:]):
        below = program.levels[capped_level.rank - 1].id
        for cap in program.caps:
            if cap.level != capped_level.id:
                continue
            for scope_name, scope in _scopes(program, cap, rows):
                holders = [p for p in scope if level[p] == cap.level]
                limit = cap_limit(cap, len(scope))
                if len(holders) <= limit:
                    continue
                holders.sort(key=lambda p: _rank_key(program, cap, rows[p]))
                kept = _held_by(holders[:limit], names)
                for partner in holders[limit:]:
                    level[partner] = below
                    reasons[partner].append(
                        f"meets {capped_level.name} criteria; {capped_level.name} is capped at "
                        f"{_limit_text(cap, limit, len(scope))} {scope_name}, held by {kept}"
                    )
    return level, {partner: "; ".join(texts) for partner, texts in reasons.items()}


def _held_by(partners: Sequence[str], names: Mapping[str, str] | None) -> str:
    """The partners that hold a capped level, by name, in their ranking order: "A, B and C"."""
    return and_list([names.get(p, p) if names else p for p in partners])


def _hold_caps(
    program: Program,
    date: dt.date,
    rows: Mapping[str, ReviewRow],
    timelines: Mapping[str, _Timeline],
    names: Mapping[str, str] | None,
) -> None:
    """Every cap holds for the levels shown, not only the levels earned: where a partner still
    in the grace of a drop (its figures no longer meet the level) would make the holders of a
    capped level more than the cap allows, it leaves the level at once to a partner that meets
    it. Partners whose figures meet the level come first, then by the cap's ranking."""
    for capped_level in reversed(program.levels[1:]):
        for cap in program.caps:
            if cap.level != capped_level.id:
                continue
            for scope_name, scope in _scopes(program, cap, rows):
                holders = [p for p in scope if timelines[p].level == cap.level]
                limit = cap_limit(cap, len(scope))
                if len(holders) <= limit:
                    continue
                holders.sort(
                    key=lambda p: (
                        timelines[p].until is not None,
                        _rank_key(program, cap, rows[p]),
                    )
                )
                kept = _held_by(holders[:limit], names)
                for partner in holders[limit:]:
                    timelines[partner].displace(
                        date,
                        capped_level.name,
                        f"{capped_level.name} is capped at "
                        f"{_limit_text(cap, limit, len(scope))} {scope_name}, held by {kept}",
                    )


def cap_limit(cap: Cap, measured: int) -> int:
    """How many partners of a scope with `measured` partners may hold the capped level.

    A share is of the partners measured in the scope, rounded down, but never below one: a
    share cannot shut a small market out of a level altogether.
    """
    if cap.count is not None:
        return cap.count
    return max(1, math.floor((cap.share or 0.0) * measured + 1e-9))


def _limit_text(cap: Cap, limit: int, measured: int) -> str:
    if cap.count is not None:
        return str(cap.count)
    percent = f"{(cap.share or 0.0) * 100:g}%"
    return f"{percent} ({limit} of {measured} partners)"


def _scopes(
    program: Program, cap: Cap, rows: Mapping[str, ReviewRow]
) -> list[tuple[str, list[str]]]:
    """The cap's scopes, each as "in NL" and the partners measured in it, sorted."""
    if cap.region is not None:
        region = next((r for r in program.regions if r.id == cap.region), None)
        countries = set(region.countries) if region else set()
        name = region.name if region else cap.region
        return [(f"in {name}", sorted(p for p, r in rows.items() if r.country in countries))]
    if cap.country == "*":
        by_country: dict[str, list[str]] = defaultdict(list)
        for partner, row in rows.items():
            by_country[row.country].append(partner)
        return [(f"in {c}", sorted(by_country[c])) for c in sorted(by_country)]
    return [(f"in {cap.country}", sorted(p for p, r in rows.items() if r.country == cap.country))]


def _rank_key(program: Program, cap: Cap, row: ReviewRow) -> tuple[object, ...]:
    """Sort key: best first on each rank_by metric, missing figures last, then partner id."""
    key: list[object] = []
    for metric_id in cap.rank_by:
        metric = program.metrics[metric_id]
        value = row.figures.get(metric_id)
        if isinstance(value, Sealed):
            value = None  # program.yaml ranks by published figures only; a seal has no rank
        key.append(metric.sort_key(value))
    key.append(row.partner)
    return tuple(key)


# --- Rule 3: grace, and the timeline of one partner --------------------------------------------


@dataclass(slots=True)
class _Timeline:
    """One partner's levels over the review dates, built date by date."""

    partner: str
    member_since: dt.date
    level: str = ""
    level_since: dt.date | None = None
    #: The day a pending drop takes effect, or None.
    until: dt.date | None = None
    #: The level and reason of the latest step, for the drop when `until` comes.
    capped: str = ""
    earned: str = ""
    reason: str | None = None
    history: list[LevelAt] = field(default_factory=list)
    changes: list[LevelChange] = field(default_factory=list)

    def step(
        self,
        program: Program,
        date: dt.date,
        row: ReviewRow,
        earned: str,
        capped: str,
        cap_reason: str | None,
        reviewed: bool,
    ) -> None:
        if self.until is not None and self.until < date:
            self._drop(program, self.until)  # the grace ran out between two reviews
        self.earned, self.capped, self.reason = earned, capped, cap_reason
        if not self.level:
            self._change(date, capped, "joined the directory")
        elif program.is_promotion(self.level, capped):
            self._change(date, capped, _promotion_reason(program, capped))
        elif capped == self.level:
            self.until = None  # recovery before the end of the grace cancels the drop
        elif program.rank(earned) >= program.rank(self.level):
            # the figures still meet the level: a cap, not a shortfall, takes it, and at once
            # (grace is for figures that may recover; a cap holds on every page from the day
            # another partner takes the place)
            self._change(date, capped, f"demoted: {cap_reason}")
        elif self.until is None:
            grace = program.review.grace_days
            self.until = date + dt.timedelta(days=grace)
            if grace == 0:
                self._drop(program, date)
        elif self.until == date:
            self._drop(program, date)
        self.history.append(LevelAt(date, earned, capped, self.level, self.until, reviewed))

    def displace(self, date: dt.date, level_name: str, reason: str) -> None:
        """A cap gives this partner's level, held only by its grace, to a partner that meets
        it: the pending drop takes effect at once (`_hold_caps`)."""
        cap_reason = f"its figures no longer meet {level_name}; {reason}"
        self.reason = f"{self.reason}; {cap_reason}" if self.reason else cap_reason
        self._change(date, self.capped, f"demoted: {cap_reason}")
        last = self.history[-1]
        self.history[-1] = LevelAt(
            last.date, last.earned, last.capped, self.level, None, last.reviewed
        )

    def finish(self, program: Program, today: dt.date) -> None:
        """The build date counts: a grace that has run out by `today` demotes."""
        if self.until is not None and self.until <= today:
            self._drop(program, self.until)

    def _drop(self, program: Program, date: dt.date) -> None:
        """A pending drop takes effect: the level of the latest review on or before `date`."""
        days = program.review.grace_days
        reason = (
            f"demoted: the figures did not meet {program.level(self.level).name} for {days} days"
            if days
            else f"demoted: the figures no longer meet {program.level(self.level).name}"
        )
        if self.reason:
            reason += f" ({self.reason})"
        self._change(date, self.capped, reason)

    def _change(self, date: dt.date, level: str, reason: str) -> None:
        self.changes.append(LevelChange(self.partner, date, self.level or None, level, reason))
        self.level = level
        self.level_since = date
        self.until = None

    def standing(
        self, program: Program, latest: ReviewRow, today: dt.date, judge: Judge | None = None
    ) -> Standing:
        return Standing(
            partner=self.partner,
            country=latest.country,
            level=self.level,
            earned=self.earned,
            capped=self.capped,
            level_since=self.level_since or self.member_since,
            member_since=self.member_since,
            under_review_until=self.until,
            reason=self._why(program),
            history=tuple(self.history),
            path=graduation_path(program, self.level, self.until is not None, latest, judge),
            expired=entry_expired(program, self.level, self.member_since, today),
            latest=latest,
        )

    def _why(self, program: Program) -> str | None:
        """Why the level shown differs from the level the figures earn, in words."""
        if self.until is not None:
            earned = program.level(self.earned).name
            text = (
                f"the figures of the latest review meet {earned}, not "
                f"{program.level(self.level).name}; {program.level(self.level).name} is kept "
                "until then, and for good if the figures recover by then"
            )
            return f"{text} ({self.reason})" if self.reason else text
        if self.level != self.earned:
            return self.reason
        return None


def _promotion_reason(program: Program, level: str) -> str:
    return f"promoted: meets the {program.level(level).name} criteria"


# --- Rule 4: entry expiry ----------------------------------------------------------------------


def entry_expired(program: Program, level: str, member_since: dt.date, date: dt.date) -> bool:
    """Rule 4: whether a partner that joined on `member_since` and holds `level` on `date` has
    expired: still at the lowest level `entry_expiry_days` after joining, so not listed."""
    expiry = dt.timedelta(days=program.review.entry_expiry_days)
    return level == program.levels[0].id and date >= member_since + expiry


# --- Rule 5: the graduation path ---------------------------------------------------------------


def graduation_path(
    program: Program, level: str, under_review: bool, row: ReviewRow, judge: Judge | None = None
) -> GraduationPath | None:
    """What the partner still needs: to keep its level while under review, else the next one.

    None at the top level when nothing is pending. `judge` keeps the progress found so far.
    """
    rank = program.rank(level)
    if under_review:
        target, goal = program.levels[rank], "keep"
    elif rank + 1 < len(program.levels):
        target, goal = program.levels[rank + 1], "reach"
    else:
        return None
    progress = judge.progress if judge is not None else criterion_progress
    criteria = tuple(
        progress(program.metrics[c.metric], c, row.figures.get(c.metric))
        for c in program.criteria_for(target, row.country)
    )
    return GraduationPath(target.id, goal, criteria)


def criterion_progress(
    metric: Metric, criterion: Criterion, value: Figure | None
) -> CriterionProgress:
    met = meets(metric, criterion, value)
    # a private figure publishes met / not yet only (rule 5): neither its value (or seal) nor
    # a percentage of the public target, which would give the figure away
    shown = None if not metric.public or isinstance(value, Sealed) else value
    return CriterionProgress(
        metric=metric.id,
        label=metric.label,
        op=criterion.op,
        target=criterion.target,
        value=shown,
        public=metric.public,
        met=met,
        progress=_progress(criterion, shown, met) if metric.public else (100 if met else 0),
    )


def _progress(criterion: Criterion, value: Value | None, met: bool) -> int:
    """0..100: how far the value has come towards the target (100 once met)."""
    if met:
        return 100
    if value is None or criterion.op is Op.EQUALS:
        return 0
    if isinstance(value, bool | str) or isinstance(criterion.target, bool | str):
        return 0
    target, current = float(criterion.target), float(value)
    if criterion.op is Op.MIN:
        ratio = current / target if target > 0 else 0.0
    else:
        ratio = target / current if current > 0 else 0.0
    # 29 / 100 * 100 is 28.999999999999996 in floating point: it is 29 percent
    return max(0, min(99, math.floor(ratio * 100 + 1e-9)))


# --- Dated rules: what the rules files after the build date will change -------------------


def upcoming_targets(
    program: Program, standing: Standing, today: dt.date
) -> tuple[UpcomingTarget, ...]:
    """For each rules file dated after `today`, the criteria it sets (new or changed, for the
    partner's country) for the level the partner holds and the next one, each with whether the
    latest figures meet it already: the rules are public before they take effect."""
    found: list[UpcomingTarget] = []
    country, latest = standing.country, standing.latest
    rank = program.rank(standing.level)
    for change in program.upcoming(today):
        before = program.rules_before(change.date)
        after = program.rules_on(change.date)
        for level, goal in ((rank, "keep"), (rank + 1, "reach")):
            if not 0 < level < len(after.levels):
                continue
            old = set(before.criteria_for(before.levels[level], country))
            for criterion in after.criteria_for(after.levels[level], country):
                if criterion in old:
                    continue
                metric = program.metrics[criterion.metric]
                progress = criterion_progress(metric, criterion, latest.figures.get(metric.id))
                found.append(UpcomingTarget(change.date, after.levels[level].id, goal, progress))
    return tuple(found)


def upcoming_drops(program: Program, evaluation: Evaluation) -> tuple[UpcomingDrop, ...]:
    """The partners whose latest figures, judged by each rules file dated after the build
    date (caps applied), would earn less than the level they hold and than the rules in force
    give them: by date, then id."""
    drops: list[UpcomingDrop] = []
    standings = {p: s for p, s in evaluation.standings.items() if not s.expired}
    rows = {partner: standing.latest for partner, standing in standings.items()}
    now, _ = apply_caps(program.rules_on(evaluation.today), rows)
    for change in program.upcoming(evaluation.today):
        capped, _ = apply_caps(program.rules_on(change.date), rows)
        for partner in sorted(standings):
            level = standings[partner].level
            # a drop the new rules cause: not one already pending under the rules in force
            if program.rank(capped[partner]) < min(program.rank(level), program.rank(now[partner])):
                drops.append(UpcomingDrop(change.date, partner, level, capped[partner]))
    return tuple(drops)


def rules_differences(program: Program) -> tuple[RulesDifference, ...]:
    """What each rules file changes against the rules in force the day before its date."""
    return tuple(rules_difference(program, change) for change in program.changes)


def rules_difference(program: Program, change: RulesChange) -> RulesDifference:
    before = program.rules_before(change.date)
    after = program.rules_on(change.date)
    criteria: list[CriterionChange] = []
    for old_level, new_level in zip(before.levels, after.levels, strict=True):
        criteria += _criterion_changes(new_level.id, None, old_level.criteria, new_level.criteria)
    old_regions = {region.id: region for region in before.regions}
    for region in after.regions:
        old_region = old_regions.get(region.id)
        for level in after.levels[1:]:
            old = old_region.adjustments.get(level.id, ()) if old_region else ()
            new = region.adjustments.get(level.id, ())
            criteria += _criterion_changes(level.id, region.id, old, new)
    caps = after.caps if after.caps != before.caps else None
    return RulesDifference(change.date, tuple(criteria), caps)


def level_difference(program: Program, difference: RulesDifference, level: str) -> RulesDifference:
    """What a rules file changes for one level: its criteria and its regional targets, and its
    caps when they change (None when they stay)."""
    criteria = tuple(change for change in difference.criteria if change.level == level)
    caps = None
    if difference.caps is not None:
        day_before = program.rules_on(difference.date - dt.timedelta(days=1))
        before = tuple(cap for cap in day_before.caps if cap.level == level)
        after = tuple(cap for cap in difference.caps if cap.level == level)
        caps = after if after != before else None
    return RulesDifference(difference.date, criteria, caps)


def _criterion_changes(
    level: str,
    region: str | None,
    before: tuple[Criterion, ...],
    after: tuple[Criterion, ...],
) -> list[CriterionChange]:
    old = {(c.metric, c.op): c for c in before}
    new = {(c.metric, c.op): c for c in after}
    return [
        CriterionChange(level, region, key[0], old.get(key), new.get(key))
        for key in [*new, *(k for k in old if k not in new)]
        if old.get(key) != new.get(key)
    ]


__all__ = [
    "apply_caps",
    "cap_limit",
    "criterion_progress",
    "level_difference",
    "earned_level",
    "entry_expired",
    "evaluate_levels",
    "graduation_path",
    "last_full_review",
    "listed_partners",
    "meets",
    "rules_differences",
    "upcoming_drops",
    "upcoming_targets",
]
