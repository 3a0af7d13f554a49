"""The plain shape of a content file, read without the YAML parser: the very tree the parser's
events give, or None (the parser reads the file)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import EXAMPLE, INVALID, ROOT
from strategies import apply_edits, partner_file_edits, yaml_texts

from partnerdir.content.loading import tree_from_events
from partnerdir.content.plainyaml import read_plain_mapping
from partnerdir.content.yamltree import YamlList, YamlMap
from partnerdir.problems import Problem

PROPERTY = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
#: The partner files people write: the example's, the invalid cases' base, CONTRIBUTING's.
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
WRITTEN = {
    **{path.name: path.read_text(encoding="utf-8") for path in EXAMPLE.glob("partners/*.yaml")},
    "_base acme.yaml": (INVALID / "_base" / "partners" / "acme.yaml").read_text(encoding="utf-8"),
    "CONTRIBUTING.md": re.findall(r"```yaml\n(.*?)```", CONTRIBUTING, re.S)[0],
}


def events_tree(text: str) -> tuple[YamlMap | None, list[str]]:
    problems: list[Problem] = []
    return tree_from_events(text, "f.yaml", problems), [str(p) for p in problems]


def assert_same_as_the_parser(text: str) -> None:
    plain = read_plain_mapping(text)
    if plain is not None:
        assert events_tree(text) == (plain, [])


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_partner_files_as_written_are_read_without_the_parser(name: str) -> None:
    text = WRITTEN[name]
    plain = read_plain_mapping(text)
    assert plain is not None
    assert events_tree(text) == (plain, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# a comment\n\nname: A\n   \nwebsite: x\n",
         YamlMap(3, {"name": "A", "website": "x"}, {"name": 3, "website": 5})),
        ("a:\nb:   \n", YamlMap(1, {"a": None, "b": None}, {"a": 1, "b": 2})),
        ("a: 'it''s'\nb: \"say 'hi' # not a comment\"\nc: ''\n",
         YamlMap(1, {"a": "it's", "b": "say 'hi' # not a comment", "c": ""},
                 {"a": 1, "b": 2, "c": 3})),
        ("a: C# and F#, 12:30, O'Brien  \n",
         YamlMap(1, {"a": "C# and F#, 12:30, O'Brien"}, {"a": 1})),
        ("x: 1\nlist: [ NO , 'a''b', \"@c\", d e ]\nempty: []\n",
         YamlMap(1, {"x": "1", "list": YamlList(2, ["NO", "a'b", "@c", "d e"], [2, 2, 2, 2]),
                     "empty": YamlList(3, [], [])},
                 {"x": 1, "list": 2, "empty": 3})),
        ("d: |\n\n  one\n    two\n\n  three\n\n\nnext: x\n",
         YamlMap(1, {"d": "\none\n  two\n\nthree\n", "next": "x"}, {"d": 1, "next": 9})),
        ("d: |-\n  one\n  \n  two\n# a comment\n", YamlMap(1, {"d": "one\n\ntwo"}, {"d": 1})),
    ],
    ids=["comments-and-blank-lines", "empty", "quoted", "plain-with-signs", "flow-lists",
         "literal-block", "stripped-block"],
)  # fmt: skip
def test_the_plain_shape_gives_the_parsers_tree(text: str, expected: YamlMap) -> None:
    assert read_plain_mapping(text) == expected
    assert events_tree(text) == (expected, [])


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",  # an anchor
        "a: [1]\nb: *x\n",  # an alias
        "a: !!str x\n",  # a tag
        "a: [!x b]\n",  # a tag in a list
        "a: 1\na: 2\n",  # a duplicate key
        "a: b # c\n",  # a comment after a value
        "a: b\n  c\n",  # a value continued on the next line
        "a:\n  b: c\n",  # a nested mapping
        "a:\n  - b\n",  # a block list
        "a:\n- b\n",  # a block list at the key's indentation
        "a: b: c\n",  # a colon and a space inside a plain value
        "a: @b\n",  # a reserved sign
        'a: "b\\n"\n',  # an escape
        "a: 'b\n  c'\n",  # a quoted value over two lines
        "a: [b,\n  c]\n",  # a list over two lines
        "a: [b, c,]\n",  # a comma before the bracket
        "a: [b] # c\n",  # a comment after a list
        "a: {b: c}\n",  # a flow mapping
        "a: >\n  b\n",  # a folded block
        "a: |+\n  b\n",  # a block that keeps its last line breaks
        "a: |2\n   b\n",  # a block with its indentation given
        "a: |\n  b\n    \n",  # a line of spaces beyond the block's indentation
        "a: |\n    \n  b\n",  # a first blank line wider than the block's indentation
        "a: |\n  b\n c\n",  # a line less indented than the block
        "a: |\nb: c\n",  # an empty block
        "a: b\tc\n",  # a tab
        "a: b\r\n",  # a carriage return
        "a: b\u2028c\n",  # a line break to YAML only
        "\ufeffa: b\n",  # a byte order mark
        "a: b\x7f\n",  # a control character
        "a: b",  # no line break at the end
        "---\na: b\n",  # a document marker
        "%YAML 1.1\n---\na: b\n",  # a directive
        "a : b\n",  # a space before the colon
        "'a': b\n",  # a quoted key
        "# only a comment\n",  # no key
        "",  # nothing
    ],
)
def test_any_other_shape_is_left_to_the_parser(text: str) -> None:
    assert read_plain_mapping(text) is None


@PROPERTY
@given(text=yaml_texts())
def test_texts_near_the_plain_shape_give_the_parsers_tree_or_none(text: str) -> None:
    assert_same_as_the_parser(text)


@PROPERTY
@given(name=st.sampled_from(sorted(WRITTEN)), steps=partner_file_edits())
def test_edited_partner_files_give_the_parsers_tree_or_none(
    name: str, steps: list[tuple[str, int, int, str]]
) -> None:
    assert_same_as_the_parser(apply_edits(WRITTEN[name], steps))
