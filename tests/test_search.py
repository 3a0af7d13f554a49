"""Which Pagefind the build runs: its binary itself, found where its Python package put it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from partnerdir.output import search


@pytest.fixture(autouse=True)
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(search.COMMAND_ENV, raising=False)
    monkeypatch.delenv(search.BINARY_ENV, raising=False)


def test_the_installed_binary_is_run_without_a_python_in_front() -> None:
    command = search.pagefind_command()
    assert command[0] != sys.executable
    assert len(command) == 1 and os.access(command[0], os.X_OK)
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("pagefind ")


def test_pagefinds_own_variable_names_the_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.BINARY_ENV, "/opt/pagefind/pagefind")
    assert search.pagefind_command() == ["/opt/pagefind/pagefind"]


def test_without_the_binary_package_python_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "BINARY_PACKAGES", (("no_such_package_here", "pagefind"),))
    assert search.pagefind_binary() is None
    assert search.pagefind_command() == [sys.executable, "-m", "pagefind"]


def test_the_override_for_tests_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.COMMAND_ENV, "false --x")
    monkeypatch.setenv(search.BINARY_ENV, str(Path("/opt/pagefind")))
    assert search.pagefind_command() == ["false", "--x"]
