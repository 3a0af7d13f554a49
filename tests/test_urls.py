"""Site URLs: absolute paths under the base URL's path, and the files they are written to."""

from __future__ import annotations

import pytest

from partnerdir.urls import Urls, logo_file_name, output_path


@pytest.mark.parametrize(
    ("base_url", "root"),
    [
        ("https://partners.example.com/", "/"),
        ("https://partners.example.com", "/"),
        ("https://example.github.io/partners/", "/partners/"),
        ("https://example.github.io/partners", "/partners/"),
        ("http://127.0.0.1:8000/a/b/", "/a/b/"),
    ],
)
def test_root(base_url: str, root: str) -> None:
    assert Urls(base_url).root == root


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda u: u.home(), "/partners/"),
        (lambda u: u.home(1), "/partners/"),
        (lambda u: u.home(3), "/partners/page/3/"),
        (lambda u: u.partner("acme"), "/partners/partners/acme/"),
        (lambda u: u.countries(), "/partners/countries/"),
        (lambda u: u.country("NL"), "/partners/countries/nl/"),
        (lambda u: u.level("gold"), "/partners/levels/gold/"),
        (lambda u: u.program(), "/partners/program/"),
        (lambda u: u.stats(), "/partners/stats/"),
        (lambda u: u.badge("acme"), "/partners/badges/acme.svg"),
        (lambda u: u.level_badge("gold"), "/partners/badges/levels/gold.svg"),
        (lambda u: u.logo("acme", "Acme Logo.PNG"), "/partners/logos/acme.png"),
        (lambda u: u.static("style.css"), "/partners/static/style.css"),
        (lambda u: u.pagefind(), "/partners/pagefind/pagefind.js"),
        (lambda u: u.partners_json(), "/partners/partners.json"),
        (lambda u: u.schema_json(), "/partners/partner.schema.json"),
        (lambda u: u.partners_schema_json(), "/partners/partners.schema.json"),
        (lambda u: u.feed(), "/partners/changes.xml"),
        (
            lambda u: u.absolute(u.partner("acme")),
            "https://example.github.io/partners/partners/acme/",
        ),
    ],
)
def test_urls_under_a_path(make, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert make(Urls("https://example.github.io/partners/")) == expected


@pytest.mark.parametrize(
    ("url", "root", "path"),
    [
        ("/", "/", "index.html"),
        ("/partners/", "/partners/", "index.html"),
        ("/partners/partners/acme/", "/partners/", "partners/acme/index.html"),
        ("/partners/badges/acme.svg", "/partners/", "badges/acme.svg"),
        ("/page/2/", "/", "page/2/index.html"),
    ],
)
def test_output_path(url: str, root: str, path: str) -> None:
    assert output_path(url, root) == path


@pytest.mark.parametrize(
    ("logo", "name"), [("acme.svg", "acme.svg"), ("x.WEBP", "acme.webp"), ("noext", "acme")]
)
def test_logo_file_name(logo: str, name: str) -> None:
    assert logo_file_name("acme", logo) == name
