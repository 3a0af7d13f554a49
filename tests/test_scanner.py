"""The output scanner (tests/scanner.py) finds what it must: it is the test of every built page,
so each way a page could go wrong is shown to it here."""

from __future__ import annotations

from factories import SECRET_REVENUE
from scanner import (
    PROJECT_SITE,
    LinkCheck,
    leaks,
    relative_urls,
    scan_html,
    scan_site,
    tags_outside,
    unsafe_parts,
)


def test_the_scanner_finds_what_it_must() -> None:
    """The scanner is the test: it reports each way a page could go wrong."""
    page = """<!doctype html><title>t</title>
<script src="/partners/static/search.js" defer></script>
<script>alert(1)</script>
<script src="https://cdn.example/x.js"></script>
<img src="x.png" onerror="alert(1)"><svg><a xlink:href="java&#x09;script:alert(1)">x</a></svg>
<a href=" &#106;avascript:alert(1)">a</a><a href="DATA:text/html,x">b</a>
<iframe src="/partners/"></iframe><div style="background: url(javascript:alert(1))"></div>
<link rel="icon" href="data:,"><a href="https://elsewhere.example/">c</a>
<a href="../../../outside/">d</a><a href="https://partner.example/">e</a>
"""
    found = unsafe_parts(scan_html(page), {"/partners/static/search.js"})
    assert len(found) == 8, found
    assert [f.split(" ")[0] for f in found] == [
        "script", "script", "event", "element", "javascript:", "javascript:", "data:", "url()"
    ]  # fmt: skip
    rendered = {"index.html": page.encode()}
    outside = [
        p
        for p in scan_site(rendered, {"https://partner.example/"}, [SECRET_REVENUE])
        if "leaves" in p
    ]
    assert [p.split(": ", 1)[1] for p in outside] == [
        "'https://cdn.example/x.js' leaves the site",
        "'https://elsewhere.example/' leaves the site",
        "'../../../outside/' leaves the site",
    ]
    assert leaks([("x", f"revenue {SECRET_REVENUE:,}")], [SECRET_REVENUE])


def test_the_scanner_finds_inline_documents_forms_refreshes_and_stray_markup() -> None:
    page = """<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>
<form><button formaction="https://elsewhere.example/">go</button></form>
<meta http-equiv="Refresh" content="0; url=https://elsewhere.example/">
<p><a href="page.html">relative</a><a href="/partners/">root</a><a href="#top">top</a></p>
"""
    scan = scan_html(page)
    assert unsafe_parts(scan, ()) == [
        "element iframe srcdoc",
        "element iframe",
        "element button formaction",
        "element meta refresh",
    ]
    assert relative_urls(scan) == ["page.html"]
    assert tags_outside(scan, {"p", "a"}) == ["<iframe>", "<form>", "<button>", "<meta>"]
    assert [tag for tag, _ in scan.elements] == [
        "iframe",
        "form",
        "button",
        "meta",
        "p",
        "a",
        "a",
        "a",
    ]


def test_a_link_without_the_base_path_or_its_file_is_reported() -> None:
    check = LinkCheck({"index.html", "static/style.css"}, set())
    for value in ("static/style.css", "/partners/static/style.css?v=1#x", "/partners/"):
        check.check("page", PROJECT_SITE, value)
    assert check.problems == []
    check.check("page", PROJECT_SITE, "/partners/countries/")
    check.check("page", PROJECT_SITE, "/static/style.css")
    assert check.problems == [
        "page: '/partners/countries/' -> no file 'countries/index.html'",
        "page: '/static/style.css' leaves the site",
    ]


def test_the_leak_search_finds_a_figure_written_any_way() -> None:
    found = ("420000", "420,000 EUR", "€420 000", "420\u202f000", "420.000", "1,420,000")
    assert [written for written in found if not leaks([("page", written)], [420000])] == []
    not_found = ("1420000", "4200001", "42,000", "420,0001", "420", "4.2 000")
    assert [written for written in not_found if leaks([("page", written)], [420000])] == []
