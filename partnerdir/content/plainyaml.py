"""The plain shape most content files have, read without the YAML parser: top-level keys with
one-line values, one-line flow lists and literal blocks. Any other shape is left to the parser.

A partner file is a dozen keys, a Markdown description and a few lists, written as
CONTRIBUTING.md shows. The YAML parser makes about 50 events of such a file, each a Python
object with two positions: most of the cost of reading it. Here each line is looked at once.
`read_plain_mapping` gives exactly the tree `loading.parse_yaml` builds from the parser's
events, with the same lines, or None for anything it does not know to be of that shape and
free of problems: a duplicate key, an indented line outside a block, a comment after a value,
a value that starts with a YAML indicator (anchors, aliases and tags among them), a tab, a
carriage return. The parser then reads the file, and reports what is wrong with it.
"""

from __future__ import annotations

import re

from .yamltree import YamlList, YamlMap, YamlValue

#: Anything the YAML reader refuses or reads otherwise (control characters, a byte order mark,
#: line breaks other than \n, tabs, whose meaning depends on where they are): left to the parser.
_NOT_PLAIN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
#: A top-level key written plainly, its colon and the spaces after it.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")
#: What a plain value must not start with: YAML's indicators (a list entry, a key, a flow
#: collection, a comment, an anchor, an alias, a tag, a block, quotes, a directive, reserved).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: A plain entry of a one-line flow list: words of letters, digits and `_ . / + -`.
_PLAIN = r"[A-Za-z0-9_][A-Za-z0-9_./+-]*(?: [A-Za-z0-9_./+-]+)*"
#: A double-quoted entry without escapes nor commas.
_DOUBLE = r'"[^"\\,]*"'
#: One entry of a one-line flow list and the comma after it.
_FLOW_ENTRY = re.compile(rf""" *(?:"([^"\\]*)"|'((?:[^']|'')*)'|({_PLAIN})) *(,|$)""")
#: The inside of a flow list of plain entries only, or of double-quoted ones only (no comma
#: inside an entry, so the entries are what lies between commas).
_PLAIN_ENTRIES = re.compile(rf" *{_PLAIN} *(?:, *{_PLAIN} *)*")
_QUOTED_ENTRIES = re.compile(rf" *{_DOUBLE} *(?:, *{_DOUBLE} *)*")


def read_plain_mapping(text: str) -> YamlMap | None:
    """The tree of `text` when it is a mapping of the plain shape, with no problem; else None."""
    if not text.endswith("\n"):
        return None
    # What Python calls printable YAML reads as text too (it excludes tabs, carriage returns,
    # control characters and the byte order mark); only a text with other characters, such as
    # a no-break space, needs the expression.
    if not text.replace("\n", "").isprintable() and _NOT_PLAIN.search(text):
        return None
    lines = text.split("\n")
    lines.pop()  # after the last line break
    items: dict[str, YamlValue] = {}
    key_lines: dict[str, int] = {}
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        index += 1  # now the line's number
        if not line or line[0] == "#":
            continue
        if line[0] == " ":
            if line.strip(" "):
                return None  # nested, continued or an indented comment
            continue
        match = _KEY.match(line)
        if match is None:
            return None
        key = match.group(1)
        if key in items:
            return None
        key_lines[key] = index
        value: YamlValue
        text_value = line[match.end() :].rstrip(" ")
        if not text_value:
            value = None
        elif text_value == "|" or text_value == "|-":
            block = _literal_block(lines, index, keep_last_break=text_value == "|")
            if block is None:
                return None
            value, index = block
        else:
            value = _one_line_value(text_value, index)
            if value is None:
                return None
        items[key] = value
    if not items:
        return None
    # The mapping starts at its first key, as the parser marks it.
    return YamlMap(next(iter(key_lines.values())), items, key_lines)


def _one_line_value(text: str, line: int) -> str | YamlList | None:
    """A value written on the line of its key: plain, quoted or a flow list; None otherwise."""
    first = text[0]
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            return None
        return inner
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            return None
        return inner.replace("''", "'")
    if first == "[":
        return _flow_list(text, line)
    if first in _INDICATORS or ": " in text or text[-1] == ":" or " #" in text:
        return None
    return text


def _flow_list(text: str, line: int) -> YamlList | None:
    """A flow list written on one line (`[NO, SE]`, `["@a", "@b"]`), or None."""
    if text[-1] != "]":
        return None
    inner = text[1:-1]
    entries: list[YamlValue]
    if _PLAIN_ENTRIES.fullmatch(inner):
        entries = [entry.strip(" ") for entry in inner.split(",")]
        return YamlList(line, entries, [line] * len(entries))
    if _QUOTED_ENTRIES.fullmatch(inner):
        entries = [entry.strip(" ")[1:-1] for entry in inner.split(",")]
        return YamlList(line, entries, [line] * len(entries))
    entries = []
    if inner.strip(" "):
        position = 0
        end = len(inner)
        while position < end:
            match = _FLOW_ENTRY.match(inner, position)
            if match is None:
                return None
            double, single, plain, comma = match.groups()
            if double is not None:
                entries.append(double)
            elif single is not None:
                entries.append(single.replace("''", "'"))
            else:
                entries.append(plain)
            position = match.end()
            if comma and position == end:
                return None  # a comma before the bracket
    return YamlList(line, entries, [line] * len(entries))


def _literal_block(
    lines: list[str], start: int, *, keep_last_break: bool
) -> tuple[str, int] | None:
    """The text of a literal block (`|` or `|-`) whose first line is lines[start], and the
    index of the line after it; None when the block is not plain (no text, a line of spaces
    only beyond its indentation, an indented line after it)."""
    count = len(lines)
    index = start
    widest = 0
    while index < count and not lines[index].strip(" "):
        widest = max(widest, len(lines[index]))
        index += 1
    if index == count:
        return None
    first = lines[index]
    indent = len(first) - len(first.lstrip(" "))
    if indent == 0 or widest > indent:
        return None
    prefix = " " * indent
    body: list[str] = [""] * (index - start)
    while index < count:
        line = lines[index]
        if line.startswith(prefix):
            content = line[indent:]
            if content and not content.strip(" "):
                return None  # spaces beyond the indentation: text to YAML, not a blank line
            body.append(content)
        elif not line.strip(" "):
            body.append("")
        elif line[0] == " ":
            return None  # less indented than the block, more than the keys
        else:
            break
        index += 1
    while body[-1] == "":
        body.pop()
    value = "\n".join(body)
    return (value + "\n" if keep_last_break else value), index
