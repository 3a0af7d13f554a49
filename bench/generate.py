"""Generate a deterministic, realistic partner directory of N partners for the benchmark.

    python bench/generate.py 10000 --seed 1 /tmp/dir10k [--today 2026-11-24] [--force]

The programme is the example's (content/program.yaml), copied as it is. Partners serve 1 to 5
of 60 countries (the programme's regions, the Netherlands of its cap, and 38 more), have a
Markdown description of 100 to 400 words, programmes, services, industries and languages; about
one in five has an SVG logo. Four review files hold the figures (private ones sealed, as the
`seal` command writes them), drawn from the programme's own criteria so that every level is
earned, both caps bite, and every grace case happens at the build date (`--today`): a drop under
review, a drop that took effect after its grace, a drop cancelled by recovery, an entry that
expired, late joiners and a few partners not yet reviewed.
The same N, seed and today give byte-identical output.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from partnerdir.content.loading import MAX_PROGRAM_BYTES, read_yaml
from partnerdir.content.program import validate_program
from partnerdir.content.sealing import seal_figure
from partnerdir.countries import country_name
from partnerdir.model import (
    Criterion,
    Directory,
    Evaluation,
    Metric,
    MetricType,
    Op,
    Program,
    Standing,
)
from partnerdir.problems import Problem

REPO = Path(__file__).resolve().parent.parent
PROGRAM = REPO / "content" / "program.yaml"
DEFAULT_TODAY = date(2026, 11, 24)
#: Review dates as days before the build date: three quarterly reviews, a skipped quarter, and
#: a last review 54 days before the build. So an entry from the first review has expired
#: (365 days), a drop at the last review is still under review (90 days) and a drop at the third
#: review has taken effect.
REVIEW_OFFSETS = (419, 323, 237, 54)
MIN_WORDS, MAX_WORDS = 100, 400
DESCRIPTION_LIMIT = 4900  # the format allows 5,000 characters

# Home countries with a weight (how many partners are measured there), 60 in all.
COUNTRIES: tuple[tuple[str, int], ...] = (
    # the programme's regions and the capped country
    ("DK", 3), ("FI", 3), ("IS", 1), ("NO", 3), ("SE", 4),
    ("ET", 1), ("GH", 2), ("KE", 3), ("NG", 3), ("RW", 1), ("SN", 1), ("TZ", 1), ("UG", 1),
    ("AR", 2), ("BR", 5), ("CL", 2), ("CO", 2), ("CR", 1), ("MX", 4), ("PE", 1), ("UY", 1),
    ("NL", 5),
    # 38 more
    ("DE", 9), ("FR", 7), ("GB", 8), ("IE", 2), ("BE", 3), ("LU", 1), ("AT", 3), ("CH", 3),
    ("ES", 5), ("PT", 2), ("IT", 5), ("PL", 4), ("CZ", 2), ("SK", 1), ("HU", 2), ("RO", 2),
    ("GR", 2), ("TR", 3), ("IL", 2), ("AE", 2), ("SA", 2), ("EG", 2), ("ZA", 3), ("MA", 1),
    ("IN", 8), ("JP", 5), ("KR", 3), ("CN", 3), ("SG", 3), ("MY", 2), ("TH", 2), ("VN", 2),
    ("ID", 3), ("PH", 2), ("AU", 5), ("NZ", 2), ("US", 12), ("CA", 5),
)  # fmt: skip
LANGUAGES: dict[str, tuple[str, ...]] = {
    "DK": ("da",), "FI": ("fi", "sv"), "IS": ("is",), "NO": ("no", "nb"), "SE": ("sv",),
    "ET": ("am",), "GH": ("en",), "KE": ("sw", "en"), "NG": ("en", "yo"), "RW": ("rw", "fr"),
    "SN": ("fr", "wo"), "TZ": ("sw",), "UG": ("en", "sw"), "AR": ("es",), "BR": ("pt",),
    "CL": ("es",), "CO": ("es",), "CR": ("es",), "MX": ("es",), "PE": ("es",), "UY": ("es",),
    "NL": ("nl",), "DE": ("de",), "FR": ("fr",), "GB": ("en",), "IE": ("en", "ga"),
    "BE": ("nl", "fr"), "LU": ("lb", "fr", "de"), "AT": ("de",), "CH": ("de", "fr", "it"),
    "ES": ("es", "ca"), "PT": ("pt",), "IT": ("it",), "PL": ("pl",), "CZ": ("cs",),
    "SK": ("sk",), "HU": ("hu",), "RO": ("ro",), "GR": ("el",), "TR": ("tr",), "IL": ("he",),
    "AE": ("ar",), "SA": ("ar",), "EG": ("ar",), "ZA": ("en", "af"), "MA": ("ar", "fr"),
    "IN": ("hi", "en"), "JP": ("ja",), "KR": ("ko",), "CN": ("zh",), "SG": ("en", "zh", "ms"),
    "MY": ("ms", "en"), "TH": ("th",), "VN": ("vi",), "ID": ("id",), "PH": ("tl", "en"),
    "AU": ("en",), "NZ": ("en", "mi"), "US": ("en", "es"), "CA": ("en", "fr"),
}  # fmt: skip
CITIES: dict[str, tuple[str, ...]] = {
    "DK": ("Copenhagen", "Aarhus"), "FI": ("Helsinki", "Tampere"), "IS": ("Reykjavik",),
    "NO": ("Oslo", "Bergen"), "SE": ("Stockholm", "Gothenburg"), "ET": ("Addis Ababa",),
    "GH": ("Accra", "Kumasi"), "KE": ("Nairobi", "Mombasa"), "NG": ("Lagos", "Abuja"),
    "RW": ("Kigali",), "SN": ("Dakar",), "TZ": ("Dar es Salaam",), "UG": ("Kampala",),
    "AR": ("Buenos Aires", "Cordoba"), "BR": ("Sao Paulo", "Curitiba"), "CL": ("Santiago",),
    "CO": ("Bogota", "Medellin"), "CR": ("San Jose",), "MX": ("Mexico City", "Monterrey"),
    "PE": ("Lima",), "UY": ("Montevideo",), "NL": ("Amsterdam", "Utrecht", "Eindhoven"),
    "DE": ("Berlin", "Munich", "Hamburg"), "FR": ("Paris", "Lyon", "Nantes"),
    "GB": ("London", "Manchester", "Glasgow"), "IE": ("Dublin", "Cork"),
    "BE": ("Brussels", "Ghent"), "LU": ("Luxembourg",), "AT": ("Vienna", "Graz"),
    "CH": ("Zurich", "Geneva"), "ES": ("Madrid", "Barcelona", "Valencia"),
    "PT": ("Lisbon", "Porto"), "IT": ("Milan", "Rome", "Turin"), "PL": ("Warsaw", "Krakow"),
    "CZ": ("Prague", "Brno"), "SK": ("Bratislava",), "HU": ("Budapest",),
    "RO": ("Bucharest", "Cluj"), "GR": ("Athens",), "TR": ("Istanbul", "Ankara"),
    "IL": ("Tel Aviv",), "AE": ("Dubai", "Abu Dhabi"), "SA": ("Riyadh",), "EG": ("Cairo",),
    "ZA": ("Johannesburg", "Cape Town"), "MA": ("Casablanca",),
    "IN": ("Bengaluru", "Pune", "Chennai"), "JP": ("Tokyo", "Osaka"), "KR": ("Seoul",),
    "CN": ("Shanghai", "Shenzhen"), "SG": ("Singapore",), "MY": ("Kuala Lumpur",),
    "TH": ("Bangkok",), "VN": ("Ho Chi Minh City", "Hanoi"), "ID": ("Jakarta",),
    "PH": ("Manila",), "AU": ("Sydney", "Melbourne"), "NZ": ("Auckland", "Wellington"),
    "US": ("Chicago", "Austin", "Seattle", "Boston"), "CA": ("Toronto", "Vancouver"),
}  # fmt: skip

_NAME_START = (
    "Nord", "Sud", "Ost", "West", "Blue", "Green", "Red", "Silver", "Iron", "Stone", "River",
    "Lake", "Fjord", "Delta", "Harbour", "Summit", "Cedar", "Maple", "Oak", "Pine", "Birch",
    "Falcon", "Heron", "Lynx", "Otter", "Raven", "Orca", "Amber", "Cobalt", "Coral", "Jade",
    "Onyx", "Quartz", "Saffron", "Indigo", "Polar", "Solar", "Lunar", "Terra", "Aqua", "Vento",
    "Bright", "Clear", "Swift", "True", "Prime", "Zenith", "Vertex", "Apex", "Meridian",
    "Horizon", "Compass", "Beacon", "Lantern", "Bridge", "Canal", "Harbor", "Valley", "Ridge",
)  # fmt: skip
_NAME_END = (
    "line", "stone", "field", "gate", "wood", "bay", "point", "ford", "vale", "crest", "mark",
    "wave", "light", "path", "port", "hill", "brook", "shore", "well", "works", "lab", "loop",
    "scale", "sight", "stream", "grid", "core", "forge", "hub", "nest",
)  # fmt: skip
_NAME_KIND = (
    "Data", "Analytics", "Data Labs", "Consulting", "Systems", "Digital", "Insight", "Cloud",
    "Data Group", "Dataworks", "Integration", "Analytics Partners", "Solutions", "IT",
    "Data Services", "Technologies",
)  # fmt: skip
#: A company form for some partners, by home country.
_COMPANY_FORMS = {
    "DE": "GmbH", "AT": "GmbH", "CH": "AG", "NL": "BV", "BE": "BV", "GB": "Ltd", "IE": "Ltd",
    "FR": "SAS", "NO": "AS", "DK": "ApS", "SE": "AB", "FI": "Oy", "US": "Inc.", "CA": "Inc.",
    "ES": "S.L.", "MX": "S.A. de C.V.", "BR": "Ltda.", "IT": "S.r.l.", "PL": "sp. z o.o.",
    "JP": "K.K.", "IN": "Pvt Ltd", "AU": "Pty Ltd", "ZA": "(Pty) Ltd", "NG": "Ltd",
}  # fmt: skip

_OPENINGS = (
    "{name} is a {adj} {kind} from {city} that designs, builds and runs data platforms on "
    "**Northwind** for {industries}.",
    "Founded in {city}, {name} helps {industries} turn scattered data into decisions, with "
    "a team of *certified* Northwind engineers.",
    "At {name} we believe a data platform should be boring to run and exciting to use: we "
    "build them in {city} and beyond for {industries}.",
    "{name} brings together consultants, engineers and trainers in {city} who have delivered "
    "Northwind projects for {industries} since the first release.",
)
_ADJECTIVES = (
    "independent", "specialist", "fast-growing", "family-owned", "employee-owned", "boutique",
    "award-winning", "pragmatic", "vendor-neutral", "engineering-led",
)  # fmt: skip
_KINDS = ("consultancy", "systems integrator", "data engineering firm", "partner", "studio")
_SENTENCES = (
    "We start every engagement with a short discovery phase and a fixed-price proposal.",
    "Our engineers hold current Northwind certifications and renew them every year.",
    "Most of our projects go live within *twelve weeks*, and we stay on to run them.",
    "We migrate ageing warehouses with both systems running side by side until the numbers match.",
    "Customers keep full ownership of their code, their runbooks and their data.",
    "Our managed operations team watches pipelines around the clock from two offices.",
    "We work in small teams that include an architect, two engineers and an analyst.",
    "Every project ends with a handover: training, documentation and a named engineer to call.",
    "We publish our delivery figures every quarter, because customers ask for them.",
    "Data governance is built in from the first day, not bolted on before an audit.",
    "We combine sensor, transaction and customer data in one governed platform.",
    "Our connectors link Northwind with the ERP, CRM and e-commerce systems customers run.",
    "Dashboards are designed with the people who read them, not for them.",
    "We have trained more than a thousand analysts and engineers on Northwind.",
    "Security reviews, data protection impact assessments and access control are part of "
    "every build.",
    "We are proud of our **customer satisfaction** scores and of our long customer relations.",
    "Machine learning models go to production with monitoring, retraining and clear owners.",
    "We keep our prices simple: a fixed monthly fee for operations, day rates for projects.",
    "Our consultants speak the language of finance, operations and the shop floor.",
    "We help public bodies meet procurement, accessibility and archiving rules.",
    "Small and medium-sized companies get the same senior engineers as our largest accounts.",
    "We contribute fixes and connectors back to the Northwind community.",
    "Cost control matters: we tune storage, compute and schedules so bills stay predictable.",
    "Our support desk answers in the customer's own language, on the customer's hours.",
    "We run proof-of-concept sprints of two weeks on the customer's own data.",
    "Data quality checks run on every load, and failures page a person, not a mailbox.",
    "Our team has grown every year, mostly through referrals from happy customers.",
    "We design for the regulations of each market, from banking secrecy to health records.",
    "Near-real-time pipelines feed stock, pricing and logistics decisions during the day.",
    "We work remotely across time zones and meet customers on site when it matters.",
)
#: Sentences with slots, so descriptions differ in more than their order.
_TEMPLATES = (
    "Last year we delivered {n} projects for customers in {place}.",
    "Our team of {n} people works from {city} and {city2}.",
    "We move data out of {tech} and {tech2} into Northwind without downtime.",
    "Pipelines built with {tech} and {tech2} feed the platform every {period}.",
    "A {customer} in {place} cut its reporting time from {slow} to {fast} with our help.",
    "We integrate Northwind with {tech} for {customer}s that cannot wait for nightly loads.",
    "Our {role}s have, on average, {years} years of experience with data platforms.",
    "Ask us about the {customer} whose {thing} we rebuilt in {n} weeks.",
    "Since {year} we have helped {customer}s in {place} get more out of their data.",
    "For a {customer} we replaced {n} spreadsheets with one governed model in Northwind.",
)
_TECH = (
    "Kafka", "Spark", "dbt", "Airflow", "Postgres", "SAP", "Salesforce", "Shopify", "Oracle",
    "SQL Server", "MongoDB", "Power BI", "Tableau", "Looker", "Databricks", "BigQuery",
    "Redshift", "Snowflake", "Flink", "Dagster", "Kubernetes", "Terraform", "Dynamics",
    "NetSuite", "Workday", "ServiceNow", "Elasticsearch", "ClickHouse", "DuckDB", "Excel",
)  # fmt: skip
_CUSTOMERS = (
    "retailer", "bank", "insurer", "hospital group", "city council", "grid operator",
    "logistics company", "telecom operator", "food producer", "pharmacy chain", "airline",
    "university", "manufacturer", "wholesaler", "water utility", "shipping line", "cooperative",
)  # fmt: skip
_ROLES = ("engineer", "consultant", "architect", "analyst", "trainer")
_THINGS = ("forecasting", "billing data", "stock planning", "customer analytics", "reporting")
_PERIODS = ("minute", "five minutes", "quarter of an hour", "hour", "night")
_SLOW = ("three days", "two days", "a week", "a full day", "36 hours")
_FAST = ("minutes", "an hour", "ten minutes", "half an hour", "seconds")
_LIST_INTROS = ("What customers hire us for:", "Our services:", "How we work:", "Highlights:")
_LIST_ITEMS = (
    "**Platform builds** from a blank page to production",
    "**Migrations** from legacy warehouses and spreadsheets",
    "**Data engineering** for batch and streaming pipelines",
    "**Analytics** and dashboards that people actually use",
    "**Machine learning** from prototype to monitored production",
    "**Managed operations** with a fixed monthly price",
    "**Governance** and data protection reviews",
    "**Training** for analysts, engineers and administrators",
    "**Connectors** for ERP, CRM and e-commerce systems",
    "Health checks of existing Northwind installations",
    "Cost reviews and performance tuning",
    "Architecture reviews before a large roll-out",
)
_LINK_TEXTS = ("case studies", "customer stories", "our blog", "the team", "our training calendar")
_LINK_PATHS = ("cases", "customers", "blog", "team", "training")
_CLOSINGS = (
    "Read our [{text}]({url}) to see what that looks like in practice.",
    "Want to know more? Have a look at [{text}]({url}) or call us.",
    "You can find [{text}]({url}) on our website.",
)
_LOGO_COLOURS = (
    "#1d3557", "#2a9d8f", "#e76f51", "#264653", "#6d597a", "#355070", "#b56576", "#3a5a40",
    "#5b2a86", "#0b6e4f", "#8d0801", "#023e8a", "#7b2cbf", "#386641", "#9c6644", "#005f73",
)  # fmt: skip


# --- The figures ----------------------------------------------------------------------------

#: A partner's earned level index at each of the four reviews; None = no row at that review.
Trajectory = tuple[int | None, int | None, int | None, int | None]


#: Scenario pattern: per review, "." no row, "0" the base level, "-" one below, "+" one above,
#: "R" the lowest level. Weights add up to 1000 (per mille of partners).
SCENARIOS: tuple[tuple[str, str, int], ...] = (
    ("stable", "0000", 600),
    ("promoted at the last review", "000+", 60),
    ("promoted earlier", "0+++", 40),
    ("joined at the second review", ".000", 60),
    ("joined at the third review", "..00", 50),
    ("onboarded at the last review", "...0", 40),
    ("under review at the build date", "000-", 40),
    ("demoted after grace", "00--", 35),
    ("grace cancelled by recovery", "0-00", 35),
    ("entry expired", "RRRR", 10),
    ("still provisional", ".RRR", 25),
    ("not yet reviewed", "....", 5),
)
#: Share of base levels, lowest first, for a programme of 3 to 5 levels (by level count).
LEVEL_SHARES = {
    3: (0.35, 0.45, 0.20),
    4: (0.25, 0.40, 0.25, 0.10),
    5: (0.20, 0.30, 0.25, 0.15, 0.10),
}


def trajectory(pattern: str, base: int, top: int) -> Trajectory:
    """Earned level per review for a scenario pattern; a drop below 0 or a rise above the top
    is moved so the pattern keeps its shape (a drop from the lowest level starts one higher)."""
    if "-" in pattern and base == 0:
        base = 1
    if "+" in pattern and base == top:
        base = top - 1
    levels: list[int | None] = []
    for symbol in pattern:
        if symbol == ".":
            levels.append(None)
        elif symbol == "R":
            levels.append(0)
        else:
            levels.append(base + {"0": 0, "-": -1, "+": 1}[symbol])
    if pattern != "RRRR" and 0 in (levels[2], levels[3]):
        # At the lowest level a year after joining is expired (DESIGN rule 4), and the last
        # review is a year after the first: a partner Registered late in the year joined after
        # the first review. "RRRR" is the scenario of an expiry.
        levels[0] = None
    return (levels[0], levels[1], levels[2], levels[3])


class FigureMaker:
    """Draws a review row whose figures earn exactly a given level in a given home country."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.metrics = list(program.metrics.values())
        self._criteria: dict[tuple[int, str], dict[str, list[Criterion]]] = {}

    def criteria(self, level: int, country: str) -> dict[str, list[Criterion]]:
        key = (level, country)
        found = self._criteria.get(key)
        if found is None:
            found = {}
            if level < len(self.program.levels):
                chosen = self.program.levels[level]
                for criterion in self.program.criteria_for(chosen, country):
                    found.setdefault(criterion.metric, []).append(criterion)
            self._criteria[key] = found
        return found

    def row(self, rng: random.Random, level: int, country: str, new: bool) -> dict[str, str]:
        """Figures (as CSV cells) meeting `level` and failing the level above.

        `new`: a partner in its first months, without survey, audit or ticket figures yet;
        only for the lowest level, where no criterion needs them.
        """
        must = self.criteria(level, country)
        above = self.criteria(level + 1, country)
        values: dict[str, float | str | bool | None] = {}
        for metric in self.metrics:
            if new and level == 0 and metric.type in (MetricType.NUMBER, MetricType.CHOICE):
                values[metric.id] = None
                continue
            reach = self._reach(metric.id, level, country)
            values[metric.id] = self._draw(rng, metric, must.get(metric.id, []), reach, level)
        if above:
            self._fail_one(rng, values, must, above)
        return {m.id: self._cell(m, values[m.id], country) for m in self.metrics}

    def _cell(self, metric: Metric, value: float | str | bool | None, country: str) -> str:
        """The CSV cell; a private figure sealed, as the programme team's `seal` writes it."""
        cell = _cell(metric, value)
        if metric.public or not cell:
            return cell
        sealed = seal_figure(self.program, metric.id, country, float(cell))
        return sealed.cell() if sealed is not None else ""

    def _draw(
        self,
        rng: random.Random,
        metric: Metric,
        must: Sequence[Criterion],
        reach: list[float],
        level: int,
    ) -> float | str | bool | None:
        if metric.type is MetricType.BOOLEAN:
            for c in must:
                if c.op is Op.EQUALS:
                    return bool(c.target)
            return rng.random() < 0.75
        if metric.type is MetricType.CHOICE:
            for c in must:
                if c.op is Op.EQUALS:
                    return str(c.target)
            return rng.choice(metric.choices)
        low, high = _bounds(metric, must)
        # Aim near the level's targets: up to the level above's target and a bit beyond, so
        # partners spread over the range instead of piling up on the threshold.
        if metric.better.value == "lower":
            top = max(reach) * 2.5 if reach else (low or 0.0) + 10.0
            if high is not None:
                top = min(top, high)
            bottom = max(low or 0.0, (min(reach) * 0.5) if reach else top * 0.2)
            return _pick(rng, metric, min(bottom, top), top)
        bottom = low if low is not None else 0.0
        if reach and not must:
            bottom = max(bottom, min(reach) * 0.6)
        if reach:
            top = max(reach) * 1.3
        elif low:
            top = low * (2.0 if level else 3.0)
        else:
            top = _natural_top(metric)
        if high is not None:
            top = min(top, high)
        return _pick(rng, metric, bottom, max(bottom, top))

    def _reach(self, metric_id: str, level: int, country: str) -> list[float]:
        """The targets on a metric of the next level above `level` that has one."""
        for above in range(level + 1, len(self.program.levels)):
            found = self.criteria(above, country).get(metric_id, [])
            targets = [float(c.target) for c in found if c.op is not Op.EQUALS]
            if targets:
                return targets
        return []

    def _fail_one(
        self,
        rng: random.Random,
        values: dict[str, float | str | bool | None],
        must: dict[str, list[Criterion]],
        above: dict[str, list[Criterion]],
    ) -> None:
        """Make one criterion of the level above fail, unless one already does."""
        criteria = [c for cs in above.values() for c in cs]
        if any(not _holds(self.program.metrics[c.metric], c, values[c.metric]) for c in criteria):
            return
        order = list(criteria)
        rng.shuffle(order)
        for c in order:
            metric = self.program.metrics[c.metric]
            failing = _failing_value(rng, metric, c, must.get(c.metric, []))
            if failing is not None:
                values[c.metric] = failing
                return
        raise ValueError("the programme's levels cannot be told apart by their criteria")


def _bounds(metric: Metric, must: Sequence[Criterion]) -> tuple[float | None, float | None]:
    low = metric.minimum
    high = metric.maximum
    for c in must:
        if c.op is Op.MIN:
            low = float(c.target) if low is None else max(low, float(c.target))
        elif c.op is Op.MAX:
            high = float(c.target) if high is None else min(high, float(c.target))
    return low, high


def _natural_top(metric: Metric) -> float:
    if metric.maximum is not None:
        return metric.maximum
    return 100.0 if metric.type is not MetricType.MONEY else 100_000.0


def _step(metric: Metric) -> float:
    return {MetricType.INTEGER: 1.0, MetricType.MONEY: 100.0}.get(metric.type, 0.1)


def _pick(rng: random.Random, metric: Metric, low: float, high: float) -> float:
    """A value on the metric's grid in [low, high]."""
    step = _step(metric)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    if last < first:
        last = first
    return round(rng.randint(first, last) * step, 1)


def _holds(metric: Metric, c: Criterion, value: float | str | bool | None) -> bool:
    if value is None:
        return False
    if c.op is Op.EQUALS:
        return value == c.target
    if isinstance(value, (str, bool)):
        return False
    target = float(c.target)
    return value >= target if c.op is Op.MIN else value <= target


def _failing_value(
    rng: random.Random, metric: Metric, c: Criterion, must: Sequence[Criterion]
) -> float | str | bool | None:
    """A value that fails `c` while every criterion of `must` still holds; None if none can."""
    if c.op is Op.EQUALS:
        if any(m.op is Op.EQUALS for m in must):
            return None
        if metric.type is MetricType.BOOLEAN:
            return not bool(c.target)
        others = [choice for choice in metric.choices if choice != c.target]
        return rng.choice(others) if others else None
    low, high = _bounds(metric, must)
    step = _step(metric)
    target = float(c.target)
    if c.op is Op.MIN:
        top = target - step
        bottom = max(low or 0.0, target * 0.5)
        if top < bottom:
            bottom = low or 0.0
        if top < bottom:
            return None
        return _pick(rng, metric, bottom, top)
    bottom = target + step
    top = min(high, target * 2.5) if high is not None else target * 2.5
    if top < bottom:
        return None
    return _pick(rng, metric, bottom, top)


def _cell(metric: Metric, value: float | str | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if metric.type in (MetricType.INTEGER, MetricType.MONEY):
        return str(int(round(value)))
    return f"{value:.1f}"


# --- The partners ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """One partner to write: its file, logo and review rows."""

    id: str
    yaml: str
    svg: str | None
    #: The row's cells per review (None where the partner has no row at that review).
    rows: tuple[dict[str, str] | None, ...]
    country: str


_COUNTRY_NAMES = {code: country_name(code) for code, _ in COUNTRIES}


def load_program(path: Path = PROGRAM) -> Program:
    problems: list[Problem] = []
    program = validate_program(read_yaml(path, MAX_PROGRAM_BYTES, problems), problems)
    errors = [p for p in problems if p.is_error]
    if program is None or errors:
        raise SystemExit("\n".join(str(p) for p in errors) or f"{path}: not a valid programme")
    return program


def review_dates(today: date) -> tuple[date, ...]:
    return tuple(today - timedelta(days=days) for days in REVIEW_OFFSETS)


def plan_partners(n: int, seed: int, program: Program) -> list[Plan]:
    rng = random.Random(seed)
    maker = FigureMaker(program)
    codes = [code for code, _ in COUNTRIES]
    weights = [weight for _, weight in COUNTRIES]
    top = len(program.levels) - 1
    shares = LEVEL_SHARES[len(program.levels)]
    scenario_patterns = [pattern for _, pattern, _ in SCENARIOS]
    scenario_weights = [weight for _, _, weight in SCENARIOS]
    capped = _capped_countries(program)
    used: set[str] = set()
    plans = []
    for index in range(n):
        forced_home, forced_level, forced_pattern = _forced(index, capped, program)
        home = forced_home or rng.choices(codes, weights)[0]
        name = _company_name(rng, home)
        partner_id = _unique_id(name, used)
        used.add(partner_id)
        base = forced_level
        if base is None:
            base = rng.choices(range(len(shares)), shares)[0]
        pattern = forced_pattern or rng.choices(scenario_patterns, scenario_weights)[0]
        levels = trajectory(pattern, base, top)
        joined = next((i for i, level in enumerate(levels) if level is not None), 0)
        rows = tuple(
            None
            if level is None
            else maker.row(rng, level, home, new=position == joined and joined > 0)
            for position, level in enumerate(levels)
        )
        served = _served(rng, home, codes, weights)
        logo = rng.random() < 0.2
        description = _description(rng, name, home, program, partner_id)
        yaml_text = _partner_yaml(rng, partner_id, name, served, program, description, logo)
        plans.append(
            Plan(
                partner_id,
                yaml_text,
                _logo_svg(rng, partner_id, name) if logo else None,
                rows,
                home,
            )  # fmt: skip
        )
    return plans


def _capped_countries(program: Program) -> list[tuple[str, str]]:
    """(country, capped level id) for every cap, the first country of a region cap."""
    found = []
    for cap in program.caps:
        if cap.country and cap.country != "*":
            found.append((cap.country, cap.level))
        elif cap.region:
            region = next(r for r in program.regions if r.id == cap.region)
            found.append((region.countries[0], cap.level))
    return found


# The first partners are placed so that even a small directory shows every rule: in each capped
# country, more partners earn the capped level than its cap allows (a count of 2; a share of a
# region's partners), then one partner of each scenario, in a random country.
_CAP_EARNERS, _CAP_GROUP = 4, 6


def _forced(
    index: int, capped: list[tuple[str, str]], program: Program
) -> tuple[str | None, int | None, str | None]:
    """(home country, base level, scenario pattern) fixed for partner `index`, or Nones."""
    slot, position = divmod(index, _CAP_GROUP)
    if slot < len(capped):
        country, level_id = capped[slot]
        if position < _CAP_EARNERS:
            return country, program.rank(level_id), "0000"
        return country, None, None
    scenario = index - len(capped) * _CAP_GROUP
    if scenario < len(SCENARIOS):
        return None, None, SCENARIOS[scenario][1]
    return None, None, None


def _company_name(rng: random.Random, home: str) -> str:
    stem = rng.choice(_NAME_START) + rng.choice(_NAME_END)
    name = f"{stem} {rng.choice(_NAME_KIND)}"
    city = rng.choice(CITIES[home])
    if rng.random() < 0.3 and " " not in city:
        name = f"{city} {name}"
    form = _COMPANY_FORMS.get(home)
    if form and rng.random() < 0.4:
        name = f"{name} {form}"
    return name


def _unique_id(name: str, used: set[str]) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
    slug = "-".join(part for part in slug.split("-") if part)[:50].strip("-")
    candidate, number = slug, 2
    while candidate in used:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def _served(rng: random.Random, home: str, codes: list[str], weights: list[int]) -> list[str]:
    count = rng.choices((1, 2, 3, 4, 5), (30, 30, 20, 12, 8))[0]
    served = [home]
    while len(served) < count:
        code = rng.choices(codes, weights)[0]
        if code not in served:
            served.append(code)
    return served


def _description(
    rng: random.Random, name: str, home: str, program: Program, partner_id: str
) -> str:
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    industries = [t.name.lower() for t in rng.sample(program.industries, 2)]
    opening = rng.choice(_OPENINGS).format(
        name=name,
        adj=rng.choice(_ADJECTIVES),
        kind=rng.choice(_KINDS),
        city=rng.choice(CITIES[home]),
        industries=f"customers in {industries[0]} and in {industries[1]}",
    )
    paragraphs = [opening]
    words = len(opening.split())
    items: list[str] = []
    if rng.random() < 0.7:
        items = rng.sample(_LIST_ITEMS, rng.randint(3, 5))
        words += sum(len(item.split()) for item in items) + 4
    link = rng.randrange(len(_LINK_TEXTS))
    closing = rng.choice(_CLOSINGS).format(
        text=_LINK_TEXTS[link], url=f"https://{partner_id}.example/{_LINK_PATHS[link]}"
    )
    words += len(closing.split())
    body: list[str] = []
    fixed = rng.sample(_SENTENCES, len(_SENTENCES))
    templates = rng.sample(_TEMPLATES, len(_TEMPLATES))
    while words < target and (fixed or templates):
        if templates and (not fixed or rng.random() < 0.35):
            sentence = _fill(rng, templates.pop(), home)
        else:
            sentence = fixed.pop()
        if words + len(sentence.split()) > target and words >= MIN_WORDS:
            break
        body.append(sentence)
        words += len(sentence.split())
        if len(body) >= 4 and rng.random() < 0.3:
            paragraphs.append(" ".join(body))
            body = []
    if body:
        paragraphs.append(" ".join(body))
    if items:
        where = 1 if len(paragraphs) > 1 else len(paragraphs)
        block = rng.choice(_LIST_INTROS) + "\n\n" + "\n".join(f"- {item}" for item in items)
        paragraphs.insert(where, block)
    paragraphs.append(closing)
    text = "\n\n".join(paragraphs)
    while len(text) > DESCRIPTION_LIMIT and len(paragraphs) > 2:
        paragraphs.pop(-2)
        text = "\n\n".join(paragraphs)
    return text


def _fill(rng: random.Random, template: str, home: str) -> str:
    cities = CITIES[home]
    tech, tech2 = rng.sample(_TECH, 2)
    return template.format(
        n=rng.randint(3, 120),
        place=rng.choice(cities) if rng.random() < 0.5 else _COUNTRY_NAMES.get(home, home),
        city=cities[0],
        city2=rng.choice(cities[1:]) if len(cities) > 1 else "remote offices",
        tech=tech,
        tech2=tech2,
        period=rng.choice(_PERIODS),
        customer=rng.choice(_CUSTOMERS),
        slow=rng.choice(_SLOW),
        fast=rng.choice(_FAST),
        role=rng.choice(_ROLES),
        years=rng.randint(4, 25),
        thing=rng.choice(_THINGS),
        year=rng.randint(1998, 2022),
    )


def _partner_yaml(
    rng: random.Random,
    partner_id: str,
    name: str,
    served: list[str],
    program: Program,
    description: str,
    logo: bool,
) -> str:
    programs = [t.id for t in rng.sample(program.programs, rng.randint(1, 3))]
    services = [t.id for t in rng.sample(program.services, rng.randint(1, 5))]
    industries = [t.id for t in rng.sample(program.industries, rng.randint(0, 4))]
    languages: list[str] = []
    for code in served[:2]:
        for language in LANGUAGES[code]:
            if language not in languages:
                languages.append(language)
    if "en" not in languages:
        languages.append("en")
    website = f"https://{partner_id}.example"
    lines = [f"name: {name}", f"website: {website}"]
    if logo:
        lines.append(f"logo: {partner_id}.svg")
    lines.append("description: |")
    lines.extend(f"  {line}" if line else "" for line in description.split("\n"))
    lines.append(f"countries: [{', '.join(served)}]")
    lines.extend(_card_lines(partner_id, served[0], program, industries))
    lines.append(f"programs: [{', '.join(programs)}]")
    lines.append(f"services: [{', '.join(services)}]")
    if industries:
        lines.append(f"industries: [{', '.join(industries)}]")
    lines.append(f"languages: [{', '.join(languages)}]")
    if rng.random() < 0.8:
        contact = (
            f"mailto:partners@{partner_id}.example" if rng.random() < 0.5 else f"{website}/contact"
        )
        lines.append(f"contact: {contact}")
    handle = partner_id[:30].rstrip("-")
    lines.append(f'maintainers: ["@{handle}-admin"]')
    return "\n".join(lines) + "\n"


#: Summaries of a partner's card: "{work} for {who} in {where}."
_SUMMARY_WORK = (
    "Data platforms",
    "Analytics and dashboards",
    "Migrations to Northwind",
    "Managed Northwind platforms",
    "Data engineering and pipelines",
    "Forecasting and machine learning",
)


def _card_lines(partner_id: str, home: str, program: Program, industries: list[str]) -> list[str]:
    """The optional summary and head-office city; most partners write them, some do not.

    Drawn from their own generator, seeded by the id, so the rest of the directory is the same
    as before these fields existed."""
    rng = random.Random(f"card:{partner_id}")
    lines = []
    if rng.random() < 0.75:
        names = {t.id: t.name.lower() for t in program.industries}
        who = names[industries[0]] if industries else "mid-sized companies"
        where = country_name(home)
        lines.append(f"summary: {rng.choice(_SUMMARY_WORK)} for {who} in {where}.")
    if rng.random() < 0.85:
        lines.append(f"city: {rng.choice(CITIES[home])}")
    return lines


def _logo_svg(rng: random.Random, partner_id: str, name: str) -> str:
    letters = "".join(word[0] for word in name.split()[:2]).upper()
    fill, ring = rng.sample(_LOGO_COLOURS, 2)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" '
        f'height="120" role="img" aria-labelledby="{partner_id}-title">\n'
        f'  <title id="{partner_id}-title">{_xml(name)}</title>\n'
        f'  <circle cx="60" cy="60" r="58" fill="{fill}"/>\n'
        f'  <circle cx="60" cy="60" r="50" fill="none" stroke="{ring}" stroke-width="3"/>\n'
        '  <text x="60" y="72" font-family="Helvetica, Arial, sans-serif" font-size="40" '
        f'font-weight="700" fill="#ffffff" text-anchor="middle">{_xml(letters)}</text>\n'
        "</svg>\n"
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- What a generated directory shows ------------------------------------------------------


def rules_shown(directory: Directory, evaluation: Evaluation) -> dict[str, int]:
    """How many partners show each rule the generator is meant to produce, at the build date."""
    program = directory.program
    reviews = set(directory.review_dates)
    standings = list(evaluation.standings.values())
    listed = [s for s in standings if not s.expired]
    shown = {f"level {level.id}": 0 for level in program.levels}
    for standing in listed:
        shown[f"level {standing.level}"] += 1
    shown["cap bites"] = sum(
        1 for s in standings if any(step.capped != step.earned for step in s.history)
    )
    shown["under review"] = sum(1 for s in listed if s.under_review_until is not None)
    shown["demoted after grace"] = sum(
        1
        for change in evaluation.changes
        if change.previous is not None
        and program.rank(change.level) < program.rank(change.previous)
        and change.date not in reviews
    )
    shown["grace cancelled"] = sum(1 for s in standings if _recovered(s))
    shown["expired"] = sum(1 for s in standings if s.expired)
    shown["promoted"] = sum(
        1
        for change in evaluation.changes
        if change.previous is not None
        and program.rank(change.level) > program.rank(change.previous)
    )
    return shown


def _recovered(standing: Standing) -> bool:
    """Under review at one review and no longer at a later one, at the same level."""
    for before, after in zip(standing.history, standing.history[1:], strict=False):
        if before.under_review_until and not after.under_review_until:
            if before.level == after.level:
                return True
    return False


# --- Writing --------------------------------------------------------------------------------


def write_directory(plans: Sequence[Plan], program: Program, today: date, out: Path) -> None:
    partners = out / "partners"
    reviews = out / "reviews"
    partners.mkdir(parents=True)
    reviews.mkdir()
    shutil.copyfile(PROGRAM, out / "program.yaml")
    for plan in plans:
        (partners / f"{plan.id}.yaml").write_text(plan.yaml, encoding="utf-8")
        if plan.svg is not None:
            (partners / f"{plan.id}.svg").write_text(plan.svg, encoding="utf-8")
    metric_ids = list(program.metrics)
    header = ",".join(["partner", "country", *metric_ids])
    for position, when in enumerate(review_dates(today)):
        lines = [header]
        for plan in sorted(plans, key=lambda p: p.id):
            row = plan.rows[position]
            if row is not None:
                lines.append(",".join([plan.id, plan.country, *(row[m] for m in metric_ids)]))
        (reviews / f"{when.isoformat()}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("count", type=int, help="number of partners")
    parser.add_argument("out", type=Path, help="the content folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=DEFAULT_TODAY,
        help=f"the build date the review dates are placed around ({DEFAULT_TODAY})",
    )
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists; use --force to replace it")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    program = load_program()
    plans = plan_partners(args.count, args.seed, program)
    write_directory(plans, program, args.today, args.out)
    elapsed = time.perf_counter() - started
    print(f"Wrote {args.count:,} partners to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
