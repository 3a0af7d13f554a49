"""The command line's fixed costs: what `partnerdir` loads and leaves to the interpreter's exit."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from partnerdir import cli


def test_the_command_line_loads_no_pull_request_module() -> None:
    # only `check --base` compares with git: a build pays nothing for it
    code = "import sys, partnerdir.cli, partnerdir.pipeline; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "partnerdir.pullrequest" not in loaded
    assert "partnerdir.content.checking" in loaded


def test_run_as_the_program_it_freezes_what_it_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = ["check", "--content", str(tmp_path / "no")]
    gc.unfreeze()
    try:
        assert cli.main(missing) == cli.EXIT_USAGE
        assert gc.get_freeze_count() == 0  # called by a program (the tests): not its process
        monkeypatch.setattr(sys, "argv", ["partnerdir", *missing])
        assert cli.main() == cli.EXIT_USAGE
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
