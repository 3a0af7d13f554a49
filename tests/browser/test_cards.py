"""A card drawn by search.js from Pagefind's metas reads as the server's card of the same
partner: summary, head office, countries, services and figures (issue 14 item 3); the figure
the list is sorted by, once; the sort order's choices readable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browsing import Visit, expect, filter_select, open_search, result_items

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


def test_a_figure_sorted_by_shows_once_on_each_card(visit: Visit) -> None:
    page = open_search(visit)
    sort = filter_select(page, "Sort by")
    items = result_items(page)
    # not on the card: a line of its own under the card's figures
    sort.select_option("fig_csat")
    figure = items.first.locator(".card-figure")
    expect(figure).to_have_text(re.compile(r"^Customer satisfaction: "))
    # on the card already ("Certified engineers: 63 · Customer deployments: 482"): not again
    sort.select_option("fig_customer_deployments")
    expect(items.first.locator(".card-title")).to_have_text("Cascade Ridge Data, Inc.")
    texts = [" ".join(text.split()) for text in items.all_text_contents()]
    assert [text.count("Customer deployments:") for text in texts] == [1] * len(texts)
    assert page.locator(".card-figure").count() == 0


def test_the_sort_order_takes_two_filters_width_on_a_wide_screen(visit: Visit) -> None:
    # its choices read long ("Median ticket resolution (lowest first)"): in one filter's
    # width a customer would see them cut off
    page = open_search(visit)
    sort = filter_select(page, "Sort by").bounding_box()
    country = filter_select(page, "Country").bounding_box()
    assert sort["width"] > 2 * country["width"]


def test_the_result_count_says_the_order_unless_it_is_the_first(visit: Visit) -> None:
    # on a phone "Sort by" is folded away with the filters: the count says how the list is sorted
    page = open_search(visit)
    total = f"{len(visit.site.listed):,} partners"
    status = page.get_by_role("status")
    sort = filter_select(page, "Sort by")
    sort.select_option("fig_customer_deployments")
    expect(status).to_have_text(f"{total} sorted by Customer deployments (highest first)")
    sort.select_option("level")
    expect(status).to_have_text(total)
