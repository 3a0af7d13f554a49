"""The search index: Pagefind's command line run over the written profile pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .problems import BuildError

#: Only profile pages carry `data-pagefind-body`: the other pages are not read at all.
GLOB = "partners/*/index.html"
#: Where the bundle goes, relative to the site root (urls.pagefind() links to it).
SUBDIR = "pagefind"
#: Environment variable naming another Pagefind command (tests use it to simulate failures).
COMMAND_ENV = "PARTNERDIR_PAGEFIND"


def pagefind_command() -> list[str]:
    override = os.environ.get(COMMAND_ENV)
    if override:
        return override.split()
    return [sys.executable, "-m", "pagefind"]


def index_site(site: Path) -> None:
    """Write the Pagefind bundle into `site`/pagefind/; a BuildError when Pagefind fails."""
    command = [
        *pagefind_command(),
        "--site",
        str(site),
        "--glob",
        GLOB,
        "--output-subdir",
        SUBDIR,
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"could not start Pagefind ({command[0]}): {error.strerror}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        if "No module named pagefind" in (result.stderr or ""):
            reason = "Pagefind is not installed (pip install 'pagefind[bin]')"
        raise BuildError(f"search index: Pagefind failed: {reason}")
    if not (site / SUBDIR / "pagefind.js").is_file():
        raise BuildError("search index: Pagefind wrote no pagefind.js")
