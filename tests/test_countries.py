"""ISO codes and names: read from pycountry's data without building its objects."""

from __future__ import annotations

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
