"""The whole site's pages for known fixture partners: which exist, and what no page may
show or do."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping

import html5lib
import pytest
from factories import SECRET_REVENUE, make_partner, make_row, make_standing, sample_site
from sample_pages import SUB_BASE, links, render_sample, text_of

from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages
from partnerdir.wording import format_value


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_sample()


@pytest.fixture(scope="module")
def sub_site() -> dict[str, str]:
    return render_sample(SUB_BASE)


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
    assert len(site) >= 18, sorted(site)  # sample_site: every kind of page
    for path, html in site.items():
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(html)  # raises on the first parse error
        assert links(html).h1 == 1, path
        assert '<main id="main"' in html, path
        assert 'lang="en"' in html, path


def test_expired_partner_is_listed_nowhere(site: Mapping[str, str]) -> None:
    assert len(site) >= 18, sorted(site)  # sample_site: every kind of page
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
            target = url.split("#", 1)[0].split("?", 1)[0][len("/partners/") :]
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
