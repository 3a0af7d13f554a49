"""Which Pagefind the build runs (its binary itself, found where its Python package put it), and
the index in parts that a large site gets."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import BUILD_DATE, EXAMPLE

from partnerdir.output import search
from partnerdir.pipeline import build_site
from partnerdir.problems import BuildError, UsageError


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


# --- The index in parts (issue 15: Pagefind's memory at 50,000 partners) ---------------------

#: The example's 49 listed partners in parts of 10: five parts.
PART_PROFILES = "10"
#: Pagefind's files that differ between two runs on the same pages (Pagefind issue #638: its
#: filter files in hash-map order), in each part's bundle.
UNSTABLE = re.compile(
    r"pagefind/(parts/\d+/)?(filter/\w+\.pf_filter|pagefind\.\w+\.pf_meta|pagefind-entry\.json)"
)


@pytest.mark.parametrize(
    ("size", "profiles", "parts"),
    [("5000", 5000, 1), ("5000", 5001, 2), ("10", 49, 5), ("1", 3, 3), ("10", 0, 1)],
)
def test_above_the_part_size_the_index_is_built_in_parts(
    monkeypatch: pytest.MonkeyPatch, size: str, profiles: int, parts: int
) -> None:
    monkeypatch.setenv(search.PART_PROFILES_ENV, size)
    assert search.index_parts(profiles) == parts


def test_without_the_setting_a_part_holds_part_profiles() -> None:
    assert search.index_parts(search.PART_PROFILES) == 1
    assert search.index_parts(search.PART_PROFILES + 1) == 2


@pytest.mark.parametrize("value", ["0", "-3", "many", "1.5"])
def test_a_bad_part_size_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(search.PART_PROFILES_ENV, value)
    with pytest.raises(UsageError, match=f"{search.PART_PROFILES_ENV} must be .* not '{value}'"):
        search.index_parts(10)


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with its index in parts of PART_PROFILES profiles."""
    out = tmp_path_factory.mktemp("split") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(search.PART_PROFILES_ENV, PART_PROFILES)
        assert build_site(EXAMPLE, out, BUILD_DATE).built
    return out


def test_each_part_has_its_bundle_and_every_partner_its_result_id(split: Path) -> None:
    pages = json.loads(gzip.decompress((split / "finder/pages.json.gz").read_bytes()))
    assert pages["parts"] == [f"pagefind/parts/{n}/" for n in range(1, 5)]
    assert search.bundles(split) == ["pagefind/", *pages["parts"]]
    ids = pages["pages"].split(" ")
    assert len(ids) == 49 and all(ids)
    fragments = search.fragment_ids(split)
    for place, short in enumerate(ids):  # each partner's id is in the bundle of its part
        bundle = split / search.bundles(split)[place % 5]
        assert (bundle / "fragment" / f"{pages['prefix']}{short}.pf_fragment").is_file()
    assert sorted(fragments.values()) == sorted(pages["prefix"] + i for i in ids)
    assert not (split / search.PART_SITE).exists()


def test_a_split_index_is_the_same_bytes_from_two_builds(split: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(search.PART_PROFILES_ENV, PART_PROFILES)
        assert build_site(EXAMPLE, again, BUILD_DATE).built
    first, second = files(split), files(again)
    stable = sorted(name for name in first if not UNSTABLE.fullmatch(name))
    assert stable == sorted(name for name in second if not UNSTABLE.fullmatch(name))
    assert [name for name in stable if first[name] != second[name]] == []
    assert any(name.startswith("pagefind/parts/4/fragment/") for name in stable)


def test_a_site_under_the_part_size_is_indexed_as_before(split: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    assert build_site(EXAMPLE, one, BUILD_DATE).built
    assert not (one / search.PARTS_SUBDIR).exists()
    pages = json.loads(gzip.decompress((one / "finder/pages.json.gz").read_bytes()))
    assert set(pages) == {"prefix", "pages"}
    # the same pages give the same fragments, whichever part indexes them
    assert search.fragment_ids(one) == search.fragment_ids(split)


def fragment(path: Path, fields: dict[str, object]) -> Path:
    """A fragment as Pagefind writes one: its signature, then the JSON, gzipped."""
    data = search.FRAGMENT_SIGNATURE + json.dumps(fields, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(data))
    return path


@pytest.mark.parametrize(
    "url",
    [
        "/partners/acme/",
        '/partners/caf%C3%A9-\u00e9"x/',  # escapes and characters outside ASCII
        "/partners/" + "long-" * 300 + "/",  # past the start read of the fragment
        "/partners/" + "é" * (search.FRAGMENT_HEAD // 2) + "/",  # cut within a character
    ],
)
def test_a_fragments_url_is_read_from_its_start_or_else_from_the_whole(
    tmp_path: Path, url: str
) -> None:
    fields = {"url": url, "content": "words " * 5000, "word_count": 5000}
    bundle = tmp_path / search.SUBDIR / "fragment"
    bundle.mkdir(parents=True)
    fragment(bundle / "en_1.pf_fragment", fields)
    assert search.fragment_ids(tmp_path) == {url: "en_1"}


@pytest.mark.parametrize("data", [b"not gzip", gzip.compress(b"{}"), gzip.compress(b"pagefind_")])
def test_a_file_that_is_no_fragment_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    bundle = tmp_path / search.SUBDIR / "fragment"
    bundle.mkdir(parents=True)
    (bundle / "en_2.pf_fragment").write_bytes(data)
    with pytest.raises(BuildError, match="en_2.pf_fragment is not a Pagefind fragment"):
        search.fragment_ids(tmp_path)


#: A Pagefind that runs the real one the first time and fails the second: the second part.
FAILING_SECOND = """#!/bin/sh
if [ -e "{marker}" ]; then echo "Error: part two went wrong" >&2; exit 3; fi
touch "{marker}"
exec "{pagefind}" "$@"
"""


def test_a_failing_part_fails_the_build_and_leaves_the_site(
    split: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "live"
    shutil.copytree(split, live)
    script = tmp_path / "pagefind"
    real = search.pagefind_command()
    assert len(real) == 1
    script.write_text(FAILING_SECOND.format(marker=tmp_path / "ran", pagefind=real[0]))
    script.chmod(0o755)
    monkeypatch.setenv(search.COMMAND_ENV, str(script))
    monkeypatch.setenv(search.PART_PROFILES_ENV, PART_PROFILES)
    with pytest.raises(BuildError, match="Pagefind failed: Error: part two went wrong"):
        build_site(EXAMPLE, live, BUILD_DATE)
    assert files(live) == files(split)
    assert (tmp_path / "ran").is_file()  # the first part was indexed, the second failed
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []
