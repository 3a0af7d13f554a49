"""The last check's verdict, kept in the check's cache while nothing it read has changed:
`check` run again on an unchanged content folder prints that verdict again without reading a
file, as make and git tell an unchanged file, by its size, times and inode.

Every entry of the content folder and the CODEOWNERS file beside it is part of the
signature, found with one `stat` each (10,000 partner files: a few hundredths of a second);
so are partnerdir's code, the libraries it validates with, and the command's own arguments
(the build date, the files named, the folder as written, which the messages print). Any
change to any of them, a file rewritten with the same bytes included, means a full check,
which the per-file caches (content/cache.py) keep cheap.

A first check, with no verdict kept to replay, takes the signature in another process while
it checks (cli), from a moment before it read anything (`signature`'s `since`).

Two cases are never kept: a signature with a symbolic link in it (what it points to could
change unseen), and one with a file changed in the last RACY_SECONDS: a file system's clock
may not tell two writes that close apart (git's "racily clean" entries).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import code_digest, read_cache_file, tool_versions, write_cache_file

FILE_NAME = "verdict.json"
FORMAT = 1
#: A signature with an entry changed this recently (in seconds) is not kept.
RACY_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the check printed, and its exit code."""

    output: str
    exit_code: int


def signature(
    content: Path, beside: Sequence[Path], arguments: Sequence[str], since: int | None = None
) -> str | None:
    """The signature of a check of `content` (its whole tree, and the files `beside` it that
    the check reads) with these `arguments`; None when it cannot be trusted: a link in it, an
    entry changed in the last RACY_SECONDS, or a folder that cannot be read.

    `since` (time.time_ns()), when given, is a moment before the check read anything: a
    signature taken beside a running check (cli) may find a file after the check has read
    it, and a file changed in between changed after `since`, so it counts as recent.
    """
    digest = hashlib.sha256(f"partnerdir verdict {FORMAT}\0".encode())
    salt = [*tool_versions(), os.getcwd(), *arguments]
    digest.update("\0".join(salt).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(code_digest())
    recent = (time.time_ns() if since is None else since) - int(RACY_SECONDS * 1e9)
    entries: list[tuple[str, os.stat_result | None]] = []
    try:
        for path in beside:
            try:
                entries.append((os.fspath(path), os.lstat(path)))
            except FileNotFoundError:
                entries.append((os.fspath(path), None))
        entries.append((os.fspath(content), os.lstat(content)))
        _walk(os.fspath(content), entries)
    except OSError:
        return None
    for name, found in entries:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        if found is None:
            digest.update(b"-\0")
            continue
        if stat.S_ISLNK(found.st_mode) or max(found.st_mtime_ns, found.st_ctime_ns) > recent:
            return None
        fields = (found.st_mode, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        digest.update(f"{fields}{found.st_ino},{found.st_dev}\0".encode())
    return digest.hexdigest()


def _walk(folder: str, entries: list[tuple[str, os.stat_result | None]]) -> None:
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda entry: entry.name)
    for entry in found:
        entries.append((entry.path, entry.stat(follow_symlinks=False)))
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, entries)


def kept(cache: Path) -> bool:
    """Whether a verdict is kept in `cache` at all, whichever check it is of."""
    return os.path.lexists(cache / FILE_NAME)


def last_verdict(cache: Path, key: str) -> Verdict | None:
    """The verdict kept under `key`, or None: none kept, another key, or not a verdict."""
    data = read_cache_file(cache, FILE_NAME)
    if data is None:
        return None
    try:
        found = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not (
        isinstance(found, dict)
        and found.get("format") == FORMAT
        and found.get("key") == key
        and isinstance(found.get("output"), str)
        and type(found.get("exit")) is int
    ):
        return None
    return Verdict(found["output"], found["exit"])


def keep_verdict(cache: Path, key: str, verdict: Verdict) -> None:
    """Keep `verdict` under `key`; quietly nothing when the folder cannot be written."""
    text = json.dumps(
        {"format": FORMAT, "key": key, "output": verdict.output, "exit": verdict.exit_code},
        ensure_ascii=False,
    )
    try:
        write_cache_file(cache, FILE_NAME, text.encode("utf-8", "surrogateescape"))
    except OSError:
        return
