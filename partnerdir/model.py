"""Typed records of a validated directory: what every stage after validation works on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

#: A figure's value once typed: integer -> int, number and money -> float, boolean -> bool,
#: choice -> str. None where a review left the cell empty.
Value = int | float | bool | str


class MetricType(StrEnum):
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    CHOICE = "choice"
    BOOLEAN = "boolean"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Op(StrEnum):
    MIN = "min"
    MAX = "max"
    EQUALS = "equals"


class Listing(StrEnum):
    """Whether the site lists a partner, and if not, why (DESIGN rule 4)."""

    LISTED = "listed"
    #: No review row yet, so no level: listed once a review measures it.
    NOT_REVIEWED = "not reviewed"
    #: Still at the lowest level `entry_expiry_days` after its first review row.
    EXPIRED = "expired"


class ChangeKind(StrEnum):
    JOINED = "joined"
    PROMOTION = "promotion"
    DEMOTION = "demotion"


#: One bound of a sealed cell: `>=X`, `>X`, `<X` or `<=X`, X a plain number.
_BOUND = re.compile(r"(>=|>|<=|<)([+-]?(?:\d{1,15}(?:\.\d*)?|\.\d+))")


@dataclass(frozen=True, slots=True)
class Sealed:
    """A private figure as the repository holds it: which side of each threshold it lies on.

    DESIGN: no private figure in git. The programme team keeps the figure; a review file holds
    its seal, `>=200000 <500000` (Sealed(200000, True, 500000, False)), which tells for every
    criterion sealed against whether the figure meets it, and nothing more. None: no bound.
    """

    lower: float | None = None
    lower_inclusive: bool = False
    upper: float | None = None
    upper_inclusive: bool = False

    def decides(self, op: Op, target: Value) -> bool | None:
        """Whether every figure within the bounds meets `op target`: True or False, or None
        when the bounds do not tell (the figure was not sealed against that threshold)."""
        if isinstance(target, bool | str):
            return None
        if op is Op.MIN:
            if self.lower is not None and self.lower >= target:
                return True
            return None if self._may_be_at_least(target) else False
        if op is Op.MAX:
            if self.upper is not None and self.upper <= target:
                return True
            return None if self._may_be_at_most(target) else False
        if not (self._may_be_at_least(target) and self._may_be_at_most(target)):
            return False
        exact = self.lower == self.upper == target and self.lower_inclusive and self.upper_inclusive
        return True if exact else None

    def _may_be_at_least(self, target: float) -> bool:
        upper = self.upper
        return upper is None or upper > target or (upper == target and self.upper_inclusive)

    def _may_be_at_most(self, target: float) -> bool:
        lower = self.lower
        return lower is None or lower < target or (lower == target and self.lower_inclusive)

    @property
    def bounds(self) -> tuple[float, ...]:
        return tuple(b for b in (self.lower, self.upper) if b is not None)

    def cell(self) -> str:
        """The review file's cell: the lower bound, then the upper, e.g. `>=200000 <500000`."""
        parts = []
        if self.lower is not None:
            parts.append((">=" if self.lower_inclusive else ">") + plain_number(self.lower))
        if self.upper is not None:
            parts.append(("<=" if self.upper_inclusive else "<") + plain_number(self.upper))
        return " ".join(parts)

    @staticmethod
    def parse(text: str) -> Sealed | None:
        """A sealed cell's bounds: one or two, at most one lower and one upper, leaving room
        for a figure; None when `text` is anything else."""
        words = text.split()
        if not 1 <= len(words) <= 2:
            return None
        lower: tuple[float, bool] | None = None
        upper: tuple[float, bool] | None = None
        for word in words:
            match = _BOUND.fullmatch(word)
            if match is None:
                return None
            sign, number = match.groups()
            bound = (float(number), sign.endswith("="))
            if sign.startswith(">"):
                if lower is not None:
                    return None
                lower = bound
            else:
                if upper is not None:
                    return None
                upper = bound
        if lower and upper:
            (low, low_inclusive), (high, high_inclusive) = lower, upper
            if low > high or (low == high and not (low_inclusive and high_inclusive)):
                return None  # no figure lies within the bounds
        return Sealed(
            lower[0] if lower else None,
            lower[1] if lower else False,
            upper[0] if upper else None,
            upper[1] if upper else False,
        )


#: A figure as a review row holds it: a typed value, or the seal of a private one.
Figure = Value | Sealed


def plain_number(number: float) -> str:
    """A number as a person writes it: `300000`, `4.5`, `0.0000001`; no exponent, no `.0`."""
    if number == int(number):
        return str(int(number))
    return format(Decimal(repr(number)), "f")


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    label: str
    type: MetricType
    public: bool
    better: Better = Better.HIGHER
    minimum: float | None = None
    maximum: float | None = None
    #: For choice metrics: the allowed values, worst first (so they rank).
    choices: tuple[str, ...] = ()
    #: Shown after a value: "EUR" for money, "%" for a share; "" for none.
    unit: str = ""
    description: str = ""

    def sort_key(self, value: Value | None) -> tuple[bool, float]:
        """Where a figure comes when partners are ordered by this metric: best first, a missing
        figure last. The one order of a metric's values: caps rank by it, the site sorts by it.

        The best is the highest figure, or the lowest where `better` is lower; the last of a
        choice metric's choices (they run worst first); yes before no.
        """
        if value is None:
            return (True, 0.0)
        if self.type is MetricType.CHOICE:
            score = float(self.choices.index(str(value))) if value in self.choices else -1.0
        elif isinstance(value, bool):
            score = 1.0 if value else 0.0
        elif isinstance(value, str):
            score = 0.0
        else:
            score = -float(value) if self.better is Better.LOWER else float(value)
        return (False, -score)


@dataclass(frozen=True, slots=True)
class Criterion:
    metric: str
    op: Op
    target: Value


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: str
    #: 0 for the lowest level, rising by one per level.
    rank: int
    colour: str
    description: str
    benefits: tuple[str, ...]
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str
    countries: tuple[str, ...]
    #: level id -> criteria that replace the level's own criterion on the same metric and op.
    adjustments: Mapping[str, tuple[Criterion, ...]] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Cap:
    """At most `count` partners, or `share` of the partners measured in the scope, at `level`.

    The scope is one country (`country`), every country separately (`country == "*"`), or one
    region (`region`): exactly one of the two is set.
    """

    level: str
    country: str | None
    region: str | None
    count: int | None
    share: float | None
    rank_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a controlled vocabulary: a programme, a service or an industry."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ReviewRules:
    grace_days: int
    entry_expiry_days: int
    #: The least number of days between a change of the rules and the date it takes effect.
    notice_days: int = 90


@dataclass(frozen=True, slots=True)
class SiteSettings:
    title: str
    base_url: str
    tagline: str = ""
    intro: str = ""
    #: Link to the directory's repository, for "edit this listing" and CONTRIBUTING links.
    repository: str = ""
    #: GitHub handles or teams of the programme team (own program.yaml, reviews/, templates/).
    owners: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rules:
    """The level rules that may change by date: each level's criteria (in `levels`), the
    regional targets (in `regions`) and the caps."""

    levels: tuple[Level, ...]
    regions: tuple[Region, ...]
    caps: tuple[Cap, ...]


@dataclass(frozen=True, slots=True)
class RulesChange:
    """A rules file, content/rules/<date>.yaml: the rules in force from `date` (what the file
    gives laid over the rules in force the day before)."""

    date: dt.date
    rules: Rules
    #: Path of the rules file, as given to the loader.
    source: str


@dataclass(frozen=True, slots=True)
class Program:
    site: SiteSettings
    #: In declaration order.
    metrics: Mapping[str, Metric]
    #: Lowest first; levels[i].rank == i.
    levels: tuple[Level, ...]
    programs: tuple[Term, ...]
    services: tuple[Term, ...]
    industries: tuple[Term, ...]
    regions: tuple[Region, ...]
    caps: tuple[Cap, ...]
    review: ReviewRules
    #: The dated rules files, by date: `levels`, `regions` and `caps` above are the rules in
    #: force on one date (`rules_on`), program.yaml's unless this is `rules_on` a later date.
    changes: tuple[RulesChange, ...] = ()
    #: program.yaml's rules, where `levels`, `regions` and `caps` are those of a later date.
    start: Rules | None = None
    #: Lookups the level rules make for every row: built once, not compared or shown.
    _by_id: dict[str, Level] = field(init=False, repr=False, compare=False)
    _criteria: dict[tuple[str, str], tuple[Criterion, ...]] = field(
        init=False, repr=False, compare=False
    )
    _on: dict[dt.date | None, Program] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {level.id: level for level in self.levels})
        object.__setattr__(self, "_criteria", {})
        object.__setattr__(self, "_on", {})

    @property
    def rules(self) -> Rules:
        return Rules(self.levels, self.regions, self.caps)

    def rules_on(self, date: dt.date) -> Program:
        """The programme with the rules in force on `date`: those of the latest rules file
        dated on or before it, else program.yaml's. Every review is judged by the rules in
        force on its date, so a rules file never changes a level before its date."""
        return self._with(self.change_on(date))

    def rules_before(self, date: dt.date) -> Program:
        """The programme with the rules in force the day before `date` (program.yaml's before
        the first rules file, even one dated on the first day a date can name)."""
        found = None
        for change in self.changes:
            if change.date < date:
                found = change
        return self._with(found)

    def _with(self, change: RulesChange | None) -> Program:
        """The programme with the rules of `change` in force, program.yaml's for None."""
        if change is None and self.start is None:
            return self
        key = change.date if change else None
        found = self._on.get(key)
        if found is None:
            start = self.start or self.rules
            rules = change.rules if change else start
            found = replace(
                self,
                levels=rules.levels,
                regions=rules.regions,
                caps=rules.caps,
                start=start,
            )
            self._on[key] = found
        return found

    def change_on(self, date: dt.date) -> RulesChange | None:
        """The latest rules file in force on `date`; None when program.yaml's rules are."""
        found = None
        for change in self.changes:
            if change.date <= date:
                found = change
        return found

    def upcoming(self, today: dt.date) -> tuple[RulesChange, ...]:
        """The rules files dated after `today`: public before they take effect."""
        return tuple(change for change in self.changes if change.date > today)

    def level(self, level_id: str) -> Level:
        return self._by_id[level_id]

    def rank(self, level_id: str) -> int:
        return self._by_id[level_id].rank

    def is_promotion(self, before: str, after: str) -> bool:
        """Whether a move from level `before` to `after` is a promotion: `after` ranks higher.

        Any other move between two different levels is a demotion.
        """
        return self.rank(after) > self.rank(before)

    def region_of(self, country: str) -> Region | None:
        for region in self.regions:
            if country in region.countries:
                return region
        return None

    def criteria_for(self, level: Level, country: str) -> tuple[Criterion, ...]:
        """The level's criteria with the regional adjustments of `country` applied."""
        key = (level.id, country)
        found = self._criteria.get(key)
        if found is None:
            found = self._criteria[key] = self._adjusted(level, country)
        return found

    def _adjusted(self, level: Level, country: str) -> tuple[Criterion, ...]:
        region = self.region_of(country)
        adjusted = region.adjustments.get(level.id, ()) if region else ()
        if not adjusted:
            return level.criteria
        replaced = {(c.metric, c.op): c for c in adjusted}
        result = [replaced.pop((c.metric, c.op), c) for c in level.criteria]
        result.extend(replaced.values())
        return tuple(result)


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    website: str
    #: Markdown source, not yet rendered.
    description: str
    countries: tuple[str, ...]
    programs: tuple[str, ...]
    services: tuple[str, ...]
    industries: tuple[str, ...]
    languages: tuple[str, ...]
    contact: str | None
    maintainers: tuple[str, ...]
    #: File name of the logo inside content/partners/, or None.
    logo: str | None
    #: Path of the partner file, as given to the loader.
    source: str
    #: One line the partner writes for its card, or None.
    summary: str | None = None
    #: The head office's city, or None.
    city: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewRow:
    partner: str
    date: dt.date
    country: str
    #: A private metric's figure is Sealed (as committed) or a plain value (the programme
    #: team's own export, and tests): either way only the level rules read it.
    figures: Mapping[str, Figure | None]
    source: str
    line: int

    def published(self, metric: Metric) -> Value | None:
        """The figure as the site may show it: None for a private metric, always."""
        value = self.figures.get(metric.id)
        if not metric.public or isinstance(value, Sealed):
            return None
        return value


@dataclass(frozen=True, slots=True)
class Directory:
    """Everything a build needs, validated: the programme, listed partners and review rows."""

    program: Program
    #: Sorted by id.
    partners: tuple[Partner, ...]
    #: Sorted by (date, partner); only rows of partners that have a file.
    rows: tuple[ReviewRow, ...]
    #: Every review date, ascending.
    review_dates: tuple[dt.date, ...]
    #: Ids named by review rows that have no partner file (its file removed), sorted: listed
    #: nowhere, but their badge URL still answers with a neutral "not listed" badge.
    unfiled: tuple[str, ...] = ()
    #: Their review rows, sorted like `rows`: the level rules leave them out, the feed keeps
    #: their history (sitefiles/changes_feed.py).
    unfiled_rows: tuple[ReviewRow, ...] = ()


# --- What the level rules return (partnerdir.levels) ----------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionProgress:
    metric: str
    label: str
    op: Op
    target: Value
    #: None where the metric is private (only met / not yet is published) or the figure is missing.
    value: Value | None
    public: bool
    met: bool
    #: 0..100, how far the current value is towards the target.
    progress: int


@dataclass(frozen=True, slots=True)
class GraduationPath:
    #: The level the path leads to.
    level: str
    #: "reach" the next level, or "keep" the current one while under review.
    goal: str
    criteria: tuple[CriterionProgress, ...]

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.criteria if c.met)


@dataclass(frozen=True, slots=True)
class UpcomingTarget:
    """A criterion a rules file dated after the build date sets for the level a partner holds
    (to keep it) or the next one (to reach it), and whether its latest figures meet it."""

    date: dt.date
    level: str
    #: "keep" the level held, or "reach" the next one.
    goal: str
    progress: CriterionProgress


@dataclass(frozen=True, slots=True)
class UpcomingDrop:
    """A partner whose latest figures, judged by the rules in force from `date`, would give it
    a lower level than it holds: the drop a rules file announces (with grace, when it comes)."""

    date: dt.date
    partner: str
    level: str
    would_be: str


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """One criterion a rules file changes: of a level (`region` None) or of a region's
    targets for it. `before` None: a new criterion; `after` None: one it no longer asks."""

    level: str
    region: str | None
    metric: str
    before: Criterion | None
    after: Criterion | None


@dataclass(frozen=True, slots=True)
class RulesDifference:
    """What a rules file changes against the rules in force the day before its date."""

    date: dt.date
    criteria: tuple[CriterionChange, ...]
    #: The caps in force from `date`, when they change; None when they stay.
    caps: tuple[Cap, ...] | None


@dataclass(frozen=True, slots=True)
class LevelAt:
    """A partner's levels at one review date (after that date's rows were applied)."""

    date: dt.date
    #: The highest level whose criteria the partner's figures meet.
    earned: str
    #: The earned level after caps.
    capped: str
    #: The level it holds, after grace.
    level: str
    under_review_until: dt.date | None
    #: Whether the partner had a row in this date's review file.
    reviewed: bool


@dataclass(frozen=True, slots=True)
class LevelChange:
    partner: str
    #: The day the change took effect (a review date, or the day a grace period ran out).
    date: dt.date
    #: None when the partner joined the directory.
    previous: str | None
    level: str
    reason: str

    def kind(self, program: Program) -> ChangeKind:
        """Joined (no level before), a promotion or a demotion."""
        if self.previous is None:
            return ChangeKind.JOINED
        if program.is_promotion(self.previous, self.level):
            return ChangeKind.PROMOTION
        return ChangeKind.DEMOTION


@dataclass(frozen=True, slots=True)
class Standing:
    partner: str
    country: str
    #: The level the partner holds today: what the site shows.
    level: str
    earned: str
    capped: str
    level_since: dt.date
    member_since: dt.date
    under_review_until: dt.date | None
    #: Why `level` differs from `earned` (cap, grace), in words; None when they agree.
    reason: str | None
    history: tuple[LevelAt, ...]
    path: GraduationPath | None
    #: Still at the lowest level `entry_expiry_days` after member since: not listed.
    expired: bool
    #: The partner's most recent review row.
    latest: ReviewRow
    #: What the rules files dated after the build date will ask of it, by date.
    upcoming: tuple[UpcomingTarget, ...] = ()


@dataclass(frozen=True, slots=True)
class Evaluation:
    today: dt.date
    #: partner id -> standing, for every partner with a file and at least one review row.
    standings: Mapping[str, Standing]
    #: Every level change, in date order then partner id.
    changes: tuple[LevelChange, ...]

    def listing(self, partner: str) -> Listing:
        """Whether the site lists `partner` (DESIGN rule 4): from its first review row, which
        gives it a level, until it is still at the lowest level entry_expiry_days later."""
        standing = self.standings.get(partner)
        if standing is None:
            return Listing.NOT_REVIEWED
        if standing.expired:
            return Listing.EXPIRED
        return Listing.LISTED


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """How a site is built: where it will be published and the build date."""

    #: Absolute URL of the published site, always ending in "/" (may carry a path).
    base_url: str
    today: dt.date
