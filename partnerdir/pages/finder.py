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
from collections.abc import Iterable, Mapping, Sequence

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


def finder_pages_file(
    ctx: Context, fragment_ids: Mapping[str, str], bundles: Sequence[str] = ()
) -> dict[str, bytes]:
    """finder/pages.json.gz: Pagefind's result id of each place, so that a keyword search is
    filtered, counted and ordered with the same bitsets as browsing (and never loads
    Pagefind's own filter lists). The ids share a prefix ("en_"), written once.

    An index built in parts (output.search.PART_PROFILES) has its `bundles` after the first
    listed in "parts" (the partner at place n is in part n % (1 + their number)), and the ids
    that two parts both gave, each to its own page, in "shared": id -> {page URL: place}, for
    the browser to tell apart by the URL of the result's fragment.
    """
    urls = [f"/partners/{partner.id}/" for partner, _ in ctx.listed]
    ids = [fragment_ids.get(url, "") for url in urls]
    prefix = os.path.commonprefix([i for i in ids if i])
    short = " ".join(i[len(prefix) :] if i else "" for i in ids)
    data: dict[str, object] = {"prefix": prefix, "pages": short}
    if len(bundles) > 1:
        data["parts"] = list(bundles[1:])
        places: dict[str, dict[str, int]] = {}
        for place, (url, page_id) in enumerate(zip(urls, ids, strict=True)):
            if page_id:
                places.setdefault(page_id, {})[url] = place
        shared = {page_id: found for page_id, found in places.items() if len(found) > 1}
        if shared:
            data["shared"] = shared
    return {f"{FOLDER}/pages.json.gz": _gzip(data)}


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
