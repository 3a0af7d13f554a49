"""The search index in parts (issue 15, memory at 50,000 partners): the example built again with
its index split into parts of a few profiles (PARTNERDIR_INDEX_PART_PROFILES, the setting for
tests), searched in the browser, finds the same partners as with one index.

Pagefind scores each part against its own word statistics, so the relevance order may differ
between one index and parts: the default order is compared as a set, and a sort that does not
depend on scores ("Name") as the same list.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import Site, Visit, expect, filter_select, result_names
from conftest import serving, visiting
from paths import BUILD_DATE, EXAMPLE

from partnerdir.output import search
from partnerdir.pipeline import BuildResult, build_site

pytestmark = pytest.mark.browser

#: Profiles per part: the example's 49 listed partners in 5 parts.
PART_PROFILES = 10

#: What the status says once a search has finished.
ANY_STATUS = re.compile(r"^(\d[\d,]* .*partners?\b|No partners found\b)")

#: Words found on many pages, on few, in one part only, a fallback ("isarx": Pagefind alone
#: finds every "is"), two words, and words found nowhere.
TERMS = ("analytics", "health", "cloud data", "harm", "isarx", "harmx", "security migration")


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example built with its index in parts, served like the `site` fixture's."""
    out = tmp_path_factory.mktemp("split") / "site"

    def build(base: str) -> BuildResult:
        os.environ[search.PART_PROFILES_ENV] = str(PART_PROFILES)
        try:
            return build_site(EXAMPLE, out, BUILD_DATE, base_url=base)
        finally:
            del os.environ[search.PART_PROFILES_ENV]

    with serving(out, build) as site:
        yield site


@pytest.fixture()
def split_visit(
    browser: Any, split_site: Site, screenshots: Path, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    yield from visiting(split_site, browser, screenshots, request.node.name)


def found(visit: Visit, query: str) -> tuple[str, list[str], int]:
    """The status with the Netherlands count of the Country filter, every result's name, and
    how many bundles of parts after the first it fetched, for the home page opened at `query`."""
    page = visit.new_page()
    bundles: set[str] = set()
    page.on(
        "requestfinished",
        lambda request: (
            bundles.add(request.url.split("/pagefind/parts/")[1].split("/")[0])
            if "/pagefind/parts/" in request.url
            else None
        ),
    )
    page.goto(visit.site.url(query))
    status = page.get_by_role("status")
    expect(status).to_have_text(ANY_STATUS)
    names = result_names(page)
    country = filter_select(page, "Country")
    netherlands = country.locator('option[value="NL"]').inner_text()
    said = status.inner_text()
    visit.shot(page, query)
    page.close()
    return f"{said} | NL: {netherlands}", names, len(bundles)


def test_a_split_site_has_its_parts_listed_for_the_browser(split_site: Site) -> None:
    data = json.loads(gzip.decompress((split_site.out / "finder/pages.json.gz").read_bytes()))
    assert data["parts"] == [f"pagefind/parts/{n}/" for n in range(1, 5)]
    for bundle in ["pagefind/", *data["parts"]]:
        assert (split_site.out / bundle / "pagefind.js").is_file()
    assert not (split_site.out / search.PART_SITE).exists()


@pytest.mark.parametrize("term", TERMS)
def test_parts_find_the_same_partners_as_one_index(
    visit: Visit, split_visit: Visit, term: str
) -> None:
    one_status, one_names, _ = found(visit, f"?q={term}")
    split_status, split_names, parts = found(split_visit, f"?q={term}")
    assert sorted(split_names) == sorted(one_names)
    assert split_status == one_status
    assert parts == 4, "every part after the first is merged"


@pytest.mark.parametrize("query", ["?q=analytics&sort=name", "?q=cloud&country=DE&sort=name"])
def test_an_order_without_scores_is_the_same_with_parts(
    visit: Visit, split_visit: Visit, query: str
) -> None:
    assert found(split_visit, query)[:2] == found(visit, query)[:2]
