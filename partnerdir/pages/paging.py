"""Long lists of cards cut into pages, and the short pager that links them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..wording import PAGER_WORDS, last_page_note
from .views import Pager, PagerLink

#: At most this many partner cards on a country or level page (issue 14: long pages).
CARDS_PER_PAGE = 100
#: Numbered links either side of the current page; the pager never lists every page.
PAGER_SPREAD = 2

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` cut into runs of `size`; an empty list is one empty page (a page always exists)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def short_pager(current: int, total: int, href: Callable[[int], str], label: str) -> Pager:
    """First, previous, the pages within PAGER_SPREAD of `current`, next and last; `label`
    names the pager for screen readers."""
    low = max(1, current - PAGER_SPREAD)
    high = min(total, current + PAGER_SPREAD)
    return Pager(
        current=current,
        total=total,
        first=href(1) if current > 1 else "",
        previous=href(current - 1) if current > 1 else "",
        next=href(current + 1) if current < total else "",
        last=href(total) if current < total else "",
        pages=tuple(PagerLink(n, href(n), n == current) for n in range(low, high + 1)),
        gap_before=low > 1,
        gap_after=high < total,
        label=label,
        words=PAGER_WORDS,
        last_note=last_page_note(total),
    )
