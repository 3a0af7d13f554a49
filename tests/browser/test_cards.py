"""A card drawn by search.js from Pagefind's metas reads as the server's card of the same
partner: summary, head office, countries, services and figures (issue 14 item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Visit, open_search, result_items

pytestmark = pytest.mark.browser

LINES = ".card-title, .card-summary, .card-place, .card-line, .card-services, .card-figures"


def test_search_cards_match_the_server_cards(visit: Visit) -> None:
    page = open_search(visit)
    drawn = result_items(page)
    plain = page.locator("#all-partners .card")  # the server's list, hidden behind results

    def lines(card: Any) -> list[str]:
        return [" ".join(text.split()) for text in card.locator(LINES).all_text_contents()]

    first = [lines(drawn.nth(n)) for n in range(3)]
    assert first == [lines(plain.nth(n)) for n in range(3)]
    # the first card is Atlântica's: every line a customer chooses by is there
    assert first[0][1:] == [
        "Latin America's largest Northwind practice: build, migrate and run, in Portuguese and "
        "Spanish.",
        "Head office: São Paulo, Brazil",
        "Countries: Brazil, Paraguay, Uruguay",
        "Services: Implementation, Data migration and 3 more",
        "Certified engineers: 22 · Customer deployments: 138",
    ]
