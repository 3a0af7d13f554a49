"""GitHub Actions output: annotations no partner text can break out of, and the step summary."""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Metric, Value
from ..problems import Problem, printable
from ..urls import Urls
from ..wording import count, criteria_met, format_value, some_of, target_text

if TYPE_CHECKING:  # only types: annotations need neither git nor the level rules
    from ..content.checking import Checked
    from .comparison import Comparison


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

#: A step summary is at most 1 MiB: past these many rows a table stops and says how many more,
#: and the whole summary is cut at MAX_SUMMARY_BYTES, whatever the size of the change.
MAX_SUMMARY_PROBLEMS = 200
MAX_SUMMARY_FILES = 200
MAX_SUMMARY_LEVELS = 200
MAX_SUMMARY_PATHS = 20
MAX_SUMMARY_BYTES = 512 * 1024
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|#~<>])")


MAX_NAMES_LISTED = 20


def md(text: str) -> str:
    """Partner text as inert Markdown: no markup, links, HTML or table breaks; one line;
    escaped as the annotations are."""
    text = printable(" ".join(text.split())).replace("&", "&amp;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def format_step_summary(checked: Checked, today: date, comparison: Comparison | None) -> str:
    """The Markdown GitHub shows on the run's page: problems, then what the change does."""
    errors = checked.errors
    warnings = len(checked.problems) - errors
    verdict = "passed" if not errors else "failed"
    rules = f"{count(checked.rules_files, 'rules file')}, " if checked.rules_files else ""
    out = [
        f"## Partner directory check {verdict}",
        "",
        f"**{count(errors, 'error')}, {count(warnings, 'warning')}** in program.yaml, "
        f"{rules}{count(checked.partner_files, 'partner file')} and "
        f"{count(checked.review_files, 'review file')} (build date {today}).",
    ]
    if checked.problems:
        out += ["", "| | file | line | problem |", "| --- | --- | --- | --- |"]
        for p in checked.problems[:MAX_SUMMARY_PROBLEMS]:
            kind = "error" if p.is_error else "warning"
            what = f"{p.field}: {p.message}" if p.field else p.message
            out.append(f"| {kind} | `{_code(p.path)}` | {p.line or ''} | {md(what)} |")
        out += _more(len(checked.problems), MAX_SUMMARY_PROBLEMS, "problems")
    if comparison is not None:
        out += ["", *_change_section(comparison)]
        if comparison.levels:
            out += ["", *_levels_section(checked, comparison)]
    return _cut("\n".join(out) + "\n", MAX_SUMMARY_BYTES)


def _cut(markdown: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut at a line, saying so."""
    data = markdown.encode("utf-8")
    if len(data) <= limit:
        return markdown
    note = "\n\n…cut here: the rest is in the log.\n"
    kept = data[: limit - len(note.encode("utf-8"))].decode("utf-8", errors="ignore")
    return kept.rpartition("\n")[0] + note


def _more(rows: int, limit: int, what: str) -> list[str]:
    return [f"\n…and {rows - limit:,} more {what} in the log."] if rows > limit else []


def _change_section(c: Comparison) -> list[str]:
    out = [f"### What this change does (compared with `{_code(c.base)}` at `{c.commit}`)", ""]
    if not c.files:
        return [*out, "No files changed."]
    out += ["| change | file | partner |", "| --- | --- | --- |"]
    out += [
        f"| {f.status.value} | `{_code(f.path)}` | {md(f.partner or 'programme')} |"
        for f in c.files[:MAX_SUMMARY_FILES]
    ]
    out += _more(len(c.files), MAX_SUMMARY_FILES, "files")
    out += [
        "",
        f"Partners added: {md(_some(c.added))}. Removed: {md(_some(c.removed))}.",
    ]
    if c.levels is None:
        out += ["", "Levels are not compared: the content has errors."]
    return out


def _levels_section(checked: Checked, c: Comparison) -> list[str]:
    out = ["### Levels before and after", "", "| partner | before | after |", "| --- | --- | --- |"]
    shifts = c.levels or ()
    for s in shifts[:MAX_SUMMARY_LEVELS]:
        after = f"**{md(s.after)}**" if s.changed else md(s.after)
        out.append(f"| {md(s.partner)} | {md(s.before)} | {after} |")
    out += _more(len(shifts), MAX_SUMMARY_LEVELS, "partners")
    directory, evaluation = checked.directory, checked.evaluation
    if directory is None or evaluation is None:
        return out
    program = directory.program
    urls = Urls(program.site.base_url)
    out += ["", f"How levels are earned: {urls.absolute(urls.program())}"]
    for s in shifts[:MAX_SUMMARY_PATHS]:
        standing = evaluation.standings.get(s.partner)
        path = standing.path if standing else None
        if path is None:
            continue
        goal = "keep" if path.goal == "keep" else "reach"
        out += [
            "",
            f"#### {md(s.partner)}: to {goal} {md(program.level(path.level).name)}, "
            f"{criteria_met(path.met_count, len(path.criteria))}",
            "",
            "| criterion | now | target | |",
            "| --- | --- | --- | --- |",
        ]
        for item in path.criteria:
            metric = program.metrics[item.metric]
            now = "private" if not item.public else _figure(metric, item.value)
            state = "met" if item.met else ("not yet" if not item.public else f"{item.progress}%")
            target = target_text(metric, item.op, item.target)
            out.append(f"| {md(item.label)} | {md(now)} | {md(target)} | {state} |")
    return out


def _figure(metric: Metric, value: Value | None) -> str:
    """A figure now, as the site shows it; "no figure" where the last review has none."""
    return "no figure" if value is None else format_value(metric, value)


def _code(text: str) -> str:
    """Text inside `code`: a backtick would end it, a line break the table row; escaped as the
    annotations are, so no bidirectional override or control character reaches the page."""
    return printable(" ".join(text.replace("`", "'").split())).replace("|", "\\|")


def _some(names: Sequence[str]) -> str:
    """Names of partners added or removed: the first few, and how many more."""
    return some_of(names[:MAX_NAMES_LISTED], len(names)) or "none"


def append_step_summary(path: Path, markdown: str) -> None:
    """Append to the file GitHub names in GITHUB_STEP_SUMMARY (other steps write there too)."""
    with path.open("a", encoding="utf-8") as out:
        out.write(markdown)


# --- the verdict as a check run on the pull request's commit --------------------------------

#: The Checks API takes 50 annotations a request; past MAX_CHECK_ANNOTATIONS the summary says
#: how many more there are.
ANNOTATIONS_PER_REQUEST = 50
MAX_CHECK_ANNOTATIONS = 1000
#: GitHub's limit for a check run's summary, in characters.
MAX_CHECK_SUMMARY = 65535
CHECK_NAME = "partnerdir verdict"
_LEVELS = {True: "failure", False: "warning"}


def check_run(problems: Sequence[Problem], summary: str, head: str | None) -> str:
    """The check run for the pull request's head commit, as JSON: its annotations land on the
    lines of the pull request's files (a workflow run on pull_request_target belongs to the
    base branch, so its workflow-command annotations would not)."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    annotations = [
        {
            "path": p.path,
            "start_line": p.line or 1,
            "end_line": p.line or 1,
            "annotation_level": _LEVELS[p.is_error],
            "title": p.field or ("problem" if p.is_error else "warning"),
            "message": p.message,
        }
        for p in problems[:MAX_CHECK_ANNOTATIONS]
    ]
    if len(problems) > MAX_CHECK_ANNOTATIONS:
        summary += f"\n{len(problems) - MAX_CHECK_ANNOTATIONS:,} more problems are in the log.\n"
    run = {
        "name": CHECK_NAME,
        "head_sha": head,
        "status": "completed",
        "conclusion": "failure" if errors else "success",
        "output": {
            "title": f"{count(errors, 'error')}, {count(warnings, 'warning')}",
            "summary": summary[:MAX_CHECK_SUMMARY],
            "annotations": annotations,
        },
    }
    return json.dumps(run, ensure_ascii=False, indent=1)


def post_check_run(run: dict[str, Any], api: str, repository: str, token: str) -> int:
    """Create the check run through GitHub's Checks API, 50 annotations a request; its id."""
    output = dict(run["output"])
    annotations = list(output.pop("annotations"))
    first = {**run, "output": {**output, "annotations": annotations[:ANNOTATIONS_PER_REQUEST]}}
    url = f"{api.rstrip('/')}/repos/{repository}/check-runs"
    created = _request("POST", url, first, token)
    run_id = int(created["id"])
    for start in range(ANNOTATIONS_PER_REQUEST, len(annotations), ANNOTATIONS_PER_REQUEST):
        batch = annotations[start : start + ANNOTATIONS_PER_REQUEST]
        _request("PATCH", f"{url}/{run_id}", {"output": {**output, "annotations": batch}}, token)
    return run_id


def _request(method: str, url: str, body: object, token: str) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        method=method,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer: dict[str, Any] = json.load(response)
    return answer


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m partnerdir.pullrequest.github post FILE`: post the check run that
    `check --check-run` wrote, with GITHUB_TOKEN to GITHUB_API_URL for GITHUB_REPOSITORY (set by
    GitHub Actions)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "post":
        print("usage: python -m partnerdir.pullrequest.github post FILE", file=sys.stderr)
        return 2
    missing = [k for k in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not os.environ.get(k)]
    if missing:
        print(f"partnerdir: {', '.join(missing)} not set", file=sys.stderr)
        return 2
    run = json.loads(Path(args[1]).read_text(encoding="utf-8"))
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    try:
        run_id = post_check_run(
            run, api, os.environ["GITHUB_REPOSITORY"], os.environ["GITHUB_TOKEN"]
        )
    except (OSError, ValueError) as failure:  # urllib's HTTPError and URLError are OSErrors
        print(f"partnerdir: the check run could not be posted: {failure}", file=sys.stderr)
        return 1
    print(f"check run {run_id}: {run['conclusion']}, {run['output']['title']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
