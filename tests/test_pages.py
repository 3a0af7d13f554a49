"""Rendered pages for known fixture partners: what customers see, and what they must never see."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping
from html.parser import HTMLParser

import html5lib
import pytest
from factories import (
    SECRET_REVENUE,
    make_partner,
    make_row,
    make_standing,
    many_partners_site,
    sample_site,
)

from partnerdir.model import Cap, Metric, MetricType
from partnerdir.pages import (
    PAGE_SIZE,
    cap_text,
    format_value,
    initials,
    plan_pages,
    text_colour,
)
from partnerdir.render import make_environment, render_pages

BASE = "https://example.github.io/partners/"


def build(base_url: str = "https://partners.example.com/") -> dict[str, str]:
    directory, evaluation, options = sample_site(base_url)
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    return {path: data.decode("utf-8") for path, data in files.items()}


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return build()


@pytest.fixture(scope="module")
def sub_site() -> dict[str, str]:
    return build(BASE)


def text_of(html: str) -> str:
    """The page's visible words, tags removed and whitespace collapsed."""
    without = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    inline = re.sub(r"</?(a|span|strong|em|time|code)\b[^>]*>", "", without)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split()).replace("&amp;", "&")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.h1 += tag == "h1"
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


# --- Which pages exist ----------------------------------------------------------------------


def test_every_page_type_exists(site: Mapping[str, str]) -> None:
    assert set(site) == {
        "index.html",
        "404.html",
        "countries/index.html",
        "countries/be/index.html",
        "countries/de/index.html",
        "countries/ke/index.html",
        "countries/nl/index.html",
        "levels/registered/index.html",
        "levels/silver/index.html",
        "levels/gold/index.html",
        "levels/platinum/index.html",
        "partners/acme-digital/index.html",
        "partners/bright-cloud/index.html",
        "partners/capped-co/index.html",
        "partners/dropping-ltd/index.html",
        "partners/kenya-ops/index.html",
        "program/index.html",
        "stats/index.html",
    }


def test_every_page_is_valid_html5_with_one_h1(site: Mapping[str, str]) -> None:
    assert len(site) >= 18, sorted(site)  # sample_site: every kind of page
    for path, html in site.items():
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(html)  # raises on the first parse error
        assert links(html).h1 == 1, path
        assert '<main id="main"' in html, path
        assert 'lang="en"' in html, path


# --- Listing rules --------------------------------------------------------------------------


def test_expired_partner_is_listed_nowhere(site: Mapping[str, str]) -> None:
    assert len(site) >= 18, sorted(site)  # sample_site: every kind of page
    for path, html in site.items():
        assert "Old Registered" not in html, path
        assert "old-registered" not in html, path


def test_private_figures_appear_on_no_page(site: Mapping[str, str]) -> None:
    directory, _, _ = sample_site()
    private = [m for m in directory.program.metrics.values() if not m.public]
    secrets = set()
    for row in directory.rows:
        for metric in private:
            value = row.figures.get(metric.id)
            if isinstance(value, int | float) and value >= 10000:
                secrets |= {str(value), f"{value:,}", format_value(metric, value)}
    assert f"{SECRET_REVENUE:,}" in secrets
    for path, html in site.items():
        for secret in secrets:
            assert secret not in html, (path, secret)


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
    assert '<option value="NL" data-label="Netherlands">Netherlands (3)</option>' in home
    assert '<option value="gold" data-label="Gold">Gold (2)</option>' in home
    assert '<option value="integrator" data-label="Integrator">Integrator (2)</option>' in home
    assert '<option value="fig_csat" data-figure="Customer satisfaction">' in home


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


def test_country_page_groups_partners_by_level(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/nl/index.html"])
    assert "Partners in the Netherlands 3 partners serve the Netherlands." in words
    platinum, gold = words.index("Level: Platinum 1 partner"), words.index("Level: Gold 2 partners")
    assert platinum < words.index("Bright Cloud") < gold < words.index("Acme Digital")
    assert words.index("Acme Digital") < words.index("Capped & Co")
    assert "Dropping Ltd" not in words


def test_countries_index_counts(site: Mapping[str, str]) -> None:
    words = text_of(site["countries/index.html"])
    assert "Netherlands 3 partners 1 Platinum, 2 Gold" in words
    assert "Belgium 2 partners 1 Gold, 1 Silver" in words


# --- The profile ----------------------------------------------------------------------------


def test_profile_shows_under_review_notice(site: Mapping[str, str]) -> None:
    words = text_of(site["partners/dropping-ltd/index.html"])
    assert "Under review until 1 March 2027" in words
    assert "What it takes to keep Silver" in words
    # the notice shows on its card too
    assert "Under review until 1 March 2027" in text_of(site["countries/be/index.html"])


def test_capped_partner_shows_why(site: Mapping[str, str]) -> None:
    words = text_of(site["partners/capped-co/index.html"])
    assert "Holds Gold Meets Platinum criteria; Platinum is capped at 1 in NL." in words


def test_profile_facts_and_figures(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    words = text_of(html)
    for expected in (
        "Countries served Belgium, Netherlands",
        "Programmes Reseller, Integrator",
        "Services Implementation, Training",
        "Industries Retail",
        "Languages Dutch, English",
        "Member since 1 July 2026",
        "Level since 1 October 2026",
        "Contact sales@acme-digital.example.com",
        "1 Oct 2026 Gold 8 4.4 Passed Yes",
        "1 Jul 2026 Silver 6 4.3 Passed Yes",
    ):
        assert expected in words
    assert '<img src="/logos/acme-digital.svg" alt="Acme Digital logo">' in html
    assert html.count('<figure class="spark">') == 2  # engineers and csat: numeric, public
    assert "Licence revenue (EUR)" not in html  # no column for a private figure


def test_graduation_path_reads_as_text(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    words = text_of(html)
    assert "The path to Platinum 1 of 4 criteria met" in words
    assert "Certified engineers Not yet 8 now; target at least 10 (80%)" in words
    assert "Code health check Not yet Passed now; target Excellent or better (50%)" in words
    assert "Licence revenue Met target at least 400,000 EUR; the figure itself is private" in words
    assert 'aria-valuenow="80" aria-label="Certified engineers: 80% of the target"' in html
    assert "Licence revenue: " not in html  # a private metric has no bar


def test_badge_snippet(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    assert '<img src="/badges/acme-digital.svg" alt="Acme Digital: Gold partner' in html
    snippet = (
        "&lt;a href=&#34;https://partners.example.com/partners/acme-digital/&#34;&gt;"
        "&lt;img src=&#34;https://partners.example.com/badges/acme-digital.svg&#34;"
    )
    assert snippet in html
    assert (
        "[![Acme Digital: Gold partner, Northwind Partner Directory]"
        "(https://partners.example.com/badges/acme-digital.svg)]"
        "(https://partners.example.com/partners/acme-digital/)"
    ) in html


def test_pagefind_indexes_profiles_only_with_facets(site: Mapping[str, str]) -> None:
    assert len([path for path in site if path.startswith("partners/")]) == 5  # listed partners
    for path, html in site.items():
        assert ("data-pagefind-body" in html) == path.startswith("partners/"), path
    html = site["partners/acme-digital/index.html"]
    for expected in (
        '<span data-pagefind-filter="country">BE</span>',
        '<span data-pagefind-filter="country">NL</span>',
        '<span data-pagefind-filter="level">gold</span>',
        '<span data-pagefind-filter="program">integrator</span>',
        '<span data-pagefind-filter="service">training</span>',
        '<span data-pagefind-filter="language">nl</span>',
        '<span data-pagefind-sort="level">1</span>',  # second after Bright Cloud
        '<span data-pagefind-sort="name">0</span>',
        '<span data-pagefind-sort="fig_csat">2</span>',  # 4.4 after 4.8 and 4.7
        '<span data-pagefind-meta="name">Acme Digital</span>',
        '<span data-pagefind-meta="href">/partners/acme-digital/</span>',
        '<span data-pagefind-meta="fig_csat">4.4</span>',
    ):
        assert expected in html


# --- Levels, programme, statistics ----------------------------------------------------------


def test_level_page(site: Mapping[str, str]) -> None:
    words = text_of(site["levels/gold/index.html"])
    assert "Gold partners" in words
    assert "Certified engineers: at least 5" in words
    assert "Licence revenue: at least 100,000 EUR (private figure" in words
    assert (
        "In Emerging markets, Africa (Kenya, Nigeria), these replace the targets above: "
        "Certified engineers: at least 3"
    ) in words
    assert "Co-marketing" in words
    assert words.index("Acme Digital") < words.index("Capped & Co")
    assert "Bright Cloud" not in words


def test_program_page_states_rules_in_plain_words(site: Mapping[str, str]) -> None:
    words = text_of(site["program/index.html"])
    for expected in (
        "At most 1 partner based in Netherlands holds Platinum. When more qualify, those ranked "
        "highest by Customer satisfaction, then Certified engineers keep it",
        "At most 30% of the partners based in Emerging markets, Africa hold Gold.",
        "keeps its level, shown as under review, for 90 days",
        "still at Registered 365 days after joining",
        "Code health check: Excellent or better",
        "Regional targets replace some of these in Emerging markets, Africa.",
        "Security review passed: yes",
        "Licence revenue (EUR) an amount No: only met / not yet",
    ):
        assert expected in words
    assert words.count("At most") == 4  # each of the two caps, under its level and in Caps


def test_stats_page(site: Mapping[str, str]) -> None:
    html = site["stats/index.html"]
    words = text_of(html)
    assert "Netherlands 1 2 0 0 3" in words  # home country: platinum, gold, silver, reg, total
    assert "Emerging markets, Africa 0 0 0 1 1" in words
    assert "Other countries 1 2 1 0 4" in words
    assert "1 July 2026 2 0 2 0 4" in words  # the expired partner no longer counts then
    assert "Today (10 January 2027) 1 2 1 1 5" in words
    assert re.search(r"Promotions \(1\).*Acme Digital.*Demotions \(1\).*Capped & Co", words)
    assert html.count("<svg") == 3


# --- Safety and URLs ------------------------------------------------------------------------


def test_partner_text_is_escaped_and_sanitised() -> None:
    directory, evaluation, options = sample_site()
    evil = make_partner(
        "evil",
        name='<script>alert("n")</script>{{ 7*7 }}',
        description="<img src=x onerror=alert(1)> [x](javascript:alert(1)) {% raw %}",
        website="https://evil.example.com/",
    )
    row = make_row("evil", directory.review_dates[-1])
    directory = dataclasses.replace(directory, partners=(*directory.partners, evil))
    standings = dict(evaluation.standings) | {"evil": make_standing(row, "gold")}
    evaluation = dataclasses.replace(evaluation, standings=standings)
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    for path, data in files.items():
        html = data.decode()
        assert "<script>alert" not in html, path
        assert "javascript:" not in html, path
        assert "<img src=x" not in html, path
        assert "49" not in text_of(html) or "{{ 7*7 }}" in html, path
    profile = files["partners/evil/index.html"].decode()
    assert "&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt;{{ 7*7 }}" in profile
    assert "{% raw %}" in profile


def test_base_url_with_a_path_prefixes_every_link(sub_site: Mapping[str, str]) -> None:
    # other stages write these: badges, logos, feeds, the search bundle
    written_elsewhere = re.compile(
        r"^/partners/(badges/.+\.svg|logos/.+|partners\.json|partner\.schema\.json|changes\.xml"
        r"|pagefind/pagefind\.js)$"
    )
    pages = set(sub_site)
    for path, html in sub_site.items():
        for url in links(html).urls:
            if url.startswith(("https://", "mailto:", "data:", "#")):
                continue
            assert url.startswith("/partners/"), (path, url)
            target = url.split("#", 1)[0][len("/partners/") :]
            if written_elsewhere.match(url):
                continue
            resolved = target + "index.html" if target == "" or target.endswith("/") else target
            assert resolved in pages or target.startswith("static/"), (path, url)
    home = sub_site["index.html"]
    assert 'data-pagefind="/partners/pagefind/pagefind.js" data-base="/partners/"' in home
    assert '<link rel="stylesheet" href="/partners/static/style.css">' in home


def test_output_is_the_same_whatever_the_input_order() -> None:
    directory, evaluation, options = sample_site()
    first = render_pages(plan_pages(directory, evaluation, options), make_environment())
    shuffled = list(directory.partners)
    random.Random(7).shuffle(shuffled)
    standings = list(evaluation.standings.items())
    random.Random(8).shuffle(standings)
    again = render_pages(
        plan_pages(
            dataclasses.replace(directory, partners=tuple(shuffled)),
            dataclasses.replace(evaluation, standings=dict(standings)),
            options,
        ),
        make_environment(),
    )
    assert first == again


# --- Formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric_type", "unit", "value", "expected"),
    [
        (MetricType.INTEGER, "", 1200, "1,200"),
        (MetricType.NUMBER, "", 4.5, "4.5"),
        (MetricType.NUMBER, "", 4.0, "4"),
        (MetricType.NUMBER, "%", 12.345, "12.35%"),
        (MetricType.MONEY, "EUR", 420000.0, "420,000 EUR"),
        (MetricType.MONEY, "EUR", 99.5, "99.50 EUR"),
        (MetricType.BOOLEAN, "", True, "Yes"),
        (MetricType.BOOLEAN, "", False, "No"),
        (MetricType.CHOICE, "", "needs_work", "Needs work"),
        (MetricType.INTEGER, "", None, "–"),
    ],
)
def test_format_value(metric_type: MetricType, unit: str, value: object, expected: str) -> None:
    metric = Metric("m", "M", metric_type, public=True, unit=unit)
    assert format_value(metric, value) == expected  # type: ignore[arg-type]


def _contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "colour",
    ["#000000", "#ffffff", "#c9a227", "#5b6770", "#8a959e", "#3d4f7c", "#777777", "#ff0000"],
)
def test_badge_text_contrasts_with_any_level_colour(colour: str) -> None:
    assert _contrast(colour, text_colour(colour)) >= 4.5


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Acme Digital", "AD"), ("Capped & Co", "CC"), ("bright", "B"), ("Ünïcode Ltd", "ÜL")],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("cap", "expected"),
    [
        (
            Cap("gold", "*", None, 3, None, ("csat",)),
            "At most 3 partners based in any one country hold Gold. When more qualify, those "
            "ranked highest by Customer satisfaction keep it (ties by partner id); the others "
            "hold Silver and their profile says why.",
        ),
        (
            Cap("platinum", "DE", None, None, 0.25, ()),
            "At most 25% of the partners based in Germany hold Platinum. When more qualify, "
            "those ranked highest by partner id keep it",
        ),
        (
            Cap("silver", None, "emerging-africa", None, 0.125, ("csat", "certified_engineers")),
            "At most 12.5% of the partners based in Emerging markets, Africa hold Silver. When "
            "more qualify, those ranked highest by Customer satisfaction, then Certified engineers",
        ),
    ],
)
def test_cap_text(cap: Cap, expected: str) -> None:
    directory, _, _ = sample_site()
    assert cap_text(directory.program, cap).startswith(expected)


@pytest.mark.parametrize(
    ("source", "link"),
    [
        (
            "content/partners/acme-digital.yaml",
            "https://github.com/northwind/partners/blob/HEAD/content/partners/acme-digital.yaml",
        ),
        ("./content/partners/acme-digital.yaml", "blob/HEAD/content/partners/acme-digital.yaml"),
        ("/home/ci/content/partners/acme-digital.yaml", None),
        ("C:/content/partners/acme-digital.yaml", None),
    ],
)
def test_profile_links_to_its_source_file(source: str, link: str | None) -> None:
    directory, evaluation, options = sample_site()
    site = dataclasses.replace(
        directory.program.site, repository="https://github.com/northwind/partners/"
    )
    partners = tuple(
        dataclasses.replace(p, source=source) if p.id == "acme-digital" else p
        for p in directory.partners
    )
    directory = dataclasses.replace(
        directory, program=dataclasses.replace(directory.program, site=site), partners=partners
    )
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    html = files["partners/acme-digital/index.html"].decode()
    if link is None:
        assert "Update this listing" not in html
    else:
        assert re.search(r'<a href="[^"]*' + re.escape(link) + '">Update this listing</a>', html)
