"""The home page: the plain list by level then name, paged, and the search's filters."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from factories import many_partners_site
from sample_pages import links, render_sample

from partnerdir.pages import plan_pages
from partnerdir.pages.home import PAGE_SIZE


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_home_lists_partners_by_level_then_name_without_javascript(
    site: Mapping[str, str],
) -> None:
    home = site["index.html"]
    plain = home[home.index('id="all-partners"') :]
    names = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', plain)
    assert names == ["Bright Cloud", "Acme Digital", "Capped &amp; Co", "Dropping Ltd", "Kenya Ops"]
    urls = links(home).urls
    for level in ("registered", "silver", "gold", "platinum"):
        assert f"/levels/{level}/" in urls
    for country in ("be", "de", "ke", "nl"):
        assert f"/countries/{country}/" in urls
    # the search form is for browsers with JavaScript: hidden until search.js shows it
    assert re.search(r'<section id="search"[^>]*\shidden[\s>]', home)
    assert '<script src="/static/search.js" defer></script>' in home


def test_home_filters_carry_counts(site: Mapping[str, str]) -> None:
    home = site["index.html"]
    assert (
        '<option value="NL" data-label="Netherlands" data-phrase="in the Netherlands" '
        'data-count="3">Netherlands (3)</option>'
    ) in home
    assert (
        '<option value="gold" data-label="Gold" data-phrase="Gold" data-count="2">Gold (2)</option>'
    ) in home
    assert (
        '<option value="integrator" data-label="Integrator" data-phrase="working as Integrator" '
        'data-count="2">Integrator (2)</option>'
    ) in home
    assert '<option value="fig_csat" data-figure="Customer satisfaction">' in home


def test_home_puts_the_search_before_the_programme_text(site: Mapping[str, str]) -> None:
    """Results first (issue 14): one sentence and a link to /program/ above the search, the
    full introduction below the list; the programme filter is called "Partner type"."""
    home = site["index.html"]
    lead = re.search(r'<p class="hero-lead">(.*?)</p>', home, re.S)
    assert lead and '<a href="/program/">how the programme works</a>' in lead.group(1)
    assert home.index('class="hero-lead"') < home.index('id="search"')
    assert home.index('id="all-partners"') < home.index('class="intro prose"')
    assert '<label for="filter-program">Partner type</label>' in home
    assert "All partner types" in home
    assert '<summary id="filter-summary">Filters' in home
    assert 'aria-label="Active filters"' in home


@pytest.mark.parametrize(
    ("count", "pages"),
    [(1, 1), (PAGE_SIZE, 1), (PAGE_SIZE + 1, 2), (2 * PAGE_SIZE + 5, 3)],
)
def test_plain_list_is_paged(count: int, pages: int) -> None:
    directory, evaluation, options = many_partners_site(count)
    planned = {page.path: page for page in plan_pages(directory, evaluation, options)}
    home_pages = sorted(p for p in planned if p == "index.html" or p.startswith("page/"))
    expected = ["index.html"] + [f"page/{n}/index.html" for n in range(2, pages + 1)]
    assert home_pages == sorted(expected)
    listed = sum(len(planned[p].context["cards"]) for p in home_pages)  # type: ignore[arg-type]
    assert listed == count
