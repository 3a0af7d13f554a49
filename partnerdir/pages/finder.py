"""The finder's data for browsing without search words, written at build time: which partners
each filter value selects, each sort order, and each partner's card.

A partner is known by its place in the default order (level, then name), so a filter value is
a bitset over those places: at 3,000 partners every value of every filter fits in about 50 KB,
and the browser intersects and counts them without the search index (issue 14: a filter-only
view must not fetch the whole index). The card data are the Pagefind metas of the profile
(profile.search_data), so a card reads the same from either path.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections.abc import Iterable, Mapping

from .context import Context
from .profile import search_data

#: Where the files go, relative to the site root (search.js reads them from there).
FOLDER = "finder"


def finder_files(ctx: Context) -> dict[str, bytes]:
    """finder/facets.json.gz, finder/sort-<key>.json.gz per sort but the default, and
    finder/cards/<place>.json per listed partner."""
    data = [search_data(ctx, partner, standing) for partner, standing in ctx.listed]
    places: dict[str, dict[str, list[int]]] = {}
    for place, fields in enumerate(data):
        for field in fields.filters:
            places.setdefault(field.name, {}).setdefault(field.value, []).append(place)
    facets = {
        name: {value: bitset(members, len(data)) for value, members in values.items()}
        for name, values in places.items()
    }
    files = {f"{FOLDER}/facets.json.gz": _gzip({"count": len(data), "facets": facets})}
    place_of = {partner.id: place for place, (partner, _) in enumerate(ctx.listed)}
    for key, positions in ctx.positions.items():
        if key != "level":  # the default order is the places themselves
            order = sorted(positions, key=positions.__getitem__)
            files[f"{FOLDER}/sort-{key}.json.gz"] = _gzip([place_of[pid] for pid in order])
    for place, fields in enumerate(data):
        card = {field.name: field.value for field in fields.metas}
        files[f"{FOLDER}/cards/{place}.json"] = _json(card)
    return files


def finder_pages_file(ctx: Context, fragment_ids: Mapping[str, str]) -> dict[str, bytes]:
    """finder/pages.json.gz: Pagefind's result id of each place, so that a keyword search is
    filtered, counted and ordered with the same bitsets as browsing (and never loads
    Pagefind's own filter lists). The ids share a prefix ("en_"), written once."""
    ids = [fragment_ids.get(f"/partners/{partner.id}/", "") for partner, _ in ctx.listed]
    prefix = os.path.commonprefix([i for i in ids if i])
    short = " ".join(i[len(prefix) :] if i else "" for i in ids)
    return {f"{FOLDER}/pages.json.gz": _gzip({"prefix": prefix, "pages": short})}


def bitset(members: Iterable[int], size: int) -> str:
    """Base64 of a bitset of `size` bits, bit n (of byte n // 8, lowest bit first) set for
    each member."""
    bits = bytearray((size + 7) // 8)
    for n in members:
        bits[n // 8] |= 1 << (n % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


def _gzip(value: object) -> bytes:
    """Compressed JSON (search.js inflates it): the facets of 3,000 partners shrink from 65 KB
    to 20 KB. mtime 0 keeps builds byte-identical."""
    return gzip.compress(_json(value), mtime=0)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
