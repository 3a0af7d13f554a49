"""At a 360 px wide phone, no page scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Site, expect, filter_select, wait_found

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "is_mobile": True}

#: One of each kind of page; the profiles with the longest name, a notice and the top level.
PAGES = {
    "home": "",
    "home-filtered": "?country=NL",
    "profile-long-name": "partners/atlantica-plataforma/",
    "profile-under-review": "partners/elbufer-datentechnik/",
    "profile-registered": "partners/tulpveld-it/",
    "countries": "countries/",
    "country": "countries/nl/",
    "level": "levels/silver/",
    "program": "program/",
    "stats": "stats/",
    "not-found": "no-such-page/",
}

#: The widest thing on the page and how far it reaches, to say what scrolls.
WIDEST = r"""() => {
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > right + 0.5 && !el.closest('.table-scroll')) {
      right = box.right;
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (classes ? '.' + classes.split(/\s+/).join('.') : '');
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, widest, right: Math.round(right) };
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_no_page_scrolls_sideways_at_360px(
    visit_factory: Any, site: Site, javascript: bool
) -> None:
    visit = visit_factory("phone", java_script_enabled=javascript, **PHONE)
    page = visit.new_page()
    measured, sideways = [], []
    for kind, path in PAGES.items():
        page.goto(site.url(path))
        if javascript and kind == "home":
            wait_found(page, len(site.listed))
        elif javascript and kind == "home-filtered":
            wait_found(page, sum("NL" in p.countries for p in site.listed))
            expect(filter_select(page, "Country")).to_have_value("NL")
        elif not javascript and kind == "home-filtered":
            continue  # the same page as "home" without a script
        width = page.evaluate(WIDEST)
        visit.shot(page, kind)
        measured.append(kind)
        if width["scrollWidth"] > 360:
            sideways.append(f"{kind} ({path or 'home'}) scrolls sideways: {width}")
    assert sideways == []
    # every kind of page was measured; without a script, "home-filtered" is "home"
    assert len(measured) == len(PAGES) - (not javascript)
