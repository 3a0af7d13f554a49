"""The search index: Pagefind's command line run over the written profile pages, in parts
one after another on a large site (PART_PROFILES)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..problems import BuildError, UsageError

#: Only profile pages carry `data-pagefind-body`: the other pages are not read at all.
GLOB = "partners/*/index.html"
#: Where the bundle goes, relative to the site root (urls.pagefind() links to it).
SUBDIR = "pagefind"
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


#: Profiles per part of the index. Pagefind holds every page it indexes in memory until it
#: writes its bundle, about 190 KB a profile (7.6 GiB at 50,000): a site with more profiles is
#: indexed in parts of at most this many, one Pagefind run after another, and the browser
#: merges them (Pagefind's mergeIndex). A site at or under it keeps one index, as before. At
#: 50,000 partners, parts of 10,000 kept the build's processes under 2.7 GiB at once (RSS);
#: parts of 5,000 under 1.9 GiB, but a search then fetches more (each part's chunk of a word).
PART_PROFILES = 10_000
#: Environment variable overriding PART_PROFILES (tests force parts on a small site with it).
PART_PROFILES_ENV = "PARTNERDIR_INDEX_PART_PROFILES"
#: Where the bundles of the parts after the first go, relative to the site root: part k of a
#: split index in "pagefind/parts/k/"; the first part is the bundle at SUBDIR that the pages
#: link to (urls.pagefind()), so its engine and WebAssembly serve every part.
PARTS_SUBDIR = "pagefind/parts"
#: The folder a part's profiles are linked into while Pagefind reads them, inside the staging
#: folder (so an interrupted build leaves nothing behind); removed once the part is indexed.
PART_SITE = ".index-part"


def part_size() -> int:
    """Profiles per part: PART_PROFILES, or the number in PARTNERDIR_INDEX_PART_PROFILES."""
    named = os.environ.get(PART_PROFILES_ENV)
    if not named:
        return PART_PROFILES
    if not named.isdigit() or int(named) < 1:
        raise UsageError(f"{PART_PROFILES_ENV} must be a whole number above 0, not '{named}'")
    return int(named)


def index_parts(profiles: int) -> int:
    """How many parts an index of `profiles` profiles is built in (1: a single index)."""
    return max(1, -(-profiles // part_size()))


def part_bundle(part: int) -> str:
    """The bundle folder of part `part`, relative to the site root, with a trailing slash."""
    return f"{SUBDIR}/" if part == 0 else f"{PARTS_SUBDIR}/{part}/"


@dataclass(slots=True)
class Indexing:
    """An index being built: its running Pagefind and the parts still to run."""

    site: Path
    #: The partner ids of each part: the listed partner at place n is in part n % parts.
    parts: list[list[str]]
    process: subprocess.Popen[str]
    #: The part `process` is indexing.
    part: int = 0


def start_index(site: Path, partner_ids: Sequence[str] = ()) -> Indexing:
    """Start Pagefind over the profiles already written; the caller may write other files
    meanwhile (Pagefind reads only the profiles), then calls finish_index.

    `partner_ids` are the listed partners in place order (their profiles' folders): above
    part_size() of them, the index is built in parts (the first one starts now, the others in
    turn in finish_index), every n-th partner in part n, so that each part holds partners of
    every level and name, and scores much as the whole would.
    """
    count = index_parts(len(partner_ids))
    if count == 1:
        process = _start_pagefind(["--site", str(site), "--output-subdir", SUBDIR])
        return Indexing(site, [], process)
    parts = [list(partner_ids[part::count]) for part in range(count)]
    return Indexing(site, parts, _start_part(site, parts, 0), 0)


def stop_index(indexing: Indexing) -> None:
    """End an index that is no longer wanted (the build failed meanwhile)."""
    indexing.process.kill()
    indexing.process.communicate()


def indexed(indexing: Indexing) -> bool:
    """Whether Pagefind has ended the part it is indexing (finish_index may start another)."""
    return indexing.process.poll() is not None


def finish_index(indexing: Indexing, site: Path) -> None:
    """Wait for Pagefind, and run the parts still to run one after another; a BuildError
    unless each wrote its bundle. Killed if interrupted."""
    _wait(indexing.process, site / part_bundle(indexing.part))
    for part in range(indexing.part + 1, len(indexing.parts)):
        indexing.process, indexing.part = _start_part(site, indexing.parts, part), part
        _wait(indexing.process, site / part_bundle(part))
    if indexing.parts:
        shutil.rmtree(site / PART_SITE)


def bundles(site: Path) -> list[str]:
    """The bundle folders of the index written into `site`, relative to its root: the first
    one's, then those of the parts after it, in order."""
    found = [part_bundle(0)]
    while (site / part_bundle(len(found))).is_dir():
        found.append(part_bundle(len(found)))
    return found


def _start_part(site: Path, parts: list[list[str]], part: int) -> subprocess.Popen[str]:
    """Link part `part`'s profiles into PART_SITE (hard links: no copy) and start Pagefind on
    it, its bundle written into the site."""
    part_site = site / PART_SITE
    if part_site.exists():
        shutil.rmtree(part_site)
    for partner_id in parts[part]:
        relative = f"partners/{partner_id}/index.html"
        target = part_site / relative
        target.parent.mkdir(parents=True)
        try:
            os.link(site / relative, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(site / relative, target)
    return _start_pagefind(
        ["--site", str(part_site), "--output-path", str(site / part_bundle(part))]
    )


def _start_pagefind(where: list[str]) -> subprocess.Popen[str]:
    command = [*pagefind_command(), *where, "--glob", GLOB, "--silent"]
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


def _wait(process: subprocess.Popen[str], bundle: Path) -> None:
    """Wait for Pagefind; a BuildError unless it wrote its bundle. Killed if interrupted."""
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
    if not (bundle / "pagefind.js").is_file():
        raise BuildError("search index: Pagefind wrote no pagefind.js")


#: zlib's window bits for a gzip stream (Pagefind gzips its fragments).
GZIP_WBITS = 16 + zlib.MAX_WBITS
#: What Pagefind puts before the JSON of a fragment, once decompressed.
FRAGMENT_SIGNATURE = b"pagefind_dcd"
#: How a fragment starts, its page's URL the first field (Pagefind writes its fields in order).
FRAGMENT_START = FRAGMENT_SIGNATURE + b'{"url":'
#: Decompressed bytes read of a fragment for its URL: a profile's URL is under 200 bytes, its
#: fragment (the page's whole text) about 10 KB; a longer URL is read from the whole fragment.
FRAGMENT_HEAD = 1024
_JSON = json.JSONDecoder()


def fragment_ids(site: Path) -> dict[str, str]:
    """Page URL (site-relative, "/partners/acme/") -> the id Pagefind gives its results
    ("en_7084425", its fragment's name), over every part of the index: the finder maps
    keyword results to partners with it. Two parts may give the same id to different pages
    (each part makes its ids unique only within itself): pages/finder.py tells them apart.

    Only the start of each fragment is decompressed: the build waits for this after
    Pagefind, and inflating and parsing the whole of 10,000 fragments took twice as long."""
    ids: dict[str, str] = {}
    for bundle in bundles(site):
        for path in sorted((site / bundle / "fragment").glob("*.pf_fragment")):
            ids[_fragment_url(path)] = path.stem
    return ids


def _fragment_url(path: Path) -> str:
    """The URL of the page whose fragment is at `path`."""
    data = path.read_bytes()
    not_a_fragment = BuildError(f"search index: {path.name} is not a Pagefind fragment")
    try:
        head = zlib.decompressobj(wbits=GZIP_WBITS).decompress(data, FRAGMENT_HEAD)
    except zlib.error:
        raise not_a_fragment from None
    if head.startswith(FRAGMENT_START):
        text = head[len(FRAGMENT_START) :].decode("utf-8", "replace")
        try:
            url, _end = _JSON.raw_decode(text)
        except ValueError:
            pass  # cut short within the URL: read the whole fragment
        else:
            return str(url)
    try:
        data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        raise not_a_fragment from None
    if not data.startswith(FRAGMENT_SIGNATURE):
        raise not_a_fragment
    return str(json.loads(data[len(FRAGMENT_SIGNATURE) :])["url"])
