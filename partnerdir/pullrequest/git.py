"""Git plumbing for the pull-request check: commits, the files a change touches, and a commit's
content folder copied out of git objects as plain files (never checked out, never run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from enum import StrEnum
from pathlib import Path, PurePosixPath

from ..content.loading import MAX_REVIEW_BYTES
from ..problems import UsageError


class Status(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


_STATUS = {"A": Status.ADDED, "D": Status.DELETED}
#: git's file modes: a regular file, an executable one; anything else (a symlink, a submodule)
#: is never taken from a pull request's commit.
_FILE_MODES = {"100644", "100755"}


class Repository:
    """The git repository holding the content folder, driven through the `git` command."""

    def __init__(self, content: Path) -> None:
        self.cwd = content if content.is_dir() else Path.cwd()
        top = self.run("rev-parse", "--show-toplevel", what="--base needs a git repository")
        self.top = Path(top.decode().strip())
        self.cwd = self.top  # from here on, every path is relative to the repository's top

    def run(self, *args: str, what: str = "git failed") -> bytes:
        try:
            done = subprocess.run(
                ["git", *args], cwd=self.cwd, capture_output=True, check=False, timeout=120
            )
        except FileNotFoundError:
            raise UsageError("--base needs the git command, which is not installed") from None
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(f"{what}: {detail[-1] if detail else 'git ' + ' '.join(args)}")
        return done.stdout

    def commit(self, ref: str) -> str:
        what = (
            f"'{ref}' is not a commit in this repository (in GitHub Actions, check out with "
            "fetch-depth: 0 so the base branch is there, and fetch the pull request's head)"
        )
        out = self.run("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}", what=what)
        return out.decode().strip()

    def merge_base(self, commit: str, other: str) -> str | None:
        try:
            return self.run("merge-base", commit, other).decode().strip() or None
        except UsageError:  # no common history, or no HEAD yet: compare with the ref itself
            return None

    def relative(self, content: Path) -> str:
        try:
            rel = content.resolve().relative_to(self.top.resolve())
        except ValueError:
            raise UsageError(f"'{content}' is not inside the git repository {self.top}") from None
        return rel.as_posix()

    def shown_top(self) -> str:
        """The repository's top as paths are printed: relative to the cwd ("" when it is)."""
        shown = os.path.relpath(self.top)
        return "" if shown == "." else shown

    def changes(self, start: str, head: str | None) -> list[tuple[Status, str]]:
        """(status, repository path) of every file that differs from `start`.

        With `head`, between the two commits; else in the working tree, untracked files too.
        """
        args = ["diff", "--name-status", "--no-renames", "-z", start]
        out = self.run(*args, *([head] if head else []), "--")
        fields = out.decode("utf-8", errors="surrogateescape").split("\0")
        found: dict[str, Status] = {}
        for letter, path in zip(fields[0::2], fields[1::2], strict=False):
            if path:
                found[path] = _STATUS.get(letter[:1], Status.MODIFIED)
        if head is None:
            untracked = self.run("ls-files", "--others", "--exclude-standard", "-z")
            for path in untracked.decode("utf-8", errors="surrogateescape").split("\0"):
                if path:
                    found.setdefault(path, Status.ADDED)
        return sorted(((status, path) for path, status in found.items()), key=lambda c: c[1])

    def extract(
        self, commit: str, content_rel: str, into: Path
    ) -> tuple[Path | None, list[tuple[str, str]]]:
        """Copy the content folder and CODEOWNERS as they are at `commit` into `into`.

        Only regular files are written, as files: a symbolic link, a submodule or an oversized
        file in the commit is left out and named in the list returned, (path as the check
        prints it, why). None when the commit has no content folder.
        """
        codeowners = ".github/CODEOWNERS"
        listing = self.run(
            "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", content_rel, codeowners
        )
        wanted: set[str] = set()
        unsafe: list[tuple[str, str]] = []
        found_content = False
        for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
            if not entry:
                continue
            info, _, path = entry.partition("\t")
            mode, kind, _, size = info.split()
            found_content = found_content or path != codeowners
            shown = path  # relocated with the rest of the check's problems
            if not _safe_path(path):
                unsafe.append((shown, "is not a plain path inside the repository"))
            elif kind == "commit":
                unsafe.append((shown, "is a git submodule: commit the files themselves"))
            elif mode == "120000":
                unsafe.append(
                    (shown, "is a symbolic link: content files are plain files, committed as "
                     "they are")
                )  # fmt: skip
            elif mode not in _FILE_MODES:
                unsafe.append((shown, f"has the git file mode {mode}; commit a plain file"))
            elif int(size) > MAX_REVIEW_BYTES:
                unsafe.append(
                    (shown, f"is {int(size):,} bytes; no content file may exceed "
                     f"{MAX_REVIEW_BYTES:,} bytes")
                )  # fmt: skip
            else:
                wanted.add(path)
        if not found_content:
            return None, []
        into.mkdir(parents=True)
        (into / content_rel).mkdir(parents=True, exist_ok=True)
        if wanted:
            self._unpack(commit, sorted(wanted), into)
        unsafe = [(str(into / path), why) for path, why in unsafe]
        return into / content_rel, unsafe

    def _unpack(self, commit: str, paths: list[str], into: Path) -> None:
        """Write the regular files `paths` of `commit` under `into`, streamed from git archive."""
        names = set(paths)
        command = ["git", "archive", "--format=tar", commit, "--", *paths]
        with subprocess.Popen(command, cwd=self.cwd, stdout=subprocess.PIPE) as process:
            assert process.stdout is not None
            with tarfile.open(fileobj=process.stdout, mode="r|", bufsize=1 << 20) as tar:
                for member in tar:
                    name = member.name
                    if not member.isfile() or name not in names or not _safe_path(name):
                        continue
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = tar.extractfile(member)
                    if source is None:
                        continue
                    with source, target.open("wb") as out:
                        shutil.copyfileobj(source, out)
        if process.returncode != 0:
            raise UsageError(f"git archive failed for {commit[:7]}")


def _safe_path(path: str) -> bool:
    """A repository path that stays below the folder it is written into."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "" not in parts
