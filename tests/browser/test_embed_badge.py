"""The badge on a profile renders, and the embed snippet, pasted into another page, shows it."""

from __future__ import annotations

import re

import pytest
from browsing import Visit, expect

from partnerdir.wording import embed_heading

pytestmark = pytest.mark.browser

PARTNER = "kilima-data-labs"


def test_the_badge_renders_and_the_embed_snippet_shows_it(visit: Visit) -> None:
    site = visit.site
    partner = site.partner(PARTNER)
    page = visit.open(f"partners/{PARTNER}/")
    embed = page.get_by_role("region", name=embed_heading(partner.name))
    badge = embed.get_by_role("img")
    expect(badge).to_have_count(1)
    expect(badge).to_have_attribute("alt", re.compile(rf"^{re.escape(partner.name)}: "))
    badge.scroll_into_view_if_needed()
    size = badge.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert size[0] > 0 and size[1] > 0, f"the badge did not render: {size}"
    assert badge.get_attribute("src") == site.path(f"badges/{PARTNER}.svg")
    visit.shot(page, "profile with badge")

    snippet = embed.get_by_label("HTML").input_value()
    markdown = embed.get_by_label("Markdown").input_value()
    image_url = site.url(f"badges/{PARTNER}.svg")
    profile_url = site.url(f"partners/{PARTNER}/")
    assert f"]({image_url})]({profile_url})" in markdown
    assert partner.level_name in markdown

    # a partner's own site: the snippet pasted as is, the badge loaded from this site
    elsewhere = visit.new_page()
    elsewhere.set_content(f"<!doctype html><title>A partner's site</title><p>{snippet}</p>")
    pasted = elsewhere.get_by_role("link").get_by_role("img")
    expect(pasted).to_have_count(1)
    size = pasted.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert size[0] > 0 and size[1] > 0, f"the pasted badge did not render: {size}"
    assert pasted.get_attribute("src") == image_url
    assert elsewhere.get_by_role("link").get_attribute("href") == profile_url
    assert pasted.get_attribute("alt") == badge.get_attribute("alt")
    visit.shot(elsewhere, "snippet pasted elsewhere")
    with elsewhere.expect_navigation():
        pasted.click()
    assert elsewhere.url == profile_url


def test_the_snippets_are_behind_a_disclosure_with_copy_buttons(visit: Visit) -> None:
    page = visit.open("partners/zuiderzee-systems/")
    # a name ending in s takes the apostrophe alone
    embed = page.get_by_role("region", name="Badge for Zuiderzee Systems’ website")
    snippet = embed.get_by_label("HTML")
    expect(snippet).to_be_hidden()  # a customer rarely needs the code: closed at first
    embed.get_by_text("Embed code (HTML and Markdown)").click()
    expect(snippet).to_be_visible()
    embed.get_by_role("button", name="Copy HTML").click()
    expect(embed.get_by_role("status").first).to_have_text("HTML copied")
    expect(embed.get_by_role("button", name="Copy Markdown")).to_be_visible()
    visit.shot(page, "embed code open")
