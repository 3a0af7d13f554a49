"""Write a site beside the live one and swap it in whole: a failed build leaves the last site.

The new site is written to a staging folder next to the output folder (same file system), then
exchanged with the live one in one atomic `renameat2(RENAME_EXCHANGE)` call where the kernel has
it, else by two renames. Whatever a build dies of (an exception, Ctrl-C, SIGKILL), the output
folder holds either the old site or the new one, and the next build removes what was left over.
One build at a time writes an output folder: a second one is refused while the first holds the
lock.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..content.loading import UnreadableFile, read_plain_file
from ..libc import libc
from ..parallel import wait_regardless
from ..problems import BuildError, printable

STAGING = ".{name}.staging"
RETIRED = ".{name}.old"
LOCK = ".{name}.lock"
#: An old site being removed in the background, named by the build's process id.
DOOMED = ".{name}.old-{pid}"
#: Pages rendered but not yet written that writing_beside holds at most (about 30 KB each).
_PENDING_WRITES = 64
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock; refuse at once when another build holds it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / LOCK.format(name=out.name)
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another build is writing '{out}' (it holds {lock_path}); try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def staging_folder(out: Path) -> Path:
    """An empty folder to write the new site into, after recovering from an interrupted build.

    Call with the lock held.
    """
    recover(out)
    staging = out.parent / STAGING.format(name=out.name)
    staging.mkdir()
    return staging


def recover(out: Path) -> None:
    """Undo what an interrupted build left: put a retired site back, drop a half-written one."""
    staging = out.parent / STAGING.format(name=out.name)
    retired = out.parent / RETIRED.format(name=out.name)
    if retired.exists() and not out.exists():
        retired.rename(out)  # killed between the two renames of the fallback swap
    for leftover in (staging, retired):
        if leftover.exists() or leftover.is_symlink():
            _remove(leftover)
    for doomed in out.parent.glob(DOOMED.format(name=out.name, pid="*")):
        shutil.rmtree(doomed, ignore_errors=True)  # its rm may still be at work


def write_files(root: Path, files: Mapping[str, bytes]) -> None:
    """Write site path -> bytes under `root`, creating folders as needed."""
    for relative, data in files.items():
        write_file(root, relative, data)


def replace_files(root: Path, files: Mapping[str, bytes]) -> None:
    """Rewrite files of a live site one by one, each replaced whole (written aside, renamed)."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{path.name}.new")
        aside.write_bytes(data)
        os.replace(aside, path)


def write_file(root: Path, relative: str, data: bytes) -> None:
    """Write one file under `root`, creating its folder as needed."""
    path = root / relative
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@contextmanager
def writing_beside(root: Path) -> Iterator[Callable[[str, bytes], None]]:
    """A `write(path, data)` that writes under `root` (write_file) in a thread beside this one:
    creating a file and its folder is the kernel's work (0.3 to 1 ms a profile on this
    project's machine), done on a spare core while this thread renders the next page.

    Every file given is written by the way out; the first error of a write is raised by the
    next `write`, or on the way out. When the caller fails (a template error, Ctrl-C), the files
    still pending are dropped, so that nothing writes on once it has gone.
    """
    pending: queue.Queue[tuple[str, bytes] | None] = queue.Queue(maxsize=_PENDING_WRITES)
    failed: list[BaseException] = []
    abandoned = threading.Event()
    ended = threading.Event()

    def write_each() -> None:
        try:
            while (item := pending.get()) is not None:
                if not failed and not abandoned.is_set():
                    try:
                        write_file(root, *item)
                    except BaseException as error:  # raised in the caller's thread
                        failed.append(error)
        finally:
            ended.set()

    def write(relative: str, data: bytes) -> None:
        if failed:
            raise failed[0]
        pending.put((relative, data))

    writer = threading.Thread(target=write_each, name="writer", daemon=True)
    writer.start()
    try:
        yield write
    except BaseException:
        abandoned.set()
        raise
    finally:
        _stop_writer(ended, pending, abandoned)
    if failed:
        raise failed[0]


def _stop_writer(
    ended: threading.Event,
    pending: queue.Queue[tuple[str, bytes] | None],
    abandoned: threading.Event,
) -> None:
    """Let the writer write what is pending and end (it sets `ended`). Interrupted while
    waiting for it (Ctrl-C once the last page is rendered), the pages still pending are
    dropped and it still ends before this returns: the caller then removes the folder, and
    nothing may write into it meanwhile (parallel.wait_regardless says why not Thread.join)."""
    queued = False
    try:
        pending.put(None)
        queued = True
        ended.wait()
    except BaseException:
        abandoned.set()  # the writer now only takes what is pending, writing none of it
        if not queued:
            pending.put(None)
        wait_regardless(ended)
        raise


def copy_file(root: Path, relative: str, source: Path, limit: int) -> None:
    """Copy `source` to site path `relative` under `root` (a logo) as its bytes, at most `limit`.

    A source that is a symbolic link is refused, never followed nor copied as a link: GitHub
    Pages refuses a site holding one, and the check refused it already (this is a second line).
    """
    try:
        data = read_plain_file(source, limit)
    except UnreadableFile as error:
        raise BuildError(f"{printable(str(source))}: {error.message}") from None
    write_file(root, relative, data)


def swap_in(staging: Path, out: Path, *, delete_in_background: bool = False) -> None:
    """Make `staging` the live site at `out`, then remove the old site.

    With `delete_in_background`, the old site is moved aside and removed by a detached `rm`, so
    the command returns as soon as the new site is live (removing tens of thousands of files
    can take longer than writing them); the next build removes whatever is left.
    """
    retired = out.parent / RETIRED.format(name=out.name)
    if out.exists() and not out.is_dir():
        raise BuildError(f"'{out}' exists and is not a folder; not replacing it")
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        old = staging  # now holds the old site
    else:
        out.rename(retired)
        staging.rename(out)
        old = retired
    if delete_in_background:
        doomed = out.parent / DOOMED.format(name=out.name, pid=os.getpid())
        old.rename(doomed)
        # spawned, not Popen: nothing waits for it, and it outlives this process
        os.posix_spawnp(
            "rm",
            ["rm", "-rf", "--", str(doomed)],
            os.environ,
            setsid=True,
            file_actions=[(os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
        )
    else:
        _remove(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the kernel cannot."""
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise BuildError(f"could not swap in the new site: {os.strerror(code)}")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
