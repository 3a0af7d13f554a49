"""How the site and the command line put things in words: counts, dates, figures, criteria,
caps and names, each phrased in one place.

The site and the command line say the same thing the same way: a criterion reads "at least
10" on a level page, on a profile's graduation path and in a pull request's step summary.
Pages keep their headings; the phrases they share live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

from .countries import country_name, language_name
from .model import Cap, Metric, MetricType, Op, Program, Term, Value

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
    if metric.type is MetricType.BOOLEAN or isinstance(value, bool):
        return "Yes" if value else "No"
    if metric.type is MetricType.CHOICE or isinstance(value, str):
        return str(value).replace("_", " ").capitalize()
    if metric.type is MetricType.INTEGER:
        text = f"{int(value):,}"
    elif metric.type is MetricType.MONEY:
        text = f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"
    else:
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if not metric.unit:
        return text
    return f"{text}{metric.unit}" if metric.unit == "%" else f"{text} {metric.unit}"


def target_text(metric: Metric | None, op: Op, target: Value) -> str:
    """A criterion's target in words: "at least 10", "Excellent or better", "yes"."""
    shown = format_value(metric, target) if metric else str(target)
    if metric is not None and metric.type is MetricType.CHOICE:
        words = {Op.MIN: f"{shown} or better", Op.MAX: f"{shown} or worse", Op.EQUALS: shown}
        return words[op]
    if metric is not None and metric.type is MetricType.BOOLEAN:
        return shown.lower() if op is Op.EQUALS else shown
    return f"{CRITERION_WORDS[op]} {shown}"


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
        scope = f"based in {country_name(cap.country or '')}"
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


def review_text(until: dt.date) -> str:
    """ "Under review until 1 March 2027": a drop waiting for its grace to run out."""
    return f"Under review until {date_text(until)}"


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
    "none": (
        "No partners found. Try other words, or choose fewer filters "
        "(Clear search and filters shows every partner)."
    ),
    "remove": "Remove filter {label}: {value}",
    "remove_query": "Remove search words: {value}",
    "filters": "Filters",
    "shown": "{shown} of {total} shown",
    "widen": "Widen the search:",
    "best_match": "Best match",
}


def page_title(title: str, number: int, total: int) -> str:
    """ "Partners in Germany" on a list's first page, "Partners in Germany, page 2 of 4" after."""
    return title if number == 1 else f"{title}, page {number:,} of {total:,}"


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


def meets_text(level_name: str) -> str:
    """ "Meets Platinum": a capped partner's good news, on its card and its profile."""
    return f"Meets {level_name}"


def cap_notice(
    program: Program,
    earned: str,
    held: str,
    country: str,
    holders: Sequence[tuple[str, str, str]] = (),
) -> str:
    """Why a partner that meets `earned` holds `held`, in plain words: "Platinum in the
    Netherlands is limited to 2 partners (held by A and B), so this partner is listed as Gold
    for now." `holders` are (name, level, home country) of the listed partners, in the site's
    order, to name who holds the places. Empty when no cap of the programme explains it."""
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
            named = [name for name, at, home in holders if at == level.id and home in inside]
            held_by = f" (held by {and_list(named)})" if named else ""
            limits.append(f"{level.name} {scope} is limited to {limit}{held_by}")
    if not limits:
        return ""
    held_name = program.level(held).name
    return f"{'; '.join(limits)}, so this partner is listed as {held_name} for now."
