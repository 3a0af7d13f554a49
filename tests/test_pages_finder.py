"""The finder's data files (pages/finder.py): bitsets per filter value over the partners'
places, sort orders, card data, and the map from Pagefind's results to places."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from factories import many_partners_site
from scanner import decoded

from partnerdir.pages.context import build_context
from partnerdir.pages.finder import bitset, finder_files, finder_pages_file
from partnerdir.pages.profile import search_data


def members(encoded: str) -> list[int]:
    bits = base64.b64decode(encoded)
    return [n for n in range(len(bits) * 8) if bits[n // 8] >> (n % 8) & 1]


@pytest.mark.parametrize(
    ("places", "size", "expected"),
    [([], 3, "AA=="), ([0], 8, "AQ=="), ([7, 8], 9, "gAE="), ([0, 1, 2, 3, 4, 5, 6, 7], 8, "/w==")],
)
def test_a_bitset_sets_bit_n_of_byte_n_div_8_lowest_first(
    places: list[int], size: int, expected: str
) -> None:
    assert bitset(places, size) == expected
    assert members(expected) == places


def unzipped(data: bytes) -> Any:
    return json.loads(gzip.decompress(data))


def test_the_files_hold_what_the_search_knows_of_each_partner() -> None:
    directory, evaluation, options = many_partners_site(23)
    ctx = build_context(directory, evaluation, options)
    files = finder_files(ctx)
    facets = unzipped(files["finder/facets.json.gz"])
    assert facets["count"] == len(ctx.listed) == 23
    for place, (partner, standing) in enumerate(ctx.listed):
        data = search_data(ctx, partner, standing)
        for field in data.filters:  # every filter value the profile gives Pagefind
            assert place in members(facets["facets"][field.name][field.value])
        card = json.loads(files[f"finder/cards/{place}.json"])
        assert card == {field.name: field.value for field in data.metas}
    gold = members(facets["facets"]["level"]["gold"])
    assert gold == [n for n, (_, s) in enumerate(ctx.listed) if s.level == "gold"]
    by_name = unzipped(files["finder/sort-name.json.gz"])
    names = [ctx.listed[place][0].name for place in by_name]
    assert sorted(by_name) == list(range(23)) and names == sorted(names)
    assert "finder/sort-level.json.gz" not in files  # the places are that order


def test_gzip_output_is_byte_identical() -> None:
    first = finder_files(build_context(*many_partners_site(5)))
    second = finder_files(build_context(*many_partners_site(5)))
    assert first == second


def test_pages_map_each_listed_partner_to_its_pagefind_result(example_site: Path) -> None:
    ids = {
        json.loads(decoded(path))["url"]: path.stem
        for path in (example_site / "pagefind" / "fragment").glob("*.pf_fragment")
    }
    pages = unzipped((example_site / "finder" / "pages.json.gz").read_bytes())
    listed = [record["id"] for record in json.loads((example_site / "partners.json").read_text())]
    cards = [
        json.loads((example_site / "finder" / "cards" / f"{n}.json").read_text())["href"]
        for n in range(len(listed))
    ]
    mapped = [pages["prefix"] + short for short in pages["pages"].split(" ")]
    # Pagefind's URLs are site-relative; the cards' links carry the base path
    assert mapped == [ids["/partners/" + href.split("/")[-2] + "/"] for href in cards]
    assert sorted(href.split("/")[-2] for href in cards) == sorted(listed)


def test_an_index_in_parts_lists_its_bundles_and_the_ids_two_parts_share() -> None:
    directory, evaluation, options = many_partners_site(5)
    ctx = build_context(directory, evaluation, options)
    urls = [f"/partners/{partner.id}/" for partner, _ in ctx.listed]
    ids = dict(zip(urls, ["en_a1", "en_b2", "en_a1", "en_c3", "en_d4"], strict=True))
    bundles = ["pagefind/", "pagefind/parts/1/"]
    pages = unzipped(finder_pages_file(ctx, ids, bundles)["finder/pages.json.gz"])
    assert pages == {
        "prefix": "en_",
        "pages": "a1 b2 a1 c3 d4",
        "parts": ["pagefind/parts/1/"],
        "shared": {"en_a1": {urls[0]: 0, urls[2]: 2}},
    }
    unique = dict(zip(urls, ["en_a1", "en_b2", "en_e5", "en_c3", "en_d4"], strict=True))
    assert "shared" not in unzipped(finder_pages_file(ctx, unique, bundles)["finder/pages.json.gz"])
    one = unzipped(finder_pages_file(ctx, unique)["finder/pages.json.gz"])
    assert one == {"prefix": "en_", "pages": "a1 b2 e5 c3 d4"}
