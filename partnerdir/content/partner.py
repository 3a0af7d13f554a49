"""Validate a partner file (partners/<id>.yaml): its id, its fields as PARTNER_FIELDS defines
them, its links and its logo, into a Partner."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from .. import countries
from ..model import Partner, Program
from ..problems import Problem
from .fields import FieldChecker, suggest
from .loading import RawContent, YamlFile
from .safety.links import url_problem
from .safety.logos import logo_problem
from .schema import (
    FIELDS_BY_NAME,
    HANDLE_PATTERN,
    PARTNER_FIELDS,
    PROGRAMME_OWNED,
    Field,
    Item,
    Kind,
    id_problem,
    vocabulary,
)
from .yamltree import YamlList, YamlMap, YamlValue


@dataclass(frozen=True, slots=True)
class PartnerFiles:
    """The partner files, each read and validated: the valid listings and every problem."""

    partners: tuple[Partner, ...]
    problems: tuple[Problem, ...]
    #: Paths of the files read as a YAML mapping, valid or not (the others have an error).
    parsed: frozenset[str]


def validate_partner(
    file: YamlFile, program: Program | None, raw: RawContent, problems: list[Problem]
) -> Partner | None:
    """The listing, or None when the file has an error (each one added to `problems`).

    `program` gives the vocabularies (None when program.yaml has errors: entries are then not
    checked against them); `raw` the files beside the partner files, for the logo.
    """
    partner_id = file_id(file.path)
    c = FieldChecker(file.path, problems)
    before = len(problems)
    if problem := id_problem(partner_id, file_name=True):
        c.error(1, "id", problem)
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
            c.error(line, key, "unknown key" + suggest(key, FIELDS_BY_NAME))
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
        summary=text("summary"),
        city=text("city"),
    )


def _partner_field(
    c: FieldChecker,
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
        problem = logo_problem(value, partner_id, raw.files)
        if problem:
            c.error(line, spec.name, problem)
            return None
    return value


def _partner_list(
    c: FieldChecker, root: YamlMap, spec: Field, program: Program | None
) -> list[str]:
    value = root.items.get(spec.name)
    if value is None and spec.name not in root.items and not spec.required:
        return []
    if isinstance(value, YamlList) and (valid := _valid_entries(value.items, spec, program)):
        return valid
    return _checked_entries(c, root, spec, program)


def _checked_entries(
    c: FieldChecker, root: YamlMap, spec: Field, program: Program | None
) -> list[str]:
    """The valid entries of a list field, one by one, and a problem for each other one."""
    value = root.items.get(spec.name)
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
            if not c.country(line, spec.name, entry):
                continue
        elif spec.item is Item.LANGUAGE:
            if not countries.is_language(entry):
                c.error(
                    line,
                    spec.name,
                    f"'{entry}' is not an ISO 639-1 language code"
                    + suggest(entry.lower(), countries.all_languages()),
                )
                continue
        elif allowed is not None and entry not in allowed:
            c.error(
                line,
                spec.name,
                f"'{entry}' is not in the programme's list: "
                + ", ".join(sorted(allowed))
                + suggest(entry, allowed),
            )
            continue
        if entry in result:
            c.error(line, spec.name, f"'{entry}' is listed twice")
            continue
        result.append(entry)
    return result


def _valid_entries(
    entries: list[YamlValue], spec: Field, program: Program | None
) -> list[str] | None:
    """The entries of a list field when they are as many as it allows, each valid and given
    once, as _partner_list gives them: a whole list checked at once, without a call per entry.
    None for any other list, which _partner_list then checks entry by entry (and says what is
    wrong)."""
    if len(entries) < spec.min_items or (spec.max_items and len(entries) > spec.max_items):
        return None
    try:
        distinct = set(entries)
    except TypeError:  # a mapping or a list among them
        return None
    if len(distinct) != len(entries):
        return None
    if spec.item is Item.HANDLE:
        handles: list[str] = []
        for entry in entries:
            if not isinstance(entry, str) or not HANDLE_PATTERN.fullmatch(entry):
                return None
            handles.append(entry if entry.startswith("@") else "@" + entry)
        return handles if len(set(handles)) == len(handles) else None
    if program is None:
        return None  # the vocabularies are unknown: each entry is checked as far as it can be
    # Every entry of a vocabulary is plain text without spaces around it: an entry found there
    # is one.
    known = vocabulary(program, spec.item).keys() if spec.item is not None else set()
    return [e for e in entries if isinstance(e, str)] if distinct <= known else None


@functools.lru_cache(maxsize=1 << 16)
def file_id(path: str) -> str:
    """A partner's id: its file's name without the suffix. Remembered: a check asks for each
    file's id four or five times, from loading to the cross-file rules."""
    return os.path.splitext(os.path.basename(path))[0]
