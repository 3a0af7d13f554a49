"""`check` run again on an unchanged content folder replays the last verdict (content/unchanged.py):
the same output and exit code without reading a file; any change, a recent file or a link
means a whole check."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from paths import BUILD_DATE, SITES

from partnerdir import cli
from partnerdir.content import unchanged
from partnerdir.content.checking import check_content

CONTENT = SITES / "listing" / "content"
#: One check: its output and exit code.
Run = tuple[str, int]


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # the copy was just written: with the usual margin no verdict would be kept at all
    monkeypatch.setattr(unchanged, "RACY_SECONDS", 0.0)
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content folders checked whole (not replayed), in order."""
    seen: list[Path] = []

    def counting(content: Path, today, cache=None):  # type: ignore[no-untyped-def]
        seen.append(content)
        return check_content(content, today, cache)

    monkeypatch.setattr(cli, "check_content", counting)
    return seen


@pytest.fixture
def check(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*extra: str) -> Run:
        args = ["check", "--content", str(content), "--cache", str(tmp_path / "cache")]
        code = cli.main([*args, "--today", BUILD_DATE.isoformat(), *extra])
        captured = capsys.readouterr()
        return captured.out + captured.err, code

    return run


def test_an_unchanged_folder_replays_the_last_verdict(
    check: Callable[..., Run], checks: list[Path]
) -> None:
    first = check()
    assert first[1] == 0 and "partners" in first[0]
    assert check() == first
    assert check() == first
    assert len(checks) == 1


def test_errors_and_their_exit_code_are_replayed_alike(
    content: Path, check: Callable[..., Run], checks: list[Path]
) -> None:
    partner = content / "partners" / "malabar-analytics.yaml"
    partner.write_text(partner.read_text().replace("name:", "nmae:", 1))
    first = check()
    assert first[1] == 1 and "malabar-analytics.yaml:" in first[0]
    assert check() == first
    assert len(checks) == 1


def test_any_change_checks_again(
    content: Path, check: Callable[..., Run], checks: list[Path]
) -> None:
    clean = check()
    partner = content / "partners" / "malabar-analytics.yaml"
    partner.write_text(partner.read_text().replace("name:", "nmae:", 1))
    broken = check()
    assert broken[1] == 1 and broken != clean
    # the same bytes written again, an added file, a removed one: each is checked whole
    partner.write_text(partner.read_text().replace("nmae:", "name:", 1))
    assert check() == clean
    (content / "partners" / "new-partner.yaml").write_text("name: [\n")
    assert check()[1] == 1
    (content / "partners" / "new-partner.yaml").unlink()
    assert check() == clean
    assert check() == clean
    assert len(checks) == 5


def test_another_date_or_other_files_named_check_again(
    content: Path, check: Callable[..., Run], checks: list[Path]
) -> None:
    check()
    check("--today", "2027-06-01")  # the last --today wins
    check(str(content / "partners" / "malabar-analytics.yaml"))
    assert len(checks) == 3
    check(str(content / "partners" / "malabar-analytics.yaml"))
    assert len(checks) == 3


def test_codeowners_beside_the_content_is_part_of_what_is_read(
    content: Path, check: Callable[..., Run], checks: list[Path]
) -> None:
    check()
    github = content.parent / ".github"
    github.mkdir()
    (github / "CODEOWNERS").write_text("# stale\n")
    warned = check()
    assert "CODEOWNERS" in warned[0]
    assert len(checks) == 2


def test_a_recent_file_or_a_link_keeps_no_verdict(
    content: Path,
    check: Callable[..., Run],
    checks: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(unchanged, "RACY_SECONDS", 3600.0)  # every file is recent
    check()
    check()
    assert not (tmp_path / "cache" / unchanged.FILE_NAME).exists()
    monkeypatch.setattr(unchanged, "RACY_SECONDS", 0.0)
    (content / "reviews" / "link.csv").symlink_to(content / "program.yaml")
    check()
    check()
    assert not (tmp_path / "cache" / unchanged.FILE_NAME).exists()
    assert len(checks) == 4


def test_a_first_check_works_its_key_out_beside_and_a_later_one_first(
    check: Callable[..., Run],
    checks: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with no verdict kept there is none to replay: the key is worked out by another process
    # while this one checks; once one is kept, here and before the check, which it may spare
    signed = tmp_path / "signed-by"
    real = unchanged.signature

    def signature(*args, **kwargs):  # type: ignore[no-untyped-def]
        with signed.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(unchanged, "signature", signature)
    first = check()
    assert check() == first
    assert len(checks) == 1
    beside, here = map(int, signed.read_text().split())
    assert beside != os.getpid() and here == os.getpid()


def test_a_file_changed_while_the_first_check_runs_is_checked_again(
    content: Path, check: Callable[..., Run], checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    partner = content / "partners" / "malabar-analytics.yaml"
    counting = cli.check_content

    def edited_once_read(content: Path, today, cache=None):  # type: ignore[no-untyped-def]
        checked = counting(content, today, cache)
        if len(checks) == 1:  # the first check has read the file: now it changes
            partner.write_text(partner.read_text().replace("name:", "nmae:", 1))
        return checked

    monkeypatch.setattr(cli, "check_content", edited_once_read)
    assert check()[1] == 0
    broken = check()
    assert broken[1] == 1 and "malabar-analytics.yaml:" in broken[0]
    assert len(checks) == 2


def test_a_file_changed_since_the_check_began_is_recent(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    since = time.time_ns()
    time.sleep(0.05)  # past the file system's clock's granularity
    partner = content / "partners" / "malabar-analytics.yaml"
    partner.write_text(partner.read_text() + "\n")
    assert unchanged.signature(content, [], ["check"]) is not None  # RACY_SECONDS is 0
    assert unchanged.signature(content, [], ["check"], since=since) is None


def test_a_forged_or_foreign_verdict_is_ignored(
    check: Callable[..., Run], checks: list[Path], tmp_path: Path
) -> None:
    first = check()
    kept = tmp_path / "cache" / unchanged.FILE_NAME
    record = json.loads(kept.read_text())
    for forged in (
        {**record, "output": "all fine\n", "key": "0" * 64},
        {**record, "exit": "0"},
        {**record, "format": 0},
        [record],
    ):
        kept.write_text(json.dumps(forged))
        assert check() == first
    kept.write_bytes(b"\xff{")
    assert check() == first
    assert len(checks) == 6


def test_only_the_plain_check_is_replayed(
    check: Callable[..., Run], checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    check("--format", "github")
    check("--format", "github")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", os.devnull)
    check()
    check()
    assert len(checks) == 4
