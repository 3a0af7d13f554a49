"""`check --base REF`: what a change does compared with a git ref, and whether its author may."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from .checking import Checked, check_content
from .loading import MAX_PARTNER_BYTES, YamlList, YamlMap, read_yaml
from .problems import Problem, UsageError, printable

PARTNER_SUFFIX = ".yaml"


class Status(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


_STATUS = {"A": Status.ADDED, "D": Status.DELETED}


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
    """What the working tree changes compared with the merge base of a git ref."""

    base: str
    #: Abbreviated commit the content was compared with (the merge base of `base` and HEAD).
    commit: str
    files: tuple[FileChange, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    #: Partners whose files change, then partners whose level changes; None when the content
    #: has errors, so levels after the change are not known.
    levels: tuple[LevelShift, ...] | None
    problems: tuple[Problem, ...]


def compare_with_base(
    content: Path,
    base: str,
    today: date,
    head: Checked,
    *,
    allow_programme: bool = False,
    author: str | None = None,
) -> Comparison:
    """Compare `content` (the working tree) with `base`; problems for what the change may not do.

    The comparison starts at the merge base of `base` and HEAD, as a pull request's diff does,
    so a base branch that moved on does not show up as this change's edits.
    """
    if base.startswith("-"):
        raise UsageError(f"--base '{base}' is not a git ref")
    repo = _Repo(content)
    commit = repo.commit(base)
    start = repo.merge_base(commit) or commit
    files = repo.changes(start)
    with tempfile.TemporaryDirectory(prefix="partnerdir-base-") as folder:
        base_content = repo.extract(start, repo.relative(content), Path(folder))
        before = check_content(base_content, today) if base_content else None
        view = _View(repo, content, base_content, (before, head), files)
        changes = tuple(view.change(status, path) for status, path in files)
        problems = _ownership_problems(changes, allow_programme)
        if author:
            problems += _author_problems(changes, view, author)
    added = tuple(sorted(_partner_files(changes, Status.ADDED)))
    removed = tuple(sorted(_partner_files(changes, Status.DELETED)))
    levels = _level_shifts(changes, view, before, head)
    return Comparison(base, start[:7], changes, added, removed, levels, tuple(problems))


# --- git ------------------------------------------------------------------------------------


class _Repo:
    """The git repository holding the content folder, driven through the `git` command."""

    def __init__(self, content: Path) -> None:
        self.cwd = content
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
            "fetch-depth: 0 so the base branch is there)"
        )
        out = self.run("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}", what=what)
        return out.decode().strip()

    def merge_base(self, commit: str) -> str | None:
        try:
            return self.run("merge-base", commit, "HEAD").decode().strip() or None
        except UsageError:  # no common history, or no HEAD yet: compare with the ref itself
            return None

    def relative(self, content: Path) -> str:
        try:
            rel = content.resolve().relative_to(self.top.resolve())
        except ValueError:
            raise UsageError(f"'{content}' is not inside the git repository {self.top}") from None
        return rel.as_posix()

    def changes(self, commit: str) -> list[tuple[Status, str]]:
        """(status, repository path) of every file that differs, untracked files too."""
        out = self.run("diff", "--name-status", "--no-renames", "-z", commit, "--")
        fields = out.decode("utf-8", errors="surrogateescape").split("\0")
        found: dict[str, Status] = {}
        for letter, path in zip(fields[0::2], fields[1::2], strict=False):
            if path:
                found[path] = _STATUS.get(letter[:1], Status.MODIFIED)
        untracked = self.run("ls-files", "--others", "--exclude-standard", "-z")
        for path in untracked.decode("utf-8", errors="surrogateescape").split("\0"):
            if path:
                found.setdefault(path, Status.ADDED)
        return sorted(((status, path) for path, status in found.items()), key=lambda c: c[1])

    def extract(self, commit: str, content_rel: str, into: Path) -> Path | None:
        """Unpack the content folder as it is at `commit` into `into`; None when it has none."""
        try:
            self.run("cat-file", "-e", f"{commit}:{'' if content_rel == '.' else content_rel}")
        except UsageError:
            return None
        archive = self.run("archive", "--format=tar", commit, "--", content_rel)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            # The "data" filter refuses links out of the folder, devices and absolute paths.
            tar.extractall(into, filter="data")
        return into / content_rel


# --- who owns what --------------------------------------------------------------------------


class _View:
    """The content before and after the change: paths, logos and maintainers of partners."""

    def __init__(
        self,
        repo: _Repo,
        content: Path,
        base_content: Path | None,
        checks: tuple[Checked | None, Checked],
        files: list[tuple[Status, str]],
    ) -> None:
        self.top = repo.top
        self.content = content
        content_rel = repo.relative(content)
        #: Repository paths of content files start with this ("" when content is the top).
        self.content_prefix = "" if content_rel == "." else content_rel + "/"
        self.partners_dir = self.content_prefix + "partners/"
        self.base_content = base_content
        self.ids: set[str] = set()
        #: logo file name -> partner id, from the valid directories and the changed files.
        self.logos: dict[str, str] = {}
        for checked in checks:
            if checked is not None and checked.directory is not None:
                for partner in checked.directory.partners:
                    self.ids.add(partner.id)
                    if partner.logo:
                        self.logos[partner.logo] = partner.id
        for _, path in files:
            name = self._partner_name(path)
            if name and name.endswith(PARTNER_SUFFIX):
                stem = name[: -len(PARTNER_SUFFIX)]
                for root in (self.root(stem, before=True), self.root(stem, before=False)):
                    logo = root.items.get("logo") if root else None
                    if isinstance(logo, str) and logo.strip():
                        self.logos.setdefault(logo.strip(), stem)

    def root(self, partner: str, *, before: bool) -> YamlMap | None:
        """The partner file's YAML before or after the change, read as the check reads it."""
        folder = self.base_content if before else self.content
        if folder is None:
            return None
        path = folder / "partners" / f"{partner}{PARTNER_SUFFIX}"
        return read_yaml(path, MAX_PARTNER_BYTES, []).root if path.is_file() else None

    def shown(self, path: str) -> str:
        """A repository path as the check prints it: under the content folder as given."""
        if path.startswith(self.content_prefix):
            return (self.content / path[len(self.content_prefix) :]).as_posix()
        return Path(os.path.relpath(self.top / path)).as_posix()

    def partner_file(self, partner: str) -> str:
        return (self.content / "partners" / f"{partner}{PARTNER_SUFFIX}").as_posix()

    def change(self, status: Status, path: str) -> FileChange:
        return FileChange(status, self.shown(path), self._owner(path))

    def _partner_name(self, path: str) -> str | None:
        """The file name of a file directly in partners/, else None."""
        if not path.startswith(self.partners_dir):
            return None
        name = path[len(self.partners_dir) :]
        return None if "/" in name else name

    def _owner(self, path: str) -> str | None:
        """The partner whose listing or logo `path` is; None for anything else."""
        name = self._partner_name(path)
        if not name:
            return None
        stem, dot, _ = name.rpartition(".")
        if not dot or not stem:
            return None
        if name.endswith(PARTNER_SUFFIX):
            return stem
        return self.logos.get(name) or (stem if stem in self.ids else None)

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


def _ownership_problems(changes: tuple[FileChange, ...], allow_programme: bool) -> list[Problem]:
    """A partner's change edits one partner's listing and logo, nothing else."""
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
        for c in changes
        if c.partner is None
    ]
    partners = sorted({c.partner for c in changes if c.partner})
    if len(partners) > 1:
        for c in changes:
            if c.partner:
                others = ", ".join(p for p in partners if p != c.partner)
                problems.append(
                    Problem(
                        c.path,
                        0,
                        "",
                        f"belongs to '{c.partner}', and this change also edits {others}: "
                        "change one partner's listing and logo per pull request",
                    )
                )
    return problems


def _author_problems(changes: tuple[FileChange, ...], view: _View, author: str) -> list[Problem]:
    """The author must maintain every partner file the change touches (DESIGN: partners)."""
    wanted = _handle(author)
    problems = []
    # GitHub handles ignore case.
    for partner in sorted({c.partner for c in changes if c.partner}):
        handles, line, existed = view.maintainers(partner)
        if wanted.casefold() in {h.casefold() for h in handles}:
            continue
        listed = ", ".join(handles) if handles else "none"
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
    moved = sorted(p for p, s in shifts.items() if s.changed and p not in touched)
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
        f"partners added: {', '.join(map(printable, c.added)) or 'none'}; "
        f"removed: {', '.join(map(printable, c.removed)) or 'none'}."
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
