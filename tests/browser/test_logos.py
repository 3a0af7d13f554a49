"""SVG logos opened in Chromium: what the check refuses loads something, what it accepts does not.

Each logo is opened at its own address, as a visitor who follows the logo's link would open
it: an SVG document, with its CSS and animations live. Every request it makes is recorded and
blocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from paths import EXAMPLE, ROOT

from partnerdir.content.safety.svg import svg_problem

pytestmark = pytest.mark.browser

#: Where the logos are served from (answered by the test, never by a network).
ORIGIN = "http://logos.test/"
TRACKER = "http://tracker.test/"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"{}>{}</svg>'
RECT = '<rect width="10" height="10" fill="#123456"/>'

#: Logos that make Chromium fetch an address when opened. The first five passed the old search
#: for `url(` and `@import` (CSS escapes, image functions); the last three it caught too.
LOADING = {
    "escaped-import-string": SVG.format("", rf"<style>@\69mport '{TRACKER}b.css';</style>{RECT}"),
    "escaped-url": SVG.format(rf' style="background:u\72l({TRACKER}c.png)"', RECT),
    "escaped-fill": SVG.format("", rf'<rect width="9" style="fill:u\72l({TRACKER}d.svg#a)"/>'),
    "image-set": SVG.format(f" style=\"background-image:image-set('{TRACKER}e.png' 1x)\"", RECT),
    "webkit-image-set": SVG.format(
        "", f"<rect width=\"9\" style=\"mask:-webkit-image-set('{TRACKER}f.png' 1x)\"/>"
    ),
    "escaped-import": SVG.format("", rf"<style>@\69mport url({TRACKER}a.css);</style>{RECT}"),
    "image": SVG.format("", f'<image href="{TRACKER}g.png" width="10" height="10"/>'),
    "animated-href": SVG.format(
        "", f'<image width="10" height="10" href="#x"><set attributeName="href" '
        f'to="{TRACKER}h.png"/></image>'
    ),
}  # fmt: skip
#: Logos the check accepts: the example directory's and one as a drawing program exports it.
ACCEPTED = {
    **{path.stem: path.read_text() for path in sorted(EXAMPLE.glob("partners/*.svg"))},
    "realistic": (ROOT / "tests" / "logos" / "realistic.svg").read_text(),
}


@pytest.fixture()
def opened(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page that opens `ORIGIN + name + ".svg"` as that logo, and the requests made elsewhere."""
    context = browser.new_context()
    requested: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url
        name = url.removeprefix(ORIGIN).removesuffix(".svg")
        if url.startswith(ORIGIN) and name in {**LOADING, **ACCEPTED}:
            logo = {**LOADING, **ACCEPTED}[name]
            route.fulfill(status=200, content_type="image/svg+xml", body=logo)
        else:
            requested.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", serve)
    try:
        yield context.new_page(), requested
    finally:
        context.close()


def open_logo(page: Any, name: str) -> None:
    """Open the logo and let it load and paint twice (styles, images and animations start)."""
    page.goto(ORIGIN + name + ".svg", wait_until="load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("name", sorted(LOADING))
def test_the_check_refuses_logos_that_load_something(
    opened: tuple[Any, list[str]], name: str
) -> None:
    page, requested = opened
    with page.expect_request(lambda request: request.url.startswith(TRACKER)):
        open_logo(page, name)
    assert requested and all(url.startswith(TRACKER) for url in requested), requested
    assert svg_problem(LOADING[name]) is not None


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_logos_the_check_accepts_load_nothing(opened: tuple[Any, list[str]], name: str) -> None:
    page, requested = opened
    assert svg_problem(ACCEPTED[name]) is None
    open_logo(page, name)
    assert requested == []
    assert page.locator("svg").first.is_visible()
