"""The wheel: built from the tree, installed into a fresh venv outside the repository, it builds
the example content with its built-in templates, the same site as the repository's own code."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

from partnerdir.pipeline import build_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
#: Not part of a source tree: caches, build output, the venv, screenshots.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "site",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    ".screenshots",
)


def tree(folder: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file, Pagefind's bundle aside (not byte-stable)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith("pagefind/")
    }


def run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_the_licence_is_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"


@pytest.mark.slow
def test_the_installed_wheel_builds_the_example_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a copy of the tree, so that building the wheel writes nothing into the repository
    source = Path(shutil.copytree(ROOT, tmp_path / "source", ignore=NOT_SOURCES))
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    wheels = tmp_path / "wheels"
    # no build isolation: the backend is this environment's setuptools, so no network is needed
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "."]
        + ["-w", wheels],
        source,
        env,
    )
    (wheel,) = wheels.glob("partnerdir-*.whl")

    # a fresh venv; the runtime dependencies come from this environment's site-packages (a
    # path in a .pth file: its own .pth files, this checkout's editable install among them,
    # are not read), partnerdir only from the wheel
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    purelib = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, env
    )
    (Path(purelib.strip()) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel],
        tmp_path,
        env,
    )
    where = run([python, "-c", "import partnerdir; print(partnerdir.__file__)"], tmp_path, env)
    assert Path(where.strip()).is_relative_to(fresh), where

    # the example content in a folder of its own, built by the installed command
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "content", work / "content")
    output = run(
        [fresh / "bin" / "partnerdir", "build", "--today", TODAY.isoformat(), "--out", "site"],
        work,
        env,
    )
    assert "Built site/" in output
    built = work / "site"
    assert (built / "pagefind" / "pagefind.js").is_file()
    assert (built / "static" / "style.css").read_bytes() == (
        ROOT / "templates" / "static" / "style.css"
    ).read_bytes()
    # the same site as the repository's code builds: every built-in template shipped
    monkeypatch.chdir(work)  # the same relative --content: profiles link to the partner file
    here = tmp_path / "here"
    assert build_site(Path("content"), here, TODAY).built
    assert tree(built) == tree(here)
