"""Validate program.yaml: the site, metrics, levels, vocabularies, regions, caps and review
rules, into a Program."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

from ..model import (
    Better,
    Cap,
    Criterion,
    Level,
    Metric,
    MetricType,
    Op,
    Program,
    Region,
    ReviewRules,
    Rules,
    RulesChange,
    SiteSettings,
    Term,
)
from ..problems import Problem
from .fields import INTEGER, FieldChecker, kind_of, parse_number, parse_value, suggest
from .loading import YamlFile
from .safety.links import url_problem
from .schema import HANDLE_PATTERN
from .yamltree import YamlList, YamlMap

MIN_LEVELS, MAX_LEVELS = 3, 5
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?$")
_METRIC_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The keys of program.yaml a rules file may give: the rules that change by date.
RULES_KEYS = ("levels", "regions", "caps")
_PROGRAM_KEYS = (
    "site",
    "metrics",
    "levels",
    "programs",
    "services",
    "industries",
    "regions",
    "caps",
    "review",
)
_LEVEL_KEYS = ("id", "name", "colour", "description", "benefits", "criteria")
#: Days between a change of the rules and the date it takes effect, unless program.yaml says.
DEFAULT_NOTICE_DAYS = 90


def validate_program(file: YamlFile, problems: list[Problem]) -> Program | None:
    """The programme, or None when program.yaml has an error (each one added to `problems`)."""
    root = file.root
    if root is None:
        return None
    before = len(problems)
    c = FieldChecker(file.path, problems)
    c.keys(root, _PROGRAM_KEYS)
    site = _site(c, root)
    metrics = _metrics(c, root)
    # what is declared but failed its own check: a reference to it says nothing more (one
    # mistake, one error), since the error on the declaration says what to fix
    failed = _declared(root, "metrics") - set(metrics)
    levels = _levels(c, root, metrics, failed)
    failed |= _declared(root, "levels") - {level.id for level in levels}
    programs = _terms(c, root, "programs", required=True)
    services = _terms(c, root, "services", required=False)
    industries = _terms(c, root, "industries", required=False)
    regions = _regions(c, root, metrics, levels, failed)
    failed |= _declared(root, "regions") - {region.id for region in regions}
    caps = _caps(c, root, metrics, levels, regions, failed)
    review = _review(c, root)
    if len(problems) > before or site is None or review is None:
        return None
    return Program(site, metrics, levels, programs, services, industries, regions, caps, review)


@dataclass(frozen=True, slots=True)
class DeclaredMetrics:
    """What a review file is checked against while program.yaml has an error: the metrics that
    are valid on their own, and the id of every metric declared, valid or not."""

    valid: Mapping[str, Metric]
    declared: frozenset[str]


def declared_metrics(file: YamlFile) -> DeclaredMetrics | None:
    """The metrics of a program.yaml that has an error elsewhere (or in some metrics): a review
    file's figures are still checked against those (one mistake, one error: their own problems
    were reported by validate_program, so they are not collected again). None when the file or
    its `metrics` cannot be read at all: then no column can be told a stranger."""
    root = file.root
    if root is None or not isinstance(root.items.get("metrics"), YamlMap):
        return None
    found: list[Problem] = []
    metrics = _metrics(FieldChecker(file.path, found), root)
    # a metric with any error of its own is left out, even where a record was made of it
    failed = {p.field.split(".")[1] for p in found if p.field.startswith("metrics.")}
    valid = {key: metric for key, metric in metrics.items() if key not in failed}
    return DeclaredMetrics(valid, frozenset(_declared(root, "metrics")))


def validate_rules_files(
    files: Sequence[YamlFile], program: Program | None, problems: list[Problem]
) -> Program | None:
    """The programme with its dated rules (content/rules/<date>.yaml, DESIGN: rules change by
    dated files), or None when a rules file has an error. Each file is read against the rules
    in force the day before its date: what it gives replaces them, what it omits stays."""
    before = len(problems)
    dated: list[tuple[date, YamlFile]] = []
    for file in files:
        name = PurePosixPath(file.path.replace("\\", "/")).stem
        try:
            dated.append((date.fromisoformat(name), file))
        except ValueError:
            problems.append(Problem(file.path, 0, "", f"'{name}' is not a real date (YYYY-MM-DD)"))
    changes: list[RulesChange] = []
    rules = program.rules if program is not None else None
    for day, file in sorted(dated, key=lambda pair: pair[0]):
        if file.root is None:
            continue  # not read: its error says why
        c = FieldChecker(file.path, problems)
        _rules_keys(c, file.root, RULES_KEYS, "", "a rules file gives levels, regions or caps")
        if program is None or rules is None:
            continue  # without a valid program.yaml only the keys can be checked
        changed = _rules(c, file.root, program, rules)
        if changed is not None:
            rules = changed
            changes.append(RulesChange(day, changed, file.path))
    if program is None or len(problems) > before:
        return None
    return replace(program, changes=tuple(changes)) if changes else program


def _rules(c: FieldChecker, root: YamlMap, program: Program, rules: Rules) -> Rules | None:
    """The rules in force from a rules file's date: `rules` with what the file gives."""
    if not root.items:
        c.error(root.line, "", "changes nothing: give levels, regions or caps")
        return None
    before = len(c.problems)
    metrics = dict(program.metrics)
    levels = rules.levels
    if "levels" in root.items:
        levels = _level_criteria(c, root, metrics, levels)
    regions = rules.regions
    if "regions" in root.items:
        # each region given replaces the one with its id, or joins them; the others stay
        given = {region.id: region for region in _regions(c, root, metrics, levels, set())}
        regions = tuple(given.pop(region.id, region) for region in regions)
        regions += tuple(given.values())
    caps = rules.caps
    if "caps" in root.items:
        caps = _caps(c, root, metrics, levels, regions, set())
    elif "regions" in root.items:
        kept = {region.id for region in regions}
        for cap in caps:
            if cap.region is not None and cap.region not in kept:
                c.error(
                    root.lines["regions"],
                    "regions",
                    f"a cap in force is on region '{cap.region}': give the caps too",
                )
    if len(c.problems) > before:
        return None
    return Rules(levels, regions, caps)


def _rules_keys(
    c: FieldChecker, node: YamlMap, allowed: Sequence[str], prefix: str, why: str
) -> None:
    """Unknown keys of a rules file: a key of program.yaml that does not change by date says
    so; any other gets a suggestion."""
    for key, line in node.lines.items():
        if key in allowed:
            continue
        if key in _PROGRAM_KEYS or key in _LEVEL_KEYS:
            c.error(line, prefix + key, f"does not change by date: {why}")
        else:
            c.error(line, prefix + key, "unknown key" + suggest(key, allowed))


def _level_criteria(
    c: FieldChecker, root: YamlMap, metrics: dict[str, Metric], levels: tuple[Level, ...]
) -> tuple[Level, ...]:
    """A rules file's `levels`: a list of `{id, criteria}`, each replacing the criteria of
    that level; the levels it does not name keep theirs (names and colours stay in
    program.yaml)."""
    node = c.sequence(root, "levels")
    criteria: dict[str, tuple[Criterion, ...]] = {}
    level_ids = [level.id for level in levels]
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"levels[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"levels[{index}]", "write {id: ..., criteria: {...}}")
            continue
        _rules_keys(c, spec, ("id", "criteria"), prefix, "names and texts stay in program.yaml")
        level_id = c.text(spec, "id", prefix, max_length=40)
        criteria_node = c.mapping(spec, "criteria", prefix)
        if level_id is None:
            continue
        if level_id not in level_ids[1:]:
            c.error(
                spec.lines["id"],
                prefix + "id",
                f"'{level_id}' is not a level above the lowest" + suggest(level_id, level_ids),
            )
        elif level_id in criteria:
            c.error(spec.lines["id"], prefix + "id", f"'{level_id}' is given twice")
        elif criteria_node is not None and not criteria_node.items:
            c.error(
                spec.lines["criteria"],
                prefix + "criteria",
                "a level above the lowest needs criteria",
            )
        elif criteria_node is not None:
            criteria[level_id] = _criteria(c, criteria_node, prefix + "criteria.", metrics, set())
    return tuple(
        replace(level, criteria=criteria[level.id]) if level.id in criteria else level
        for level in levels
    )


def _declared(root: YamlMap, key: str) -> set[str]:
    """The ids declared under `key` (a mapping's keys, or the `id` of each entry of a list),
    valid or not."""
    node = root.items.get(key)
    if isinstance(node, YamlMap):
        return set(node.items)
    if isinstance(node, YamlList):
        ids = (spec.items.get("id") for spec in node.items if isinstance(spec, YamlMap))
        return {i for i in ids if isinstance(i, str)}
    return set()


def _site(c: FieldChecker, root: YamlMap) -> SiteSettings | None:
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
    c: FieldChecker,
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


def _metrics(c: FieldChecker, root: YamlMap) -> dict[str, Metric]:
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
            c.error(line, f"metrics.{metric_id}", f"must be a mapping, not {kind_of(spec)}")
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
            bound = parse_number(raw) if raw is not None else None
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
    c: FieldChecker,
    node: YamlMap,
    key: str,
    prefix: str,
    allowed: list[str],
    *,
    required: bool = True,
) -> str | None:
    value = c.text(node, key, prefix, required=required, max_length=40)
    if value is not None and value not in allowed:
        c.error(
            node.lines[key],
            prefix + key,
            f"'{value}' is not one of {', '.join(allowed)}" + suggest(value, allowed),
        )
        return None
    return value


def _boolean_field(c: FieldChecker, node: YamlMap, key: str, prefix: str) -> bool | None:
    value = c.text(node, key, prefix, max_length=10)
    if value is None:
        return None
    if value.lower() not in ("true", "false"):
        c.error(node.lines[key], prefix + key, f"'{value}' must be true or false")
        return None
    return value.lower() == "true"


def _levels(
    c: FieldChecker, root: YamlMap, metrics: dict[str, Metric], failed: set[str]
) -> tuple[Level, ...]:
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
            c.error(line, f"levels[{index}]", f"must be a mapping, not {kind_of(spec)}")
            continue
        c.keys(spec, _LEVEL_KEYS, prefix)
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
            criteria = _criteria(c, criteria_node, prefix + "criteria.", metrics, failed)
        if level_id and name and colour and _COLOUR.fullmatch(colour):
            levels.append(
                Level(level_id, name, index, colour.lower(), description, tuple(benefits), criteria)
            )
    return tuple(levels)


def _criteria(
    c: FieldChecker, node: YamlMap, prefix: str, metrics: dict[str, Metric], failed: set[str]
) -> tuple[Criterion, ...]:
    result: list[Criterion] = []
    for metric_id, spec in node.items.items():
        line = node.lines[metric_id]
        metric = metrics.get(metric_id)
        if metric is None and metric_id in failed:
            continue  # the metric's own error says what to fix
        if metric is None:
            c.error(
                line, prefix + metric_id, "is not a declared metric" + suggest(metric_id, metrics)
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


def _terms(c: FieldChecker, root: YamlMap, key: str, *, required: bool) -> tuple[Term, ...]:
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


def _regions(
    c: FieldChecker,
    root: YamlMap,
    metrics: dict[str, Metric],
    levels: tuple[Level, ...],
    failed: set[str],
) -> tuple[Region, ...]:
    node = c.sequence(root, "regions", required=False)
    regions: list[Region] = []
    owner: dict[str, str] = {}
    level_ids = [level.id for level in levels]
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"regions[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"regions[{index}]", f"must be a mapping, not {kind_of(spec)}")
            continue
        c.keys(spec, ["id", "name", "description", "countries", "adjustments"], prefix)
        region_id = c.text(spec, "id", prefix, max_length=40)
        name = c.text(spec, "name", prefix, max_length=60)
        description = c.text(spec, "description", prefix, required=False, max_length=500) or ""
        codes: list[str] = []
        for code_line, code in c.strings(spec, "countries", prefix):
            if not c.country(code_line, prefix + "countries", code):
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
            if level_id in failed and level_id not in level_ids:
                continue  # the level's own error says what to fix
            if level_id not in level_ids[1:]:
                c.error(
                    level_line,
                    field,
                    "is not a level with criteria" + suggest(level_id, level_ids),
                )
            elif not isinstance(criteria, YamlMap):
                c.error(level_line, field, f"must be a mapping, not {kind_of(criteria)}")
            else:
                adjustments[level_id] = _criteria(c, criteria, field + ".", metrics, failed)
        if region_id and name:
            if any(r.id == region_id for r in regions):
                c.error(spec.lines["id"], prefix + "id", f"'{region_id}' is declared twice")
            regions.append(Region(region_id, name, tuple(sorted(codes)), adjustments, description))
    return tuple(regions)


def _caps(
    c: FieldChecker,
    root: YamlMap,
    metrics: dict[str, Metric],
    levels: tuple[Level, ...],
    regions: tuple[Region, ...],
    failed: set[str],
) -> tuple[Cap, ...]:
    node = c.sequence(root, "caps", required=False)
    caps: list[Cap] = []
    level_ids = [level.id for level in levels]
    region_ids = [region.id for region in regions]
    for index, (line, spec) in enumerate(node.pairs() if node else ()):
        prefix = f"caps[{index}]."
        if not isinstance(spec, YamlMap):
            c.error(line, f"caps[{index}]", f"must be a mapping, not {kind_of(spec)}")
            continue
        c.keys(spec, ["level", "country", "region", "count", "share", "rank_by"], prefix)
        level = c.text(spec, "level", prefix, max_length=40)
        ok = level is not None
        if level is not None and level in failed and level not in level_ids:
            ok = False  # the level's own error says what to fix
        elif level is not None and level not in level_ids[1:]:
            c.error(
                spec.lines["level"],
                prefix + "level",
                f"'{level}' is not a level above the lowest" + suggest(level, level_ids),
            )
            ok = False
        country = c.text(spec, "country", prefix, required=False, max_length=2)
        region = c.text(spec, "region", prefix, required=False, max_length=40)
        if _given(spec, "country") == _given(spec, "region"):
            c.error(spec.line, prefix + "country", 'give either country (a code or "*") or region')
            ok = False
        elif country is None and region is None:
            ok = False  # the one given has its own error
        elif country is not None and country != "*":
            ok = c.country(spec.lines["country"], prefix + "country", country) and ok
        elif region is not None and region in failed and region not in region_ids:
            ok = False  # the region's own error says what to fix
        elif region is not None and region not in region_ids:
            c.error(
                spec.lines["region"],
                prefix + "region",
                f"'{region}' is not a declared region" + suggest(region, region_ids),
            )
            ok = False
        count_text = c.text(spec, "count", prefix, required=False, max_length=10)
        share_text = c.text(spec, "share", prefix, required=False, max_length=10)
        count: int | None = None
        share: float | None = None
        if _given(spec, "count") == _given(spec, "share"):
            c.error(spec.line, prefix + "count", "give either count (partners) or share (0 to 1)")
            ok = False
        elif count_text is None and share_text is None:
            ok = False  # the one given has its own error
        elif count_text is not None:
            if INTEGER.fullmatch(count_text) and int(count_text) >= 1:
                count = int(count_text)
            else:
                c.error(
                    spec.lines["count"],
                    prefix + "count",
                    f"'{count_text}' is not a whole number of at least 1",
                )
                ok = False
        elif share_text is not None:
            share = parse_number(share_text)
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
            elif metric_id in failed:
                ok = False  # the metric's own error says what to fix
            else:
                c.error(
                    rank_line,
                    prefix + "rank_by",
                    f"'{metric_id}' is not a declared metric" + suggest(metric_id, metrics),
                )
                ok = False
        if ok and level is not None:
            caps.append(Cap(level, country, region, count, share, tuple(rank_by)))
    return tuple(caps)


def _review(c: FieldChecker, root: YamlMap) -> ReviewRules | None:
    node = c.mapping(root, "review")
    if node is None:
        return None
    c.keys(node, ["grace_days", "entry_expiry_days", "notice_days"], "review.")
    values = []
    for key in ("grace_days", "entry_expiry_days", "notice_days"):
        required = key != "notice_days"
        text = c.text(node, key, "review.", required=required, max_length=6)
        if text is not None and not (text.isdigit() and int(text) <= 3650):
            c.error(node.lines[key], "review." + key, f"'{text}' is not a number of days (0-3650)")
            text = None
        values.append(int(text) if text is not None else None)
    if values[0] is None or values[1] is None:
        return None
    notice = values[2] if values[2] is not None else DEFAULT_NOTICE_DAYS
    return ReviewRules(values[0], values[1], notice)


def _given(spec: YamlMap, key: str) -> bool:
    """Whether `key` has a value, valid or not: one mistake in it is one error, never also
    "give either"."""
    return spec.items.get(key) is not None
