"""The records the templates read, and Page, what planning a page returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..charts import LineChart
from ..wording import date_text, list_of

if TYPE_CHECKING:  # pages/timeline.py reads the records here: no import at run time
    from .timeline import TimelineView


@dataclass(frozen=True, slots=True)
class Page:
    """A page to render: its template and the prepared values it reads."""

    #: Output file, relative to the site root: "partners/acme/index.html".
    path: str
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    text: str
    current: bool


@dataclass(frozen=True, slots=True)
class DateText:
    """A date for machines (`<time datetime>`) and for people: "2026-10-01", "1 October 2026"."""

    iso: str
    text: str

    @classmethod
    def of(cls, date: dt.date, *, short: bool = False) -> DateText:
        return cls(date.isoformat(), date_text(date, short=short))


@dataclass(frozen=True, slots=True)
class LevelStyle:
    """The colours of one level's badge: the level colour and a text colour that contrasts."""

    css_class: str
    background: str
    foreground: str


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    tagline: str
    home: str
    stylesheet: str
    script: str
    feed: str
    level_styles: tuple[LevelStyle, ...]
    footer: tuple[Link, ...]
    today: DateText


@dataclass(frozen=True, slots=True)
class Badge:
    """A level badge as shown on cards and profiles."""

    level: str
    name: str
    css_class: str
    href: str


@dataclass(frozen=True, slots=True)
class Logo:
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class Card:
    """A partner in a list: what a customer needs to pick whom to open."""

    id: str
    name: str
    href: str
    logo: Logo | None
    initials: str
    badge: Badge
    countries: str
    notice: str
    #: "Meets the Platinum criteria": a capped partner meets a level above the one it holds
    #: (good news).
    meets: str = ""
    #: The one line the partner writes for its card; "" when it has none.
    summary: str = ""
    #: The head office: "Utrecht, Netherlands"; "" when the partner names no city.
    place: str = ""
    #: The partner's first services: "Implementation, Migration and 4 more".
    services: str = ""
    #: Public figures of the latest review: "Certified engineers: 42 · Customer deployments: 215".
    figures: str = ""


@dataclass(frozen=True, slots=True)
class CountLink:
    href: str
    text: str
    count: int
    #: "3 Gold, 1 Silver": the levels behind the count.
    detail: str

    @property
    def unit(self) -> str:
        """The word after the count, for screen readers: "partner" or "partners"."""
        return "partner" if self.count == 1 else "partners"

    @property
    def count_text(self) -> str:
        """The count with thousands separators: "1,192"."""
        return f"{self.count:,}"


@dataclass(frozen=True, slots=True)
class PagerLink:
    number: int
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    """A short pager: first, previous, a few numbers around the current page, next, last."""

    current: int
    total: int
    first: str
    previous: str
    next: str
    last: str
    #: The numbered pages around the current one (pages.short_pager).
    pages: tuple[PagerLink, ...]
    #: Pages left out between "First" and the numbers, and between the numbers and "Last".
    gap_before: bool = False
    gap_after: bool = False
    #: What the pager is called for screen readers: "Pages of Gold partners".
    label: str = ""
    #: Its words (wording.PAGER_WORDS) and what is read after "Last": "(page 12)".
    words: Mapping[str, str] = field(default_factory=dict)
    last_note: str = ""


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int
    #: How the value reads in a result count: "in Germany", "Gold" (wording.filter_phrase).
    phrase: str = ""

    @property
    def count_text(self) -> str:
        """The count with thousands separators, as the finder shows every number: "2,955"."""
        return f"{self.count:,}"


@dataclass(frozen=True, slots=True)
class Facet:
    #: The Pagefind filter name and the URL parameter: "country".
    name: str
    label: str
    #: The first option's text: "All countries".
    any_label: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True, slots=True)
class SortChoice:
    #: The Pagefind sort key and the URL value: "level", "name", "fig_csat".
    value: str
    label: str
    #: The card line shown when this sort is chosen ("Customer satisfaction"); "" for none.
    figure_label: str


@dataclass(frozen=True, slots=True)
class SearchUi:
    pagefind: str
    base: str
    facets: tuple[Facet, ...]
    sorts: tuple[SortChoice, ...]
    total: int
    #: wording.FINDER_WORDS as JSON, for search.js.
    words: str = "{}"


@dataclass(frozen=True, slots=True)
class PagefindField:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class PagefindData:
    """What Pagefind reads from a profile: facets, sort keys and the card fields."""

    filters: tuple[PagefindField, ...]
    sorts: tuple[PagefindField, ...]
    metas: tuple[PagefindField, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of the profile's fact list: a label and its links or words."""

    label: str
    links: tuple[Link, ...]
    text: str


@dataclass(frozen=True, slots=True)
class FigureTable:
    caption: str
    columns: tuple[str, ...]
    #: Each row: the date, then the level at that date, then one formatted cell per column.
    rows: tuple[FigureRow, ...]
    #: "Scroll the table sideways ...", shown where the table may not fit.
    hint: str = ""


@dataclass(frozen=True, slots=True)
class FigureRow:
    date: DateText
    level: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    """One criterion on the graduation path, readable as text with or without the bar."""

    label: str
    met: bool
    #: "met" or "unmet": the step's CSS class.
    state: str
    status: str
    #: "8 now; target at least 10" or "private figure: only met / not yet is published".
    detail: str
    #: 0..100, None for private metrics (no bar).
    progress: int | None
    #: The bar's accessible name: "Certified engineers: 80% of the target".
    bar_label: str


@dataclass(frozen=True, slots=True)
class PathView:
    heading: str
    summary: str
    target: Badge
    steps: tuple[StepView, ...]
    #: Why a partner meeting every criterion does not hold the level ("" when it does not apply).
    note: str = ""
    #: The region whose targets apply, on the programme page; None where none does.
    region: Link | None = None
    region_note: str = ""


@dataclass(frozen=True, slots=True)
class Snippet:
    image: str
    alt: str
    html: str
    markdown: str
    #: "Badge for Zuiderzee Systems’ website", and the disclosure's summary.
    heading: str = ""
    disclosure: str = ""
    #: The script that adds a Copy button beside each snippet, and its words as JSON.
    script: str = ""
    words: str = "{}"


@dataclass(frozen=True, slots=True)
class Notice:
    #: "review" (under review until D) or "cap" (held below the earned level by a cap).
    kind: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    logo: Logo | None
    initials: str
    badge: Badge
    description: Markup
    website: Link
    contact: Link | None
    facts: tuple[Fact, ...]
    member_since: DateText
    level_since: DateText
    notices: tuple[Notice, ...]
    figures: FigureTable | None
    charts: tuple[LineChart, ...]
    path: PathView | None
    top_level: bool
    snippet: Snippet
    #: The partner file in the directory's repository ("edit this listing"); "" when unknown.
    source: str
    pagefind: PagefindData
    #: The level history (pages/timeline.py), None when there is none to show.
    timeline: TimelineView | None = None
    #: The partner's one line for customers; "" when it has none.
    summary: str = ""


@dataclass(frozen=True, slots=True)
class LevelGroup:
    badge: Badge
    heading: str
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A criterion in plain words: "Certified engineers: at least 10"."""

    label: str
    target: str
    note: str


@dataclass(frozen=True, slots=True)
class Adjustment:
    region: str
    #: The region on the programme page.
    href: str
    countries: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class LevelInfo:
    id: str
    badge: Badge
    description: str
    benefits: tuple[str, ...]
    rules: tuple[Rule, ...]
    adjustments: tuple[Adjustment, ...]
    caps: tuple[str, ...]
    count: int

    @property
    def count_text(self) -> str:
        return f"{self.count:,}"


@dataclass(frozen=True, slots=True)
class LevelRules:
    badge: Badge
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class RegionInfo:
    anchor: str
    name: str
    countries: str
    description: str
    levels: tuple[LevelRules, ...]


@dataclass(frozen=True, slots=True)
class LevelCount:
    badge: Badge
    count: int

    @property
    def count_text(self) -> str:
        return f"{self.count:,}"


@dataclass(frozen=True, slots=True)
class Changes:
    """Promotions and demotions since `since`, the last full review."""

    since: DateText | None
    promotions: tuple[ChangeView, ...]
    demotions: tuple[ChangeView, ...]

    @property
    def promotions_heading(self) -> str:
        return f"Promotions ({len(self.promotions):,})"

    @property
    def demotions_heading(self) -> str:
        return f"Demotions ({len(self.demotions):,})"

    @property
    def promotions_summary(self) -> str:
        """The disclosure that holds the list: "List 189 promotions"."""
        return list_of(len(self.promotions), "promotion")

    @property
    def demotions_summary(self) -> str:
        return list_of(len(self.demotions), "demotion")


@dataclass(frozen=True, slots=True)
class MetricInfo:
    label: str
    description: str
    kind: str
    public: bool


@dataclass(frozen=True, slots=True)
class Table:
    #: Unique on its page: the id of the hint below names it.
    key: str
    caption: str
    #: The header of the first column: "Country", "Region", "Review".
    corner: str
    columns: tuple[str, ...]
    #: Each row: a header cell (a link or words), then the numbers as text.
    rows: tuple[TableRow, ...]
    #: Shown on phones above a table too wide for them ("" when it fits).
    hint: str = ""


@dataclass(frozen=True, slots=True)
class TableRow:
    header: Link
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChangeView:
    partner: Link
    before: Badge
    after: Badge
    date: DateText
    reason: str


@dataclass(frozen=True, slots=True)
class RulesChangeView:
    """A rules file on /program/: the date it takes effect and what it changes, in words."""

    date: DateText
    heading: str
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UpcomingStep:
    """A target a rules file dated after the build date sets for a partner, on its profile."""

    text: str
    met: bool
    state: str
    status: str
