"""Plain texts: the parser's HTML found without it, and every other text left to the parser."""

from __future__ import annotations

import random
import sys

import pytest

from partnerdir import markdownparser, markup
from partnerdir.plainmarkdown import plain_html


def parsed(text: str) -> str:
    """What Python-Markdown gives `text`, as render_markdown calls it (before sanitising)."""
    return markdownparser.parser_for(text).convert(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words.", "<p>Plain words.</p>"),
        (
            "One *em*, one **strong one**.",
            "<p>One <em>em</em>, one <strong>strong one</strong>.</p>",
        ),
        ("Two\nlines", "<p>Two\nlines</p>"),
        ("\n\nA\n\n\n\nB\n", "<p>A</p>\n<p>B</p>"),
        (
            "Highlights:\n\n- **a** b\n- c",
            "<p>Highlights:</p>\n<ul>\n<li><strong>a</strong> b</li>\n<li>c</li>\n</ul>",
        ),
        ("- a\n\nAfter", "<ul>\n<li>a</li>\n</ul>\n<p>After</p>"),
        (
            "Read [our blog](https://a.example/blog?x=1#top) or [mail](mailto:a@b.example).",
            '<p>Read <a href="https://a.example/blog?x=1#top">our blog</a> or '
            '<a href="mailto:a@b.example">mail</a>.</p>',
        ),
        ('C# 5 (beta) "q" it\'s 50% a|b ~ 日本', '<p>C# 5 (beta) "q" it\'s 50% a|b ~ 日本</p>'),
        ("*a* *b*c**d**", "<p><em>a</em> <em>b</em>c<strong>d</strong></p>"),
    ],
)
def test_a_plain_text_gives_the_parsers_html(text: str, expected: str) -> None:
    assert plain_html(text) == expected
    assert parsed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "a <b> c",
        "a &amp; b",
        "snake_case",
        "a `b`",
        "a \\* b",
        "a\xa0b",
        "a\tb",
        "a\u2028b",
        "a\x02b",
        "***a***",
        "![logo](https://a.example/x.png)",
        "    code",
        " lead",
        "# Title",
        "> quote",
        "Title\n=====",
        "Title\n-----",
        "1. first",
        "2) second",
        "+ item",
        "* item",
        "- - nested",
        "- a\n\n- b",
        "Text\n- not an item",
        "- a\nlazy line",
        "line break  \nhere",
        "5 * 3",
        "*a**b*",
        "** a**",
        "*a *",
        "[a]",
        "[a](relative/path)",
        "[a](https://a.example/x y)",
        "[a]: https://a.example",
        "[*a*](https://a.example)",
        "**[a](https://a.example)**",
        "*a\nb*",
    ],
)
def test_any_other_text_is_left_to_the_parser(text: str) -> None:
    assert plain_html(text) is None


def test_every_space_but_space_and_newline_leaves_a_text_to_the_parser() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        if space not in " \n":
            assert plain_html(f"a{space}b") is None, hex(ord(space))


WORDS = ["data", "Northwind", "C#", "5", "2024.", "it's", '"q"', "(beta)", "a:b", "x|y", "é"]
MARKS = ["-", "--", "*", "**", "[", "]", "(", ")", "!", ":", "#1", "1.", "3)", "+", "=", " ", "\n"]
INSERTS = [*MARKS, "\t", "\xa0", "_", "&", "<", ">", "`", "\\", "***", "![", "\x02", "\n\n"]


def random_text(rng: random.Random) -> str:
    """Paragraphs and lists of words, emphasis and links, some lines off the plain subset."""

    def line() -> str:
        words = []
        for _ in range(rng.randint(1, 10)):
            word = rng.choice(WORDS) if rng.random() < 0.95 else rng.choice(MARKS)
            roll = rng.random()
            if roll < 0.1:
                word = f"*{word}*"
            elif roll < 0.18:
                word = f"**{word} {rng.choice(WORDS)}**"
            elif roll < 0.24:
                target = rng.choice(["a", "b/c", "?q=1", "#x", "a(b)", "a b"])
                word = f"[{word} blog](https://a.example/{target})"
            elif roll < 0.26:
                word = f"[{word}](mailto:a@b.example)"
            words.append(word + rng.choice([" "] * 12 + ["", "  ", "\n"]))
        return "".join(words).rstrip(" \n") + rng.choice(["", "", "", " "])

    def block() -> str:
        if rng.random() < 0.35:
            markers = ["- ", "- ", "- ", "-  ", "* ", "1. "]
            return "\n".join(rng.choice(markers) + line() for _ in range(rng.randint(1, 4)))
        return line()

    text = rng.choice(["", "\n"]) + rng.choice(["\n\n", "\n\n\n", "\n"]).join(
        block() for _ in range(rng.randint(1, 4))
    )
    if rng.random() < 0.3:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(INSERTS) + text[at:]
    return markup.limit_input(text)


def test_random_plain_texts_give_the_parsers_html() -> None:
    rng = random.Random(15)
    plain = 0
    for _ in range(4000):
        text = random_text(rng)
        html = plain_html(text)
        if html is not None:
            plain += 1
            assert html == parsed(text), repr(text)
    assert plain > 300  # the comparison ran on many texts, not on a few
