"""End to end: a real git repository, a partner's branches, and what `check --base` prints."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from paths import BUILD_DATE, ROOT, SITES
from test_scaffold import fill_in

from partnerdir.cli import main

FIXTURE = SITES / "pr" / "content"
TODAY = BUILD_DATE.isoformat()
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
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, git_identity: None) -> Path:
    """A directory repository whose main branch holds the fixture and its CODEOWNERS."""
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
    "out of date for content/partners/nordkapp-data.yaml: it should have the line "
    "'/content/partners/nordkapp-data.yaml @nora-berg @northwind/partner-programme'. Run "
    "`python build.py codeowners`, or "
    "make these edits, and commit .github/CODEOWNERS with this change"
)
CODEOWNERS = ".github/CODEOWNERS"


def add_nordkapp_and_its_owners(repo: Path) -> None:
    """A new listing, and CODEOWNERS as `codeowners` writes it for that listing."""
    add_nordkapp(repo)
    assert main(["codeowners", "--today", TODAY]) == 0


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
    base = branch(repo, "b", add_nordkapp_and_its_owners)
    summary = [
        summary[0].replace("5 partner files", "6 partner files").replace("0 warnings", "1 warning"),
        summary[1].replace("0 not yet reviewed", "1 not yet reviewed"),
        *summary[2:],
    ]
    compared = [
        f"Compared with main at {base}: 2 files changed; partners added: nordkapp-data; "
        "removed: none.",
        f"  modified  {CODEOWNERS}",
        f"  added     {NEW}",
        "Levels before -> after:",
        "  nordkapp-data: no listing -> not yet reviewed",
    ]
    problems = [f"{NEW}:1: warning: {NOT_REVIEWED}"]
    assert check(capsys, "--author", "nora-berg") == (0, problems + summary + compared, [])
    annotations = [
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
    add_nordkapp_and_its_owners(repo)  # untracked, as right after `new`
    code, out, _ = check(capsys, "--author", "@nora-berg")
    assert code == 0
    assert f"  added     {NEW}" in out


def test_a_new_partner_brings_its_codeowners_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Code-owner review protects nothing with a stale CODEOWNERS: the change that makes it
    stale must update it, and the check says the exact line."""
    branch(repo, "b1", add_nordkapp)
    code, out, _ = check(capsys, "--author", "@nora-berg")
    assert code == 1
    assert out[0] == f"{CODEOWNERS}: {STALE_CODEOWNERS}"
    (repo / CODEOWNERS).unlink()
    code, out, _ = check(capsys, "--author", "@nora-berg")
    assert code == 1
    assert out[0] == (
        f"{CODEOWNERS}: missing: partners' listings need their owners; the programme team runs "
        "`python build.py codeowners` and commits the file"
    )


def test_a_partner_cannot_hand_edit_codeowners(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CODEOWNERS may change with a listing only as `codeowners` writes it."""
    branch(repo, "b3", replace(CODEOWNERS, "@camille-laurent @hugo-moreau", "@kari-nordmann"))
    code, out, _ = check(capsys, "--author", "@kari-nordmann")
    assert code == 1
    assert out[0].startswith(f"{CODEOWNERS}:14: out of date for content/partners/canal-")


def test_a_new_partner_must_name_its_author(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    branch(repo, "b2", add_nordkapp_and_its_owners)
    code, out, _ = check(capsys, "--author", "Mallory")
    assert code == 1
    line = (repo / NEW).read_text().splitlines().index('maintainers: ["@nora-berg"]') + 1
    assert out[:2] == [
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
    owners = "@camille-laurent @hugo-moreau @kari-nordmann @northwind/partner-programme"
    stale = (
        "out of date for content/partners/canal-analytique.yaml, "
        "content/partners/canal-analytique.svg: it should have the line "
        f"'/content/partners/canal-analytique.yaml {owners}'; it should have the line "
        f"'/content/partners/canal-analytique.svg {owners}'. Run `python build.py codeowners`, "
        "or make these edits, and commit .github/CODEOWNERS with this change"
    )
    summary = [summary[0].replace("0 errors, 0 warnings", "2 errors, 0 warnings"), *summary[1:]]
    assert check(capsys, "--author", "@kari-nordmann") == (
        1,
        [
            f".github/CODEOWNERS:14: {stale}",
            f"{CANAL}:25: maintainers: {NOT_KARIS}",
            *summary,
            *compared,
        ],
        [],
    )
    assert check(capsys, "--author", "@kari-nordmann", "--format", "github") == (
        1,
        [
            f"::error file=.github/CODEOWNERS,line=14,title=problem::{stale}",
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
        f"{CANAL}: belongs to 'canal-analytique', and this change also edits 1 other listing "
        "(fjordline-data): change one partner's listing and logo per pull request",
        f"{CANAL}:25: maintainers: {NOT_KARIS}",
        f"{FJORDLINE}: belongs to 'fjordline-data', and this change also edits 1 other listing "
        "(canal-analytique): change one partner's listing and logo per pull request",
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


def regenerate_codeowners(repo: Path) -> None:
    assert main(["codeowners", "--today", TODAY]) == 0


def test_a_partner_leaves(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def leave(r: Path) -> None:
        (r / "content/partners/tulpveld-it.yaml").unlink()
        regenerate_codeowners(r)

    base = branch(repo, "f", leave)
    code, out, _ = check(capsys, "--author", "@lotte-de-graaf")
    assert code == 0, out
    assert out[-5:] == [
        f"Compared with main at {base}: 2 files changed; partners added: none; "
        "removed: tulpveld-it.",
        f"  modified  {CODEOWNERS}",
        "  deleted   content/partners/tulpveld-it.yaml",
        "Levels before -> after:",
        "  tulpveld-it: Registered -> no listing",
    ]


TULPVELD = "content/partners/tulpveld-it.yaml"


def a_stranger_takes(handle: str) -> Callable[[Path], None]:
    """A new listing under a departed partner's id, maintained by `handle`."""

    def edit(r: Path) -> None:
        text = FIXTURE.joinpath("partners/tulpveld-it.yaml").read_text()
        (r / TULPVELD).write_text(text.replace('"@lotte-de-graaf"', f'"{handle}"'))
        regenerate_codeowners(r)

    return edit


@pytest.fixture
def departed(repo: Path) -> Path:
    """main after tulpveld-it left: its listing is gone, its rows in reviews/ stay."""
    (repo / TULPVELD).unlink()
    regenerate_codeowners(repo)
    git(repo, "commit", "--quiet", "-am", "tulpveld-it leaves the programme")
    return repo


def test_a_stranger_cannot_take_a_departed_partners_id(
    departed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Else a stranger would be published at its level, with its figures and member-since."""
    branch(departed, "takeover", a_stranger_takes("@mallory"))
    code, out, _ = check(capsys, "--author", "@mallory")
    assert code == 1
    assert out[0] == (
        f"{TULPVELD}:1: id: 'tulpveld-it' has review history since 2026-07-01 and no listing: "
        "only the programme team, or a maintainer of its last listing (its last maintainers: "
        "@lotte-de-graaf), can list it again; choose another id for a new partner"
    )
    # The programme team may bring it back, as may the partner's own last maintainer.
    assert check(capsys, "--allow-programme")[0] == 0


def test_a_departed_partner_can_come_back(
    departed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(departed, "return", a_stranger_takes("@lotte-de-graaf"))
    code, out, _ = check(capsys, "--author", "@Lotte-de-Graaf")
    assert code == 0, out


def test_a_new_logo_belongs_to_its_partner(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def new_logo(r: Path) -> None:
        (r / "content/partners/fjordline-data.svg").unlink()
        (r / "content/partners/fjordline-data.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        replace(FJORDLINE, "logo: fjordline-data.svg", "logo: fjordline-data.png")(r)
        regenerate_codeowners(r)

    branch(repo, "g", new_logo)
    code, out, _ = check(capsys, "--author", "@ola-fjell")
    assert code == 0, out
    assert [line for line in out if line.startswith("  ") and "/" in line] == [
        f"  modified  {CODEOWNERS}",
        "  added     content/partners/fjordline-data.png",
        "  deleted   content/partners/fjordline-data.svg",
        "  modified  content/partners/fjordline-data.yaml",
    ]


def test_a_partner_cannot_take_another_partners_logo(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming a victim's logo as one's own, then rewriting it, fails twice over: a listing may
    name only its own logo file, and the file belongs to the victim by its name."""

    def take(r: Path) -> None:
        replace(FJORDLINE, "logo: fjordline-data.svg", "logo: canal-analytique.svg")(r)
        (r / "content/partners/canal-analytique.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
        )

    branch(repo, "steal", take)
    code, out, _ = check(capsys, "--author", "@ola-fjell")
    assert code == 1
    canal_logo = "content/partners/canal-analytique.svg"
    line = (repo / FJORDLINE).read_text().splitlines().index("logo: canal-analytique.svg") + 1
    assert out[:4] == [
        f"{canal_logo}: belongs to 'canal-analytique', and this change also edits 1 other "
        "listing (fjordline-data): change one partner's listing and logo per pull request",
        f"{CANAL}:25: maintainers: @ola-fjell is not a maintainer of 'canal-analytique' "
        "(maintainers before this change: @camille-laurent, @hugo-moreau); ask one of them to "
        "make or approve the change",
        f"{FJORDLINE}: belongs to 'fjordline-data', and this change also edits 1 other listing "
        "(canal-analytique): change one partner's listing and logo per pull request",
        f"{FJORDLINE}:{line}: logo: 'canal-analytique.svg' is not this listing's own logo: name "
        "the file fjordline-data.svg, fjordline-data.png or fjordline-data.webp",
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
         "there, and fetch the pull request's head): fatal: Needed a single revision"),
        (["--base=--output=x"], "partnerdir: '--output=x' is not a git ref"),
        (["--base", "main", "--head=--output=x"], "partnerdir: '--output=x' is not a git ref"),
        (["--author", "@x"], "partnerdir: --author, --allow-programme and --head compare with a "
         "git ref: add --base REF"),
        (["--head", "main"], "partnerdir: --author, --allow-programme and --head compare with a "
         "git ref: add --base REF"),
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
    from partnerdir.pullrequest.comparison import Comparison, FileChange, Status, format_comparison

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


# --- the verdict on a pull request: --head, from a checkout of the base ---------------------


def check_head(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["check", "--today", TODAY, "--base", "main", "--head", "pr", *args])
    return code, capsys.readouterr().out.splitlines()


def test_head_is_read_from_git_not_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(repo, "pr", replace(FJORDLINE, "since the first release", "since 2019"))
    git(repo, "checkout", "--quiet", "main")
    # The working tree (the base checkout) is broken: the pull request's commit is what counts.
    (repo / THAMESIDE).write_text("name: [unclosed\n")
    code, out = check_head(capsys, "--author", "@kari-nordmann")
    assert code == 0, out
    assert f"  modified  {FJORDLINE}" in out
    assert not any(THAMESIDE in line for line in out)


def test_a_symlink_in_the_pull_request_is_never_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def link(r: Path) -> None:
        (r / "content/partners/fjordline-data.svg").unlink()
        (r / "content/partners/fjordline-data.svg").symlink_to("/etc/passwd")

    branch(repo, "pr", link)
    git(repo, "checkout", "--quiet", "main")
    code, out = check_head(capsys, "--author", "@kari-nordmann")
    assert code == 1
    assert out[0] == (
        "content/partners/fjordline-data.svg: is a symbolic link: content files are plain "
        "files, committed as they are"
    )
    assert not any("root:" in line for line in out)


@pytest.mark.usefixtures("git_identity")
def test_a_pull_request_cannot_change_the_code_that_judges_it(tmp_path: Path) -> None:
    """The pull request edits partnerdir/ to write a marker when imported (and to let any
    change through) and raises its figures; the check, run from the base checkout, refuses it
    and never imports the pull request's code."""
    repo = tmp_path / "directory"
    shutil.copytree(ROOT / "partnerdir", repo / "partnerdir", ignore=_no_caches)
    shutil.copy(ROOT / "build.py", repo / "build.py")
    shutil.copytree(FIXTURE, repo / "content")
    run = [sys.executable, "build.py"]
    subprocess.run([*run, "codeowners", "--today", TODAY], cwd=repo, check=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "The directory")
    marker = tmp_path / "marker"
    git(repo, "checkout", "--quiet", "-b", "pr")
    init = repo / "partnerdir" / "__init__.py"
    init.write_text(init.read_text() + f"\nopen({str(marker)!r}, 'w').write('ran')\n")
    ownership = repo / "partnerdir" / "pullrequest" / "ownership.py"
    ownership.write_text(ownership.read_text() + "\nownership_problems = lambda *a, **k: []\n")
    replace(REVIEW, "thameside-data,GB,9,72", "thameside-data,GB,40,300")(repo)
    git(repo, "commit", "--quiet", "-am", "Promote me")
    head = git(repo, "rev-parse", "HEAD")
    assert not marker.exists()
    git(repo, "checkout", "--quiet", "main")  # what the workflow checks out: the base

    verdict = tmp_path / "verdict.json"
    args = ["check", "--today", TODAY, "--base", "main", "--head", "pr"]
    args += ["--author", "@oliver-hughes", "--format", "github", "--check-run", str(verdict)]
    done = subprocess.run([*run, *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert not marker.exists()
    assert done.stdout.splitlines()[:3] == [
        f"::error file={REVIEW},title=problem::{PROGRAMME_ONLY}",
        f"::error file=partnerdir/__init__.py,title=problem::{PROGRAMME_ONLY}",
        f"::error file=partnerdir/pullrequest/ownership.py,title=problem::{PROGRAMME_ONLY}",
    ]
    run_json = json.loads(verdict.read_text())
    assert run_json["head_sha"] == head
    assert run_json["conclusion"] == "failure"
    assert [a["path"] for a in run_json["output"]["annotations"]][:3] == [
        REVIEW,
        "partnerdir/__init__.py",
        "partnerdir/pullrequest/ownership.py",
    ]


def _no_caches(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if name == "__pycache__"}


def test_a_pull_request_of_thousands_of_files_costs_linear_output(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One short message per file, and a step summary under GitHub's 1 MiB, however large."""
    count = 1500
    listing = (repo / THAMESIDE).read_text()

    def flood(r: Path) -> None:
        for k in range(count):
            (r / f"content/partners/flood-{k:05}.yaml").write_text(listing)

    branch(repo, "pr", flood)
    git(repo, "checkout", "--quiet", "main")
    summary_file = repo.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    code, out = check_head(capsys, "--author", "@mallory")
    assert code == 1
    per_file = [line for line in out if "belongs to 'flood-" in line]
    assert len(per_file) == count
    assert max(len(line) for line in out) < 600
    assert sum(len(line) + 1 for line in out) < count * 1000
    assert summary_file.stat().st_size < 1024 * 1024
    assert "more files in the log" in summary_file.read_text()


# --- notice (issue 13, item 2): rules change with notice, the programme team's change too --

PROGRAM = "content/program.yaml"
GOLD = "csat: {min: 4.3}\n      annual_revenue: {min: 200000}"
RULES = """levels:
  - id: gold
    criteria:
      certified_engineers: {min: 10}
      customer_deployments: {min: 50}
      csat: {min: 4.5}
      annual_revenue: {min: 200000}
      security_review: {equals: true}
      median_ticket_days: {max: 5}
"""


def rules_file(date: str, text: str = RULES) -> Callable[[Path], None]:
    def edit(repo: Path) -> None:
        (repo / "content" / "rules").mkdir(exist_ok=True)
        (repo / "content" / "rules" / f"{date}.yaml").write_text(text)

    return edit


def errors(out: list[str]) -> list[str]:
    return [line for line in out if ": " in line and line.startswith("content/")]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        # the build date is 2026-11-24: 90 days' notice means 2027-02-22 or later
        ("2027-02-22", []),
        (
            "2027-02-21",
            [
                "content/rules/2027-02-21.yaml:1: takes effect on 2027-02-21, 89 days after "
                "2026-11-24: rules change with 90 days' notice; date it 2027-02-22 or later"
            ],
        ),
        (
            "2026-11-24",
            [
                "content/rules/2026-11-24.yaml:1: added a rules file in force since 2026-11-24: "
                "rules in force are never changed; add a rules file dated 2027-02-22 or later"
            ],
        ),
    ],
)
def test_a_new_rules_file_needs_notice_even_from_the_programme_team(
    repo: Path, capsys: pytest.CaptureFixture[str], date: str, expected: list[str]
) -> None:
    branch(repo, "rules", rules_file(date))
    code, out, _ = check(capsys, "--allow-programme")
    assert (code, errors(out)) == (1 if expected else 0, expected)


def test_an_edit_of_program_yaml_criteria_is_refused_on_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(repo, "raise", replace(PROGRAM, GOLD, GOLD.replace("4.3", "4.5")))
    code, out, _ = check(capsys, "--allow-programme")
    assert (code, errors(out)) == (
        1,
        [
            "content/program.yaml:116: levels[2].criteria: changes Gold's criteria, in force "
            "since the programme's start: rules change by a new file rules/<date>.yaml dated "
            "2027-02-22 or later"
        ],
    )


def test_program_yaml_texts_and_notice_days_may_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit = replace(PROGRAM, "entry_expiry_days: 365", "entry_expiry_days: 365\n  notice_days: 120")
    branch(repo, "texts", edit)
    assert check(capsys, "--allow-programme")[0] == 0


def test_a_rules_file_in_force_is_never_edited(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # on main since before the build date (committed as the programme's earlier change)
    rules_file("2026-06-01")(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "rules of June")
    branch(repo, "edit", replace("content/rules/2026-06-01.yaml", "4.5", "4.4"))
    code, out, _ = check(capsys, "--allow-programme")
    assert (code, errors(out)) == (
        1,
        [
            "content/rules/2026-06-01.yaml:1: modified a rules file in force since 2026-06-01: "
            "rules in force are never changed; add a rules file dated 2027-02-22 or later"
        ],
    )


def test_a_partner_cannot_add_a_rules_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    branch(repo, "partner-rules", rules_file("2027-06-01"))
    code, out, _ = check(capsys)
    assert code == 1
    assert errors(out) == [
        "content/rules/2027-06-01.yaml: is not part of a partner's listing or logo: only the "
        "programme team changes it (their check runs with --allow-programme)"
    ]


BRONZE = """  - id: bronze
    name: Bronze
    colour: "#6b4a2b"
    description: A step between Registered and Silver.
    criteria:
      certified_engineers: {min: 1}
  - id: silver
"""


def test_a_level_added_to_program_yaml_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a new level judges every past review again: the criteria of ids the base never had
    # are rules in force too
    branch(repo, "bronze", replace(PROGRAM, "  - id: silver\n", BRONZE))
    code, out, _ = check(capsys, "--allow-programme")
    assert (code, errors(out)) == (
        1,
        [
            "content/program.yaml:79: levels: changes the levels in force (registered, "
            "silver, gold and platinum), in force since the programme's start: rules change "
            "by a new file rules/<date>.yaml dated 2027-02-22 or later"
        ],
    )


def test_a_change_of_how_a_metric_ranks_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # caps rank by `better`, and choice criteria by the order of `choices`: flipping either
    # re-ranks every past review as surely as an edit of the criteria
    edit = both(
        replace(PROGRAM, "    better: lower\n", ""),
        replace(PROGRAM, "[failed, passed, excellent]", "[failed, excellent, passed]"),
    )
    branch(repo, "ranks", edit)
    code, out, _ = check(capsys, "--allow-programme")
    advice = "rules change by a new file rules/<date>.yaml dated 2027-02-22 or later"
    assert (code, errors(out)) == (
        1,
        [
            "content/program.yaml:56: metrics.health_check: changes how Platform health check "
            "ranks (its type, better or choices), in force since the programme's start: " + advice,
            "content/program.yaml:69: metrics.median_ticket_days: changes how Median ticket "
            "resolution ranks (its type, better or choices), in force since the programme's "
            "start: " + advice,
        ],
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            "grace_days: 90",
            "grace_days: 120",
            "content/program.yaml:{line}: review.grace_days: changes review.grace_days, which "
            "judges every past review: it stays 90 days",
        ),
        (
            "entry_expiry_days: 365",
            "entry_expiry_days: 180",
            "content/program.yaml:{line}: review.entry_expiry_days: changes "
            "review.entry_expiry_days, which judges every past review: it stays 365 days",
        ),
        (
            "entry_expiry_days: 365",
            "entry_expiry_days: 365\n  notice_days: 30",
            "content/program.yaml:{line}: review.notice_days: shortens the notice partners "
            "were promised (90 days): notice may grow, never shrink",
        ),
    ],
    ids=["grace", "entry-period", "shorter-notice"],
)
def test_the_grace_the_entry_period_and_the_notice_are_promises_too(
    repo: Path, capsys: pytest.CaptureFixture[str], before: str, after: str, expected: str
) -> None:
    branch(repo, "review-rules", replace(PROGRAM, before, after))
    lines = (repo / PROGRAM).read_text().splitlines()
    changed = after.split("\n")[-1].strip()
    line = next(n for n, text in enumerate(lines, start=1) if text.strip() == changed)
    code, out, _ = check(capsys, "--allow-programme")
    assert (code, errors(out)) == (1, [expected.format(line=line)])
