"""A partner's profile: notices, facts, figures, the graduation path, the badge, search data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

import pytest
from factories import make_partner, sample_site, upcoming_site
from ladder import D4, fr_gold_cap_program, row
from sample_pages import render_sample, text_of

from partnerdir.levels import evaluate_levels
from partnerdir.model import CriterionProgress, Directory, Metric, MetricType, Op, SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.pages.profile import _step_view
from partnerdir.render import make_environment, render_pages


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


def test_profile_shows_under_review_notice(site: Mapping[str, str]) -> None:
    words = text_of(site["partners/dropping-ltd/index.html"])
    assert "Under review until 1 March 2027" in words
    assert "What it takes to keep Silver" in words
    # the notice shows on its card too
    assert "Under review until 1 March 2027" in text_of(site["countries/be/index.html"])


def test_capped_partner_shows_why_as_good_news_in_plain_words(site: Mapping[str, str]) -> None:
    html = site["partners/capped-co/index.html"]
    words = text_of(html)
    assert (
        "Meets the Platinum criteria Platinum in the Netherlands is limited to 1 partner (held "
        "by Bright Cloud), so this partner is listed as Gold for now."
    ) in words
    assert "capped at" not in words
    # the good-news style of a cap, not the warning style of "under review"
    assert 'class="notice notice-cap"' in html
    # its cards say it meets the level above, in their own good-news style
    assert (
        '<p class="card-meets">Meets the Platinum criteria</p>' in site["countries/nl/index.html"]
    )
    assert "card-meets" not in site["countries/be/index.html"]


def test_profile_facts_and_figures(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    words = text_of(html)
    for expected in (
        "Head office Utrecht, Netherlands",
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
    # a grade and a yes/no figure are reached or not: no percentage, no bar
    assert "Code health check Not yet Passed now; target Excellent or better" in words
    assert "target Excellent or better (" not in words
    assert "Code health check: " not in html
    assert "Licence revenue Met target at least 400,000 EUR; the figure itself is private" in words
    assert 'aria-valuenow="80" aria-label="Certified engineers: 80% of the target"' in html
    assert "Licence revenue: " not in html  # a private metric has no bar


def test_facts_come_before_the_path_in_the_page(site: Mapping[str, str]) -> None:
    # on a phone the one column reads in page order: about, facts, then the graduation path
    html = site["partners/acme-digital/index.html"]
    about, facts, path = (html.index(s) for s in ('id="about"', 'id="facts"', 'id="path-title"'))
    assert about < facts < path
    assert '<p class="profile-summary">Retail data platforms, built and handed over.</p>' in html


def test_a_chart_has_a_scale_and_the_target_line(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    charts = html.split('<figure class="spark">')[1:]
    engineers = charts[0]
    # from the metric's minimum 0 to the target 10 (above the highest figure, 8)
    assert (
        '<p class="spark-scale" aria-hidden="true"><span>10</span><span>0</span></p>' in engineers
    )
    assert 'class="spark-target"' in engineers
    assert "Target for Platinum: at least 10" in engineers


def test_badge_snippet(site: Mapping[str, str]) -> None:
    html = site["partners/acme-digital/index.html"]
    assert '<h2 id="embed-title">Badge for Acme Digital’s website</h2>' in html
    # the snippets are behind a disclosure; a script adds the Copy buttons
    assert '<details class="embed-code" data-copy-words=' in html
    assert "<summary>Embed code (HTML and Markdown)</summary>" in html
    assert '<script src="/static/copy.js" defer></script>' in html
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
        # the card's choosing lines, for search.js card(meta)
        '<span data-pagefind-meta="summary">Retail data platforms, built and handed over.</span>',
        '<span data-pagefind-meta="place">Utrecht, Netherlands</span>',
        '<span data-pagefind-meta="services">Implementation, Training</span>',
        '<span data-pagefind-meta="figures">Certified engineers: 8 · Customer satisfaction: '
        "4.4</span>",
    ):
        assert expected in html


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


def test_france_the_displaced_holder_reads_the_cap_and_who_holds_the_place() -> None:
    """Issue 13, item 4, on the pages: Gold capped at 1 in France, a stronger French partner
    arrives. The displaced partner's profile names the cap and the partner holding the place,
    its path is the path to Gold with every criterion met (not "to keep Gold: 6 of 6"), and the
    France page counts one Gold partner."""
    onboarding = dt.date(2026, 10, 20)
    today = dt.date(2026, 11, 24)
    program = fr_gold_cap_program()
    partners = (
        make_partner("holder", name="Holder SARL", countries=("FR",)),
        make_partner("stronger", name="Stronger SAS", countries=("FR",)),
    )
    rows = (
        row("holder", D4, 6, "FR", csat=4.5),
        row("stronger", onboarding, 6, "FR", csat=4.8),
    )
    directory = Directory(program, partners, rows, (D4, onboarding))
    names = {p.id: p.name for p in partners}
    evaluation = evaluate_levels(program, sorted(names), rows, today, names)
    planned = plan_pages(directory, evaluation, SiteOptions(program.site.base_url, today))
    pages = {k: v.decode() for k, v in render_pages(planned, make_environment()).items()}
    words = text_of(pages["partners/holder/index.html"])
    assert (
        "Meets the Gold criteria Gold in France is limited to 1 partner (held by Stronger SAS), "
        "so this partner is listed as Silver for now."
    ) in words
    assert "The path to Gold" in words
    assert "A cap applies at once, with no grace" in words
    assert "keep Gold" not in words
    assert "under review" not in words.lower()
    france = text_of(pages["countries/fr/index.html"])
    assert "Level: Gold 1 partner SS Stronger SAS" in france
    assert "Level: Silver 1 partner HS Holder SARL" in france
    assert evaluation.standings["holder"].level == "silver"
    assert [p for p, s in evaluation.standings.items() if s.level == "gold"] == ["stronger"]


@pytest.mark.parametrize(("met", "status"), [(True, "Met"), (False, "Not yet")])
def test_a_yes_no_criterion_is_met_or_not_without_a_percentage(met: bool, status: str) -> None:
    metric = Metric("security_review", "Security review passed", MetricType.BOOLEAN, public=True)
    progress = CriterionProgress(
        "security_review", "Security review passed", Op.EQUALS, True, met, True, met, 100 * met
    )
    step = _step_view(metric, progress)
    assert (step.status, step.detail, step.progress, step.bar_label) == (status, "", None, "")


def test_a_figure_missing_from_the_last_review_has_no_share_of_its_target() -> None:
    metric = Metric("csat", "Customer satisfaction", MetricType.NUMBER, public=True)
    progress = CriterionProgress("csat", "Customer satisfaction", Op.MIN, 4.0, None, True, False, 0)
    step = _step_view(metric, progress)
    assert (step.status, step.progress, step.bar_label) == ("Not yet", None, "")
    assert step.detail.startswith("no figure at the last review; target at least 4")
    assert "%" not in step.detail


def test_profile_says_what_upcoming_rules_ask_and_whether_it_meets_them() -> None:
    directory, evaluation, options = upcoming_site()
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    words = text_of(files["partners/acme-digital/index.html"].decode())
    assert (
        "Upcoming criteria From 1 June 2027 Gold asks for customer satisfaction of at least "
        "4.6: 4.4 now Not yet" in words
    )
    # no rules file after the build date: no such section
    assert "Upcoming criteria" not in text_of(render_sample()["partners/acme-digital/index.html"])
