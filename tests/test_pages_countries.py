"""The countries page and the country pages: partners based in a country (where the programme
measures them and counts its caps), then those based elsewhere that also serve it, by level."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pytest
from factories import make_partner
from ladder import D4, ladder, nl_cap, row
from sample_pages import links, render_sample, text_of

from partnerdir.levels import evaluate_levels
from partnerdir.model import Directory, SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_country_page_groups_partners_by_level(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/nl/index.html"])
    assert "Partners in the Netherlands 3 partners are based in the Netherlands." in words
    based = words.index("Partners based in the Netherlands")
    platinum, gold = words.index("Level: Platinum 1 partner"), words.index("Level: Gold 2 partners")
    assert based < platinum < words.index("Bright Cloud") < gold < words.index("Acme Digital")
    assert words.index("Acme Digital") < words.index("Capped & Co")
    assert "Platinum here is limited to 1 partner based in the Netherlands." in words
    assert "Also serving" not in words
    assert "Dropping Ltd" not in words


def test_a_partner_based_in_nl_serving_de_is_also_serving_on_the_de_page(
    site: Mapping[str, str],
) -> None:
    words = text_of(site["countries/de/index.html"])
    assert "1 partner based elsewhere also serves Germany." in words
    assert "No listed partner is based in Germany." in words
    serving = words.index("Also serving Germany")
    assert serving < words.index("Level: Gold 1 partner") < words.index("Capped & Co")


def test_a_region_cap_is_stated_on_the_country_pages_of_the_region(
    site: Mapping[str, str],
) -> None:
    words = text_of(site["countries/ke/index.html"])
    assert "Gold here is limited to 30% of the partners based in " in words
    assert "Emerging markets, Africa (counted across the region)." in words
    assert "limited to" not in text_of(site["countries/be/index.html"])


def test_countries_index_counts(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/index.html"])
    assert "Netherlands 3 partners Based here: 1 Platinum, 2 Gold" in words
    assert "Belgium 2 partners Based here: 1 Silver; also serving: 1" in words
    assert "Germany 1 partner Also serving: 1" in words


def test_statistics_count_partners_where_the_country_pages_say_they_are_based(
    site: Mapping[str, str],
) -> None:
    """The statistics page counts by home country: the same numbers as "based in"."""
    stats = text_of(site["stats/index.html"])
    assert "Germany" not in stats
    for code, name, n in (("nl", "Netherlands", 3), ("be", "Belgium", 1), ("ke", "Kenya", 1)):
        page = text_of(site[f"countries/{code}/index.html"])
        assert f"{n} partner{'s' if n > 1 else ''} {'are' if n > 1 else 'is'} based in" in page
        assert re.search(rf"{name} \d+ \d+ \d+ \d+ {n}\b", stats)


def _foreign_platinum_pages() -> dict[str, str]:
    """NL's Platinum cap is 2; two Dutch partners hold it, and a German Platinum partner adds
    NL to its own file."""
    program = ladder(nl_cap("platinum", 2, "certified_engineers"))
    partners = (
        make_partner("dutch-one", name="Dutch One", countries=("NL",)),
        make_partner("dutch-two", name="Dutch Two", countries=("NL",)),
        make_partner("dutch-three", name="Dutch Three", countries=("NL",)),
        make_partner("german-plat", name="German Plat", countries=("DE", "NL")),
    )
    rows = (
        row("dutch-one", D4, 20),
        row("dutch-three", D4, 11),
        row("dutch-two", D4, 15),
        row("german-plat", D4, 30, "DE"),
    )
    today = dt.date(2026, 11, 24)
    directory = Directory(program, partners, rows, (D4,))
    names = {p.id: p.name for p in partners}
    evaluation = evaluate_levels(program, sorted(names), rows, today, names)
    planned = plan_pages(directory, evaluation, SiteOptions(program.site.base_url, today))
    return {k: v.decode() for k, v in render_pages(planned, make_environment()).items()}


def test_a_foreign_platinum_partner_serving_nl_does_not_break_the_nl_cap() -> None:
    """Issue 13, item 5: caps count where a partner is measured, so the page lists it there."""
    pages = _foreign_platinum_pages()
    html = pages["countries/nl/index.html"]
    words = text_of(html)
    based, serving = (
        words.index("Partners based in the Netherlands"),
        words.index("Also serving the Netherlands"),
    )
    assert "Platinum here is limited to 2 partners based in the Netherlands." in words
    # a card reads "Level: Platinum Countries: ...": two under "based in", at the cap
    assert words[based:serving].count("Level: Platinum Countries") == 2
    assert based < words.index("Level: Platinum 2 partners") < words.index("Dutch One") < serving
    assert words.index("Dutch One") < words.index("Dutch Two") < serving
    # the third Dutch partner meets Platinum but the cap holds it at Gold, based here
    assert words.index("Level: Gold 1 partner") < words.index("Dutch Three") < serving
    assert serving < words.index("Level: Platinum 1 partner") < words.index("German Plat")
    assert "3 partners are based in the Netherlands; 1 partner based elsewhere also serves it." in (
        words
    )
    germany = text_of(pages["countries/de/index.html"])
    assert "Partners based in Germany Level: Platinum 1 partner" in germany
    assert "Also serving Germany" not in germany
    # one h1, headings in order (h1, h2, h3), no script
    assert links(html).h1 == 1
    assert "<script" not in html
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html.split("<main", 1)[1])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
