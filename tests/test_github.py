"""GitHub output: annotations no text can break out of, level notices and the step summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factories import TODAY, sample_site

from partnerdir.content.checking import Checked
from partnerdir.problems import Problem, warning
from partnerdir.pullrequest.comparison import Comparison, FileChange, LevelShift, Status
from partnerdir.pullrequest.github import (
    append_step_summary,
    escape_data,
    escape_property,
    format_annotation,
    format_level_notices,
    format_step_summary,
    md,
)

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
        "| Code health check | Passed | Excellent or better | 50% |",
    ]


def test_step_summary_without_a_comparison_or_errors() -> None:
    directory, evaluation, _ = sample_site()
    checked = Checked([], directory, evaluation, 6, 2)
    assert format_step_summary(checked, dt.date(2027, 1, 10), None) == (
        "## Partner directory check passed\n\n**0 errors, 0 warnings** in program.yaml, "
        "6 partner files and 2 review files (build date 2027-01-10).\n"
    )


def test_step_summary_counts_the_rules_files() -> None:
    directory, evaluation, _ = sample_site()
    checked = Checked([], directory, evaluation, 6, 2, rules_files=1)
    assert format_step_summary(checked, dt.date(2027, 1, 10), None) == (
        "## Partner directory check passed\n\n**0 errors, 0 warnings** in program.yaml, "
        "1 rules file, 6 partner files and 2 review files (build date 2027-01-10).\n"
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
        "| Security review passed | No | yes | 0% |\n"
        "| Licence revenue | private | at least 50,000 EUR | not yet |\n"
        "| Customer satisfaction | no figure | at least 4 | 0% |\n"
    )


# --- the verdict as a check run -------------------------------------------------------------


def test_check_run_puts_problems_on_the_head_commits_lines() -> None:
    import json

    from partnerdir.pullrequest.github import check_run

    problems = [
        Problem("content/partners/acme.yaml", 7, "countries", "'XX' is not a country"),
        warning("content/partners/acme.yaml", 0, "", "not yet reviewed"),
    ]
    run = json.loads(check_run(problems, "## summary\n", "c" * 40))
    assert run["head_sha"] == "c" * 40
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "1 error, 1 warning"
    assert run["output"]["annotations"] == [
        {
            "path": "content/partners/acme.yaml",
            "start_line": 7,
            "end_line": 7,
            "annotation_level": "failure",
            "title": "countries",
            "message": "'XX' is not a country",
        },
        {
            "path": "content/partners/acme.yaml",
            "start_line": 1,
            "end_line": 1,
            "annotation_level": "warning",
            "title": "warning",
            "message": "not yet reviewed",
        },
    ]
    assert json.loads(check_run([], "", "c" * 40))["conclusion"] == "success"


def test_check_run_is_posted_fifty_annotations_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through a local stand-in for GitHub's Checks API: create, then update with the rest."""
    import http.server
    import json
    import threading

    from partnerdir.pullrequest.github import check_run, main

    seen: list[tuple[str, str, dict[str, object], str]] = []

    class Api(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.command, self.path, body, self.headers["Authorization"]))
            data = json.dumps({"id": 42}).encode()
            self.send_response(201 if self.command == "POST" else 200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_PATCH = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        problems = [Problem(f"content/partners/p{k}.yaml", 1, "", "bad") for k in range(120)]
        verdict = tmp_path / "verdict.json"
        verdict.write_text(check_run(problems, "summary", "d" * 40))
        monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
        monkeypatch.setenv("GITHUB_REPOSITORY", "northwind/partners")
        monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{server.server_port}")
        assert main(["post", str(verdict)]) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert [(method, path) for method, path, _, _ in seen] == [
        ("POST", "/repos/northwind/partners/check-runs"),
        ("PATCH", "/repos/northwind/partners/check-runs/42"),
        ("PATCH", "/repos/northwind/partners/check-runs/42"),
    ]
    sizes = [len(body["output"]["annotations"]) for _, _, body, _ in seen]  # type: ignore[index]
    assert sizes == [50, 50, 20]
    assert {auth for *_, auth in seen} == {"Bearer t0ken"}
    assert seen[0][2]["head_sha"] == "d" * 40
    assert capsys.readouterr().out == "check run 42: failure, 120 errors, 0 warnings\n"


def test_step_summary_escapes_file_names_as_annotations_do() -> None:
    """A bidirectional override or control character in a file name reaches no page."""
    forged = "content/partners/x\u202eslm.yaml"
    c = comparison(files=(FileChange(Status.ADDED, forged, "x\u202e"),), levels=None)
    text = format_step_summary(Checked([], None, None, 1, 0), TODAY, c)
    assert "\u202e" not in text
    assert "`content/partners/x\\u202eslm.yaml`" in text
