"""Fixtures the test modules share: a clean environment, a git identity, and the example
content built once. Paths and the build date are constants in paths.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import BUILD_DATE, EXAMPLE
from scanner import PROJECT_SITE

from partnerdir.pipeline import BuildResult, build_site


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """On GitHub Actions the check appends to this file; a test must not (a test that reads
    the summary sets its own)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """git that reads no configuration of this machine and commits as a test author."""
    for name, value in {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example content built once, on its build date, as a project site (under the path of
    scanner.PROJECT_SITE, so a link that forgets the base path breaks): what the build reports."""
    out = tmp_path_factory.mktemp("example") / "site"
    result = build_site(EXAMPLE, out, BUILD_DATE, base_url=PROJECT_SITE)
    assert result.built, [str(p) for p in result.checked.problems]
    return result


@pytest.fixture(scope="session")
def example_site(example_build: BuildResult) -> Path:
    """The folder of the built example (example_build)."""
    return example_build.out


@pytest.fixture(scope="session")
def example_files(example_site: Path) -> set[str]:
    """The path of every file of the built example, relative to the site."""
    return {p.relative_to(example_site).as_posix() for p in example_site.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def example_pages(example_site: Path, example_files: set[str]) -> dict[str, str]:
    """Every HTML page of the built example, by path."""
    return {
        name: (example_site / name).read_text()
        for name in sorted(example_files)
        if name.endswith(".html")
    }
