"""How the site and the command line put things in words: counts, dates, figures, criteria,
caps and names, each phrased in one place.

The site and the command line say the same thing the same way: a criterion reads "at least
10" on a level page, on a profile's graduation path and in a pull request's step summary.
Pages keep their headings; the phrases they share live here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Mapping, Sequence

from .countries import country_name, language_name
from .history import EventKind, LevelEvent
from .model import (
    Cap,
    Criterion,
    CriterionChange,
    Metric,
    MetricType,
    Op,
    Program,
    RulesDifference,
    Term,
    UpcomingDrop,
    UpcomingTarget,
    Value,
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: The words before a figure's target: "at least 10", "at most 3 days", "exactly 5".
CRITERION_WORDS = {Op.MIN: "at least", Op.MAX: "at most", Op.EQUALS: "exactly"}

#: Countries whose English name takes "the" in a sentence ("partners in the Netherlands").
_WITH_THE = frozenset(
    {
        "AE",
        "BS",
        "CF",
        "DO",
        "FK",
        "FO",
        "GB",
        "GM",
        "KM",
        "KY",
        "MH",
        "MV",
        "NL",
        "PH",
        "SB",
        "SC",
        "TC",
        "US",
        "VA",
        "VG",
        "VI",
    }
)


# --- Counts, shares, dates, sentences -------------------------------------------------------


def count(n: int, singular: str, plural: str | None = None, *, verb: bool = False) -> str:
    """ "1 partner", "3 partners", "1,200 partners"; with verb, "1 partner serves", "3 partners
    serve"."""
    word = singular if n == 1 else (plural or singular + "s")
    if verb:
        word += " serves" if n == 1 else " serve"
    return f"{n:,} {word}"


def other_countries(n: int) -> str:
    """The row that sums the countries after the largest ones: "49 other countries"."""
    return count(n, "other country", "other countries")


#: The row of the statistics' region table for the partners based outside every region.
OUTSIDE_REGIONS = "Other countries"


def outside_regions_note(n: int) -> str:
    """Why the region chart has no bar for the partners based outside every region."""
    verb = "is" if n == 1 else "are"
    return (
        f"The chart draws the regions only; the {count(n, 'partner')} based outside every "
        f"region {verb} in the table’s last row, {OUTSIDE_REGIONS}."
    )


def all_rows(n: int, things: str) -> str:
    """The disclosure of a long table or list: "All 61 home countries", "List 189 promotions"."""
    return f"All {n:,} {things}"


def list_of(n: int, singular: str, plural: str | None = None) -> str:
    """The disclosure of a list behind a count: "List 189 promotions", "List 1 demotion"."""
    return f"List {count(n, singular, plural)}"


def percent(share: float) -> str:
    """A share as a percentage: 0.3 -> "30%", 0.125 -> "12.5%"."""
    return f"{share * 100:.0f}%" if (share * 100).is_integer() else f"{share * 100:.1f}%"


def date_text(date: dt.date, *, short: bool = False) -> str:
    """ "1 October 2026"; short, "1 Oct 2026"."""
    month = MONTHS[date.month - 1][:3] if short else MONTHS[date.month - 1]
    return f"{date.day} {month} {date.year}"


def month_text(date: dt.date) -> str:
    """ "Oct 2026": a review on a chart's axis."""
    return f"{MONTHS[date.month - 1][:3]} {date.year}"


def some_of(shown: Sequence[str], total: int) -> str:
    """The names shown, and how many more of `total` there are: "acme, bright and 3 more".

    A message names the first few of a long list, never all of them."""
    rest = total - len(shown)
    return ", ".join(shown) + (f" and {rest:,} more" if rest > 0 else "")


def and_list(names: Sequence[str]) -> str:
    """Names in a sentence, in the order given: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def sentence(text: str | None) -> str:
    """Text as a sentence: a capital first letter and a full stop; "" for none."""
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --- Figures and criteria -------------------------------------------------------------------


def format_value(metric: Metric, value: Value | None) -> str:
    """A figure as the site shows it: "1,200 EUR", "4.6", "Yes", "Excellent"; "–" when missing."""
    if value is None:
        return "–"
    # the same few hundred values recur on every profile (about 60 figures each, at 1 to 2 µs)
    return _formatted(metric.type, metric.unit, value.__class__.__name__, value)


@functools.lru_cache(maxsize=4096)
def _formatted(kind: MetricType, unit: str, _class: str, value: Value) -> str:
    """format_value's text, cached by the value's class too: True, 1 and 1.0 are equal keys."""
    if kind is MetricType.BOOLEAN or isinstance(value, bool):
        return "Yes" if value else "No"
    if kind is MetricType.CHOICE or isinstance(value, str):
        return str(value).replace("_", " ").capitalize()
    if kind is MetricType.INTEGER:
        text = f"{int(value):,}"
    elif kind is MetricType.MONEY:
        text = f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"
    else:
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def target_text(metric: Metric | None, op: Op, target: Value) -> str:
    """A criterion's target in words: "at least 10", "Excellent or better", "yes"."""
    shown = format_value(metric, target) if metric else str(target)
    if metric is not None and metric.type is MetricType.CHOICE:
        words = {Op.MIN: f"{shown} or better", Op.MAX: f"{shown} or worse", Op.EQUALS: shown}
        return words[op]
    if metric is not None and metric.type is MetricType.BOOLEAN:
        return shown.lower() if op is Op.EQUALS else shown
    return f"{CRITERION_WORDS[op]} {shown}"


#: Beside a chart of a figure that improves as it falls, so a rise does not read as good news.
LOWER_IS_BETTER = "lower is better"


def chart_target(target: str, level_name: str) -> str:
    """The target line of a figure's chart: "Target for Gold: at least 10"."""
    return f"Target for {level_name}: {target}"


def criteria_met(met: int, total: int) -> str:
    """How far a partner is along its graduation path: "3 of 7 criteria met"."""
    return f"{met} of {count(total, 'criterion', 'criteria')} met"


def column_label(metric: Metric) -> str:
    """A figure's label with its unit ("Licence revenue (EUR)"); a scale ("/ 5") or "%" shows
    with each value instead."""
    if not metric.unit or metric.unit == "%" or metric.unit.startswith("/"):
        return metric.label
    return f"{metric.label} ({metric.unit})"


def metric_label(program: Program, metric_id: str) -> str:
    metric = program.metrics.get(metric_id)
    return metric.label if metric else metric_id


def metric_kind(metric: Metric) -> str:
    """What a figure is: "a whole number", "one of failed, passed, excellent"."""
    if metric.type is MetricType.CHOICE:
        return "one of " + ", ".join(c.replace("_", " ") for c in metric.choices)
    words = {
        MetricType.INTEGER: "a whole number",
        MetricType.NUMBER: "a number",
        MetricType.MONEY: "an amount",
        MetricType.BOOLEAN: "yes or no",
    }
    return words.get(metric.type, str(metric.type))


# --- The programme's rules ------------------------------------------------------------------


def cap_text(program: Program, cap: Cap) -> str:
    """A cap in plain words, as the programme page states it."""
    level = program.level(cap.level)
    below = program.levels[level.rank - 1].name if level.rank > 0 else level.name
    if cap.region is not None:
        region = next((r for r in program.regions if r.id == cap.region), None)
        scope = f"based in {region.name if region else cap.region}"
    elif cap.country == "*":
        scope = "based in any one country"
    else:
        scope = f"based in {country_in_sentence(cap.country or '')}"
    if cap.count is not None:
        verb = "holds" if cap.count == 1 else "hold"
        limit = f"At most {count(cap.count, 'partner')} {scope} {verb} {level.name}."
    else:
        limit = f"At most {percent(cap.share or 0.0)} of the partners {scope} hold {level.name}."
    ranking = ", then ".join(metric_label(program, m) for m in cap.rank_by) or "partner id"
    return (
        f"{limit} When more qualify, those ranked highest by {ranking} keep it (ties by partner "
        f"id); the others hold {below} and their profile names the cap and the partners "
        f"holding the places. A cap applies at once, with no grace: grace is for figures that "
        f"may recover, and the cap holds on every page from the review where another partner "
        f"takes the place. A partner still in the grace of a drop keeps {level.name} only while "
        "no partner that meets the criteria needs the place."
    )


def country_cap_text(program: Program, cap: Cap, code: str) -> str | None:
    """A cap as a country page states it, against the partners based there: "Platinum here is
    limited to 2 partners based in the Netherlands." None when the cap does not reach `code`.
    A partner that only serves the country is measured at home and does not count."""
    level = program.level(cap.level).name
    where = country_in_sentence(code)
    if cap.region is not None:
        region = next((r for r in program.regions if r.id == cap.region), None)
        if region is None or code not in region.countries:
            return None
        scope, note = f"based in {region.name}", " (counted across the region)"
    elif cap.country in ("*", code):
        scope, note = f"based in {where}", ""
    else:
        return None
    if cap.count is not None:
        limit = count(cap.count, "partner")
    else:
        limit = f"{percent(cap.share or 0.0)} of the partners"
    return f"{level} here is limited to {limit} {scope}{note}."


def expiry_text(program: Program) -> str:
    """Entry expiry (DESIGN rule 4) in plain words."""
    lowest = program.levels[0].name
    days = program.review.entry_expiry_days
    return (
        f"A partner still at {lowest} {days} days after joining is no longer listed until it "
        "earns a higher level."
    )


def regional_targets_text(region_name: str) -> str:
    """ "Targets for Emerging markets, Africa": a region's targets replace some of a level's."""
    return f"Targets for {region_name}"


def regional_path_note(region_name: str, level_name: str) -> str:
    """Beside a profile's path, where the region where the partner is measured sets targets."""
    return f"this partner is measured in {region_name}, so they replace some of {level_name}'s own."


def regional_partners_text(region_name: str, names: Sequence[str]) -> str:
    """On a level page: who holds the level by a region's targets."""
    return f"Judged by the targets for {region_name}: {and_list(names)}."


def review_text(until: dt.date) -> str:
    """ "Under review until 1 March 2027": a drop waiting for its grace to run out."""
    return f"Under review until {date_text(until)}"


# --- A partner's level history (history.LevelEvent) ------------------------------------------


def event_title(program: Program, event: LevelEvent) -> str:
    """What happened, in a few words: "Promoted to Gold", "Under review until 1 March 2027"."""
    level = program.level(event.level).name
    kind = event.kind
    if kind is EventKind.JOINED:
        return f"Joined at {level}"
    if kind is EventKind.PROMOTED:
        return f"Promoted to {level}"
    if kind is EventKind.DROPPED:
        return f"Dropped to {level}"
    if kind is EventKind.UNDER_REVIEW:
        return review_text(event.until) if event.until else "Under review"
    if kind is EventKind.RECOVERED:
        return f"Recovered: keeps {level}"
    if kind is EventKind.CAPPED:
        return f"Held at {level} by a cap"
    if kind is EventKind.RELEASED:
        return "No longer held by a cap"
    if kind is EventKind.EXPIRING:
        return f"Entry period ends on {date_text(event.until)}" if event.until else level
    return "No longer listed (entry period ended)"


#: The changes feed's subtitle: what its entries tell.
FEED_SUBTITLE = (
    "Partners that joined, were promoted or dropped, went under review or recovered, were held "
    "by a cap, or reached the end of their entry period."
)


def feed_entry_title(program: Program, name: str, event: LevelEvent) -> str:
    """A feed entry's title: "Acme: Silver \u2192 Gold", "Acme: joined at Silver", "Acme: under
    review until 1 March 2027"."""
    if event.kind is EventKind.JOINED:
        return f"{name}: joined at {program.level(event.level).name}"
    if event.previous is not None:
        return (
            f"{name}: {program.level(event.previous).name} \u2192 {program.level(event.level).name}"
        )
    title = event_title(program, event)
    return f"{name}: {title[:1].lower()}{title[1:]}"


def event_detail(program: Program, event: LevelEvent) -> str:
    """Why, in one or two sentences, for the timeline and the feed."""
    if event.by_rules:
        return f"New rules take effect on this date. {_event_reason(program, event)}"
    return _event_reason(program, event)


def _event_reason(program: Program, event: LevelEvent) -> str:
    level = program.level(event.level).name
    previous = program.level(event.previous).name if event.previous else ""
    earned = program.level(event.earned).name if event.earned else ""
    lowest = program.levels[0].name
    above = program.levels[1].name if len(program.levels) > 1 else lowest
    days = program.review.entry_expiry_days
    kind = event.kind
    if kind is EventKind.JOINED:
        if event.level == program.levels[0].id:
            return f"First review: listed as {level}, with {days} days to reach {above}."
        return f"First review: the figures meet {level}."
    if kind is EventKind.PROMOTED:
        return f"The figures meet {level}: up from {previous}."
    if kind is EventKind.DROPPED:
        if event.by_cap:
            return (
                f"The figures no longer met {previous}, and a cap gave the place to a partner "
                f"that meets it: a partner in grace keeps a capped level only while no other "
                "partner needs the place."
            )
        grace = program.review.grace_days
        if grace:
            return f"The figures did not meet {previous} for the {grace} days of grace."
        return f"The figures no longer meet {previous}."
    if kind is EventKind.UNDER_REVIEW:
        judged = "The latest figures" if event.by_rules else "The figures of this review"
        return (
            f"{judged} do not meet {level}. {level} is kept until then, and for good if the "
            "figures recover by then."
        )
    if kind is EventKind.RECOVERED:
        return f"The figures meet {level} again before the end of the grace: no drop."
    if kind is EventKind.CAPPED:
        held = f"down from {previous}, " if previous else ""
        return (
            f"The figures meet {earned}, but a cap limits how many partners hold it: listed as "
            f"{level} ({held}a cap applies at once)."
        )
    if kind is EventKind.RELEASED:
        return f"The figures meet {earned}, the level it holds: {level}."
    if kind is EventKind.EXPIRING:
        return (
            f"Still {lowest} at this review: a partner still {lowest} {days} days after "
            f"joining is no longer listed until it reaches {above}."
        )
    return f"Still {lowest} {days} days after joining: listed again once it reaches {above}."


# --- Names ----------------------------------------------------------------------------------


def country_in_sentence(code: str) -> str:
    """A country's name as a sentence needs it: "Germany", "the Netherlands"."""
    name = country_name(code)
    return f"the {name}" if code in _WITH_THE else name


def country_list(codes: Iterable[str]) -> str:
    """Country names in alphabetical order: "Belgium, Netherlands"."""
    return ", ".join(sorted(country_name(code) for code in codes))


def language_list(codes: Iterable[str]) -> str:
    """Language names in alphabetical order: "Dutch, English"."""
    return ", ".join(sorted(language_name(code) for code in codes))


def term_list(terms: Sequence[Term], ids: Iterable[str]) -> str:
    """The names of the terms `ids` picks, in the programme's order: "Reseller, Integrator"."""
    wanted = set(ids)
    return ", ".join(term.name for term in terms if term.id in wanted)


def possessive(name: str) -> str:
    """A name owning something: "Acme Digital’s", "Zuiderzee Systems’" (a name ending in s
    takes the apostrophe alone, as English style guides for plural-looking names have it)."""
    return f"{name}’" if name.endswith(("s", "S")) else f"{name}’s"


def initials(name: str) -> str:
    """Up to two letters standing in for a missing logo: "Acme Digital" -> "AD"."""
    words = [word for word in name.split() if word[:1].isalnum()]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or name[:1].upper()


def display_url(url: str) -> str:
    """ "https://www.acme.example/" -> "www.acme.example"; "mailto:a@b" -> "a@b"."""
    if url.startswith("mailto:"):
        return url[len("mailto:") :].split("?", 1)[0]
    text = url.split("://", 1)[-1]
    return text[:-1] if text.endswith("/") and text.count("/") == 1 else text


# --- Badges ----------------------------------------------------------------------------------


def embed_heading(name: str) -> str:
    """The heading of a profile's badge snippets: "Badge for Zuiderzee Systems’ website"."""
    return f"Badge for {possessive(name)} website"


#: Under a wide table on a narrow screen: it scrolls sideways (shown by CSS where it may not fit).
SCROLL_HINT = "Scroll the table sideways to see every figure."

#: The disclosure that holds a profile's badge snippets (a customer rarely needs them).
EMBED_DISCLOSURE = "Embed code (HTML and Markdown)"

#: The words of the Copy buttons a script adds beside each badge snippet (copy.js).
COPY_WORDS = {"copy": "Copy {label}", "copied": "{label} copied", "failed": "Select and copy"}

#: The coloured part of the badge a partner no longer listed keeps: its badge URL still answers.
NOT_LISTED_BADGE = "not listed"


def not_listed_badge_title(label: str, site_title: str) -> str:
    """The accessible name of a neutral badge: "Northwind partner: not listed, Northwind Partner
    Directory"."""
    return f"{label} partner: {NOT_LISTED_BADGE}, {site_title}"


# --- The finder on the home page ------------------------------------------------------------

#: The one sentence above the search, after the tagline; the link goes to /program/.
FINDER_LEAD = "Every level is earned from verified figures:"
FINDER_LEAD_LINK = "how the programme works"

#: The words search.js puts together: a result count that names the filters ("2 Gold
#: partners in Germany"), the chips of the active filters and the filter disclosure.
FINDER_WORDS = {
    "partner": "partner",
    "partners": "partners",
    "matching": "matching “{term}”",
    "sorted": "sorted by {sort}",
    "none": (
        "No partners found. Try other words, or choose fewer filters "
        "(Clear search and filters shows every partner)."
    ),
    # the same when no words were typed: only the filters can be widened
    "none_filters": (
        "No partners found. Choose fewer filters (Clear search and filters shows every partner)."
    ),
    "remove": "Remove filter {label}: {value}",
    "remove_query": "Remove search words: {value}",
    "filters": "Filters",
    "shown": "{shown} of {total} shown",
    "widen": "Widen the search:",
    "best_match": "Best match",
}


#: The words of the short pager under a paged list (pages.paging.short_pager); "page" is read
#: by screen readers before each number ("Page 3").
PAGER_WORDS = {
    "first": "First",
    "previous": "Previous",
    "next": "Next",
    "last": "Last",
    "page": "Page",
}


def last_page_note(total: int) -> str:
    """What a screen reader hears after "Last": "(page 12)"."""
    return f"(page {total:,})"


def list_pager_label() -> str:
    """The name of the home page's pager."""
    return "Pages of the partner list"


def country_pager_label(country: str) -> str:
    """The name of a country page's pager: "Pages of partners in Germany"."""
    return f"Pages of partners in {country}"


def level_pager_label(level_name: str) -> str:
    """The name of a level page's pager: "Pages of Gold partners"."""
    return f"Pages of {level_name} partners"


#: Without JavaScript the finder's form stays hidden: the home page's list says why it is every
#: partner (a search from the 404 page lands there with its words unread). Short: it sits in
#: the line above the first card, which must stay above the fold on a phone.
NO_SCRIPT_SEARCH = "Search and filters need JavaScript, which is off in this browser."
#: The same on the 404 page, beside its search box.
NO_SCRIPT_NOT_FOUND = (
    "Searching needs JavaScript, which is turned off in this browser: the search leads to the "
    "list of every partner. The links below lead to the partners by country and by level."
)


def page_title(title: str, number: int, total: int) -> str:
    """ "Partners in Germany" on a list's first page, "Partners in Germany, page 2 of 4" after."""
    return title if number == 1 else f"{title}, page {number:,} of {total:,}"


def group_heading(total: int, first: int, last: int) -> str:
    """A level group's count on a paged list: "71 partners" when the page shows them all,
    "71 partners, 34–71 on this page" when the group starts or goes on on another page."""
    whole = count(total, "partner")
    if first == 1 and last == total:
        return whole
    shown = f"{first:,}" if first == last else f"{first:,}–{last:,}"
    return f"{whole}, {shown} on this page"


def search_within_text(in_sentence: str) -> str:
    """The link from a country page to the finder with that country chosen."""
    return f"Search and filter the partners in {in_sentence}"


def jump_text(name: str, n: int) -> str:
    """A jump link to a level's group on a paged list: "Gold (40)"."""
    return f"{name} ({n:,})"


def filter_phrase(facet: str, code: str, label: str) -> str:
    """How a chosen filter value reads in a result count: the level before "partners" ("Gold"),
    the others after it ("in the Netherlands", "offering Data migration", "speaking German",
    "working as Reseller")."""
    if facet == "level":
        return label
    if facet == "country":
        return f"in {country_in_sentence(code)}"
    if facet == "service":
        return f"offering {label}"
    if facet == "language":
        return f"speaking {label}"
    if facet == "industry":
        return f"in {label}"
    return f"working as {label}"


#: How many of a partner's services its card names, in the partner's own order (the first
#: ones it lists are its main services).
CARD_SERVICES = 2


def card_services(terms: Sequence[Term], ids: Sequence[str]) -> str:
    """A card's services, the partner's first ones: "Implementation, Migration and 4 more"."""
    names = {term.id: term.name for term in terms}
    shown = [names.get(term_id, term_id) for term_id in ids[:CARD_SERVICES]]
    return some_of(shown, len(ids))


def card_place(city: str | None, country: str) -> str:
    """Where a partner's head office is: "Utrecht, Netherlands"; "" without a city."""
    return f"{city}, {country_name(country)}" if city else ""


def card_figures(figures: Sequence[tuple[Metric, Value | None]]) -> str:
    """A card's public figures with their labels: "Certified engineers: 42 · Customer
    deployments: 215"; a missing figure is left out."""
    return " · ".join(
        f"{metric.label}: {format_value(metric, value)}"
        for metric, value in figures
        if value is not None
    )


def meets_text(level_name: str) -> str:
    """ "Meets the Platinum criteria": a capped partner's good news, on its card and its
    profile (beside its Gold badge, "Meets Platinum" alone read as a contradiction)."""
    return f"Meets the {level_name} criteria"


def cap_notice(
    program: Program,
    earned: str,
    held: str,
    country: str,
    holders: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> str:
    """Why a partner that meets `earned` holds `held`, in plain words: "Platinum in the
    Netherlands is limited to 2 partners (held by A and B), so this partner is listed as Gold
    for now." `holders`: level id -> (name, home country) of the listed partners holding it,
    in the site's order, to name who holds the places. Empty when no cap of the programme
    explains it."""
    limits = []
    for level in reversed(program.levels):
        if not program.rank(held) < level.rank <= program.rank(earned):
            continue
        for cap in program.caps:
            if cap.level != level.id:
                continue
            if cap.region is not None:
                region = next((r for r in program.regions if r.id == cap.region), None)
                if region is None or country not in region.countries:
                    continue
                scope = f"in {region.name}"
                inside: Collection[str] = region.countries
            elif cap.country in ("*", country):
                scope = f"in {country_in_sentence(country)}"
                inside = (country,)
            else:
                continue
            if cap.count is not None:
                limit = count(cap.count, "partner")
            else:
                limit = f"{percent(cap.share or 0.0)} of the partners there"
            named = [name for name, home in (holders or {}).get(level.id, ()) if home in inside]
            held_by = f" (held by {and_list(named)})" if named else ""
            limits.append(f"{level.name} {scope} is limited to {limit}{held_by}")
    if not limits:
        return ""
    held_name = program.level(held).name
    return f"{'; '.join(limits)}, so this partner is listed as {held_name} for now."


# --- Dated rules (content/rules/<date>.yaml) ------------------------------------------------


def rules_date_heading(date: dt.date) -> str:
    """ "From 1 March 2027": when a rules file takes effect."""
    return f"From {date_text(date)}"


def criterion_words(program: Program, criterion: Criterion) -> str:
    """ "customer satisfaction of at least 4.5 / 5": a criterion inside a sentence."""
    metric = program.metrics.get(criterion.metric)
    label = metric.label if metric else criterion.metric
    return (
        f"{label[:1].lower()}{label[1:]} of {target_text(metric, criterion.op, criterion.target)}"
    )


def upcoming_target_text(program: Program, target: UpcomingTarget) -> str:
    """ "From 1 March 2027 Gold asks for customer satisfaction of at least 4.5 / 5: 4.4 / 5
    now"; a private figure says met or not yet only."""
    progress = target.progress
    criterion = Criterion(progress.metric, progress.op, progress.target)
    metric = program.metrics.get(progress.metric)
    if metric is None or not progress.public:
        now = "met already" if progress.met else "not met yet"
    elif progress.value is None:
        now = "no figure at the last review"
    else:
        now = f"{format_value(metric, progress.value)} now"
    return (
        f"{rules_date_heading(target.date)} {program.level(target.level).name} asks for "
        f"{criterion_words(program, criterion)}: {now}"
    )


def criterion_change_text(program: Program, change: CriterionChange) -> str:
    """ "Gold: customer satisfaction of at least 4.5 / 5 (until then at least 4.3 / 5)";
    with a region, "Gold in Emerging markets, Africa: …"."""
    level = program.level(change.level).name
    if change.region is not None:
        region = next((r for r in program.regions if r.id == change.region), None)
        level += f" in {region.name if region else change.region}"
    if change.after is None and change.before is not None:
        return f"{level} no longer asks for {criterion_words(program, change.before)}"
    if change.after is None:
        return level
    text = f"{level}: {criterion_words(program, change.after)}"
    if change.before is None:
        return f"{text} (a new criterion)"
    metric = program.metrics.get(change.before.metric)
    return f"{text} (until then {target_text(metric, change.before.op, change.before.target)})"


def rules_difference_texts(program: Program, difference: RulesDifference) -> tuple[str, ...]:
    """Each change of a rules file in words, criteria first, then the caps in force after."""
    texts = [criterion_change_text(program, change) for change in difference.criteria]
    if difference.caps is not None:
        if difference.caps:
            texts += [f"Caps: {cap_text(program, cap)}" for cap in difference.caps]
        else:
            texts.append("No caps")
    return tuple(texts)


def upcoming_drop_text(program: Program, drop: UpcomingDrop) -> str:
    """ "Silver from 2027-03-01": the level a rules file dated after the build date would give
    a partner by its latest figures, in the programme team's report."""
    return f"{program.level(drop.would_be).name} from {drop.date}"


def upcoming_rules_text(program: Program) -> str:
    """What /program/ says above the rules files dated after the build date."""
    return (
        f"The rules on this page are in force today. Each change below is published at least "
        f"{program.review.notice_days} days before it takes effect. From its date every review "
        f"is judged by it; a partner whose level it lowers keeps the level under review for "
        f"{program.review.grace_days} days, as after any drop, and keeps it for good if its "
        "figures meet the new criteria by then."
    )


def upcoming_heading() -> str:
    """The heading of a profile's targets set by rules files dated after the build date."""
    return "Upcoming criteria"


def rules_feed_title(date: dt.date) -> str:
    """ "New rules from 1 March 2027": the feed's entry for a rules file."""
    return f"New rules from {date_text(date)}"
