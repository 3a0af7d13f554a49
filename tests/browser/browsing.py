"""What the browser tests do on the home page's search, by role and label as a person would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Listed:
    """A listed partner as the tests expect to see it (from the checked content)."""

    id: str
    name: str
    level: str
    level_name: str
    rank: int
    countries: tuple[str, ...]
    description: str
    #: Where the programme measures it (its latest review row): "based in" on country pages.
    home: str = ""


@dataclass(slots=True)
class Site:
    """The built example directory, served at `base` (http://127.0.0.1:PORT/partners/)."""

    base: str
    out: Path
    listed: tuple[Listed, ...]
    #: Level ids, highest first.
    levels: tuple[str, ...]

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def path(self, path: str = "") -> str:
        """The URL path a link on the site uses: "/partners/" + path."""
        return urlsplit(self.base).path + path.lstrip("/")

    def level_name(self, level_id: str) -> str:
        return next(p.level_name for p in self.listed if p.level == level_id)

    def partner(self, partner_id: str) -> Listed:
        return next(p for p in self.listed if p.id == partner_id)

    def in_expected_order(self, partners: list[Listed]) -> list[str]:
        """Names by level (highest first), then name: the order the issue asks for."""
        ordered = sorted(partners, key=lambda p: (-p.rank, p.name.casefold(), p.id))
        return [p.name for p in ordered]


@dataclass(slots=True)
class Visit:
    """One browser context for one test: requests off our server blocked, pages shot."""

    site: Site
    context: Any
    folder: Path
    test: str
    #: Every request outside the site (blocked unless to our own server), as "METHOD URL (where)".
    outside: list[str] = field(default_factory=list)
    #: Uncaught script errors, as "URL: message".
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    def new_page(self) -> Any:
        return self.context.new_page()

    def open(self, path: str, page: Any = None) -> Any:
        """Open a path of the site (in `page`, or a new page) and wait for it to load."""
        page = page or self.new_page()
        response = page.goto(self.site.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return page

    def shot(self, page: Any, name: str) -> Path:
        """A full-page screenshot: tests/.screenshots/<test>-<n>-<name>.png."""
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        test = re.sub(r"[^A-Za-z0-9_]+", "-", self.test).strip("-")
        path = self.folder / f"{test}-{self.shots:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@dataclass(slots=True)
class Served:
    """`partnerdir serve` running on its own copy of the example content (the `served` fixture)."""

    #: A browser context for the served address.
    visit: Visit
    content: Path
    out: Path
    #: What serve reported, in order: builds, profile updates, errors.
    reports: list[Any]


def expect(target: Any) -> Any:
    """Playwright's expect, imported on use: without Playwright the tests skip, not crash."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


#: Generous for a shared two-core machine; a search normally settles in well under a second.
TIMEOUT_MS = 15_000
SEARCH_LABEL = "Search by name, service or keyword"
RESULTS_LABEL = "Matching partners"
#: Result cards search.js adds at a time; the rest come with "Show more partners".
BATCH = 30


def found_text(count: int) -> str | re.Pattern[str]:
    """What the search status says for `count` results."""
    if count == 0:
        return re.compile(r"^No partners found\b")
    # "49 partners", "2 Gold partners in Germany", "1 partner matching “x”"
    return re.compile(rf"^{count:,} (.+ )?partners?( .*)?$")


def search_box(page: Any) -> Any:
    return page.get_by_label(SEARCH_LABEL)


def filter_select(page: Any, label: str) -> Any:
    return page.get_by_label(label, exact=True)


def open_search(visit: Any, query: str = "", count: int | None = None) -> Any:
    """Open the home page (with `query`, e.g. "?country=NL") and wait for its results."""
    page = visit.open(query)
    wait_found(page, len(visit.site.listed) if count is None else count)
    return page


def wait_found(page: Any, count: int) -> None:
    """Wait until the search says it found `count` partners and shows their first cards."""
    expect(page.get_by_role("status")).to_have_text(found_text(count))
    expect(result_items(page)).to_have_count(min(count, BATCH))


def result_items(page: Any) -> Any:
    return page.get_by_role("list", name=RESULTS_LABEL).get_by_role("listitem")


def result_names(page: Any) -> list[str]:
    """Every result's name in order, pressing "Show more partners" until all are shown."""
    more = page.get_by_role("button", name="Show more partners")
    while more.is_visible():
        before = result_items(page).count()
        more.click()
        expect(result_items(page)).not_to_have_count(before)
    results = page.get_by_role("list", name=RESULTS_LABEL)
    names: list[str] = results.get_by_role("heading", level=3).all_inner_texts()
    return names


def option_count(select: Any, value: str) -> int:
    """The count a filter shows beside one value: "Netherlands (5)" -> 5."""
    text = select.locator(f'option[value="{value}"]').inner_text()
    match = re.fullmatch(r".+ \((\d+)\)", text.strip())
    assert match, f"filter value {value!r} shows no count: {text!r}"
    return int(match.group(1))


class next_search:  # noqa: N801 (used as `with next_search(page): ...`)
    """Wait, after the block, for the search it started to finish and announce its results.

    search.js writes the status once per finished search (the newest one only), so a change
    of the status node marks the end, even when the new count equals the old one.
    """

    def __init__(self, page: Any) -> None:
        self.page = page

    def __enter__(self) -> None:
        self.page.evaluate(_ARM)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.page.wait_for_function("window.__partnerdirSearched === true")


_ARM = """() => {
  window.__partnerdirSearched = false;
  const status = document.querySelector('[role="status"]');
  new MutationObserver((_, observer) => {
    observer.disconnect();
    window.__partnerdirSearched = true;
  }).observe(status, { childList: true, characterData: true, subtree: true });
}"""
