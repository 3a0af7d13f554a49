"""The tree a YAML content file is read into: mappings and lists of text, with every line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class YamlMap:
    """A YAML mapping: keys and scalars stay text; `lines` holds the line of every key."""

    line: int
    items: dict[str, YamlValue] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class YamlList:
    line: int
    items: list[YamlValue] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def pairs(self) -> Iterator[tuple[int, YamlValue]]:
        """(line, item) of every entry."""
        return zip(self.lines, self.items, strict=True)


#: A scalar is its text; an empty plain scalar (`key:`) is None.
YamlValue = str | None | YamlMap | YamlList
