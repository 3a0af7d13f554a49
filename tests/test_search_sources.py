"""Pagefind reads each profile's indexed part (pages.Planner.search_sources), written before the
profiles so that indexing runs beside their rendering: the index is the one the whole profiles
give, and nothing of what it read is left in the site."""

from __future__ import annotations

import subprocess
from pathlib import Path

from partnerdir.output import search


def _bundle_files(bundle: Path) -> dict[str, bytes]:
    """The fragments and the word index: what a search returns (the filter files' names differ
    between any two runs of Pagefind, as do the entry and meta files that list them)."""
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for kind in ("fragment", "index")
        for path in sorted((bundle / kind).iterdir())
    }


def test_the_index_is_the_one_the_whole_profiles_give(example_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "from-profiles"
    subprocess.run(
        [*search.pagefind_command(), "--site", str(example_site), "--glob", search.GLOB,
         "--output-path", str(again), "--silent"],
        check=True,
    )  # fmt: skip
    built = _bundle_files(example_site / search.SUBDIR)
    assert len([name for name in built if name.startswith("fragment/")]) == 49
    assert built == _bundle_files(again)


def test_what_pagefind_read_is_not_left_in_the_site(example_site: Path) -> None:
    assert not (example_site / search.SOURCES).exists()
