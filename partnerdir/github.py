"""GitHub Actions output: workflow-command annotations that no partner text can break out of."""

from __future__ import annotations

from collections.abc import Iterable

from .problems import Problem


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit: %, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_annotation(problem: Problem) -> str:
    command = "error" if problem.is_error else "warning"
    properties = [f"file={escape_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    title = problem.field or ("problem" if problem.is_error else "warning")
    properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(problem.message)}"


def format_annotations(problems: Iterable[Problem]) -> str:
    return "\n".join(format_annotation(p) for p in problems)
