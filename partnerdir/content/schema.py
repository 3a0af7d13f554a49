"""The partner file's fields, defined once for validation, the JSON Schema and the scaffold."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..characters import CONTROL, INVISIBLE_BMP, NONCHARACTERS_BMP
from ..countries import all_countries, all_languages
from ..model import Program
from ..problems import printable


class Kind(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    URL = "url"
    LIST = "list"
    FILENAME = "filename"


class Item(StrEnum):
    """What each entry of a list field must be."""

    COUNTRY = "country"
    LANGUAGE = "language"
    PROGRAM = "program"
    SERVICE = "service"
    INDUSTRY = "industry"
    HANDLE = "handle"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    required: bool
    description: str
    example: str | tuple[str, ...]
    max_length: int = 0
    item: Item | None = None
    min_items: int = 0
    max_items: int = 0
    schemes: tuple[str, ...] = ()


PARTNER_FIELDS: tuple[Field, ...] = (
    Field("name", Kind.TEXT, True, "Your company's name as customers know it.",
          "Fjordline Data AS", max_length=100),
    Field("website", Kind.URL, True, "Your company's website.",
          "https://fjordline.example", max_length=300, schemes=("https", "http")),
    Field("logo", Kind.FILENAME, False,
          "Your logo beside this file, named after your id: <id>.svg, <id>.png or <id>.webp "
          "(at most 256 KiB).",
          "fjordline-data.svg", max_length=100),
    Field("summary", Kind.TEXT, False,
          "One line on what you do best, shown on your card in search results (no Markdown).",
          "Data platforms for Nordic retailers, from first sketch to 24/7 operations.",
          max_length=140),
    Field("description", Kind.MARKDOWN, True,
          "What you do for customers, in Markdown (no HTML). Shown on your profile and searched.",
          "We help Nordic retailers move their data to **Northwind**.", max_length=5000),
    Field("countries", Kind.LIST, True,
          "Countries you serve, as ISO 3166-1 alpha-2 codes (NO is Norway).",
          ("NO", "SE"), item=Item.COUNTRY, min_items=1, max_items=60),
    Field("city", Kind.TEXT, False, "The city of your head office, as customers know it.",
          "Bergen", max_length=60),
    Field("programs", Kind.LIST, True, "The partner programmes you take part in.",
          ("integrator",), item=Item.PROGRAM, min_items=1, max_items=10),
    Field("services", Kind.LIST, False, "Services you offer, from the programme's list.",
          ("implementation",), item=Item.SERVICE, max_items=20),
    Field("industries", Kind.LIST, False, "Industries you specialise in.",
          ("retail",), item=Item.INDUSTRY, max_items=20),
    Field("languages", Kind.LIST, False,
          "Languages you work in, as ISO 639-1 codes (en, nb, de).",
          ("nb", "en"), item=Item.LANGUAGE, max_items=20),
    Field("contact", Kind.URL, False, "Where customers reach you: a web page or mailto: address.",
          "mailto:partners@fjordline.example", max_length=300,
          schemes=("https", "http", "mailto")),
    Field("maintainers", Kind.LIST, True,
          "GitHub handles allowed to approve changes to this file.",
          ("@kari-nordmann",), item=Item.HANDLE, min_items=1, max_items=10),
)  # fmt: skip

FIELDS_BY_NAME = {f.name: f for f in PARTNER_FIELDS}

#: Keys a partner might try to set that only the programme decides.
PROGRAMME_OWNED = frozenset(
    {"level", "tier", "status", "figures", "metrics", "member_since", "level_since",
     "earned", "badge", "rank", "verified", "review", "reviews", "country"}
)  # fmt: skip

#: A partner id is the file name: it becomes a URL segment and must not shadow a page.
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED_IDS = frozenset(
    {"index", "pagefind", "static", "logos", "badges", "levels", "countries", "program",
     "stats", "page", "partners", "404", "sitemap", "robots", "changes", "search", "new"}
)  # fmt: skip


def id_problem(partner_id: str, *, file_name: bool = False) -> str | None:
    """Why `partner_id` cannot name a partner (None when it can): the one id rule, applied by
    the check to a partner file's name (`file_name`, which the message then names) and by
    `new` to the id it is given."""
    if not ID_PATTERN.fullmatch(partner_id):
        shown = printable(partner_id)
        named, example = (
            (f"the file name '{shown}'", "acme-digital.yaml")
            if file_name
            else (f"'{shown}'", "acme-digital")
        )
        return (
            f"{named} is not a valid id: use 1 to 64 lowercase letters, digits and hyphens, "
            f"starting and ending with a letter or digit ({example})"
        )
    if partner_id in RESERVED_IDS:
        return f"'{partner_id}' is reserved for a page of the site; choose another name"
    return None


HANDLE_PATTERN = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]+)?$")


def vocabulary(program: Program, item: Item) -> Mapping[str, str]:
    """Allowed values of a list item and their display names."""
    if item is Item.COUNTRY:
        return all_countries()
    if item is Item.LANGUAGE:
        return all_languages()
    terms = {
        Item.PROGRAM: program.programs,
        Item.SERVICE: program.services,
        Item.INDUSTRY: program.industries,
    }.get(item, ())
    return {t.id: t.name for t in terms}


def text_pattern(*, multiline: bool) -> str:
    """The check's character rules (`safety.characters.text_problem`) as a regex: some visible
    character, no control characters and no noncharacters, line breaks and invisible characters
    only where multiline (Markdown).

    Those above U+FFFF are left to the check: this regex dialect has no escape for them that
    both Python and an editor's JavaScript read.
    """
    bad = CONTROL + NONCHARACTERS_BMP + ("" if multiline else r"\n" + INVISIBLE_BMP)
    blank = r"\s" + CONTROL + NONCHARACTERS_BMP + INVISIBLE_BMP
    return rf"^[^{bad}]*[^{blank}][^{bad}]*$"


def url_pattern(schemes: tuple[str, ...]) -> str:
    """The link rules (`safety.links.url_problem`) as a regex: a host name for the web, an
    address for mail."""

    def any_case(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" for c in word)

    bad = r"\s" + CONTROL + INVISIBLE_BMP
    part = rf"[^{bad}/?#@:]+"
    rest = rf"(?:[/?#][^{bad}]*)?"
    choices = []
    web = [s for s in schemes if s in ("http", "https")]
    if web:
        scheme = "(?:" + "|".join(any_case(s) for s in web) + ")"
        choices.append(rf"{scheme}://(?:localhost|{part}\.{part})(?::[0-9]+)?{rest}")
    if "mailto" in schemes:
        choices.append(rf"{any_case('mailto')}:{part}@{part}\.{part}{rest}")
    return "^(?:" + "|".join(choices) + ")$"


def partner_json_schema(program: Program, schema_url: str = "") -> dict[str, Any]:
    """The JSON Schema of a partner file, from PARTNER_FIELDS and the programme's vocabularies."""
    properties: dict[str, Any] = {}
    for f in PARTNER_FIELDS:
        prop: dict[str, Any] = {"description": f.description}
        if f.kind is Kind.LIST:
            entry: dict[str, Any] = {"type": "string"}
            if f.item is Item.HANDLE:
                entry["pattern"] = HANDLE_PATTERN.pattern
            elif f.item is not None:
                entry["enum"] = sorted(vocabulary(program, f.item))
            prop.update(type="array", items=entry, uniqueItems=True)
            if f.min_items:
                prop["minItems"] = f.min_items
            if f.max_items:
                prop["maxItems"] = f.max_items
        else:
            prop["type"] = "string"
            prop["minLength"] = 1
            if f.max_length:
                prop["maxLength"] = f.max_length
            if f.kind is Kind.URL:
                prop["pattern"] = url_pattern(f.schemes)
            elif f.kind is Kind.FILENAME:
                prop["pattern"] = r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(svg|png|webp)$"
            else:
                prop["pattern"] = text_pattern(multiline=f.kind is Kind.MARKDOWN)
        prop["examples"] = [list(f.example) if isinstance(f.example, tuple) else f.example]
        properties[f.name] = prop
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Partner listing: {program.site.title}",
        "description": "One partner's listing. Levels and figures are not set here: "
        "they are computed from the programme's reviews.",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in PARTNER_FIELDS if f.required],
        "additionalProperties": False,
    }
    if schema_url:
        schema["$id"] = schema_url
    return schema
