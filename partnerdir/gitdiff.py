"""`check --base`: what a change does compared with a git ref, and whether its author may.

A pull request is judged by trusted code: with `--head`, the content of the pull request's
commit is read from git objects as data, into a temporary folder, and checked by the
partnerdir and the rules of the checkout that runs the check (the base branch). Nothing of the
pull request is installed, imported or run.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path, PurePosixPath

from .checking import Checked, check_content
from .codeowners import codeowners_path, codeowners_problems
from .loading import (
    LOGO_SUFFIXES,
    MAX_PARTNER_BYTES,
    MAX_REVIEW_BYTES,
    YamlList,
    YamlMap,
    read_yaml,
)
from .problems import Problem, UsageError, printable

PARTNER_SUFFIX = ".yaml"
#: Past this many names, a message lists the first ones and counts the rest: a pull request of
#: thousands of files gets one short message per file, never a list of every other file.
MAX_NAMES = 5


class Status(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


_STATUS = {"A": Status.ADDED, "D": Status.DELETED}
#: git's file modes: a regular file, an executable one; anything else (a symlink, a submodule)
#: is never taken from a pull request's commit.
_FILE_MODES = {"100644", "100755"}


@dataclass(frozen=True, slots=True)
class FileChange:
    status: Status
    #: The path as the check names files (the content folder as given, else from the cwd).
    path: str
    #: The partner whose listing or logo this file is; None for a programme-owned file.
    partner: str | None


@dataclass(frozen=True, slots=True)
class LevelShift:
    """A partner's level before and after the change, in words ("Silver", "no listing")."""

    partner: str
    path: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class Comparison:
    """What a change (the working tree, or a commit) does compared with a git ref."""

    base: str
    #: Abbreviated commit the content was compared with (the merge base of `base` and the
    #: change).
    commit: str
    files: tuple[FileChange, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    #: Partners whose files change, then partners whose level changes; None when the content
    #: has errors, so levels after the change are not known.
    levels: tuple[LevelShift, ...] | None
    problems: tuple[Problem, ...]
    #: The full commit checked with `--head`; None for the working tree.
    head: str | None = None


def compare_with_base(
    content: Path,
    base: str,
    today: date,
    head: Checked | str | None = None,
    *,
    allow_programme: bool = False,
    author: str | None = None,
) -> tuple[Checked, Comparison]:
    """Check a change and compare it with `base`; problems for what the change may not do.

    `head` is the change: a commit (read from git objects, never from the working tree), or the
    working tree's content as already checked (a Checked), or None to check the working tree
    here. The comparison starts at the merge base of `base` and the change, as a pull
    request's diff does, so a base branch that moved on does not show up as this change's
    edits. Returns the check of the change (its problems named as the content folder is given)
    and the comparison, whose problems include a missing or stale CODEOWNERS.
    """
    for ref in (base, head):
        if isinstance(ref, str) and ref.startswith("-"):
            raise UsageError(f"'{ref}' is not a git ref")
    repo = _Repo(content)
    content_rel = repo.relative(content)
    commit = repo.commit(base)
    head_commit = repo.commit(head) if isinstance(head, str) else None
    start = repo.merge_base(commit, head_commit or "HEAD") or commit
    files = repo.changes(start, head_commit)
    with tempfile.TemporaryDirectory(prefix="partnerdir-") as folder:
        top = Path(folder)
        base_content = repo.extract(start, content_rel, top / "base")[0]
        before = check_content(base_content, today) if base_content else None
        if head_commit is not None:
            after_content, unsafe = repo.extract(head_commit, content_rel, top / "head")
            if after_content is None:
                raise UsageError(f"'{head}' has no folder '{content_rel}'")
            checked = check_content(after_content, today)
            extra = [_problem(p, message) for p, message in unsafe]
            extra += codeowners_problems(checked.directory, after_content, strict=True)
            shown = repo.shown_top()
            checked = _relocated(checked, str(top / "head"), shown)
            extra = [_relocate(p, str(top / "head"), shown) for p in extra]
        else:
            after_content = content
            checked = head if isinstance(head, Checked) else check_content(content, today)
            extra = codeowners_problems(checked.directory, content, strict=True)
        view = _View(repo, content, base_content, after_content, before)
        changes = tuple(view.change(status, path) for status, path in files)
        generated = {view.repository_path(codeowners_path(content))}
        problems = extra + _ownership_problems(changes, files, generated, allow_programme)
        if not allow_programme:
            problems += _returning_partner_problems(changes, view, repo, start, before, author)
        if author:
            problems += _author_problems(changes, view, author)
    added = tuple(sorted(_partner_files(changes, Status.ADDED)))
    removed = tuple(sorted(_partner_files(changes, Status.DELETED)))
    levels = _level_shifts(changes, view, before, checked)
    comparison = Comparison(
        base, start[:7], changes, added, removed, levels, tuple(problems), head_commit
    )
    return checked, comparison


def _problem(path: str, message: str) -> Problem:
    return Problem(path, 0, "", message)


def _relocate(problem: Problem, folder: str, shown: str) -> Problem:
    """A problem found in the temporary copy of a commit, named as the repository names it."""
    if problem.path == folder or problem.path.startswith(folder + os.sep):
        rest = problem.path[len(folder) + 1 :]
        return dataclasses.replace(problem, path=os.path.join(shown, rest) if shown else rest)
    return problem


def _relocated(checked: Checked, folder: str, shown: str) -> Checked:
    problems = [_relocate(p, folder, shown) for p in checked.problems]
    return dataclasses.replace(checked, problems=problems, raw=None)


# --- git ------------------------------------------------------------------------------------


class _Repo:
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


# --- who owns what --------------------------------------------------------------------------


class _View:
    """The content before and after the change: paths and maintainers of partners."""

    def __init__(
        self,
        repo: _Repo,
        content: Path,
        base_content: Path | None,
        after_content: Path,
        before: Checked | None,
    ) -> None:
        self.top = repo.top
        self.content = content
        content_rel = repo.relative(content)
        #: Repository paths of content files start with this ("" when content is the top).
        self.content_prefix = "" if content_rel == "." else content_rel + "/"
        self.partners_dir = self.content_prefix + "partners/"
        self.base_content = base_content
        self.after_content = after_content
        self.before = before

    def root(self, partner: str, *, before: bool) -> YamlMap | None:
        """The partner file's YAML before or after the change, read as the check reads it."""
        folder = self.base_content if before else self.after_content
        if folder is None:
            return None
        path = folder / "partners" / f"{partner}{PARTNER_SUFFIX}"
        if path.is_symlink() or not path.is_file():
            return None
        return read_yaml(path, MAX_PARTNER_BYTES, []).root

    def shown(self, path: str) -> str:
        """A repository path as the check prints it: under the content folder as given."""
        if path.startswith(self.content_prefix):
            return (self.content / path[len(self.content_prefix) :]).as_posix()
        return Path(os.path.relpath(self.top / path)).as_posix()

    def repository_path(self, path: Path) -> str:
        """A path of the working tree as git names it (from the repository's top)."""
        return Path(os.path.relpath(path.resolve(), self.top.resolve())).as_posix()

    def partner_file(self, partner: str) -> str:
        return (self.content / "partners" / f"{partner}{PARTNER_SUFFIX}").as_posix()

    def change(self, status: Status, path: str) -> FileChange:
        return FileChange(status, self.shown(path), self._owner(path))

    def _owner(self, path: str) -> str | None:
        """The partner whose listing or logo `path` is; None for anything else.

        Decided by the file name alone: `<id>.yaml` is the listing of `<id>`, and
        `<id>.svg|png|webp` its logo (a listing may name no other logo), so no listing can
        claim another partner's file.
        """
        if not path.startswith(self.partners_dir):
            return None
        name = path[len(self.partners_dir) :]
        if "/" in name:
            return None
        for suffix in (PARTNER_SUFFIX, *LOGO_SUFFIXES):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return None

    def maintainers(self, partner: str) -> tuple[tuple[str, ...], int, bool]:
        """Maintainers of the partner's file before the change (after, for a new file).

        The base version decides for an existing file, so a change cannot add its own author.
        Also the line of `maintainers` in the changed file, for the annotation, and whether
        the file existed before.
        """
        before, after = self.root(partner, before=True), self.root(partner, before=False)
        line = after.lines.get("maintainers", 0) if after else 0
        if before is not None:
            return _handles(before), line, True
        return _handles(after), line, False


def _handles(root: YamlMap | None) -> tuple[str, ...]:
    """Handles in a partner file's `maintainers`, as written (valid or not)."""
    value = root.items.get("maintainers") if root else None
    if not isinstance(value, YamlList):
        return ()
    return tuple(_handle(v) for v in value.items if isinstance(v, str) and v.strip())


def _handle(text: str) -> str:
    """A GitHub handle as the check writes it: with one @."""
    return "@" + text.strip().lstrip("@")


def _names(names: list[str]) -> str:
    """Some names, and how many more: a message stays short whatever the change's size."""
    shown = ", ".join(printable(n) for n in names[:MAX_NAMES])
    rest = len(names) - MAX_NAMES
    return shown + (f" and {rest:,} more" if rest > 0 else "")


def _ownership_problems(
    changes: tuple[FileChange, ...],
    files: list[tuple[Status, str]],
    generated: set[str],
    allow_programme: bool,
) -> list[Problem]:
    """A partner's change edits one partner's listing and logo, nothing else.

    A generated file (CODEOWNERS) may change with it: the check requires it to be exactly what
    `codeowners` writes for the changed content, so no hand edit gets through.
    """
    if allow_programme:
        return []
    problems = [
        Problem(
            c.path,
            0,
            "",
            "is not part of a partner's listing or logo: only the programme team changes it "
            "(their check runs with --allow-programme)",
        )
        for c, (_, repository_path) in zip(changes, files, strict=True)
        if c.partner is None and repository_path not in generated
    ]
    partners = sorted({c.partner for c in changes if c.partner})
    if len(partners) > 1:
        # The first names other than the file's own partner: never a list of every other one.
        first = partners[: MAX_NAMES + 1]
        count = len(partners) - 1
        for c in changes:
            if c.partner:
                others = [p for p in first if p != c.partner][:MAX_NAMES]
                named = ", ".join(map(printable, others))
                more = f" and {count - len(others):,} more" if count > len(others) else ""
                problems.append(
                    Problem(
                        c.path,
                        0,
                        "",
                        f"belongs to '{c.partner}', and this change also edits "
                        f"{count:,} other {'listing' if count == 1 else 'listings'} "
                        f"({named}{more}): change one partner's listing and logo per pull "
                        "request",
                    )
                )
    return problems


def _returning_partner_problems(
    changes: tuple[FileChange, ...],
    view: _View,
    repo: _Repo,
    start: str,
    before: Checked | None,
    author: str | None,
) -> list[Problem]:
    """A new listing under an id with review history is a departed partner's: it comes back
    only through the programme team or a maintainer of its last listing, never a stranger
    who would inherit its level, figures and member-since date."""
    new = sorted(
        c.partner
        for c in changes
        if c.status is Status.ADDED and c.partner and c.path.endswith(PARTNER_SUFFIX)
    )
    reviewed = _first_reviews(before) if new else {}
    problems = []
    for partner in new:
        if partner not in reviewed:
            continue
        handles = _last_maintainers(repo, start, view.partners_dir + partner + PARTNER_SUFFIX)
        wanted = _handle(author).casefold() if author else None
        if wanted and wanted in {h.casefold() for h in handles}:
            continue
        former = f" (its last maintainers: {_names(list(handles))})" if handles else ""
        problems.append(
            Problem(
                view.partner_file(partner),
                1,
                "id",
                f"'{partner}' has review history since {reviewed[partner]} and no listing: "
                "only the programme team, or a maintainer of its last listing"
                f"{former}, can list it again; choose another id for a new partner",
            )
        )
    return problems


def _first_reviews(checked: Checked | None) -> dict[str, str]:
    """partner id -> date of its first review row, from the review files as they were read."""
    if checked is None or checked.raw is None:
        return {}
    first: dict[str, str] = {}
    for review in sorted(checked.raw.reviews, key=lambda r: r.path):
        stem = PurePosixPath(review.path.replace("\\", "/")).stem
        for _, cells in review.rows[1:]:
            if cells:
                first.setdefault(cells[0], stem)
    return first


def _last_maintainers(repo: _Repo, start: str, path: str) -> tuple[str, ...]:
    """Maintainers of the last version of a deleted listing in the history of `start`."""
    deleted = repo.run("log", "-1", "--format=%H", "--diff-filter=D", start, "--", path)
    commit = deleted.decode().strip()
    if not commit:
        return ()
    try:
        text = repo.run("show", f"{commit}^:{path}")
    except UsageError:
        return ()
    with tempfile.TemporaryDirectory(prefix="partnerdir-") as folder:
        copy = Path(folder) / "listing.yaml"
        copy.write_bytes(text[: MAX_PARTNER_BYTES + 1])
        return _handles(read_yaml(copy, MAX_PARTNER_BYTES, []).root)


def _author_problems(changes: tuple[FileChange, ...], view: _View, author: str) -> list[Problem]:
    """The author must maintain every partner file the change touches (DESIGN: partners)."""
    wanted = _handle(author)
    problems = []
    # GitHub handles ignore case.
    for partner in sorted({c.partner for c in changes if c.partner}):
        handles, line, existed = view.maintainers(partner)
        if wanted.casefold() in {h.casefold() for h in handles}:
            continue
        listed = _names(list(handles)) if handles else "none"
        if existed:
            message = (
                f"{wanted} is not a maintainer of '{partner}' (maintainers before this change: "
                f"{listed}); ask one of them to make or approve the change"
            )
        else:
            message = (
                f"{wanted} is not among the maintainers of the new listing '{partner}' "
                f"({listed}); add your GitHub handle to maintainers"
            )
        problems.append(Problem(view.partner_file(partner), line, "maintainers", message))
    return problems


def _partner_files(changes: Iterable[FileChange], status: Status) -> Iterable[str]:
    for c in changes:
        if c.status is status and c.partner and c.path.endswith(PARTNER_SUFFIX):
            yield c.partner


# --- levels before and after ----------------------------------------------------------------


def level_labels(checked: Checked | None) -> dict[str, str]:
    """Every listed partner's level in words, as the site would show it; absent: no listing."""
    if checked is None:
        return {}
    directory, evaluation = checked.directory, checked.evaluation
    if directory is None or evaluation is None:
        return {}
    names = {level.id: level.name for level in directory.program.levels}
    labels: dict[str, str] = {}
    for partner in directory.partners:
        standing = evaluation.standings.get(partner.id)
        if standing is None:
            labels[partner.id] = "not yet reviewed"
        elif standing.expired:
            labels[partner.id] = "expired, not listed"
        elif standing.under_review_until:
            labels[partner.id] = (
                f"{names[standing.level]}, under review until {standing.under_review_until}"
            )
        else:
            labels[partner.id] = names[standing.level]
    return labels


NO_LISTING = "no listing"
NOT_EVALUATED = "not evaluated (errors)"


def _level_shifts(
    changes: tuple[FileChange, ...], view: _View, before: Checked | None, head: Checked
) -> tuple[LevelShift, ...] | None:
    if head.directory is None or head.evaluation is None:
        return None
    old, new = level_labels(before), level_labels(head)
    unknown = NOT_EVALUATED if before is not None and before.directory is None else NO_LISTING
    touched = sorted({c.partner for c in changes if c.partner})
    shifts = {
        p: LevelShift(p, view.partner_file(p), old.get(p, unknown), new.get(p, NO_LISTING))
        for p in {*old, *new, *touched}
    }
    kept = set(touched)
    moved = sorted(p for p, s in shifts.items() if s.changed and p not in kept)
    return tuple(shifts[p] for p in [*touched, *moved])


def format_comparison(comparison: Comparison) -> str:
    """What the change does, for people: files, partners added or removed, levels."""
    c = comparison
    n = len(c.files)
    head = f"Compared with {c.base} at {c.commit}: "
    if not c.files:
        return head + "no files changed."
    lines = [
        head + f"{n} {'file' if n == 1 else 'files'} changed; "
        f"partners added: {_names(list(c.added)) or 'none'}; "
        f"removed: {_names(list(c.removed)) or 'none'}."
    ]
    width = max(len(s) for s in Status)
    # A file name may hold a line break or bytes that are not UTF-8: one line each, escaped.
    lines += [f"  {f.status.value.ljust(width)}  {printable(f.path)}" for f in c.files]
    if c.levels is None:
        lines.append("Levels: not compared; the content has errors.")
    elif c.levels:
        lines.append("Levels before -> after:")
        lines += [f"  {s.partner}: {_shift(s)}" for s in c.levels]
    return "\n".join(lines)


def _shift(shift: LevelShift) -> str:
    return f"{shift.before} -> {shift.after}" if shift.changed else f"{shift.after}, unchanged"
