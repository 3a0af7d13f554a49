"""The finder at 3,000 generated partners (issue 14, done when): what a view transfers, a list
on screen from first paint to results on a slow link, no page over 100 cards, axe clean on the
paged and searched pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import Site, Visit, expect, next_search, search_box
from conftest import visiting
from test_accessibility import severe_violations

from partnerdir.pages.paging import CARDS_PER_PAGE

pytestmark = pytest.mark.browser

#: Issue 14: home and a filter-only view at most 400 KB in total, a search after that 100 KB.
VIEW_LIMIT = 400_000
SEARCH_LIMIT = 100_000
#: Issue 14's slow link: 150 ms latency, 1.44 Mbit/s each way.
SLOW = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 180_000,
    "uploadThroughput": 180_000,
}


@pytest.fixture()
def scale_visit(
    browser: Any, generated_site: Site, screenshots: Path, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    """A fresh desktop-sized context on the generated 3,000-partner site."""
    yield from visiting(generated_site, browser, screenshots, request.node.name)


class Transfers:
    """Bytes (body and headers) of every response the page received, as the server sent them."""

    def __init__(self, page: Any) -> None:
        self.sizes: list[tuple[str, int]] = []
        page.on("requestfinished", self._add)

    def _add(self, request: Any) -> None:
        sizes = request.sizes()
        self.sizes.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def total(self, since: int = 0) -> int:
        return sum(size for _, size in self.sizes[since:])

    def report(self, since: int = 0) -> str:
        largest = sorted(self.sizes[since:], key=lambda s: -s[1])[:6]
        return ", ".join(f"{url.rsplit('/', 2)[-2:]}: {size:,}" for url, size in largest)


def settled(page: Any) -> None:
    """The first results are shown and the search engine is loaded for a later search."""
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^[\d,]+ .*partners?"))
    expect(page.locator("#search[data-preloaded]")).to_have_count(1)


@pytest.mark.parametrize("query", ["", "?country=DE&level=gold"], ids=["home", "de-gold"])
def test_a_view_and_a_search_after_it_transfer_little(scale_visit: Visit, query: str) -> None:
    page = scale_visit.new_page()
    transfers = Transfers(page)
    scale_visit.open(query, page)
    settled(page)
    view = transfers.total()
    assert not any("/pagefind/index/" in url for url, _ in transfers.sizes), "no index chunk"
    assert view <= VIEW_LIMIT, f"{query or 'home'}: {view:,} bytes: {transfers.report()}"
    before = len(transfers.sizes)
    with next_search(page):
        search_box(page).fill("health")
    expect(page.locator("#search-results .card-excerpt").first).to_be_visible()
    searched = transfers.total(before)
    assert searched <= SEARCH_LIMIT, f"search: {searched:,} bytes: {transfers.report(before)}"
    scale_visit.shot(page, f"{query or 'home'} then health")


#: Every animation frame from the list's first paint until the results are announced: is a
#: partner card visible, is the loading line shown.
_WATCH = """(() => {
  const frames = { list: 0, empty: 0, loading: 0 };
  window.__partnerdirFrames = frames;
  const visible = (node) => node.getClientRects().length > 0;
  const check = () => {
    const status = document.getElementById("search-status");
    if (document.getElementById("all-partners")) {
      frames.list += 1;
      const cards = document.querySelectorAll("#all-partners .card, #search-results .card");
      if (![...cards].some(visible)) frames.empty += 1;
      const loading = document.getElementById("search-loading");
      if (loading && visible(loading)) frames.loading += 1;
    }
    if (status && status.textContent) frames.done = true;
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();"""


def test_on_a_slow_link_a_list_stays_visible_until_the_results(scale_visit: Visit) -> None:
    page = scale_visit.new_page()
    cdp = scale_visit.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    page.add_init_script(_WATCH)
    page.goto(scale_visit.site.url("?country=DE&level=gold"), timeout=60_000)
    status = re.compile(r"^[\d,]+ Gold partners in Germany$")
    expect(page.get_by_role("status")).to_have_text(status, timeout=60_000)
    frames = page.evaluate("window.__partnerdirFrames")
    assert frames["done"] and frames["list"] > 10, frames
    assert frames["empty"] == 0, f"frames without a visible card: {frames}"
    assert frames["loading"] > 0, f"the loading line never showed: {frames}"
    scale_visit.shot(page, "slow link results")


def test_no_page_lists_more_than_a_page_of_cards(generated_site: Site) -> None:
    counts = {
        str(path.relative_to(generated_site.out)): path.read_text().count('<li class="card">')
        for path in generated_site.out.rglob("*.html")
    }
    assert counts["countries/us/index.html"] == CARDS_PER_PAGE
    assert "countries/us/page/2/index.html" in counts
    over = {path: n for path, n in counts.items() if n > CARDS_PER_PAGE}
    assert not over, over
    sitemap = (generated_site.out / "sitemap.xml").read_text()
    assert "/countries/us/page/2/</loc>" in sitemap and "/levels/silver/page/2/</loc>" in sitemap


@pytest.mark.parametrize(
    "path", ["countries/us/page/2/", "levels/silver/page/6/", "?country=DE&level=gold", "404"]
)
def test_the_finder_and_paged_pages_have_no_axe_violations(scale_visit: Visit, path: str) -> None:
    page = scale_visit.new_page()
    if path == "404":
        page.goto(scale_visit.site.url("no-such-page/"))
    else:
        scale_visit.open(path, page)
    if path.startswith("?"):
        settled(page)
    scale_visit.shot(page, path)
    problems = severe_violations(page)
    assert not problems, f"{path}:\n" + "\n".join(problems)
