"""ISO codes and names: read from pycountry's data without building its objects."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pycountry
import pytest

from partnerdir import countries


def test_languages_are_read_from_the_iso_639_file_with_the_names_pycountry_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unused(_self: object) -> Iterator[object]:
        raise AssertionError("pycountry built its 7,900 language objects")

    countries._language_names.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(type(pycountry.languages), "__iter__", unused)
        names = dict(countries.all_languages())
    expected = {
        language.alpha_2: language.name.removesuffix(" (macrolanguage)")
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
    }
    assert names == expected
    assert len(names) > 180 and names["sw"] == "Swahili" and names["de"] == "German"


def test_countries_are_read_from_the_iso_3166_file_with_the_names_pycountry_gives() -> None:
    countries._country_names.cache_clear()
    expected = {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
    assert dict(countries.all_countries()) == expected
    assert countries.country_name("KR") == "South Korea" and countries.is_country("DE")


def test_the_tables_are_read_without_importing_pycountry() -> None:
    code = (
        "import sys; from partnerdir import countries; "
        "countries.all_countries(); countries.all_languages(); "
        "print('pycountry' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"
