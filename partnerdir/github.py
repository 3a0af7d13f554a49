"""GitHub Actions output: annotations no partner text can break out of, and the step summary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Op, Value
from .problems import Problem
from .urls import Urls

if TYPE_CHECKING:  # only types: annotations need neither git nor the level rules
    from .checking import Checked
    from .gitdiff import Comparison


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


# --- the level preview as annotations -------------------------------------------------------


def format_level_notices(comparison: Comparison) -> str:
    """A notice on each partner file whose level the change moves (the level preview)."""
    lines = []
    for shift in comparison.levels or ():
        if shift.changed:
            lines.append(
                f"::notice file={escape_property(shift.path)},"
                f"title={escape_property('level preview')}::"
                + escape_data(f"{shift.partner}: {shift.before} -> {shift.after}")
            )
    return "\n".join(lines)


# --- GITHUB_STEP_SUMMARY: the check as Markdown ---------------------------------------------

#: A step summary is at most 1 MiB; past this many problems the table stops.
MAX_SUMMARY_PROBLEMS = 200
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|#~<>])")
_OPS = {Op.MIN: "at least", Op.MAX: "at most", Op.EQUALS: "equals"}


def md(text: str) -> str:
    """Partner text as inert Markdown: no markup, links, HTML or table breaks; one line."""
    text = text.replace("&", "&amp;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def format_step_summary(checked: Checked, today: date, comparison: Comparison | None) -> str:
    """The Markdown GitHub shows on the run's page: problems, then what the change does."""
    errors = checked.errors
    warnings = len(checked.problems) - errors
    verdict = "passed" if not errors else "failed"
    out = [
        f"## Partner directory check {verdict}",
        "",
        f"**{_count(errors, 'error')}, {_count(warnings, 'warning')}** in program.yaml, "
        f"{_count(checked.partner_files, 'partner file')} and "
        f"{_count(checked.review_files, 'review file')} (build date {today}).",
    ]
    if checked.problems:
        out += ["", "| | file | line | problem |", "| --- | --- | --- | --- |"]
        for p in checked.problems[:MAX_SUMMARY_PROBLEMS]:
            kind = "error" if p.is_error else "warning"
            what = f"{p.field}: {p.message}" if p.field else p.message
            out.append(f"| {kind} | `{_code(p.path)}` | {p.line or ''} | {md(what)} |")
        if len(checked.problems) > MAX_SUMMARY_PROBLEMS:
            out.append(f"\n…and {len(checked.problems) - MAX_SUMMARY_PROBLEMS} more in the log.")
    if comparison is not None:
        out += ["", *_change_section(comparison)]
        if comparison.levels:
            out += ["", *_levels_section(checked, comparison)]
    return "\n".join(out) + "\n"


def _change_section(c: Comparison) -> list[str]:
    out = [f"### What this change does (compared with `{_code(c.base)}` at `{c.commit}`)", ""]
    if not c.files:
        return [*out, "No files changed."]
    out += ["| change | file | partner |", "| --- | --- | --- |"]
    out += [
        f"| {f.status.value} | `{_code(f.path)}` | {md(f.partner or 'programme')} |"
        for f in c.files
    ]
    out += [
        "",
        f"Partners added: {md(', '.join(c.added) or 'none')}. "
        f"Removed: {md(', '.join(c.removed) or 'none')}.",
    ]
    if c.levels is None:
        out += ["", "Levels are not compared: the content has errors."]
    return out


def _levels_section(checked: Checked, c: Comparison) -> list[str]:
    out = ["### Levels before and after", "", "| partner | before | after |", "| --- | --- | --- |"]
    for s in c.levels or ():
        after = f"**{md(s.after)}**" if s.changed else md(s.after)
        out.append(f"| {md(s.partner)} | {md(s.before)} | {after} |")
    directory, evaluation = checked.directory, checked.evaluation
    if directory is None or evaluation is None:
        return out
    program = directory.program
    urls = Urls(program.site.base_url)
    out += ["", f"How levels are earned: {urls.absolute(urls.program())}"]
    for s in c.levels or ():
        standing = evaluation.standings.get(s.partner)
        path = standing.path if standing else None
        if path is None:
            continue
        goal = "keep" if path.goal == "keep" else "reach"
        out += [
            "",
            f"#### {md(s.partner)}: to {goal} {md(program.level(path.level).name)}, "
            f"{path.met_count} of {len(path.criteria)} criteria met",
            "",
            "| criterion | now | target | |",
            "| --- | --- | --- | --- |",
        ]
        for item in path.criteria:
            unit = program.metrics[item.metric].unit
            now = "private" if not item.public else _figure(item.value, unit)
            state = "met" if item.met else ("not yet" if not item.public else f"{item.progress}%")
            target = f"{_OPS[item.op]} {_figure(item.target, unit)}"
            out.append(f"| {md(item.label)} | {md(now)} | {md(target)} | {state} |")
    return out


def _figure(value: Value | None, unit: str) -> str:
    if value is None:
        return "no figure"
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = value
    return f"{text} {unit}" if unit and not isinstance(value, bool | str) else text


def _code(text: str) -> str:
    """Text inside `code`: a backtick would end it, a line break the table row."""
    return " ".join(text.replace("`", "'").split()).replace("|", "\\|")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def append_step_summary(path: Path, markdown: str) -> None:
    """Append to the file GitHub names in GITHUB_STEP_SUMMARY (other steps write there too)."""
    with path.open("a", encoding="utf-8") as out:
        out.write(markdown)
