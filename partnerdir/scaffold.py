"""`new <id>`: write a commented partner file, every field explained, for a partner to fill in."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from .content.loading import MAX_PROGRAM_BYTES, read_yaml
from .content.program import validate_program
from .content.schema import PARTNER_FIELDS, Field, Item, Kind, id_problem, vocabulary
from .model import Program
from .problems import PartnerdirError, Problem, UsageError
from .urls import Urls

SCHEMA_FILE = "partner.schema.json"
#: Vocabularies longer than this are not spelled out in the comments (countries, languages).
_LISTED_TERMS = 40
# A plain YAML scalar needs no quotes when it cannot be read as anything but this text.
_PLAIN = re.compile(r"[A-Za-z0-9][^#\[\]{},&*!|>'\"%`\x00-\x1f\x7f-\x9f\u2028\u2029]*")


def new_partner(content: Path, partner_id: str) -> Path:
    """Write content/partners/<id>.yaml from the scaffold; refuse a bad or existing id."""
    problem = id_problem(partner_id)
    if problem:
        raise UsageError(problem)
    partners = content / "partners"
    target = partners / f"{partner_id}.yaml"
    existing = {p.stem.casefold(): p for p in partners.glob("*.y*ml")} if partners.is_dir() else {}
    if partner_id in existing:
        raise UsageError(f"{existing[partner_id]} already exists: edit that file instead")
    program = _read_program(content)
    partners.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(scaffold_partner(partner_id, program))
    return target


def _read_program(content: Path) -> Program:
    problems: list[Problem] = []
    path = content / "program.yaml"
    if not path.is_file():
        raise UsageError(f"no {path}: run `new` in a directory repository (or use --content DIR)")
    program = validate_program(read_yaml(path, MAX_PROGRAM_BYTES, problems), problems)
    if program is None or any(p.is_error for p in problems):
        raise PartnerdirError(f"{path} has errors; run `python build.py check` for details")
    return program


def schema_url(program: Program) -> str:
    """Where the site publishes the JSON Schema of a partner file."""
    urls = Urls(program.site.base_url)
    return urls.absolute(urls.path(SCHEMA_FILE))


def scaffold_partner(partner_id: str, program: Program) -> str:
    """The partner file `new` writes: required fields empty, optional ones commented out.

    Nothing in it is a value yet, so an unedited scaffold fails the check on every required
    line instead of publishing the examples as a listing. Each required field shows its example
    as a commented line (`#   name: ...`) to copy; each optional field is one commented line
    holding its example, to uncomment and change.
    """
    lines = [
        f"# yaml-language-server: $schema={schema_url(program)}",
        f"# The listing of '{partner_id}' in the {program.site.title}.",
        "#",
        "# 1. Fill in every field marked (required): write your value after the colon,",
        "#    like the example above it.",
        "# 2. Optional fields start with '# '; remove that to use one, then change its value.",
        f"# 3. Check the file: python build.py check content/partners/{partner_id}.yaml",
        "# Your level is not set here: it is computed from the programme's verified figures.",
        "# Step by step, with a complete example: CONTRIBUTING.md",
    ]
    for spec in PARTNER_FIELDS:
        lines.append("")
        lines.extend(_field_lines(spec, partner_id, program))
    return "\n".join(lines) + "\n"


def _field_lines(spec: Field, partner_id: str, program: Program) -> list[str]:
    need = "required" if spec.required else "optional"
    about = f"{spec.name} ({need}): {spec.description}"
    if spec.max_length and spec.kind is not Kind.FILENAME:
        about += f" At most {spec.max_length:,} characters."
    if spec.max_items:
        least = f"{spec.min_items} to " if spec.min_items else "up to "
        about += f" {least.capitalize()}{spec.max_items} entries."
    if spec.item is Item.HANDLE:
        about += ' YAML reserves @ at the start of a value: write each handle in quotes, "@you".'
    terms = _terms(spec, program)
    if terms:
        about += f" Choose from: {terms}."
    comment = textwrap.wrap(about, 96, break_on_hyphens=False, break_long_words=False)
    lines = ["# " + comment[0]] + ["#   " + line for line in comment[1:]]
    example = _example_lines(spec, partner_id, program)
    if spec.required:
        lines.append("# Example:")
        lines += ["#   " + line for line in example]
        lines.append(f"{spec.name}:")
    else:
        lines += ["# " + line for line in example]
    return lines


def _terms(spec: Field, program: Program) -> str:
    if spec.item not in (Item.PROGRAM, Item.SERVICE, Item.INDUSTRY):
        return ""
    names = vocabulary(program, spec.item)
    if not names or len(names) > _LISTED_TERMS:
        return ""
    return ", ".join(f"{term} ({name})" if name != term else term for term, name in names.items())


def example_value(spec: Field, partner_id: str, program: Program) -> str | tuple[str, ...]:
    """The field's example, made valid for this programme and this partner id.

    Vocabulary examples come from the programme's own lists (another programme may not have
    'integrator'), and the logo example is named after the partner, as logos usually are.
    """
    if spec.kind is Kind.FILENAME:
        suffix = str(spec.example).rsplit(".", 1)[-1]
        return f"{partner_id}.{suffix}"
    if spec.item in (Item.PROGRAM, Item.SERVICE, Item.INDUSTRY):
        allowed = list(vocabulary(program, spec.item))
        wanted = [e for e in spec.example if e in allowed]
        return tuple(wanted or allowed[:1])
    return spec.example


def _example_lines(spec: Field, partner_id: str, program: Program) -> list[str]:
    value = example_value(spec, partner_id, program)
    if isinstance(value, tuple):
        return [f"{spec.name}: [{', '.join(_scalar(v) for v in value)}]"]
    if spec.kind is Kind.MARKDOWN:
        return [f"{spec.name}: |", *("  " + line for line in value.splitlines())]
    return [f"{spec.name}: {_scalar(value)}"]


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain where that reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and ": " not in text and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)
