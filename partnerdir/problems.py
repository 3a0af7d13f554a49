"""The one error type for content: a Problem names the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
