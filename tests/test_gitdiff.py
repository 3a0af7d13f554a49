"""End to end: a real git repository, a partner's branches, and what `check --base` prints."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from test_scaffold import fill_in

from partnerdir.cli import main

FIXTURE = Path(__file__).parent / "sites" / "pr" / "content"
TODAY = "2026-11-24"
FJORDLINE = "content/partners/fjordline-data.yaml"
CANAL = "content/partners/canal-analytique.yaml"
THAMESIDE = "content/partners/thameside-data.yaml"
REVIEW = "content/reviews/2026-10-01.csv"

#: The first lines of the check's summary of the fixture, as the level rules give them: one
#: partner at each level, and two promotions at the last review (canal-analytique to Gold,
#: malabar-analytics to Silver). The lines naming those promotions follow.
SUMMARY_HEAD = [
    "Checked program.yaml, 5 partner files and 2 review files (build date 2026-11-24): "
    "0 errors, 0 warnings.",
    "Listed: 5 partners (Platinum 1, Gold 1, Silver 2, Registered 1); 0 expired, "
    "0 not yet reviewed.",
    "Since the review of 2026-10-01: 2 promotions, 0 demotions; 0 under review.",
]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory repository whose main branch holds the fixture and its CODEOWNERS."""
    for name, value in {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    repo = tmp_path / "directory"
    shutil.copytree(FIXTURE, repo / "content")
    monkeypatch.chdir(repo)
    assert main(["codeowners", "--today", TODAY]) == 0
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "The directory")
    return repo


@pytest.fixture
def summary(repo: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What `check` prints for main, without --base: the summary a partner's edit keeps."""
    capsys.readouterr()
    assert main(["check", "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == SUMMARY_HEAD
    assert [line.split(" (")[0] for line in lines[3:]] == [
        "  2026-10-01  canal-analytique: Silver -> Gold",
        "  2026-10-01  malabar-analytics: Registered -> Silver",
    ]
    return lines


def branch(repo: Path, name: str, edit: Callable[[Path], None]) -> str:
    """Commit `edit` on a new branch; the short commit of main it starts from."""
    base = git(repo, "rev-parse", "--short=7", "main")
    git(repo, "checkout", "--quiet", "-b", name)
    edit(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", name)
    return base


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(repo: Path) -> None:
        file = repo / path
        text = file.read_text()
        assert old in text, old
        file.write_text(text.replace(old, new, 1))

    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(repo: Path) -> None:
        for one in edits:
            one(repo)

    return edit


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()  # what setting up the branch printed
    code = main(["check", "--today", TODAY, "--base", "main", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


# --- (a) a partner fixes its description ----------------------------------------------------


def test_a_partner_fixes_its_description(
    repo: Path, capsys: pytest.CaptureFixture[str], summary: list[str]
) -> None:
    base = branch(repo, "a", replace(FJORDLINE, "since the first release", "since 2019"))
    compared = [
        f"Compared with main at {base}: 1 file changed; partners added: none; removed: none.",
        f"  modified  {FJORDLINE}",
        "Levels before -> after:",
        "  fjordline-data: Platinum, unchanged",
    ]
    assert check(capsys, "--author", "@kari-nordmann") == (0, summary + compared, [])
    assert check(capsys, "--author", "ola-fjell", "--format", "github") == (
        0,
        [],
        summary + compared,
    )


# --- (b) a new partner ----------------------------------------------------------------------

NEW = "content/partners/nordkapp-data.yaml"
NOT_REVIEWED = "not yet reviewed: listed after the programme's first review of it"
STALE_CODEOWNERS = (
    "out of date for content/partners/nordkapp-data.yaml; the programme team runs "
    "`python build.py codeowners` (a partner's pull request leaves this file alone)"
)


def add_nordkapp(repo: Path) -> None:
    assert main(["new", "nordkapp-data"]) == 0
    path = repo / NEW
    text = fill_in(path.read_text().replace("# logo:", "# (no logo)"))
    for old, new in [
        ("Fjordline Data AS", "Nordkapp Data AS"),
        ("https://fjordline.example", "https://nordkapp-data.example"),
        ("@kari-nordmann", "@nora-berg"),
        ("mailto:partners@fjordline.example", "mailto:hei@nordkapp-data.example"),
    ]:
        text = text.replace(old, new)
    path.write_text(text)


def test_a_new_partner(repo: Path, capsys: pytest.CaptureFixture[str], summary: list[str]) -> None:
    base = branch(repo, "b", add_nordkapp)
    summary = [
        summary[0]
        .replace("5 partner files", "6 partner files")
        .replace("0 warnings", "2 warnings"),
        summary[1].replace("0 not yet reviewed", "1 not yet reviewed"),
        *summary[2:],
    ]
    compared = [
        f"Compared with main at {base}: 1 file changed; partners added: nordkapp-data; "
        "removed: none.",
        f"  added     {NEW}",
        "Levels before -> after:",
        "  nordkapp-data: no listing -> not yet reviewed",
    ]
    problems = [
        f".github/CODEOWNERS: warning: {STALE_CODEOWNERS}",
        f"{NEW}:1: warning: {NOT_REVIEWED}",
    ]
    assert check(capsys, "--author", "nora-berg") == (0, problems + summary + compared, [])
    annotations = [
        f"::warning file=.github/CODEOWNERS,title=warning::{STALE_CODEOWNERS}",
        f"::warning file={NEW},line=1,title=warning::{NOT_REVIEWED}",
        f"::notice file={NEW},title=level preview::nordkapp-data: no listing -> not yet reviewed",
    ]
    assert check(capsys, "--author", "nora-berg", "--format", "github") == (
        0,
        annotations,
        summary + compared,
    )


def test_a_new_partner_before_it_is_committed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_nordkapp(repo)  # untracked, as right after `new`
    code, out, _ = check(capsys, "--author", "@nora-berg")
    assert code == 0
    assert f"  added     {NEW}" in out


def test_a_new_partner_must_name_its_author(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    branch(repo, "b2", add_nordkapp)
    code, out, _ = check(capsys, "--author", "Mallory")
    assert code == 1
    line = (repo / NEW).read_text().splitlines().index('maintainers: ["@nora-berg"]') + 1
    assert out[:3] == [
        f".github/CODEOWNERS: warning: {STALE_CODEOWNERS}",
        f"{NEW}:1: warning: {NOT_REVIEWED}",
        f"{NEW}:{line}: maintainers: @Mallory is not among the maintainers of the new listing "
        "'nordkapp-data' (@nora-berg); add your GitHub handle to maintainers",
    ]
    assert check(capsys, "--author", "@Nora-Berg")[0] == 0


# --- (c) a partner file broken in three ways ------------------------------------------------


def test_a_partner_file_broken_three_ways(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = branch(
        repo,
        "c",
        both(
            replace(THAMESIDE, "https://thameside-data.example", "javascript:alert(1)"),
            replace(THAMESIDE, "countries: [GB, IE]", "countries: [UK, IE]"),
            replace(THAMESIDE, '"@oliver-hughes"]', '"@oliver-hughes"]\nlevel: gold'),
        ),
    )
    problems = [
        (2, "website", "'javascript:alert(1)' must start with https: or http:"),
        (16, "countries", "'UK' is not an ISO 3166-1 alpha-2 country code"),
        (23, "level", "is set by the programme, not in a partner file: levels and figures are "
         "computed from the reviews"),
    ]  # fmt: skip
    summary = [
        "Checked program.yaml, 5 partner files and 2 review files (build date 2026-11-24): "
        "3 errors, 0 warnings.",
        "Nothing was evaluated: fix the errors above.",
    ]
    compared = [
        f"Compared with main at {base}: 1 file changed; partners added: none; removed: none.",
        f"  modified  {THAMESIDE}",
        "Levels: not compared; the content has errors.",
    ]
    text = [f"{THAMESIDE}:{line}: {field}: {message}" for line, field, message in problems]
    assert check(capsys, "--author", "@oliver-hughes") == (1, text + summary + compared, [])
    annotations = [
        f"::error file={THAMESIDE},line={line},title={field}::{message}"
        for line, field, message in problems
    ]
    assert check(capsys, "--author", "@oliver-hughes", "--format", "github") == (
        1,
        annotations,
        summary + compared,
    )


# --- (d) another partner's file -------------------------------------------------------------

NOT_KARIS = (
    "@kari-nordmann is not a maintainer of 'canal-analytique' (maintainers before this "
    "change: @camille-laurent, @hugo-moreau); ask one of them to make or approve the change"
)


def test_a_partner_cannot_edit_another_partners_file_by_adding_itself(
    repo: Path, capsys: pytest.CaptureFixture[str], summary: list[str]
) -> None:
    base = branch(
        repo,
        "d",
        both(
            replace(CANAL, "French retailers", "some French retailers"),
            replace(CANAL, '"@hugo-moreau"]', '"@hugo-moreau", "@kari-nordmann"]'),
        ),
    )
    compared = [
        f"Compared with main at {base}: 1 file changed; partners added: none; removed: none.",
        f"  modified  {CANAL}",
        "Levels before -> after:",
        "  canal-analytique: Gold, unchanged",
    ]
    # The check sees the new maintainer too: CODEOWNERS no longer matches the file.
    stale = (
        "out of date for content/partners/canal-analytique.yaml, "
        "content/partners/canal-analytique.svg; the programme team runs `python build.py "
        "codeowners` (a partner's pull request leaves this file alone)"
    )
    summary = [summary[0].replace("0 errors, 0 warnings", "1 error, 1 warning"), *summary[1:]]
    assert check(capsys, "--author", "@kari-nordmann") == (
        1,
        [
            f".github/CODEOWNERS:13: warning: {stale}",
            f"{CANAL}:25: maintainers: {NOT_KARIS}",
            *summary,
            *compared,
        ],
        [],
    )
    assert check(capsys, "--author", "@kari-nordmann", "--format", "github") == (
        1,
        [
            f"::warning file=.github/CODEOWNERS,line=13,title=warning::{stale}",
            f"::error file={CANAL},line=25,title=maintainers::{NOT_KARIS}",
        ],
        summary + compared,
    )


def test_one_pull_request_changes_one_partner(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(
        repo,
        "d2",
        both(
            replace(FJORDLINE, "since the first release", "since 2019"),
            replace(CANAL, "French retailers", "some French retailers"),
        ),
    )
    code, out, _ = check(capsys, "--author", "@kari-nordmann")
    assert code == 1
    assert out[:3] == [
        f"{CANAL}: belongs to 'canal-analytique', and this change also edits fjordline-data: "
        "change one partner's listing and logo per pull request",
        f"{CANAL}:25: maintainers: {NOT_KARIS}",
        f"{FJORDLINE}: belongs to 'fjordline-data', and this change also edits "
        "canal-analytique: change one partner's listing and logo per pull request",
    ]


# --- (e) a figure raised in reviews/ --------------------------------------------------------

PROGRAMME_ONLY = (
    "is not part of a partner's listing or logo: only the programme team changes it (their "
    "check runs with --allow-programme)"
)


def without_reasons(lines: list[str]) -> list[str]:
    """Level changes of the summary without their reason, which the level rules word."""
    return [line.split(" (")[0] if line.startswith("  20") else line for line in lines]


def test_a_partner_cannot_raise_its_figures(
    repo: Path, capsys: pytest.CaptureFixture[str], summary: list[str]
) -> None:
    base = branch(repo, "e", replace(REVIEW, "thameside-data,GB,9,72", "thameside-data,GB,12,72"))
    promoted = [
        summary[0].replace("0 errors", "1 error"),
        "Listed: 5 partners (Platinum 1, Gold 2, Silver 1, Registered 1); 0 expired, "
        "0 not yet reviewed.",
        "Since the review of 2026-10-01: 3 promotions, 0 demotions; 0 under review.",
        "  2026-10-01  canal-analytique: Silver -> Gold",
        "  2026-10-01  malabar-analytics: Registered -> Silver",
        "  2026-10-01  thameside-data: Silver -> Gold",
    ]
    compared = [
        f"Compared with main at {base}: 1 file changed; partners added: none; removed: none.",
        f"  modified  {REVIEW}",
        "Levels before -> after:",
        "  thameside-data: Silver -> Gold",
    ]
    code, out, err = check(capsys, "--author", "@oliver-hughes")
    assert (code, without_reasons(out), err) == (
        1,
        [f"{REVIEW}: {PROGRAMME_ONLY}", *promoted, *compared],
        [],
    )
    code, out, err = check(capsys, "--author", "@oliver-hughes", "--format", "github")
    assert (code, out, without_reasons(err)) == (
        1,
        [
            f"::error file={REVIEW},title=problem::{PROGRAMME_ONLY}",
            f"::notice file={THAMESIDE},title=level preview::thameside-data: Silver -> Gold",
        ],
        promoted + compared,
    )
    # The programme team's own review update: allowed, with the same level preview.
    promoted[0] = promoted[0].replace("1 error", "0 errors")
    code, out, err = check(capsys, "--allow-programme")
    assert (code, without_reasons(out), err) == (0, promoted + compared, [])


def test_the_step_summary_shows_the_level_preview(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    branch(repo, "e2", replace(REVIEW, "thameside-data,GB,9,72", "thameside-data,GB,12,72"))
    summary_file = repo.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    assert check(capsys, "--allow-programme", "--format", "github")[0] == 0
    text = summary_file.read_text()
    assert text.startswith("## Partner directory check passed\n")
    assert f"| modified | `{REVIEW}` | programme |" in text
    assert "| thameside-data | Silver | **Gold** |" in text
    assert "#### thameside-data: to reach Platinum, " in text


# --- more of what a change may do -----------------------------------------------------------


def test_a_partner_leaves(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = branch(repo, "f", lambda r: (r / "content/partners/tulpveld-it.yaml").unlink())
    code, out, _ = check(capsys, "--author", "@lotte-de-graaf")
    assert code == 0
    assert out[-4:] == [
        f"Compared with main at {base}: 1 file changed; partners added: none; "
        "removed: tulpveld-it.",
        "  deleted   content/partners/tulpveld-it.yaml",
        "Levels before -> after:",
        "  tulpveld-it: Registered -> no listing",
    ]


def test_a_new_logo_belongs_to_its_partner(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def new_logo(r: Path) -> None:
        (r / "content/partners/fjordline-data.svg").unlink()
        (r / "content/partners/fjordline-logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        replace(FJORDLINE, "logo: fjordline-data.svg", "logo: fjordline-logo.png")(r)

    branch(repo, "g", new_logo)
    code, out, _ = check(capsys, "--author", "@ola-fjell")
    assert code == 0, out
    assert [line for line in out if line.startswith("  ") and "content/" in line] == [
        "  deleted   content/partners/fjordline-data.svg",
        "  modified  content/partners/fjordline-data.yaml",
        "  added     content/partners/fjordline-logo.png",
    ]


def test_programme_files_outside_content(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def sneak(r: Path) -> None:
        (r / ".github/workflows").mkdir(parents=True)
        (r / ".github/workflows/check.yml").write_text("on: pull_request_target\n")
        replace(FJORDLINE, "since the first release", "since 2019")(r)

    branch(repo, "h", sneak)
    code, out, _ = check(capsys, "--author", "@kari-nordmann")
    assert code == 1
    assert out[0] == f".github/workflows/check.yml: {PROGRAMME_ONLY}"


def test_nothing_changed(
    repo: Path, capsys: pytest.CaptureFixture[str], summary: list[str]
) -> None:
    base = git(repo, "rev-parse", "--short=7", "main")
    assert check(capsys) == (0, summary + [f"Compared with main at {base}: no files changed."], [])


def test_compares_from_where_the_branch_left_main(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review committed on main after the branch started is not this change's edit."""
    base = branch(repo, "i", replace(FJORDLINE, "since the first release", "since 2019"))
    git(repo, "checkout", "--quiet", "main")
    replace(REVIEW, "thameside-data,GB,9,72", "thameside-data,GB,12,72")(repo)
    git(repo, "commit", "--quiet", "-am", "A new review on main")
    git(repo, "checkout", "--quiet", "i")
    code, out, _ = check(capsys, "--author", "@kari-nordmann")
    assert code == 0
    assert out[-4:-2] == [
        f"Compared with main at {base}: 1 file changed; partners added: none; removed: none.",
        f"  modified  {FJORDLINE}",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "no-such-branch"], "partnerdir: 'no-such-branch' is not a commit in this "
         "repository (in GitHub Actions, check out with fetch-depth: 0 so the base branch is "
         "there): fatal: Needed a single revision"),
        (["--base=--output=x"], "partnerdir: --base '--output=x' is not a git ref"),
        (["--author", "@x"], "partnerdir: --author and --allow-programme compare with a git "
         "ref: add --base REF"),
    ],
)  # fmt: skip
def test_usage_errors(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["check", "--today", TODAY, *args]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == message


def test_base_needs_a_git_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    assert main(["check", "--content", str(content), "--base", "main"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("partnerdir: --base needs a git repository: fatal: not a git repository")


def test_file_names_cannot_forge_lines_of_the_comparison() -> None:
    from partnerdir.gitdiff import Comparison, FileChange, Status, format_comparison

    forged = "content/partners/x\n::error file=content/program.yaml::forged.yaml"
    comparison = Comparison(
        "main",
        "abc1234",
        (FileChange(Status.ADDED, forged, None), FileChange(Status.ADDED, "caf\udce9.svg", None)),
        ("x\n::error::y",),
        (),
        None,
        (),
    )
    text = format_comparison(comparison)
    assert text.splitlines() == [
        "Compared with main at abc1234: 2 files changed; partners added: x\\n::error::y; "
        "removed: none.",
        "  added     content/partners/x\\n::error file=content/program.yaml::forged.yaml",
        "  added     caf\\xe9.svg",
        "Levels: not compared; the content has errors.",
    ]
    text.encode("utf-8")  # a strict UTF-8 stdout prints it
