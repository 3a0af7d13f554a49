"""Every link and control is a target of at least 24 by 24 CSS pixels, or far enough from the
others (WCAG 2.2, 2.5.8 Target Size (Minimum)), on each kind of page, on a desktop and a phone.

The SC's exceptions are applied as it states them: a link inside a sentence or a list of words
(its size is set by the line height of the text around it) is exempt; an undersized target
passes when a circle of 24 px diameter centred on it meets no other target and no other
undersized target's circle.
"""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Site, wait_found

pytestmark = pytest.mark.browser

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 1,
        "is_mobile": True,
    },
}

#: One page of each kind: profiles capped, under review and Registered, with a long name.
PAGES = {
    "home": "",
    "profile-capped": "partners/zuiderzee-systems/",
    "profile-under-review": "partners/elbufer-datentechnik/",
    "profile-registered": "partners/tulpveld-it/",
    "profile-long-name": "partners/atlantica-plataforma/",
    "countries": "countries/",
    "country": "countries/nl/",
    "level": "levels/silver/",
    "program": "program/",
    "stats": "stats/",
    "not-found": "no-such-page/",
}

#: The targets that are too small and too close: each with its size and the target it crowds.
MEASURE = r"""() => {
  const MIN = 24;
  const targets = [];
  for (const el of document.querySelectorAll('a, button, summary, input, select')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // not rendered, or moved off screen until focused (the skip link), or visually hidden
    if (box.width < 2 || box.height < 2 || style.visibility === 'hidden') continue;
    if (box.right <= 0 || box.bottom <= -window.scrollY) continue;
    if (el.closest('.visually-hidden')) continue;
    // inside a closed disclosure (its own summary aside): not shown, whatever its box says
    const closed = el.closest('details:not([open])');
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) continue;
    targets.push({ el, box });
  }
  function blockOf(el) {
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    return block;
  }
  // 2.5.8's inline exception: a link whose block holds words that are not part of a target
  function inSentence(el) {
    if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const block = blockOf(el);
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const inTarget = parent.closest('a, button, summary, .visually-hidden');
      if (node.textContent.trim() && !inTarget) return true;
    }
    return false;
  }
  function name(el) {
    const text = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim();
    return el.tagName.toLowerCase() + ' "' + text.replace(/\s+/g, ' ').slice(0, 40) + '"';
  }
  const small = targets.filter(t => (t.box.width < MIN || t.box.height < MIN) && !inSentence(t.el));
  const centre = b => [b.left + b.width / 2, b.top + b.height / 2];
  const distanceToBox = (p, b) => Math.hypot(
    Math.max(b.left - p[0], 0, p[0] - b.right), Math.max(b.top - p[1], 0, p[1] - b.bottom));
  const failures = [];
  for (const t of small) {
    const c = centre(t.box);
    for (const other of targets) {
      if (other.el === t.el || other.el.contains(t.el) || t.el.contains(other.el)) continue;
      const [x, y] = centre(other.box);
      const crowded = distanceToBox(c, other.box) < MIN / 2
        || (small.includes(other) && Math.hypot(c[0] - x, c[1] - y) < MIN);
      if (crowded) {
        failures.push(name(t.el) + ' ' + Math.round(t.box.width) + 'x' + Math.round(t.box.height)
          + ' too close to ' + name(other.el));
        break;
      }
    }
  }
  return { measured: targets.length, failures };
}"""


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_target_is_24px_or_spaced(visit_factory: Any, site: Site, size: str) -> None:
    visit = visit_factory(size, **SIZES[size])
    page = visit.new_page()
    measured, failures = {}, []
    for kind, path in PAGES.items():
        page.goto(site.url(path))
        if kind == "home":
            wait_found(page, len(site.listed))
        found = page.evaluate(MEASURE)
        measured[kind] = found["measured"]
        failures += [f"{kind}: {failure}" for failure in found["failures"]]
    assert all(measured.values()), f"no targets measured on some pages: {measured}"
    assert not failures, "targets under 24x24 px and too close to another:\n" + "\n".join(failures)


def test_the_measure_finds_crowded_targets_and_exempts_links_in_a_sentence(
    visit_factory: Any,
) -> None:
    page = visit_factory("fixture").new_page()
    page.set_content(
        "<style>body { font: 12px/14px sans-serif } nav a { margin-right: 0 }</style>"
        '<nav><a href="#a">One</a><a href="#b">Two</a></nav>'
        '<p style="margin-top: 40px">Read <a href="#c">the rules</a> and <a href="#d">the'
        " caps</a> first.</p>"
        '<p style="margin-top: 40px"><button style="height: 30px">Big enough</button></p>'
    )
    found = page.evaluate(MEASURE)
    assert found["measured"] == 5
    # each 14 px high and side by side; the links in the sentence and the button pass
    assert [failure.split(" ")[:2] for failure in found["failures"]] == [
        ["a", '"One"'],
        ["a", '"Two"'],
    ]
    assert all("x14 too close to" in failure for failure in found["failures"])
