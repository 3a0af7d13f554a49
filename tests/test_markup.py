"""Markdown descriptions: sanitised HTML, and bounded time on pathological input."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from scanner import scan_html

from partnerdir import markdownparser, markup
from partnerdir.markdownparser import INLINE_PATTERNS, has_inline_markup
from partnerdir.markup import ALLOWED_TAGS, MAX_CHARS, limit_input, render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Plain *text*", "<p>Plain <em>text</em></p>"),
        ("**bold** and `<code>`", "<p><strong>bold</strong> and <code>&lt;code&gt;</code></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("# Title", "<h3>Title</h3>"),
        ("#### Deep", "<h6>Deep</h6>"),
        ("###### Deepest", "<h6>Deepest</h6>"),
        (
            "[site](https://acme.example.com)",
            '<p><a href="https://acme.example.com" rel="nofollow ugc noopener">site</a></p>',
        ),
        (
            "[mail](mailto:a@b.example)",
            '<p><a href="mailto:a@b.example" rel="nofollow ugc noopener">mail</a></p>',
        ),
        ("<https://a.example>", '<p><a href="https://a.example" rel="nofollow ugc noopener">'),
        # raw HTML is text, never markup
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<b onclick="x">b</b>', '<p>&lt;b onclick="x"&gt;b&lt;/b&gt;</p>'),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>"),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>"),
        # no scheme but http(s) and mailto survives
        ("[x](javascript:alert(1))", '<p><a rel="nofollow ugc noopener">x</a></p>'),
        ("[x](JavaScript:alert(1))", '<p><a rel="nofollow ugc noopener">x</a></p>'),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", '<p><a rel="nofollow ugc noopener">x</a></p>'),
        ("[x]: javascript:alert(1)\n\n[y][x]", '<p><a rel="nofollow ugc noopener">y</a></p>'),
        ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
        # images would load from another host: they stay text
        ("![logo](https://evil.example/x.png)", "<p>![logo](https://evil.example/x.png)</p>"),
    ],
)
def test_render_markdown(source: str, expected: str) -> None:
    assert render_markdown(source).startswith(expected)


ATTACKS = [
    "<script>x</script>",
    "<img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](jav&#x61;script:alert(1))",
    "[a](data:text/html,x)",
    "[a](vbscript:x)",
    "<iframe src=x></iframe>",
    '<p style="x">y</p>',
    '[a](https://x.example "t" onerror=alert(1))',
    "![a](javascript:alert(1))",
    "<a href=javascript:alert(1)>x</a>",
    "<svg onload=alert(1)>",
    "[a](https://x.example)<style>*{}</style>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_only_allowed_markup_survives(attack: str) -> None:
    elements = scan_html(render_markdown(attack)).elements
    assert elements, "every attack renders as markup, if only a paragraph"
    for tag, attrs in elements:
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= {"href", "title", "rel"}, attrs
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "mailto:", "/")), href
            assert attrs.get("rel") == "nofollow ugc noopener"


PATHOLOGICAL = {
    "100,000 [": "[" * 100_000,
    "100,000 [ then ]": "[" * 100_000 + "]",
    "nested closed brackets": "[" * 5_000 + "]" * 5_000,
    "unclosed link targets": "[a](" * 25_000,
    "unclosed quoted targets": '[a](" ' * 20_000,
    "image openers": "![" * 50_000,
    "1,000 nested lists": "".join("    " * i + "- x\n" for i in range(1_000)),
    "1,000 nested lists, 2 spaces": "".join("  " * i + "- x\n" for i in range(1_000)),
    "1,000 list markers on a line": "- " * 1_000 + "x",
    "100,000 quote markers": ">" * 100_000 + " x",
    "1,000 nested quotes": "".join(">" * i + " x\n" for i in range(1_000)),
    "emphasis": "*a" * 50_000,
    "backticks": "`" * 100_000,
    "angle brackets": "<" * 100_000,
    "reference definitions": "[a]: " * 20_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_renders_quickly(name: str) -> None:
    # CPU time of this process, not the wall clock: other work on a shared machine does not
    # count. The slowest input takes 0.31 s of CPU here; a quadratic path would take far longer.
    start = time.process_time()
    html = render_markdown(PATHOLOGICAL[name])
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{name}: {elapsed:.2f}s of CPU"
    assert html  # rendered, not rejected


def test_length_is_capped_before_parsing() -> None:
    assert len(limit_input("a" * (3 * MAX_CHARS))) == MAX_CHARS


def test_legitimate_nesting_and_links_are_kept() -> None:
    source = "- a\n    - b\n        - c\n\n> quote\n>> nested\n\n" + "[l](https://x.example) " * 50
    html = render_markdown(source)
    assert html.count("<ul>") == 3
    assert html.count("<blockquote>") == 2
    assert html.count('<a href="https://x.example"') == 50


def test_link_references_do_not_leak_between_texts() -> None:
    first = render_markdown("[a][x]\n\n[x]: https://a.example")
    second = render_markdown("[b][x]")
    assert '<a href="https://a.example"' in first
    assert second == "<p>[b][x]</p>"


def test_every_inline_pattern_has_its_triggers_listed() -> None:
    # A text without any trigger skips the inline stage: a pattern added without its triggers
    # would silently stop matching in such texts.
    registered = {name for name in markdownparser.parser().inlinePatterns._data}
    assert registered == set(INLINE_PATTERNS)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("plain `code`", "<p>plain <code>code</code></p>"),
        ("plain \\*not em\\*", "<p>plain *not em*</p>"),
        ("plain [a][x]\n\n[x]: https://a.example", '<p>plain <a href="https://a.example"'),
        ("plain [a](https://a.example)", '<p>plain <a href="https://a.example"'),
        ("plain [x]\n\n[x]: https://a.example", '<p>plain <a href="https://a.example"'),
        ("plain <https://a.example>", '<p>plain <a href="https://a.example"'),
        ("plain <a@b.example>", '<p>plain <a href="mailto:'),
        ("plain  \nbreak", "<p>plain<br>\nbreak</p>"),
        ("plain &copy;", "<p>plain \u00a9</p>"),
        ("plain *em* and _em_", "<p>plain <em>em</em> and <em>em</em></p>"),
    ],
)
def test_each_inline_pattern_still_matches_beside_plain_paragraphs(
    source: str, expected: str
) -> None:
    html = render_markdown("A plain paragraph.\n\n" + source + "\n\n- a plain item")
    assert html.startswith("<p>A plain paragraph.</p>\n" + expected)
    assert html.endswith("<ul>\n<li>a plain item</li>\n</ul>")


def test_plain_text_skips_the_inline_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []
    parser = markdownparser.parser()  # every pattern registered
    for name in INLINE_PATTERNS:
        pattern = parser.inlinePatterns[name]
        original = pattern.getCompiledRegExp

        def spy(name: str = name, original: object = original) -> object:
            tried.append(name)
            return original()  # type: ignore[operator]

        monkeypatch.setattr(pattern, "getCompiledRegExp", spy)
    assert parser.reset().convert("Plain words, no markup.\n\n- plain item") == (
        "<p>Plain words, no markup.</p>\n<ul>\n<li>plain item</li>\n</ul>"
    )
    assert tried == []
    parser.reset().convert("one *em*")
    assert tried


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words.", set()),
        (
            "Some **bold** and [a link](https://a.example).",
            {"em_strong", "link", "reference", "short_reference"},
        ),
        ("a_b `c` \\d <e> f  \ng &amp; [h]", set(INLINE_PATTERNS)),
    ],
)
def test_a_text_is_parsed_with_the_patterns_that_can_match_in_it(
    text: str, expected: set[str]
) -> None:
    found = markdownparser.patterns_in(text)
    assert found == expected
    assert set(markdownparser.parser_for(text).inlinePatterns._data) == expected


@pytest.mark.parametrize("text", ["a `b`", "a \\b", "[a", "<a", "a  \nb", "&a", "*a", "_a", "\x02"])
def test_a_trigger_makes_a_text_go_through_the_inline_patterns(text: str) -> None:
    assert has_inline_markup(text)
    assert not has_inline_markup("Plain words, 3 digits (and brackets): ok!")


def test_a_plain_description_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser(text: str) -> None:
        raise AssertionError(f"parsed {text!r}")

    monkeypatch.setattr(markup, "_markdown", no_parser)
    assert render_markdown("We *build* it.\n\n- **Fast**\n- [Ours](https://a.example)") == (
        "<p>We <em>build</em> it.</p>\n<ul>\n<li><strong>Fast</strong></li>\n"
        '<li><a href="https://a.example" rel="nofollow ugc noopener">Ours</a></li>\n</ul>'
    )
    with pytest.raises(AssertionError, match="parsed 'a `code` span'"):
        render_markdown("a `code` span")


def test_python_markdown_is_imported_only_for_a_text_that_needs_the_parser() -> None:
    code = (
        "import sys; from partnerdir.markup import render_markdown; "
        "render_markdown('A *plain* text.\\n\\n- [a](https://a.example)'); "
        "print('markdown' in sys.modules); render_markdown('a `code` span'); "
        "print('markdown' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]
