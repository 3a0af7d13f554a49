"""The search index: Pagefind's command line run over the written profile pages."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..problems import BuildError

#: Only profile pages carry `data-pagefind-body`: the other pages are not read at all.
GLOB = "partners/*/index.html"
#: Where the bundle goes, relative to the site root (urls.pagefind() links to it).
SUBDIR = "pagefind"
#: Where Pagefind reads the profiles from, inside the folder being built: each profile's
#: indexed part only (pages.Planner.search_sources), written first so that indexing runs while
#: the profiles themselves are rendered; removed once indexed. The same index as the profiles
#: give (tests/test_search_sources.py).
SOURCES = ".search-sources"
#: Environment variable naming another Pagefind command (tests use it to simulate failures).
COMMAND_ENV = "PARTNERDIR_PAGEFIND"


#: Pagefind's own variable naming its binary (`python -m pagefind` honours it too).
BINARY_ENV = "PAGEFIND_BINARY_PATH"
#: The packages of `pip install 'pagefind[extended]'` and `'pagefind[bin]'`, and their binaries.
BINARY_PACKAGES = (("pagefind_bin_extended", "pagefind_extended"), ("pagefind_bin", "pagefind"))


def pagefind_command() -> list[str]:
    override = os.environ.get(COMMAND_ENV)
    if override:
        return override.split()
    binary = pagefind_binary()
    return [str(binary)] if binary is not None else [sys.executable, "-m", "pagefind"]


def pagefind_binary() -> Path | None:
    """Pagefind's binary where its Python package installed it, or None.

    Run directly, it starts about 0.1 s sooner than `python -m pagefind`, which starts an
    interpreter only to find this file and exec it: at 1,000 partners Pagefind is the last
    stage, so that start is part of every build's time. Found without importing the packages.
    """
    named = os.environ.get(BINARY_ENV)
    if named:
        return Path(named)
    if os.name != "posix":
        return None  # the binaries end in .exe there: `python -m pagefind` knows
    for package, name in BINARY_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            path = Path(folder) / name
            if path.is_file() and os.access(path, os.X_OK):
                return path
    return None


def start_index(site: Path, sources: Path) -> subprocess.Popen[str]:
    """Start Pagefind over the pages in `sources` (what it reads of each profile, at the
    profiles' paths), its bundle written into `site`; the caller may write the site meanwhile,
    then calls finish_index."""
    command = [
        *pagefind_command(),
        "--site",
        str(sources),
        "--glob",
        GLOB,
        "--output-path",
        str(site / SUBDIR),
        "--silent",
    ]
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        raise BuildError(f"could not start Pagefind ({command[0]}): {error.strerror}") from None


def stop_index(process: subprocess.Popen[str]) -> None:
    """End an index that is no longer wanted (the build failed meanwhile)."""
    process.kill()
    process.communicate()


def finish_index(process: subprocess.Popen[str], site: Path) -> None:
    """Wait for Pagefind, then remove what it read (SOURCES); a BuildError unless it wrote its
    bundle. Killed if interrupted."""
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {process.returncode}"
        if "No module named pagefind" in (stderr or ""):
            reason = "Pagefind is not installed (pip install 'pagefind[bin]')"
        raise BuildError(f"search index: Pagefind failed: {reason}")
    if not (site / SUBDIR / "pagefind.js").is_file():
        raise BuildError("search index: Pagefind wrote no pagefind.js")
    shutil.rmtree(site / SOURCES, ignore_errors=True)


#: What Pagefind puts before the JSON of a fragment, once decompressed.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def fragment_ids(site: Path) -> dict[str, str]:
    """Page URL (site-relative, "/partners/acme/") -> the id Pagefind gives its results
    ("en_7084425", its fragment's name): the finder maps keyword results to partners with it."""
    ids: dict[str, str] = {}
    for path in sorted((site / SUBDIR / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(FRAGMENT_SIGNATURE):
            raise BuildError(f"search index: {path.name} is not a Pagefind fragment")
        ids[json.loads(data[len(FRAGMENT_SIGNATURE) :])["url"]] = path.stem
    return ids
