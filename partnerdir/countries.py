"""ISO 3166-1 countries and ISO 639-1 languages: validity and display names."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import pycountry


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        # common_name where ISO's official short name is awkward ("Korea, Republic of")
        names[country.alpha_2] = getattr(country, "common_name", None) or country.name
    return names


@cache
def _language_names() -> dict[str, str]:
    # Read from pycountry's ISO 639-3 file, not through its objects: it would build and index
    # one for each of 7,900 languages (0.06 s, in every process that checks partner files) to
    # find the 184 with a two-letter code (0.015 s this way).
    database = pycountry.languages
    with open(database.filename, encoding="utf-8") as file:
        entries = json.load(file)[database.root_key or _ISO_639_3]
    # ISO 639 marks some names "(macrolanguage)"; a customer reads "Swahili", not that
    return {
        entry["alpha_2"]: entry["name"].removesuffix(" (macrolanguage)")
        for entry in entries
        if "alpha_2" in entry
    }


#: The list of languages in pycountry's ISO 639-3 file.
_ISO_639_3 = "639-3"


def is_country(code: str) -> bool:
    return code in _country_names()


def country_name(code: str) -> str:
    return _country_names().get(code, code)


def is_language(code: str) -> bool:
    return code in _language_names()


def language_name(code: str) -> str:
    return _language_names().get(code, code)


def all_countries() -> Mapping[str, str]:
    """Every ISO 3166-1 alpha-2 code and its display name."""
    return _read_only_countries()


def all_languages() -> Mapping[str, str]:
    """Every ISO 639-1 code and its English name."""
    return _read_only_languages()


@cache
def _read_only_countries() -> Mapping[str, str]:
    return MappingProxyType(_country_names())


@cache
def _read_only_languages() -> Mapping[str, str]:
    return MappingProxyType(_language_names())
