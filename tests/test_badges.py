"""The embeddable SVG badges: parseable, accessible, readable, self-contained and escaped."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from factories import SECRET_REVENUE, make_partner, sample_site

from partnerdir.model import Directory, SiteSettings
from partnerdir.pages import plan_pages
from partnerdir.sitefiles.badges import (
    MAX_LABEL,
    NOT_LISTED_COLOUR,
    badge_files,
    badge_label,
    badge_svg,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"Quotes\" 'R' Us"


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data.decode("utf-8"))


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def parts(svg: ET.Element) -> list[tuple[str, str, str]]:
    """(background, text colour, text) of the label and the value, left to right."""
    rects = svg.findall(f"{SVG}g/{SVG}rect")
    texts = svg.findall(f"{SVG}g/{SVG}text")
    return [
        (rect.get("fill", ""), text.get("fill", ""), text.text or "")
        for rect, text in zip(rects, texts, strict=True)
    ]


def with_rows_but_no_file(directory: Directory) -> Directory:
    """The sample site plus "gone-partner", whose review rows stay but whose file was removed."""
    return dataclasses.replace(directory, unfiled=("gone-partner",))


def test_files_are_one_per_partner_and_one_per_level() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(directory, evaluation, options)
    assert sorted(files) == [
        "badges/acme-digital.svg",
        "badges/bright-cloud.svg",
        "badges/capped-co.svg",
        "badges/dropping-ltd.svg",
        "badges/kenya-ops.svg",
        "badges/levels/gold.svg",
        "badges/levels/platinum.svg",
        "badges/levels/registered.svg",
        "badges/levels/silver.svg",
        "badges/old-registered.svg",  # expired: listed nowhere, its badge says "not listed"
    ]


def test_a_partner_not_listed_keeps_a_neutral_badge() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(with_rows_but_no_file(directory), evaluation, options)
    expired, gone = files["badges/old-registered.svg"], files["badges/gone-partner.svg"]
    assert expired == gone  # the same neutral badge, whatever the reason
    svg = parse(expired)
    (label_bg, _, label), (value_bg, value_fg, value) = parts(svg)
    assert (label, value) == ("Northwind", "not listed")
    assert (label_bg, value_bg) == ("#555555", NOT_LISTED_COLOUR)
    assert value_bg not in {level.colour.lower() for level in directory.program.levels}
    assert contrast(value_bg, value_fg) >= 4.5
    name = "Northwind partner: not listed, Northwind Partner Directory"
    assert svg.get("aria-label") == svg.findtext(f"{SVG}title") == name
    # as tall and in the same style as a level badge
    gold = parse(files["badges/acme-digital.svg"])
    assert svg.get("height") == gold.get("height") == "20"
    assert [e.tag for e in svg.iter()] == [e.tag for e in gold.iter()]


def test_listed_partners_badges_do_not_change() -> None:
    directory, evaluation, options = sample_site()
    listed_only = dataclasses.replace(
        directory,
        partners=tuple(p for p in directory.partners if p.id != "old-registered"),
        rows=tuple(r for r in directory.rows if r.partner != "old-registered"),
    )
    before = badge_files(listed_only, evaluation, options)
    after = badge_files(with_rows_but_no_file(directory), evaluation, options)
    assert sorted(set(after) - set(before)) == [
        "badges/gone-partner.svg",
        "badges/old-registered.svg",
    ]
    assert {path: after[path] for path in before} == before


def test_paths_stay_site_relative_under_a_base_path() -> None:
    directory, evaluation, options = sample_site("https://example.github.io/partners/")
    assert "badges/acme-digital.svg" in badge_files(directory, evaluation, options)


def test_partner_badge_shows_its_current_level_in_the_level_colour() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(directory, evaluation, options)
    gold = directory.program.level("gold")
    svg = parse(files["badges/acme-digital.svg"])
    (label_bg, _, label), (value_bg, _, value) = parts(svg)
    assert (label, value) == ("Northwind", "Gold partner")
    assert value_bg == gold.colour
    assert label_bg == "#555555"
    # dropping-ltd is under review: it still holds Silver, and the badge says so
    _, (_, _, dropping) = parts(parse(files["badges/dropping-ltd.svg"]))
    assert dropping == "Silver partner"


def test_every_text_contrasts_at_least_4_5_to_1_with_its_background() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(with_rows_but_no_file(directory), evaluation, options)
    assert len(files) == 11  # five listed partners, four levels, two not listed
    for data in files.values():
        for background, foreground, text in parts(parse(data)):
            assert contrast(background, foreground) >= 4.5, (text, background, foreground)
    for colour in ("#ffffff", "#000000", "#777777", "#808080", "#ffcc00", "#0000ff"):
        (_, _, _), (background, foreground, _) = parts(parse(badge_svg("A", "B", colour)))
        assert contrast(background, foreground) >= 4.5, colour


def test_accessible_name_matches_the_embed_snippet_alt_text() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(directory, evaluation, options)
    pages = {page.path: page for page in plan_pages(directory, evaluation, options)}
    profile = pages["partners/acme-digital/index.html"].context["partner"]
    alt = profile.snippet.alt  # type: ignore[attr-defined]
    svg = parse(files["badges/acme-digital.svg"])
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == alt
    assert svg.findtext(f"{SVG}title") == alt
    level = parse(files["badges/levels/gold.svg"])
    assert level.get("aria-label") == "Gold partner, Northwind Partner Directory"


def test_self_contained_no_script_no_link_no_external_reference() -> None:
    directory, evaluation, options = sample_site()
    files = badge_files(with_rows_but_no_file(directory), evaluation, options)
    assert len(files) == 11  # five listed partners, four levels, two not listed
    for path, data in files.items():
        svg = parse(data)
        for element in svg.iter():
            assert element.tag.removeprefix(SVG) not in ("script", "a", "image", "foreignObject")
            for name, value in element.attrib.items():
                assert "href" not in name and not name.startswith("on"), (path, name)
                assert "url(" not in value or value.startswith("url(#"), (path, value)
        assert b"http" not in data.replace(b'xmlns="http://www.w3.org/2000/svg"', b""), path


def test_hostile_partner_name_is_escaped_and_round_trips() -> None:
    directory, evaluation, options = sample_site()
    hostile = make_partner("acme-digital", name=HOSTILE)
    partners = tuple(hostile if p.id == "acme-digital" else p for p in directory.partners)
    directory = dataclasses.replace(directory, partners=partners)
    data = badge_files(directory, evaluation, options)["badges/acme-digital.svg"]
    assert b"<script" not in data
    svg = parse(data)
    assert svg.findtext(f"{SVG}title") == f"{HOSTILE}: Gold partner, Northwind Partner Directory"
    assert svg.get("aria-label") == svg.findtext(f"{SVG}title")
    assert not svg.findall(f".//{SVG}script")


def test_hostile_label_and_value_are_escaped() -> None:
    svg = parse(badge_svg('A & <b>"B"</b>', "<img src=x onerror=alert(1)>", "#3d4f7c"))
    (_, _, label), (_, _, value) = parts(svg)
    assert label == 'A & <b>"B"</b>'
    assert value == "<img src=x onerror=alert(1)>"
    assert [e.tag for e in svg.iter() if e.tag.endswith(("}b", "}img"))] == []


def test_characters_xml_cannot_hold_are_dropped() -> None:
    svg = parse(badge_svg("Nord\x00wind\x1b", "Go\ufffeld", "#3d4f7c", title="a\x08b"))
    (_, _, label), (_, _, value) = parts(svg)
    assert (label, value, svg.get("aria-label")) == ("Nordwind", "Gold", "ab")


def test_same_input_gives_the_same_bytes() -> None:
    first = badge_files(*sample_site())
    second = badge_files(*sample_site())
    assert first == second
    assert badge_svg("A", "B", "#3d4f7c") == badge_svg("A", "B", "#3D4F7C")


def test_private_figures_never_appear() -> None:
    files = badge_files(*sample_site())
    assert len(files) == 10  # five listed partners, four levels, one not listed
    for data in files.values():
        assert str(SECRET_REVENUE).encode() not in data
        assert f"{SECRET_REVENUE:,}".encode() not in data


def test_widths_follow_the_text() -> None:
    svg = parse(badge_svg("Northwind Data", "Platinum partner", "#4b2e83"))
    width = int(svg.get("width", "0"))
    rects = svg.findall(f"{SVG}g/{SVG}rect")
    assert sum(int(rect.get("width", "0")) for rect in rects) == width
    texts = svg.findall(f"{SVG}g/{SVG}text")
    for rect, text in zip(rects, texts, strict=True):
        # the text fits its part with 5px either side, centred in it
        assert int(text.get("textLength", "0")) == (int(rect.get("width", "0")) - 10) * 10
        centre = int(rect.get("x", "0")) * 10 + int(rect.get("width", "0")) * 5
        assert int(text.get("x", "0")) == centre
    assert svg.get("viewBox") == f"0 0 {width} 20"
    assert text_width("Gold") < text_width("Platinum")
    assert text_width("iii") < text_width("WWW")
    assert text_width("Ärzte") == pytest.approx(text_width("Arzte"), abs=0.5)
    assert text_width("東京") > text_width("ab")  # wide scripts get a full em
    assert text_width("e\u0301") == text_width("e")  # a combining accent takes no room


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northwind Data Partner Directory", "Northwind Data"),
        ("Northwind Partners", "Northwind"),
        ("Acme Partner Programme", "Acme"),
        ("Fjordline", "Fjordline"),
        ("Partner Directory", "Partner Directory"),  # nothing left: the title stays
        ("A" * 40, "A" * (MAX_LABEL - 1) + "\u2026"),
    ],
)
def test_label_is_the_site_title_shortened(title: str, label: str) -> None:
    directory, _, _ = sample_site()
    program = dataclasses.replace(
        directory.program, site=SiteSettings(title, "https://partners.example.com/")
    )
    assert badge_label(program) == label


@pytest.mark.parametrize("colour", ["red", "#fff", "#12345g", "", "#1234567"])
def test_a_colour_that_is_not_rrggbb_is_refused(colour: str) -> None:
    with pytest.raises(ValueError, match="is not #rrggbb"):
        badge_svg("A", "B", colour)
