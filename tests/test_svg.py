"""SVG logos: what a still picture needs passes; whatever could run or load something is refused."""

from __future__ import annotations

import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerdir.content.safety.svg import ATTRIBUTES, ELEMENTS, PRESENTATION, svg_problem

REPO = Path(__file__).parent.parent
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
STYLESHEET = (
    "has a <style> element: logos may not carry CSS stylesheets; use presentation attributes "
    "(fill, stroke)"
)
SCRIPT = "element: logos may not run script"
ANIMATION = "element: a logo is a still picture, without animation"
NOT_A_SHAPE = (
    "element; a logo holds only shapes, text, groups, gradients, patterns, clip paths, masks "
    "and markers"
)
VALUE = (
    "a value may hold no backslash, @ or address, and no function but url(#id), rgb(), hsl() "
    "and transforms"
)
LINK = "a logo may link only to a #fragment of the same file"
HANDLER = "logos may not run script"
UNKNOWN = "a logo needs geometry and presentation attributes only"


@pytest.mark.parametrize(
    ("svg", "expected"),
    [
        (SVG.format('<path d="M0 0h10v10z" fill="#123456"/>'), None),
        (SVG.format('<defs><linearGradient id="g"/></defs><use xlink:href="#g"/>'
                    '<rect class="a" fill="url(#g)" style="stroke: url(#g)"/>'), None),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- an old Illustrator export -->'
         + SVG.format("<path d='M0 0'/>"), None),
        (SVG.format("<script>alert(1)</script>"), f"has a <script> {SCRIPT}"),
        (SVG.format('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
         "has a <script> element outside the SVG namespace; a logo holds SVG elements only"),
        (SVG.format('<a><animate attributeName="href" values="jav&#x61;script:alert(1)"/>'
                    "<text>x</text></a>"), f"has an <a> {NOT_A_SHAPE}"),
        (SVG.format('<g><animate attributeName="href" values="jav&#x61;script:alert(1)"/></g>'),
         f"has an <animate> {ANIMATION}"),
        (SVG.format("<style>@import 'https://evil.example/x.css';</style>"), STYLESHEET),
        (SVG.format('<rect style="fill:url(https://evil.example/p.svg#a)"/>'),
         f"has a fill value in its style attribute on <rect>: {VALUE}"),
        (SVG.format('<g><set attributeName="xlink:href" to="javascript:alert(1)"/></g>'),
         f"has a <set> {ANIMATION}"),
        (SVG.format('<a href="jav&#x61;script:alert(1)"><text>x</text></a>'),
         f"has an <a> {NOT_A_SHAPE}"),
        (SVG.format('<use href="#x" xlink:href="https://evil.example/#x"/>'),
         f"has a link (xlink:href) on <use>: {LINK}"),
        ('<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG.format(""),
         "declares entities or a stylesheet"),
        (SVG.format('<rect onclick="alert(1)"/>'),
         f"has an event handler onclick on <rect>: {HANDLER}"),
        (SVG.format('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>'),
         f"has a <foreignObject> {NOT_A_SHAPE}"),
        (SVG.format('<image href="https://tracker.example/p.png"/>'),
         f"has an <image> {NOT_A_SHAPE}"),
        (SVG.format('<image xlink:href="data:image/png;base64,AAAA"/>'),
         f"has an <image> {NOT_A_SHAPE}"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("<text>&a;</text>"),
         "declares entities or a stylesheet"),
        ("<svg><path d='M0 0'/>", "is not well-formed XML"),
        ("<svg><path d='M0 0'/></svg>",
         "is not an SVG image (its root is not <svg> in the SVG namespace)"),
    ],
    ids=["plain", "gradient-references", "external-doctype", "script", "xhtml-script",
         "animate-href-in-a-link", "animate-href", "css-import", "css-url", "set-xlink-href",
         "entity-in-href", "second-href", "xml-stylesheet", "handler", "foreign-object",
         "external-image", "data-image", "entities", "broken", "no-namespace"],
)  # fmt: skip
def test_svg_logos_are_checked_as_a_browser_reads_them(svg: str, expected: str | None) -> None:
    assert svg_problem(svg) == expected


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        # CSS escapes, image functions and animations: each of these passed the old search for
        # `url(` and `@import`, and Chromium fetched the address when the logo was opened
        (r"<style>@\69mport url(//tracker.example/x.css)</style>", STYLESHEET),
        (r"<style>@\69mport '//tracker.example/x.css';</style>", STYLESHEET),
        (r"<style>.a{background:u\72l(//tracker.example/p.png)}</style>", STYLESHEET),
        (r'<rect style="background:u\72l(//tracker.example/p.png)"/>',
         "has a style property background on <rect>: a logo needs presentation properties only"),
        (r'<rect style="fill:u\72l(//tracker.example/p.svg#a)"/>',
         f"has a fill value in its style attribute on <rect>: {VALUE}"),
        ("<rect fill=\"image-set('//tracker.example/p.png' 1x)\"/>",
         f"has a fill value on <rect>: {VALUE}"),
        ("<rect style=\"mask:-webkit-image-set('//tracker.example/p.png' 1x)\"/>",
         f"has a mask value in its style attribute on <rect>: {VALUE}"),
        (r'<rect><set attributeName="style" to="background:u\72l(//tracker.example/p)"/></rect>',
         f"has a <set> {ANIMATION}"),
        ('<rect><animate attributeName="fill" values="red;blue" dur="1s"/></rect>',
         f"has an <animate> {ANIMATION}"),
        ('<use xml:base="https://tracker.example/" href="#a"/>',
         "has an attribute xml:base on <use>: a logo uses SVG attributes"),
        ('<video src="//tracker.example/v.mp4"/>', f"has a <video> {NOT_A_SHAPE}"),
        ('<filter><feImage href="#a"/></filter>', f"has a <filter> {NOT_A_SHAPE}"),
        # caught by the old check too, and still refused
        ("<style>@import url(//tracker.example/x.css);</style>", STYLESHEET),
        ('<a><animate attributeName="href" values="javascript:alert(1)"/></a>',
         f"has an <a> {NOT_A_SHAPE}"),
        ('<image href="http://tracker.example/p.png"/>', f"has an <image> {NOT_A_SHAPE}"),
        ('<a href="javascript:alert(1)"><text>x</text></a>', f"has an <a> {NOT_A_SHAPE}"),
        ("<foreignObject/>", f"has a <foreignObject> {NOT_A_SHAPE}"),
        ('<rect fill="u&#x72;l(//tracker.example/p.svg#a)"/>',
         f"has a fill value on <rect>: {VALUE}"),
        ('<use href="http://tracker.example/#a"/>', f"has a link (href) on <use>: {LINK}"),
        # the allow-list: whatever a still logo does not need
        ("<blink/>", f"has a <blink> {NOT_A_SHAPE}"),
        ('<rect xmlns="">x</rect>',
         "has a <rect> element outside the SVG namespace; a logo holds SVG elements only"),
        ('<svg onload="alert(1)"/>', f"has an event handler onload on <svg>: {HANDLER}"),
        ('<rect foo="1"/>', f"has an attribute foo on <rect>: {UNKNOWN}"),
        ('<rect cursor="pointer"/>', f"has an attribute cursor on <rect>: {UNKNOWN}"),
        ('<g i:extraneous="self" xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/"/>',
         "has an attribute extraneous from another namespace on <g>: a logo uses SVG attributes"),
        ('<rect style="fill red"/>',
         "has a style attribute on <rect>: it may hold only property: value pairs; use "
         "presentation attributes (fill, stroke)"),
        ('<rect style="--x: 1"/>',
         "has a style property --x on <rect>: a logo needs presentation properties only"),
        ('<rect style="fill: red !important"/>',
         f"has a fill value in its style attribute on <rect>: {VALUE}"),
        ('<rect fill="red/**/"/>', f"has a fill value on <rect>: {VALUE}"),
        ('<rect fill="url(\'#a\')"/>', f"has a fill value on <rect>: {VALUE}"),
        ('<rect fill="var(--x)"/>', f"has a fill value on <rect>: {VALUE}"),
        ('<rect fill="expression(alert(1))"/>', f"has a fill value on <rect>: {VALUE}"),
        ('<use href=" #a"/>', f"has a link (href) on <use>: {LINK}"),
    ],
    ids=["style-escaped-import", "style-escaped-import-string", "style-escaped-url",
         "style-attribute-escaped-url", "style-attribute-escaped-fill", "image-set",
         "webkit-image-set", "set-style", "animate-colour", "xml-base", "video", "fe-image",
         "style-import", "animate-href", "image", "javascript-link", "foreign-object",
         "character-reference", "use-elsewhere", "unknown-element", "no-namespace", "handler",
         "unknown-attribute", "cursor", "illustrator-attribute", "style-not-declarations",
         "custom-property", "important", "css-comment", "quoted-url", "var", "expression",
         "href-with-space"],
)  # fmt: skip
def test_only_what_a_still_logo_needs_passes(element: str, expected: str) -> None:
    assert svg_problem(SVG.format(element)) == expected


@pytest.mark.parametrize(
    ("prologue", "expected"),
    [
        ('<!DOCTYPE svg [<!ATTLIST rect style CDATA "fill:u\\72l(//x)">]>',
         "declares entities or a stylesheet"),
        # a `>` in the system literal hid the internal subset from the old pattern
        ('<!DOCTYPE svg SYSTEM "a>b" [<!ATTLIST rect fill CDATA "red">]>',
         "declares entities or a stylesheet"),
        ("<!DOCTYPE svg []>", "declares entities or a stylesheet"),
        ('<?xml-stylesheet type="text/css" href="data:text/css,*{}"?>',
         "declares entities or a stylesheet"),
        ("<?XML-STYLESHEET href='//x'?>", "declares entities or a stylesheet"),
        ("<?php echo 1; ?>", "has a processing instruction <?php?>; a logo needs none"),
        ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">', None),
    ],
    ids=["attribute-defaults", "hidden-subset", "empty-subset", "xml-stylesheet",
         "upper-case-stylesheet", "other-instruction", "external-dtd"],
)  # fmt: skip
def test_the_prologue_declares_nothing_that_changes_the_logo(
    prologue: str, expected: str | None
) -> None:
    assert svg_problem(prologue + SVG.format('<rect width="1" height="1"/>')) == expected


def test_a_long_value_is_checked_in_linear_time() -> None:
    # 250,000 letters and no bracket: each function name is read once, not once per letter
    started = time.perf_counter()
    assert svg_problem(SVG.format(f'<rect fill="{"a" * 250_000} "/>')) is None
    assert svg_problem(SVG.format(f'<rect fill="{"a(" * 120_000}"/>')) is not None
    assert time.perf_counter() - started < 1.0


def test_the_file_is_read_as_utf_8_as_the_browser_reads_it() -> None:
    # The parser reads our text as UTF-8 whatever the file declares; a browser decodes the
    # declared encoding, in which a byte that is a quote or a letter here can be part of
    # another character: what the browser reads would not be what was checked.
    for declaration in ('encoding="Shift_JIS"', "encoding='windows-1252'", 'encoding="UTF-16"'):
        svg = f'<?xml version="1.0" {declaration}?>' + SVG.format("")
        assert svg_problem(svg) == "is not saved as UTF-8"
    assert svg_problem(SVG.format("<title>Caf\ufffd</title>")) == "is not saved as UTF-8"
    assert svg_problem('<?xml version="1.0" encoding="utf-8"?>' + SVG.format("")) is None
    assert svg_problem("\ufeff" + SVG.format("<title>Café</title>")) is None


#: A logo as a drawing program exports it with presentation attributes: gradients referenced
#: by url(#id), a clip path, a mask, a pattern, a symbol and marker, transforms and text.
REALISTIC = (REPO / "tests" / "logos" / "realistic.svg").read_text()


def test_a_realistic_logo_passes() -> None:
    assert svg_problem(REALISTIC) is None


def test_every_logo_of_the_examples_and_fixtures_passes() -> None:
    # (the benchmark's generated logos are checked by tests/test_bench.py)
    logos = [*REPO.glob("content/partners/*.svg"), *REPO.glob("tests/sites/*/content/**/*.svg")]
    assert len(logos) > 10
    for logo in logos:
        assert svg_problem(logo.read_text()) is None, logo


def test_messages_name_what_was_refused_and_never_its_value() -> None:
    secret = "//tracker.example/&#10;forged: line&#x202e;"
    problem = svg_problem(SVG.format(f'<rect fill="{secret}"/>'))
    assert problem == f"has a fill value on <rect>: {VALUE}"
    long_name = "x" * 200
    problem = svg_problem(SVG.format(f"<{long_name}/>"))
    assert problem == f"has a <{'x' * 40}...> {NOT_A_SHAPE}"
    problem = svg_problem(SVG.format('<rect style="background\n:url(//x)"/>'))
    assert problem is not None and "\n" not in problem and "//x" not in problem


#: Characters XML can carry in an attribute value, and no U+FFFD (read as a decoding error).
XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffd")
    | st.sampled_from("\t\n"),
    max_size=30,
)


def attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


@given(st.sampled_from(sorted(PRESENTATION)), XML_TEXT, XML_TEXT)
def test_a_backslash_in_a_style_attribute_is_refused(name: str, before: str, after: str) -> None:
    style = attribute(f"{name}: {before}\\{after}")
    problem = svg_problem(SVG.format(f'<rect style="{style}"/>'))
    assert problem is not None and "style" in problem


#: Every attribute on the lists but the two with a grammar of their own, and the one style
#: property that is no XML name.
SIMPLE = sorted(name for name in ATTRIBUTES - {"href", "style"} if not name.startswith("-"))


#: What could make a CSS value load something, or hide what it loads from a search.
DANGEROUS = [
    "\\", "@", "url(/", "url(h", "url('", 'url("', "url( #", "image-set(", "-webkit-image-set(",
    "image(", "cross-fade(", "element(", "expression(", "var(", "attr(", "/*", "!", ";", "{",
    "<", ":",
]  # fmt: skip


@given(
    st.sampled_from(SIMPLE),
    XML_TEXT,
    st.sampled_from(DANGEROUS),
    XML_TEXT,
)
def test_a_value_that_could_load_something_is_refused(
    name: str, before: str, token: str, after: str
) -> None:
    value = attribute(before + token + after)
    assert svg_problem(SVG.format(f'<rect {name}="{value}"/>')) is not None


PLAIN = st.text("abcXYZ019 #%.,-+", max_size=12)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(ELEMENTS)),
            st.dictionaries(st.sampled_from(SIMPLE), PLAIN),
        ),
        max_size=8,
    )
)
def test_logos_made_of_the_lists_pass(elements: list[tuple[str, dict[str, str]]]) -> None:
    body = "".join(
        f"<{name} " + " ".join(f'{key}="{value}"' for key, value in attributes.items()) + "/>"
        for name, attributes in elements
    )
    assert svg_problem(SVG.format(body)) is None


@given(st.text(max_size=200))
def test_any_text_gives_a_problem_or_none(text: str) -> None:
    problem = svg_problem(text)
    assert problem is None or ("\n" not in problem and problem)
