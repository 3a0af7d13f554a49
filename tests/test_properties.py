"""Properties of the check on hostile partner files: problems or a valid record, never a crash.

Whatever a partner file holds (any text, or a valid file with lines deleted, duplicated or
broken by YAML punctuation), `check_content` returns; each problem names a file that exists
and a line that exists in it, and a file without errors becomes a partner of the directory.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import BUILD_DATE, INVALID
from strategies import apply_edits, partner_file_edits

from partnerdir.content.checking import Checked, check_content

BASE = INVALID / "_base"
VALID = (BASE / "partners" / "acme.yaml").read_text()
# One folder for every example: copying the base for each would cost more than the check.
settings.register_profile(
    "partner-files", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def content() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "content"
        shutil.copytree(BASE, path)
        yield path


def check_partner_file(content: Path, data: bytes) -> tuple[Path, Checked]:
    path = content / "partners" / "acme.yaml"
    path.write_bytes(data)
    return path, check_content(content, BUILD_DATE)


def line_count(data: bytes) -> int:
    """Lines as git and GitHub count them: a line ends at \\n."""
    return max(1, data.count(b"\n") + (not data.endswith(b"\n")))


def assert_well_formed(path: Path, data: bytes, checked: Checked) -> None:
    for problem in checked.problems:
        problem_path = Path(problem.path)
        assert problem_path.exists(), problem
        if problem_path == path:
            # Every problem of a partner file points at a line of it (0 means "the whole
            # file", for files that cannot be read or linked from elsewhere: not these).
            assert 1 <= problem.line <= line_count(data), problem
            if problem.message in ("unknown key", "duplicate key") and problem.field.isalnum():
                # the line as GitHub shows it holds the key the problem names
                shown = data.split(b"\n")[problem.line - 1]
                assert problem.field.encode() in shown, (problem, shown)
        else:
            lines = line_count(problem_path.read_bytes())
            assert 0 <= problem.line <= lines, problem
        assert "\n" not in str(problem) and "\r" not in str(problem), problem
    own_errors = [p for p in checked.problems if p.is_error and Path(p.path) == path]
    if not own_errors:
        assert checked.directory is not None
        assert "acme" in {p.id for p in checked.directory.partners}
    else:
        assert checked.directory is None


@settings(settings.get_profile("partner-files"))
@given(text=st.text())
def test_any_text_gives_problems_or_a_partner(content: Path, text: str) -> None:
    data = text.encode()
    path, checked = check_partner_file(content, data)
    assert_well_formed(path, data, checked)


@settings(settings.get_profile("partner-files"))
@given(data=st.binary(max_size=300))
def test_any_bytes_give_problems_or_a_partner(content: Path, data: bytes) -> None:
    path, checked = check_partner_file(content, data)
    assert_well_formed(path, data, checked)


@settings(settings.get_profile("partner-files"))
@given(steps=partner_file_edits())
def test_a_mutated_partner_file_gives_problems_or_a_partner(
    content: Path, steps: list[tuple[str, int, int, str]]
) -> None:
    data = apply_edits(VALID, steps).encode()
    path, checked = check_partner_file(content, data)
    assert_well_formed(path, data, checked)


def test_the_unmutated_file_is_valid(content: Path) -> None:
    path, checked = check_partner_file(content, VALID.encode())
    assert checked.errors == 0
    assert_well_formed(path, VALID.encode(), checked)
