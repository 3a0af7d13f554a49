"""The command line's fixed costs: what `partnerdir` loads, and how its process ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from paths import EXAMPLE, SITES

from partnerdir import cli


def test_the_command_line_loads_no_pull_request_module() -> None:
    # only `check --base` compares with git: a build pays nothing for it
    code = "import sys, partnerdir.cli, partnerdir.pipeline; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "partnerdir.pullrequest" not in loaded
    assert "partnerdir.content.checking" in loaded


RUN = """
import atexit, os, sys
from partnerdir import cli
atexit.register(print, "the interpreter's end ran")
if sys.argv[1] == "closed":
    os.close(1)
sys.argv = ["partnerdir", "check", "--content", sys.argv[2]]
cli.run()
"""


def test_run_as_the_program_it_ends_the_process_once_its_output_is_out(tmp_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", RUN, "open", str(tmp_path / "no")], capture_output=True, text=True
    )
    assert ended.returncode == cli.EXIT_USAGE
    assert "no content folder at" in ended.stderr
    assert "the interpreter's end ran" not in ended.stdout  # ended at once, not by the end
    checked = subprocess.run(
        [sys.executable, "-c", RUN, "open", str(EXAMPLE)], capture_output=True, text=True
    )
    assert checked.returncode == cli.EXIT_OK
    assert "\nChecked program.yaml" in checked.stdout  # flushed before the end
    assert "the interpreter's end ran" not in checked.stdout


def test_output_that_cannot_be_written_is_exit_code_120_as_at_an_interpreters_end() -> None:
    # a few lines, all in the output's buffer until the end (no standard output: closed)
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    ended = subprocess.run(
        [sys.executable, "-c", RUN, "closed", str(SITES / "listing" / "content")],
        capture_output=True,
        text=True,
        env=buffered,
    )
    assert (ended.returncode, ended.stderr) == (120, "")


def test_a_command_run_by_a_program_keeps_nothing() -> None:
    assert cli.main(["check", "--content", str(EXAMPLE)]) == cli.EXIT_OK
    assert cli._made is None  # kept only by the program's own run
