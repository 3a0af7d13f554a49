"""The one error type for content: a Problem names the file, the line and the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .characters import CONTROL, INVISIBLE

# What a terminal or a CI log would act on rather than show: control characters (a line break
# could forge a problem line or a workflow command, an escape sequence recolour the log),
# bidirectional overrides (reorder what is read) and surrogates (undecodable file names); and
# what it would show as nothing or as a plain space: invisible characters and other spaces.
_UNPRINTABLE = re.compile(rf"[\t\n{CONTROL}{INVISIBLE}\ud800-\udfff]|[^\S ]")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (`\\n`)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return match.group().encode("unicode_escape").decode("ascii")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # Partner text (a key, a value, a file name) reaches messages: one problem, one line.
        for name in ("path", "field", "message"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        tag = "warning: " if self.severity is Severity.WARNING else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}{tag}{field}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def warning(path: str, line: int, field: str, message: str) -> Problem:
    return Problem(path, line, field, message, Severity.WARNING)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File, then line (errors before warnings), then field: the order commands print them in."""
    return sorted(
        set(problems),
        key=lambda p: (p.path, p.line, p.severity is Severity.WARNING, p.field, p.message),
    )


class PartnerdirError(Exception):
    """Base of the errors partnerdir raises on purpose (not content problems)."""


class UsageError(PartnerdirError):
    """The command line asks for something that cannot be done; exit 2."""


class BuildError(PartnerdirError):
    """The build could not finish (Pagefind failed, the output folder is locked, ...); exit 1."""
