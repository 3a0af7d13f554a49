"""`check --base`: what a change does compared with a git ref, and whether its author may.

A pull request is judged by trusted code: with `--head`, the content of the pull request's
commit is read from git objects as data, into a temporary folder, and checked by the
partnerdir and the rules of the checkout that runs the check (the base branch). Nothing of the
pull request is installed, imported or run.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..content.checking import Checked, check_content
from ..model import Listing
from ..problems import Problem, UsageError, printable
from ..wording import count
from .codeowners import codeowners_path, codeowners_problems
from .git import Repository, Status
from .notice import notice_problems
from .ownership import (
    ContentView,
    FileChange,
    author_problems,
    names,
    ownership_problems,
    partner_files,
    returning_partner_problems,
)


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
    cache: Path | None = None,
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
    repo = Repository(content)
    content_rel = repo.relative(content)
    commit = repo.commit(base)
    head_commit = repo.commit(head) if isinstance(head, str) else None
    start = repo.merge_base(commit, head_commit or "HEAD") or commit
    files = repo.changes(start, head_commit)
    with tempfile.TemporaryDirectory(prefix="partnerdir-") as folder:
        top = Path(folder)
        base_content = repo.extract(start, content_rel, top / "base")[0]
        before = check_content(base_content, today, cache) if base_content else None
        if head_commit is not None:
            after_content, unsafe = repo.extract(head_commit, content_rel, top / "head")
            if after_content is None:
                raise UsageError(f"'{head}' has no folder '{content_rel}'")
            checked = check_content(after_content, today, cache)
            extra = [_problem(p, message) for p, message in unsafe]
            extra += codeowners_problems(checked.directory, after_content, strict=True)
            shown = repo.shown_top()
            checked = _relocated(checked, str(top / "head"), shown)
            extra = [_relocate(p, str(top / "head"), shown) for p in extra]
        else:
            after_content = content
            checked = head if isinstance(head, Checked) else check_content(content, today, cache)
            extra = codeowners_problems(checked.directory, content, strict=True)
        view = ContentView(repo, content, base_content, after_content, before)
        changes = tuple(view.change(status, path) for status, path in files)
        generated = {view.repository_path(codeowners_path(content))}
        problems = extra + ownership_problems(changes, files, generated, allow_programme)
        if not allow_programme:
            problems += returning_partner_problems(changes, view, repo, start, before, author)
        if author:
            problems += author_problems(changes, view, author)
        # the programme team's change too: notice is a promise to partners (notice.py)
        problems += notice_problems(files, view, today)
    added = tuple(sorted(partner_files(changes, Status.ADDED)))
    removed = tuple(sorted(partner_files(changes, Status.DELETED)))
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
    return dataclasses.replace(checked, problems=problems, loaded=None)


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
        listing = evaluation.listing(partner.id)
        if listing is Listing.NOT_REVIEWED:
            labels[partner.id] = "not yet reviewed"
        elif listing is Listing.EXPIRED:
            labels[partner.id] = "expired, not listed"
        else:
            standing = evaluation.standings[partner.id]
            labels[partner.id] = names[standing.level]
            if standing.under_review_until:
                labels[partner.id] += f", under review until {standing.under_review_until}"
    return labels


NO_LISTING = "no listing"
NOT_EVALUATED = "not evaluated (errors)"


def _level_shifts(
    changes: tuple[FileChange, ...], view: ContentView, before: Checked | None, head: Checked
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
        head + f"{count(n, 'file')} changed; "
        f"partners added: {names(list(c.added)) or 'none'}; "
        f"removed: {names(list(c.removed)) or 'none'}."
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
