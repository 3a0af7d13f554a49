"""Typed records of a validated directory: what every stage after validation works on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    #: Lookups the level rules make for every row: built once, not compared or shown.
    _by_id: dict[str, Level] = field(init=False, repr=False, compare=False)
    _criteria: dict[tuple[str, str], tuple[Criterion, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {level.id: level for level in self.levels})
        object.__setattr__(self, "_criteria", {})

    def level(self, level_id: str) -> Level:
        return self._by_id[level_id]

    def rank(self, level_id: str) -> int:
        return self._by_id[level_id].rank

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


@dataclass(frozen=True, slots=True)
class ReviewRow:
    partner: str
    date: dt.date
    country: str
    figures: Mapping[str, Value | None]
    source: str
    line: int


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


@dataclass(frozen=True, slots=True)
class Evaluation:
    today: dt.date
    #: partner id -> standing, for every partner with a file and at least one review row.
    standings: Mapping[str, Standing]
    #: Every level change, in date order then partner id.
    changes: tuple[LevelChange, ...]


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """How a site is built: where it will be published and the build date."""

    #: Absolute URL of the published site, always ending in "/" (may carry a path).
    base_url: str
    today: dt.date
