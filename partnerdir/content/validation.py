"""Turn raw content into typed records, collecting every problem with its file, line and field."""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .. import countries
from ..model import (
    Better,
    Cap,
    Criterion,
    Directory,
    Figure,
    Level,
    Metric,
    MetricType,
    Op,
    Partner,
    Program,
    Region,
    ReviewRow,
    ReviewRules,
    Sealed,
    SiteSettings,
    Term,
    Value,
    plain_number,
)
from ..problems import Problem, sort_problems, warning
from .loading import (
    LOGO_SUFFIXES,
    MAX_LOGO_BYTES,
    CsvFile,
    RawContent,
    YamlFile,
    YamlList,
    YamlMap,
    YamlValue,
)
from .safety.characters import CONTROL, INVISIBLE, NONCHARACTERS, describe
from .safety.svg import svg_problem
from .schema import (
    FIELDS_BY_NAME,
    HANDLE_PATTERN,
    ID_PATTERN,
    PARTNER_FIELDS,
    PROGRAMME_OWNED,
    RESERVED_IDS,
    Field,
    Item,
    Kind,
    vocabulary,
)

MIN_LEVELS, MAX_LEVELS = 3, 5
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?$")
_METRIC_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?(\d{1,15}(\.\d*)?|\.\d+)$")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
# Control characters other than tab and newline have no place in text a customer reads.
_CONTROL = re.compile(f"[{CONTROL}]")
# Nor have invisible characters in one-line text: a name holding one reads as another name.
# Markdown may hold them (see `_Checker.text`), but not hold nothing else.
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_VISIBLE = re.compile(rf"[^\s{CONTROL}{INVISIBLE}]")
# Nor have noncharacters (U+FDD0-FDEF and the last two of every plane): an HTML page holding
# one has a parse error. A YAML escape ("\uFDD0") writes one past the YAML reader's own check.
_NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


class _Checker:
    """Reads one file's YAML tree and records every problem against that file."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, field, message))

    def keys(self, node: YamlMap, allowed: Iterable[str], prefix: str = "") -> None:
        allowed = list(allowed)
        for key, line in node.lines.items():
            if key not in allowed:
                self.error(line, prefix + key, "unknown key" + _suggest(key, allowed))

    def required(self, node: YamlMap, key: str, prefix: str = "") -> YamlValue:
        if node.items.get(key) is None:
            line = node.lines.get(key, node.line)
            self.error(line, prefix + key, "required" if key not in node.items else "is empty")
        return node.items.get(key)

    def text(
        self,
        node: YamlMap,
        key: str,
        prefix: str = "",
        *,
        required: bool = True,
        max_length: int = 500,
        multiline: bool = False,
    ) -> str | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None:
            return None
        line = node.lines[key]
        if not isinstance(value, str):
            self.error(line, prefix + key, f"must be text, not {_kind(value)}")
            return None
        value = value.strip()
        if not value:
            self.error(line, prefix + key, "is empty")
            return None
        if len(value) > max_length:
            self.error(line, prefix + key, f"{len(value):,} characters; at most {max_length:,}")
            return None
        if value.replace("\n", "").replace("\t", "").isprintable():
            pass  # the common case, at C speed: no control character, no noncharacter
        elif control := _CONTROL.search(value):
            # invisible in most editors: name it, so the partner can find it
            code = f"U+{ord(control.group()):04X}"
            self.error(line, prefix + key, f"contains the invisible control character {code}")
            return None
        elif noncharacter := _NONCHARACTER.search(value):
            code = f"U+{ord(noncharacter.group()):04X}"
            self.error(line, prefix + key, f"contains {code}, a Unicode noncharacter")
            return None
        if not multiline and "\n" in value:
            self.error(line, prefix + key, "contains a line break; write it on one line")
            return None
        if value.isascii():
            return value  # the common case again: ASCII holds no invisible character
        if not multiline and (invisible := _INVISIBLE.search(value)):
            self.error(
                line,
                prefix + key,
                f"holds an invisible character ({describe(invisible.group())}); "
                "remove it, so that no two texts read the same",
            )
            return None
        # Markdown keeps them: emoji are joined by ZWJ and tagged by variation selectors, and
        # Persian or Hindi prose needs ZWNJ, mixed-direction prose its direction marks.
        if multiline and not _VISIBLE.search(value):
            self.error(line, prefix + key, "is empty: it holds only invisible characters")
            return None
        return value

    def mapping(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> YamlMap | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None or isinstance(value, YamlMap):
            return value
        self.error(node.lines[key], prefix + key, f"must be a mapping, not {_kind(value)}")
        return None

    def sequence(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> YamlList | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None or isinstance(value, YamlList):
            return value
        self.error(node.lines[key], prefix + key, f"must be a list, not {_kind(value)}")
        return None

    def strings(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> list[tuple[int, str]]:
        """A list of plain text entries with their lines; non-text entries are problems."""
        items = self.sequence(node, key, prefix, required=required)
        result: list[tuple[int, str]] = []
        for index, (line, item) in enumerate(items.pairs() if items else ()):
            if isinstance(item, str) and item.strip():
                result.append((line, item.strip()))
            else:
                self.error(line, f"{prefix}{key}[{index}]", f"must be text, not {_kind(item)}")
        return result


def _kind(value: YamlValue) -> str:
    if value is None:
        return "empty"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, YamlList):
        return "a list"
    return "text"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and word.upper() in choices:
        close = [word.upper()]
    if not close and word.lower() in choices:
        close = [word.lower()]
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- program.yaml ---------------------------------------------------------------------------


def validate_program(file: YamlFile, problems: list[Problem]) -> Program | None:
    root = file.root
    if root is None:
        return None
    before = len(problems)
    c = _Checker(file.path, problems)
    c.keys(
        root,
        [
            "site",
            "metrics",
            "levels",
            "programs",
            "services",
            "industries",
            "regions",
            "caps",
            "review",
        ],
    )
    site = _site(c, root)
    metrics = _metrics(c, root)
    levels = _levels(c, root, metrics)
    programs = _terms(c, root, "programs", required=True)
    services = _terms(c, root, "services", required=False)
    industries = _terms(c, root, "industries", required=False)
    regions = _regions(c, root, metrics, levels)
    caps = _caps(c, root, metrics, levels, regions)
    review = _review(c, root)
    if len(problems) > before or site is None or review is None:
        return None
    return Program(site, metrics, levels, programs, services, industries, regions, caps, review)


def _site(c: _Checker, root: YamlMap) -> SiteSettings | None:
    node = c.mapping(root, "site")
    if node is None:
        return None
    c.keys(node, ["title", "base_url", "tagline", "intro", "repository", "owners"], "site.")
    title = c.text(node, "title", "site.", max_length=100)
    base_url = _url(c, node, "base_url", "site.", ("https", "http"))
    tagline = c.text(node, "tagline", "site.", required=False, max_length=200) or ""
    intro = c.text(node, "intro", "site.", required=False, max_length=5000, multiline=True) or ""
    repository = _url(c, node, "repository", "site.", ("https", "http"), required=False)
    owners = []
    for line, handle in c.strings(node, "owners", "site.", required=False):
        if HANDLE_PATTERN.fullmatch(handle):
            owners.append(handle if handle.startswith("@") else "@" + handle)
        else:
            c.error(line, "site.owners", f"'{handle}' is not a GitHub handle or team")
    if title is None or base_url is None:
        return None
    if not base_url.endswith("/"):
        base_url += "/"
    return SiteSettings(title, base_url, tagline, intro, repository or "", tuple(owners))


def _url(
    c: _Checker,
    node: YamlMap,
    key: str,
    prefix: str,
    schemes: tuple[str, ...],
    *,
    required: bool = True,
) -> str | None:
    value = c.text(node, key, prefix, required=required, max_length=300)
    if value is None:
        return None
    problem = url_problem(value, schemes)
    if problem:
        c.error(node.lines[key], prefix + key, problem)
        return None
    return value


def url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """Why `value` is not an acceptable link (None when it is)."""
    if _SPACE_OR_CONTROL.search(value):
        return f"'{value}' contains spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"'{value}' is not a valid URL"
    scheme = parts.scheme.lower()
    allowed = " or ".join(f"{s}:" for s in schemes)
    if scheme not in schemes:
        return f"'{value}' must start with {allowed}"
    if scheme == "mailto":
        address = parts.path
        if not re.fullmatch(r"[^@\s/]+@[^@\s/]+\.[^@\s/]+", address):
            return f"'{value}' is not a mailto: link with an e-mail address"
        return None
    host = parts.hostname or ""
    if not host or "." not in host and host != "localhost":
        return f"'{value}' has no host name"
    if parts.username or parts.password:
        return f"'{value}' must not carry a user name or password"
    return None


def _metrics(c: _Checker, root: YamlMap) -> dict[str, Metric]:
    node = c.mapping(root, "metrics")
    metrics: dict[str, Metric] = {}
    if node is None:
        return metrics
    for metric_id, spec in node.items.items():
        prefix = f"metrics.{metric_id}."
        line = node.lines[metric_id]
        if not _METRIC_ID.fullmatch(metric_id):
            c.error(line, f"metrics.{metric_id}", "ids are lowercase letters, digits and _")
            continue
        if not isinstance(spec, YamlMap):
            c.error(line, f"metrics.{metric_id}", f"must be a mapping, not {_kind(spec)}")
            continue
        c.keys(
            spec,
            ["label", "type", "min", "max", "public", "better", "choices", "unit", "description"],
            prefix,
        )
        label = c.text(spec, "label", prefix, max_length=80)
        kind = _choice(c, spec, "type", prefix, [t.value for t in MetricType])
        public = _boolean_field(c, spec, "public", prefix)
        better = _choice(c, spec, "better", prefix, ["higher", "lower"], required=False)
        unit = c.text(spec, "unit", prefix, required=False, max_length=10) or ""
        description = c.text(spec, "description", prefix, required=False, max_length=500) or ""
        choices: list[str] = []
        if kind == MetricType.CHOICE:
            choices = [v for _, v in c.strings(spec, "choices", prefix)]
            if len(set(choices)) != len(choices):
                c.error(spec.lines["choices"], prefix + "choices", "lists a value twice")
        elif "choices" in spec.items:
            c.error(spec.lines["choices"], prefix + "choices", "only choice metrics have choices")
        bounds: list[float | None] = []
        for key in ("min", "max"):
            raw = c.text(spec, key, prefix, required=False, max_length=30)
            if raw is not None and kind in (MetricType.CHOICE, MetricType.BOOLEAN):
                c.error(spec.lines[key], prefix + key, f"{kind} metrics have no range")
                raw = None
            bound = _number(raw) if raw is not None else None
            if raw is not None and bound is None:
                c.error(spec.lines[key], prefix + key, f"'{raw}' is not a number")
            bounds.append(bound)
        if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
            c.error(spec.lines["max"], prefix + "max", "is below min")
        if public is False and kind in (MetricType.CHOICE, MetricType.BOOLEAN):
            # met / not yet is published, and for these it is the figure itself
            c.error(
                spec.lines["public"],
                prefix + "public",
                f"a {kind} metric cannot be private: a yes/no or choice figure is revealed by "
                "met / not yet: make it public",
            )
        if label is None or kind is None or public is None:
            continue
        metrics[metric_id] = Metric(
            metric_id,
            label,
            MetricType(kind),
            public,
            Better(better or "higher"),
            bounds[0],
            bounds[1],
            tuple(choices),
            unit,
            description,
        )
    if not node.items:
        c.error(node.line, "metrics", "declare at least one metric")
    return metrics


def _choice(
    c: _Checker, node: YamlMap, key: str, prefix: str, allowed: list[str], *, required: bool = True
) -> str | None:
    value = c.text(node, key, prefix, required=required, max_length=40)
    if value is not None and value not in allowed:
        c.error(
            node.lines[key],
            prefix + key,
            f"'{value}' is not one of {', '.join(allowed)}" + _suggest(value, allowed),
        )
        return None
    return value


def _boolean_field(c: _Checker, node: YamlMap, key: str, prefix: str) -> bool | None:
    value = c.text(node, key, prefix, max_length=10)
    if value is None:
        return None
    if value.lower() not in ("true", "false"):
        c.error(node.lines[key], prefix + key, f"'{value}' must be true or false")
        return None
    return value.lower() == "true"


def _number(text: str) -> float | None:
    text = text.replace("_", "")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def parse_value(
    metric: Metric, text: str, *, hidden: bool = False
) -> tuple[Value | None, str | None]:
    """A figure typed by its metric, or the reason it is not one.

    `hidden`: the text is a private figure, so the reason never repeats it (a problem is printed
    in CI logs and shown as a public annotation on GitHub).
    """
    quoted, bare = ("the private figure",) * 2 if hidden else (f"'{text}'", text)
    if metric.type is MetricType.BOOLEAN:
        if text.lower() in _BOOLEANS:
            return _BOOLEANS[text.lower()], None
        return None, f"{quoted} is not true or false"
    if metric.type is MetricType.CHOICE:
        if text in metric.choices:
            return text, None
        return None, f"{quoted} is not one of {', '.join(metric.choices)}"
    value: int | float
    if metric.type is MetricType.INTEGER:
        if not _INTEGER.fullmatch(text):
            return None, f"{quoted} is not a whole number"
        value = int(text)
    else:
        number = _number(text)
        if number is None:
            return None, f"{quoted} is not a number (write 1234.5, no currency or separators)"
        value = number
    if metric.minimum is not None and value < metric.minimum:
        return None, f"{bare} is below the minimum {plain_number(metric.minimum)}"
    if metric.maximum is not None and value > metric.maximum:
        return None, f"{bare} is above the maximum {plain_number(metric.maximum)}"
    return value, None


def _levels(c: _Checker, root: YamlMap, metrics: dict[str, Metric]) -> tuple[Level, ...]:
    node = c.sequence(root, "levels")
    if node is None:
        return ()
    if not MIN_LEVELS <= len(node.items) <= MAX_LEVELS:
        c.error(
            root.lines["levels"],
            "levels",
            f"{len(node.items)} levels; declare {MIN_LEVELS} to {MAX_LEVELS}, lowest first",
        )
    levels: list[Level] = []
    seen: set[str] = set()
    for index, (line, spec) in enumerate(node.pairs()):
        prefix = f"levels[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"levels[{index}]", f"must be a mapping, not {_kind(spec)}")
            continue
        c.keys(spec, ["id", "name", "colour", "description", "benefits", "criteria"], prefix)
        level_id = c.text(spec, "id", prefix, max_length=40)
        if level_id is not None:
            if not _SLUG.fullmatch(level_id):
                c.error(spec.lines["id"], prefix + "id", "lowercase letters, digits and hyphens")
            elif level_id in seen:
                c.error(spec.lines["id"], prefix + "id", f"'{level_id}' is declared twice")
            seen.add(level_id)
        name = c.text(spec, "name", prefix, max_length=40)
        colour = c.text(spec, "colour", prefix, max_length=7)
        if colour is not None and not _COLOUR.fullmatch(colour):
            c.error(spec.lines["colour"], prefix + "colour", f"'{colour}' is not #rrggbb")
        description = c.text(spec, "description", prefix, max_length=1000, multiline=True) or ""
        benefits = [b for _, b in c.strings(spec, "benefits", prefix, required=False)]
        criteria_node = c.mapping(spec, "criteria", prefix, required=False)
        criteria: tuple[Criterion, ...] = ()
        if index == 0 and criteria_node is not None and criteria_node.items:
            c.error(spec.lines["criteria"], prefix + "criteria", "the lowest level has none")
        elif index > 0 and not (criteria_node and criteria_node.items):
            c.error(spec.line, prefix + "criteria", "every level above the lowest needs criteria")
        elif criteria_node is not None:
            criteria = _criteria(c, criteria_node, prefix + "criteria.", metrics)
        if level_id and name and colour and _COLOUR.fullmatch(colour):
            levels.append(
                Level(level_id, name, index, colour.lower(), description, tuple(benefits), criteria)
            )
    return tuple(levels)


def _criteria(
    c: _Checker, node: YamlMap, prefix: str, metrics: dict[str, Metric]
) -> tuple[Criterion, ...]:
    result: list[Criterion] = []
    for metric_id, spec in node.items.items():
        line = node.lines[metric_id]
        metric = metrics.get(metric_id)
        if metric is None:
            c.error(
                line, prefix + metric_id, "is not a declared metric" + _suggest(metric_id, metrics)
            )
            continue
        if not isinstance(spec, YamlMap) or len(spec.items) != 1:
            c.error(line, prefix + metric_id, "write one of {min: X}, {max: X} or {equals: V}")
            continue
        op_text, raw = next(iter(spec.items.items()))
        op_line = spec.lines[op_text]
        if op_text not in ("min", "max", "equals"):
            c.error(op_line, f"{prefix}{metric_id}.{op_text}", "use min, max or equals")
            continue
        op = Op(op_text)
        numeric = metric.type not in (MetricType.CHOICE, MetricType.BOOLEAN)
        if op is Op.EQUALS and not metric.public and numeric:
            c.error(
                op_line,
                f"{prefix}{metric_id}.{op_text}",
                "a private figure is judged by min or max: equals, once met, reveals it",
            )
            continue
        if op is not Op.EQUALS and not numeric:
            c.error(
                op_line,
                f"{prefix}{metric_id}.{op_text}",
                f"{metric.type} metrics take equals, not {op_text}",
            )
            continue
        if not isinstance(raw, str):
            c.error(op_line, f"{prefix}{metric_id}.{op_text}", "needs a value")
            continue
        target, reason = parse_value(metric, raw.strip())
        if target is None:
            c.error(op_line, f"{prefix}{metric_id}.{op_text}", reason or "invalid")
            continue
        result.append(Criterion(metric_id, op, target))
    return tuple(result)


def _terms(c: _Checker, root: YamlMap, key: str, *, required: bool) -> tuple[Term, ...]:
    node = c.sequence(root, key, required=required)
    terms: list[Term] = []
    seen: set[str] = set()
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"{key}[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"{key}[{index}]", "write {id: ..., name: ...}")
            continue
        c.keys(spec, ["id", "name", "description"], prefix)
        term_id = c.text(spec, "id", prefix, max_length=40)
        name = c.text(spec, "name", prefix, max_length=60)
        description = c.text(spec, "description", prefix, required=False, max_length=300) or ""
        if term_id is None or name is None:
            continue
        if not _SLUG.fullmatch(term_id):
            c.error(spec.lines["id"], prefix + "id", "lowercase letters, digits and hyphens")
        elif term_id in seen:
            c.error(spec.lines["id"], prefix + "id", f"'{term_id}' is declared twice")
        else:
            seen.add(term_id)
            terms.append(Term(term_id, name, description))
    return tuple(terms)


def _country(c: _Checker, line: int, field: str, code: str) -> bool:
    if countries.is_country(code):
        return True
    c.error(
        line,
        field,
        f"'{code}' is not an ISO 3166-1 alpha-2 country code"
        + _suggest(code, countries.all_countries()),
    )
    return False


def _regions(
    c: _Checker, root: YamlMap, metrics: dict[str, Metric], levels: tuple[Level, ...]
) -> tuple[Region, ...]:
    node = c.sequence(root, "regions", required=False)
    regions: list[Region] = []
    owner: dict[str, str] = {}
    level_ids = [level.id for level in levels]
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"regions[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"regions[{index}]", f"must be a mapping, not {_kind(spec)}")
            continue
        c.keys(spec, ["id", "name", "description", "countries", "adjustments"], prefix)
        region_id = c.text(spec, "id", prefix, max_length=40)
        name = c.text(spec, "name", prefix, max_length=60)
        description = c.text(spec, "description", prefix, required=False, max_length=500) or ""
        codes: list[str] = []
        for code_line, code in c.strings(spec, "countries", prefix):
            if not _country(c, code_line, prefix + "countries", code):
                continue
            if code in owner:
                c.error(
                    code_line,
                    prefix + "countries",
                    f"{code} is already in region '{owner[code]}'; a country is in one region",
                )
                continue
            owner[code] = region_id or "?"
            codes.append(code)
        adjustments: dict[str, tuple[Criterion, ...]] = {}
        adjust_node = c.mapping(spec, "adjustments", prefix, required=False)
        for level_id, criteria in adjust_node.items.items() if adjust_node else ():
            field = f"{prefix}adjustments.{level_id}"
            level_line = adjust_node.lines[level_id] if adjust_node else line
            if level_id not in level_ids[1:]:
                c.error(
                    level_line,
                    field,
                    "is not a level with criteria" + _suggest(level_id, level_ids),
                )
            elif not isinstance(criteria, YamlMap):
                c.error(level_line, field, f"must be a mapping, not {_kind(criteria)}")
            else:
                adjustments[level_id] = _criteria(c, criteria, field + ".", metrics)
        if region_id and name:
            if any(r.id == region_id for r in regions):
                c.error(spec.lines["id"], prefix + "id", f"'{region_id}' is declared twice")
            regions.append(Region(region_id, name, tuple(sorted(codes)), adjustments, description))
    return tuple(regions)


def _caps(
    c: _Checker,
    root: YamlMap,
    metrics: dict[str, Metric],
    levels: tuple[Level, ...],
    regions: tuple[Region, ...],
) -> tuple[Cap, ...]:
    node = c.sequence(root, "caps", required=False)
    caps: list[Cap] = []
    level_ids = [level.id for level in levels]
    region_ids = [region.id for region in regions]
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"caps[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"caps[{index}]", f"must be a mapping, not {_kind(spec)}")
            continue
        c.keys(spec, ["level", "country", "region", "count", "share", "rank_by"], prefix)
        level = c.text(spec, "level", prefix, max_length=40)
        ok = level is not None
        if level is not None and level not in level_ids[1:]:
            c.error(
                spec.lines["level"],
                prefix + "level",
                f"'{level}' is not a level above the lowest" + _suggest(level, level_ids),
            )
            ok = False
        country = c.text(spec, "country", prefix, required=False, max_length=2)
        region = c.text(spec, "region", prefix, required=False, max_length=40)
        if (country is None) == (region is None):
            c.error(spec.line, prefix + "country", 'give either country (a code or "*") or region')
            ok = False
        elif country is not None and country != "*":
            ok = _country(c, spec.lines["country"], prefix + "country", country) and ok
        elif region is not None and region not in region_ids:
            c.error(
                spec.lines["region"],
                prefix + "region",
                f"'{region}' is not a declared region" + _suggest(region, region_ids),
            )
            ok = False
        count_text = c.text(spec, "count", prefix, required=False, max_length=10)
        share_text = c.text(spec, "share", prefix, required=False, max_length=10)
        count: int | None = None
        share: float | None = None
        if (count_text is None) == (share_text is None):
            c.error(spec.line, prefix + "count", "give either count (partners) or share (0 to 1)")
            ok = False
        elif count_text is not None:
            if _INTEGER.fullmatch(count_text) and int(count_text) >= 1:
                count = int(count_text)
            else:
                c.error(
                    spec.lines["count"],
                    prefix + "count",
                    f"'{count_text}' is not a whole number of at least 1",
                )
                ok = False
        elif share_text is not None:
            share = _number(share_text)
            if share is None or not 0 < share <= 1:
                c.error(
                    spec.lines["share"],
                    prefix + "share",
                    f"'{share_text}' is not a share between 0 and 1 (0.25 is 25%)",
                )
                ok = False
        rank_by = []
        for rank_line, metric_id in c.strings(spec, "rank_by", prefix):
            if metric_id in metrics and not metrics[metric_id].public:
                c.error(
                    rank_line,
                    prefix + "rank_by",
                    f"'{metric_id}' is private: caps rank by published figures, so a partner "
                    "held below a level can see why",
                )
                ok = False
            elif metric_id in metrics:
                rank_by.append(metric_id)
            else:
                c.error(
                    rank_line,
                    prefix + "rank_by",
                    f"'{metric_id}' is not a declared metric" + _suggest(metric_id, metrics),
                )
                ok = False
        if ok and level is not None:
            caps.append(Cap(level, country, region, count, share, tuple(rank_by)))
    return tuple(caps)


def _review(c: _Checker, root: YamlMap) -> ReviewRules | None:
    node = c.mapping(root, "review")
    if node is None:
        return None
    c.keys(node, ["grace_days", "entry_expiry_days"], "review.")
    values = []
    for key in ("grace_days", "entry_expiry_days"):
        text = c.text(node, key, "review.", max_length=6)
        if text is not None and not (text.isdigit() and int(text) <= 3650):
            c.error(node.lines[key], "review." + key, f"'{text}' is not a number of days (0-3650)")
            text = None
        values.append(int(text) if text is not None else None)
    if values[0] is None or values[1] is None:
        return None
    return ReviewRules(values[0], values[1])


# --- partners/<id>.yaml ---------------------------------------------------------------------


def validate_partner(
    file: YamlFile, program: Program | None, raw: RawContent, problems: list[Problem]
) -> Partner | None:
    partner_id = _file_id(file.path)
    c = _Checker(file.path, problems)
    before = len(problems)
    if not ID_PATTERN.fullmatch(partner_id):
        c.error(
            1,
            "id",
            f"the file name '{partner_id}' is not a valid id: use lowercase letters, "
            "digits and hyphens (acme-digital.yaml)",
        )
    elif partner_id in RESERVED_IDS:
        c.error(1, "id", f"'{partner_id}' is reserved for a page of the site; choose another name")
    root = file.root
    if root is None:
        return None
    for key, line in root.lines.items():
        if key in PROGRAMME_OWNED:
            c.error(
                line,
                key,
                "is set by the programme, not in a partner file: levels and "
                "figures are computed from the reviews",
            )
        elif key not in FIELDS_BY_NAME:
            c.error(line, key, "unknown key" + _suggest(key, FIELDS_BY_NAME))
    values: dict[str, object] = {}
    for spec in PARTNER_FIELDS:
        values[spec.name] = _partner_field(c, root, spec, program, raw, partner_id)
    if len(problems) > before:
        return None

    def strings(name: str) -> tuple[str, ...]:
        value = values[name]
        return tuple(value) if isinstance(value, list) else ()

    def text(name: str) -> str | None:
        value = values[name]
        return value if isinstance(value, str) else None

    return Partner(
        id=partner_id,
        name=text("name") or "",
        website=text("website") or "",
        description=text("description") or "",
        countries=strings("countries"),
        programs=strings("programs"),
        services=strings("services"),
        industries=strings("industries"),
        languages=strings("languages"),
        contact=text("contact"),
        maintainers=strings("maintainers"),
        logo=text("logo"),
        source=file.path,
    )


def _partner_field(
    c: _Checker,
    root: YamlMap,
    spec: Field,
    program: Program | None,
    raw: RawContent,
    partner_id: str,
) -> object:
    if spec.kind is Kind.LIST:
        return _partner_list(c, root, spec, program)
    value = c.text(
        root,
        spec.name,
        required=spec.required,
        max_length=spec.max_length,
        multiline=spec.kind is Kind.MARKDOWN,
    )
    if value is None:
        return None
    line = root.lines[spec.name]
    if spec.kind is Kind.URL:
        problem = url_problem(value, spec.schemes)
        if problem:
            c.error(line, spec.name, problem)
            return None
    elif spec.kind is Kind.FILENAME:
        problem = logo_problem(value, raw, partner_id)
        if problem:
            c.error(line, spec.name, problem)
            return None
    return value


def logo_problem(name: str, raw: RawContent, partner_id: str) -> str | None:
    """Why `name` is not a usable logo file beside the partner file (None when it is)."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"'{name}' is an absolute path; give the file name beside the partner file"
    if ".." in name.split("/") or ".." in name.split("\\"):
        return f"'{name}' leaves content/partners/; give the file name beside the partner file"
    if "/" in name or "\\" in name:
        return f"'{name}' is in a subfolder; put the logo beside the partner file"
    if not name.lower().endswith(LOGO_SUFFIXES):
        return f"'{name}' must be an .svg, .png or .webp file"
    # A logo belongs to one listing, by its name: no listing can claim, and then rewrite,
    # another partner's logo file (nor CODEOWNERS hand it over).
    own = [partner_id + suffix for suffix in LOGO_SUFFIXES]
    if name not in own:
        return (
            f"'{name}' is not this listing's own logo: name the file {', '.join(own[:-1])} "
            f"or {own[-1]}"
        )
    info = raw.files.get(name)
    if info is None:
        return f"'{name}' does not exist in content/partners/"
    if info.is_link:
        return f"'{name}' is a symbolic link; commit the logo file itself"
    if not info.is_file:
        return f"'{name}' is not a file"
    if info.size > MAX_LOGO_BYTES:
        return f"'{name}' is {info.size:,} bytes; the limit is {MAX_LOGO_BYTES:,} bytes"
    if name.lower().endswith(".svg"):
        problem = svg_problem(info.svg_text or "")
        if problem:
            return f"'{name}' {problem}; use a plain SVG"
    return None


def _partner_list(c: _Checker, root: YamlMap, spec: Field, program: Program | None) -> list[str]:
    value = root.items.get(spec.name)
    if value is None and spec.name not in root.items and not spec.required:
        return []
    entries = c.strings(root, spec.name, required=spec.required)
    if spec.name in root.items and isinstance(value, YamlList):
        if spec.min_items and len(value.items) < spec.min_items:
            c.error(value.line, spec.name, f"list at least {spec.min_items}")
        if spec.max_items and len(value.items) > spec.max_items:
            c.error(value.line, spec.name, f"{len(value.items)} entries; at most {spec.max_items}")
    result: list[str] = []
    terms = (Item.PROGRAM, Item.SERVICE, Item.INDUSTRY)
    allowed = vocabulary(program, spec.item) if program and spec.item in terms else None
    for line, entry in entries:
        if spec.item is Item.HANDLE:
            if not HANDLE_PATTERN.fullmatch(entry):
                c.error(line, spec.name, f"'{entry}' is not a GitHub handle")
                continue
            entry = entry if entry.startswith("@") else "@" + entry
        elif spec.item is Item.COUNTRY:
            if not _country(c, line, spec.name, entry):
                continue
        elif spec.item is Item.LANGUAGE:
            if not countries.is_language(entry):
                c.error(
                    line,
                    spec.name,
                    f"'{entry}' is not an ISO 639-1 language code"
                    + _suggest(entry.lower(), countries.all_languages()),
                )
                continue
        elif allowed is not None and entry not in allowed:
            c.error(
                line,
                spec.name,
                f"'{entry}' is not in the programme's list: "
                + ", ".join(sorted(allowed))
                + _suggest(entry, allowed),
            )
            continue
        if entry in result:
            c.error(line, spec.name, f"'{entry}' is listed twice")
            continue
        result.append(entry)
    return result


# --- reviews/<date>.csv ---------------------------------------------------------------------


def validate_review(
    file: CsvFile, program: Program, problems: list[Problem], *, private_plain: bool = False
) -> list[ReviewRow]:
    """The rows of a review file. A private metric's cell is sealed (DESIGN: no private figure
    in git), or with `private_plain` a plain figure: the programme team's own export, which
    `seal` turns into a review file. No problem repeats a private cell."""
    name = PurePosixPath(file.path.replace("\\", "/")).stem
    try:
        review_date = date.fromisoformat(name)
    except ValueError:
        problems.append(Problem(file.path, 0, "", f"'{name}' is not a real date (YYYY-MM-DD)"))
        return []
    if not file.rows:
        problems.append(Problem(file.path, 1, "", "empty: the header is partner,country,<metrics>"))
        return []
    c = _Checker(file.path, problems)
    header_line, header = file.rows[0]
    if list(header[:2]) != ["partner", "country"]:
        c.error(header_line, "header", "must start with partner,country")
        return []
    columns: list[Metric | None] = []
    for column in header[2:]:
        metric = program.metrics.get(column)
        if metric is None:
            c.error(
                header_line, column, "is not a declared metric" + _suggest(column, program.metrics)
            )
        elif metric in columns:
            c.error(header_line, column, "appears twice in the header")
            metric = None
        columns.append(metric)
    rows: list[ReviewRow] = []
    seen: dict[str, int] = {}
    targets: dict[tuple[str, str], _Targets] = {}
    for line, cells in file.rows[1:]:
        if len(cells) != len(header):
            c.error(line, "row", f"{len(cells)} cells; the header has {len(header)}")
            continue
        partner_id, country = cells[0], cells[1]
        ok = True
        if not ID_PATTERN.fullmatch(partner_id):
            c.error(line, "partner", f"'{partner_id}' is not a partner id")
            ok = False
        elif partner_id in seen:
            c.error(line, "partner", f"'{partner_id}' already has a row on line {seen[partner_id]}")
            ok = False
        seen.setdefault(partner_id, line)
        known_country = _country(c, line, "country", country)
        ok = known_country and ok
        figures: dict[str, Figure | None] = {}
        for metric, cell in zip(columns, cells[2:], strict=True):
            if metric is None or not cell:
                continue
            value: Figure | None
            if metric.public:
                value, reason = parse_value(metric, cell)
            elif private_plain:
                value, reason = parse_value(metric, cell, hidden=True)
            else:
                value, reason = _sealed_cell(cell)
            if value is None:
                c.error(line, metric.id, reason or "invalid")
                ok = False
            figures[metric.id] = value
        if known_country:
            ok = _seals_decide(c, line, program, country, figures, targets) and ok
        if ok:
            rows.append(ReviewRow(partner_id, review_date, country, figures, file.path, line))
    return rows


_RESEAL = "seal the reviews again (`python build.py seal`)"


def _sealed_cell(cell: str) -> tuple[Sealed | None, str | None]:
    """A committed private cell's seal, or why it is none. The cell itself is never repeated:
    it may be the figure."""
    if _INTEGER.fullmatch(cell) or _number(cell) is not None:
        return None, (
            "a private figure must not be committed: keep it in your private reviews and run "
            "`python build.py seal`"
        )
    sealed = Sealed.parse(cell)
    if sealed is None:
        return None, (
            "the cell is not a sealed figure (it is not shown here: it may be private): write "
            "one or two bounds such as >=200000 <500000, or run `python build.py seal`"
        )
    return sealed, None


#: The criteria of every level on one metric in one country, and their targets.
_Targets = tuple[tuple[tuple[Level, Criterion], ...], frozenset[Value]]


def _seals_decide(
    c: _Checker,
    line: int,
    program: Program,
    country: str,
    figures: dict[str, Figure | None],
    cache: dict[tuple[str, str], _Targets],
) -> bool:
    """Whether each seal tells met or not yet for every criterion of every level on its metric
    in `country` (regional ones applied), and names no other target, which would say more."""
    ok = True
    for metric_id, value in figures.items():
        if not isinstance(value, Sealed):
            continue
        key = (metric_id, country)
        if key not in cache:
            applying = tuple(
                (level, criterion)
                for level in program.levels[1:]
                for criterion in program.criteria_for(level, country)
                if criterion.metric == metric_id
            )
            cache[key] = (applying, frozenset(criterion.target for _, criterion in applying))
        applying, thresholds = cache[key]
        decided = True
        for level, criterion in applying:
            if value.decides(criterion.op, criterion.target) is None:
                words = _criterion_words(criterion)
                c.error(
                    line,
                    metric_id,
                    f"the sealed figure does not tell whether {level.name}'s '{words}' is met: "
                    + _RESEAL,
                )
                decided = False
        if decided and any(bound not in thresholds for bound in value.bounds):
            c.error(
                line,
                metric_id,
                f"the sealed figure has a bound that is not a target of the criteria in "
                f"{country}, so it says more than met / not yet: {_RESEAL}",
            )
            decided = False
        ok = ok and decided
    return ok


def _criterion_words(criterion: Criterion) -> str:
    """'at least 300,000': a target of program.yaml, so public."""
    target = criterion.target
    if isinstance(target, bool | str):
        shown = str(target)
    elif float(target).is_integer():
        shown = f"{int(target):,}"
    else:
        shown = plain_number(target)
    words = {Op.MIN: "at least", Op.MAX: "at most", Op.EQUALS: "exactly"}[criterion.op]
    return f"{words} {shown}"


# --- the whole directory --------------------------------------------------------------------


def validate_content(
    raw: RawContent,
    today: date | None = None,
    *,
    partners_checked: tuple[list[Partner], list[Problem]] | None = None,
) -> tuple[Directory | None, list[Problem]]:
    """Every problem of every file; a Directory only when there is no error.

    Review rows dated after `today` are left out (with a warning), so a build for a past date
    shows the directory as it stood then. `partners_checked` gives the partner files' records
    and problems where the caller validated them already (in several processes).
    """
    problems = list(raw.problems)
    program = validate_program(raw.program, problems)
    if partners_checked is None:
        partners = [p for f in raw.partners if (p := validate_partner(f, program, raw, problems))]
    else:
        partners = partners_checked[0]
        problems += partners_checked[1]
    _check_id_collisions(raw.partners, problems)
    rows: list[ReviewRow] = []
    if program is not None:
        for review in raw.reviews:
            rows.extend(validate_review(review, program, problems))
    if today is not None:
        future = sorted({row.source for row in rows if row.date > today})
        for source in future:
            problems.append(warning(source, 0, "", f"dated after the build date {today}; ignored"))
        rows = [row for row in rows if row.date <= today]
    partner_ids = {_file_id(f.path) for f in raw.partners}
    for row in rows:
        if row.partner not in partner_ids:
            problems.append(
                warning(
                    row.source,
                    row.line,
                    "partner",
                    f"'{row.partner}' has no file partners/{row.partner}.yaml; not listed",
                )
            )
    # Any row naming the partner counts, valid or not: its errors are reported on their own.
    named = {cells[0] for review in raw.reviews for _, cells in review.rows[1:] if cells}
    for file in raw.partners:
        file_id = _file_id(file.path)
        if file_id not in named and file.root is not None and ID_PATTERN.fullmatch(file_id):
            problems.append(
                warning(
                    file.path,
                    1,
                    "",
                    "not yet reviewed: listed after the programme's first review of it",
                )
            )
    problems = sort_problems(problems)
    if program is None or any(p.is_error for p in problems):
        return None, problems
    listed = {p.id for p in partners}
    kept = sorted((r for r in rows if r.partner in listed), key=lambda r: (r.date, r.partner))
    dates = tuple(sorted({r.date for r in rows}))
    return Directory(
        program, tuple(sorted(partners, key=lambda p: p.id)), tuple(kept), dates
    ), problems


def _file_id(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _check_id_collisions(files: tuple[YamlFile, ...], problems: list[Problem]) -> None:
    """Two ids equal ignoring case would be one page on a case-insensitive file system."""
    by_folded: dict[str, str] = {}
    for file in sorted(files, key=lambda f: f.path):
        stem = _file_id(file.path)
        other = by_folded.setdefault(stem.casefold(), file.path)
        if other != file.path:
            problems.append(Problem(file.path, 1, "id", f"same id as {other}, ignoring case"))
