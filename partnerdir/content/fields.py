"""Reading a file's fields: each value checked for its kind, its length and its characters,
every problem recorded against the file, and figures typed by their metric."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable

from .. import countries
from ..model import Metric, MetricType, Value, plain_number
from ..problems import Problem
from .safety.characters import text_problem
from .yamltree import YamlList, YamlMap, YamlValue

INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?(\d{1,15}(\.\d*)?|\.\d+)$")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


class FieldChecker:
    """Reads one file's YAML tree and records every problem against that file."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, field, message))

    def keys(self, node: YamlMap, allowed: Iterable[str], prefix: str = "") -> None:
        allowed = list(allowed)
        for key, line in node.lines.items():
            if key not in allowed:
                self.error(line, prefix + key, "unknown key" + suggest(key, allowed))

    def required(self, node: YamlMap, key: str, prefix: str = "") -> YamlValue:
        if node.items.get(key) is None:
            line = node.lines.get(key, node.line)
            self.error(line, prefix + key, "required" if key not in node.items else "is empty")
        return node.items.get(key)

    def text(
        self,
        node: YamlMap,
        key: str,
        prefix: str = "",
        *,
        required: bool = True,
        max_length: int = 500,
        multiline: bool = False,
    ) -> str | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None:
            return None
        line = node.lines[key]
        if not isinstance(value, str):
            self.error(line, prefix + key, f"must be text, not {kind_of(value)}")
            return None
        value = value.strip()
        if not value:
            self.error(line, prefix + key, "is empty")
            return None
        if len(value) > max_length:
            self.error(line, prefix + key, f"{len(value):,} characters; at most {max_length:,}")
            return None
        problem = text_problem(value, multiline=multiline)
        if problem:
            self.error(line, prefix + key, problem)
            return None
        return value

    def mapping(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> YamlMap | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None or isinstance(value, YamlMap):
            return value
        self.error(node.lines[key], prefix + key, f"must be a mapping, not {kind_of(value)}")
        return None

    def sequence(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> YamlList | None:
        value = self.required(node, key, prefix) if required else node.items.get(key)
        if value is None or isinstance(value, YamlList):
            return value
        self.error(node.lines[key], prefix + key, f"must be a list, not {kind_of(value)}")
        return None

    def strings(
        self, node: YamlMap, key: str, prefix: str = "", *, required: bool = True
    ) -> list[tuple[int, str]]:
        """A list of plain text entries with their lines; non-text entries are problems."""
        items = self.sequence(node, key, prefix, required=required)
        result: list[tuple[int, str]] = []
        for index, (line, item) in enumerate(items.pairs() if items else ()):
            if isinstance(item, str) and item.strip():
                result.append((line, item.strip()))
            else:
                self.error(line, f"{prefix}{key}[{index}]", f"must be text, not {kind_of(item)}")
        return result

    def country(self, line: int, field: str, code: str) -> bool:
        """Whether `code` is a country code; a problem when it is not."""
        if countries.is_country(code):
            return True
        self.error(
            line,
            field,
            f"'{code}' is not an ISO 3166-1 alpha-2 country code"
            + suggest(code, countries.all_countries()),
        )
        return False


def kind_of(value: YamlValue) -> str:
    """What a value is, as a problem names it: "a mapping", "a list", "text", "empty"."""
    if value is None:
        return "empty"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, YamlList):
        return "a list"
    return "text"


def suggest(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'X'?)" for the choice closest to a misspelt `word`, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and word.upper() in choices:
        close = [word.upper()]
    if not close and word.lower() in choices:
        close = [word.lower()]
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_number(text: str) -> float | None:
    """A finite number written plainly (`1234.5`, `1_000`), or None."""
    text = text.replace("_", "")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def parse_value(
    metric: Metric, text: str, *, hidden: bool = False
) -> tuple[Value | None, str | None]:
    """A figure typed by its metric, or the reason it is not one.

    `hidden`: the text is a private figure, so the reason never repeats it (a problem is printed
    in CI logs and shown as a public annotation on GitHub).
    """
    quoted, bare = ("the private figure",) * 2 if hidden else (f"'{text}'", text)
    if metric.type is MetricType.BOOLEAN:
        if text.lower() in _BOOLEANS:
            return _BOOLEANS[text.lower()], None
        return None, f"{quoted} is not true or false"
    if metric.type is MetricType.CHOICE:
        if text in metric.choices:
            return text, None
        return None, f"{quoted} is not one of {', '.join(metric.choices)}"
    value: int | float
    if metric.type is MetricType.INTEGER:
        if not INTEGER.fullmatch(text):
            return None, f"{quoted} is not a whole number"
        value = int(text)
    else:
        number = parse_number(text)
        if number is None:
            return None, f"{quoted} is not a number (write 1234.5, no currency or separators)"
        value = number
    if metric.minimum is not None and value < metric.minimum:
        return None, f"{bare} is below the minimum {plain_number(metric.minimum)}"
    if metric.maximum is not None and value > metric.maximum:
        return None, f"{bare} is above the maximum {plain_number(metric.maximum)}"
    return value, None
