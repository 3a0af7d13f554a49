"""GitHub output: annotations no text can break out of, level notices and the step summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factories import TODAY, sample_site

from partnerdir.checking import Checked
from partnerdir.gitdiff import Comparison, FileChange, LevelShift, Status
from partnerdir.github import (
    append_step_summary,
    escape_data,
    escape_property,
    format_annotation,
    format_level_notices,
    format_step_summary,
    md,
)
from partnerdir.problems import Problem, warning

ACME = "content/partners/acme-digital.yaml"


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        (Problem(ACME, 4, "countries", "'XX' is not an ISO 3166-1 alpha-2 country code"),
         "::error file=content/partners/acme-digital.yaml,line=4,title=countries::'XX' is not "
         "an ISO 3166-1 alpha-2 country code"),
        (warning("content/reviews/2026-10-01.csv", 0, "", "dated after the build date"),
         "::warning file=content/reviews/2026-10-01.csv,title=warning::dated after the build "
         "date"),
        (Problem(ACME, 0, "", "is not part of a partner's listing"),
         "::error file=content/partners/acme-digital.yaml,title=problem::is not part of a "
         "partner's listing"),
        # A partner's text that tries to end the annotation and start a workflow command: the
        # Problem already shows the breaks as \n and \r, and the message escapes '%'.
        (Problem(ACME, 2, "name", "'x\n::set-env name=A::1\r%0A' is too long"),
         "::error file=content/partners/acme-digital.yaml,line=2,title=name::'x\\n::set-env "
         "name=A::1\\r%250A' is too long"),
        # Property values: ':' and ',' would start a new property or end the properties.
        (Problem("content/partners/a,b:c.yaml", 1, "key,x:y", "m"),
         "::error file=content/partners/a%2Cb%3Ac.yaml,line=1,title=key%2Cx%3Ay::m"),
    ],
)  # fmt: skip
def test_annotations_are_escaped(problem: Problem, line: str) -> None:
    assert format_annotation(problem) == line
    assert "\n" not in format_annotation(problem) and "\r" not in format_annotation(problem)


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%3A", "%253A", "%253A"),
    ],
)
def test_escaping_follows_the_actions_toolkit(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("a | b", "a \\| b"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[click](javascript:x)", "\\[click\\](javascript:x)"),
        ("**bold** `code` _i_", "\\*\\*bold\\*\\* \\`code\\` \\_i\\_"),
        ("line\nbreak\r\n# heading", "line break \\# heading"),
        ("&lt;", "&amp;lt;"),
    ],
)
def test_markdown_cells_are_inert(text: str, shown: str) -> None:
    assert md(text) == shown


def comparison(**changes: object) -> Comparison:
    values: dict[str, object] = {
        "base": "origin/main",
        "commit": "abc1234",
        "files": (
            FileChange(Status.MODIFIED, ACME, "acme-digital"),
            FileChange(Status.MODIFIED, "content/reviews/2026-10-01.csv", None),
        ),
        "added": (),
        "removed": (),
        "levels": (
            LevelShift("acme-digital", ACME, "Silver", "Gold"),
            LevelShift("kenya-ops", "content/partners/kenya-ops.yaml", "Registered", "Registered"),
        ),
        "problems": (),
    }
    values.update(changes)
    return Comparison(**values)  # type: ignore[arg-type]


def test_level_notices_only_for_levels_that_move() -> None:
    assert format_level_notices(comparison()) == (
        "::notice file=content/partners/acme-digital.yaml,title=level preview::"
        "acme-digital: Silver -> Gold"
    )
    assert format_level_notices(comparison(levels=None)) == ""


def test_step_summary_shows_problems_changes_levels_and_paths() -> None:
    directory, evaluation, _ = sample_site()
    problems = [
        Problem(ACME, 4, "countries", "'XX|<b>' is not an ISO 3166-1 alpha-2 country code"),
        warning(".github/CODEOWNERS", 0, "", "out of date"),
    ]
    checked = Checked(problems, directory, evaluation, 6, 2)
    assert format_step_summary(checked, TODAY, comparison()).splitlines() == [
        "## Partner directory check failed",
        "",
        "**1 error, 1 warning** in program.yaml, 6 partner files and 2 review files "
        "(build date 2027-01-10).",
        "",
        "| | file | line | problem |",
        "| --- | --- | --- | --- |",
        "| error | `content/partners/acme-digital.yaml` | 4 | countries: 'XX\\|\\<b\\>' is not "
        "an ISO 3166-1 alpha-2 country code |",
        "| warning | `.github/CODEOWNERS` |  | out of date |",
        "",
        "### What this change does (compared with `origin/main` at `abc1234`)",
        "",
        "| change | file | partner |",
        "| --- | --- | --- |",
        "| modified | `content/partners/acme-digital.yaml` | acme-digital |",
        "| modified | `content/reviews/2026-10-01.csv` | programme |",
        "",
        "Partners added: none. Removed: none.",
        "",
        "### Levels before and after",
        "",
        "| partner | before | after |",
        "| --- | --- | --- |",
        "| acme-digital | Silver | **Gold** |",
        "| kenya-ops | Registered | Registered |",
        "",
        "How levels are earned: https://partners.example.com/program/",
        "",
        "#### acme-digital: to reach Platinum, 1 of 4 criteria met",
        "",
        "| criterion | now | target | |",
        "| --- | --- | --- | --- |",
        "| Certified engineers | 8 | at least 10 | 80% |",
        "| Customer satisfaction | 4.4 | at least 4.5 | 97% |",
        "| Licence revenue | private | at least 400,000 EUR | met |",
        "| Code health check | passed | at least excellent | 50% |",
    ]


def test_step_summary_without_a_comparison_or_errors() -> None:
    directory, evaluation, _ = sample_site()
    checked = Checked([], directory, evaluation, 6, 2)
    assert format_step_summary(checked, dt.date(2027, 1, 10), None) == (
        "## Partner directory check passed\n\n**0 errors, 0 warnings** in program.yaml, "
        "6 partner files and 2 review files (build date 2027-01-10).\n"
    )


def test_step_summary_when_levels_cannot_be_compared() -> None:
    checked = Checked([Problem(ACME, 1, "name", "is empty")], None, None, 6, 2)
    text = format_step_summary(checked, TODAY, comparison(levels=None))
    assert text.endswith("Removed: none.\n\nLevels are not compared: the content has errors.\n")


def test_step_summary_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("earlier step\n")
    append_step_summary(path, "## ours\n")
    assert path.read_text() == "earlier step\n## ours\n"


def test_graduation_path_figures_in_words() -> None:
    import dataclasses

    from factories import progress

    from partnerdir.model import GraduationPath, Op

    directory, evaluation, _ = sample_site()
    path = GraduationPath(
        "silver",
        "keep",
        (
            progress("security_review", "Security review passed", Op.EQUALS, True, False, False, 0),
            progress("annual_revenue", "Licence revenue", Op.MIN, 50000.0, None, False, 40),
            progress("csat", "Customer satisfaction", Op.MIN, 4.0, None, False, 0),
        ),
    )
    standings = dict(evaluation.standings)
    standings["kenya-ops"] = dataclasses.replace(standings["kenya-ops"], path=path)
    checked = Checked([], directory, dataclasses.replace(evaluation, standings=standings), 6, 2)
    text = format_step_summary(checked, TODAY, comparison())
    assert text.endswith(
        "#### kenya-ops: to keep Silver, 0 of 3 criteria met\n\n"
        "| criterion | now | target | |\n"
        "| --- | --- | --- | --- |\n"
        "| Security review passed | no | equals yes | 0% |\n"
        "| Licence revenue | private | at least 50,000 EUR | not yet |\n"
        "| Customer satisfaction | no figure | at least 4 | 0% |\n"
    )
