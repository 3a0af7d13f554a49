"""Who may change what: a partner changes one listing and its logo, which it maintains; a
departed partner's id comes back only through the programme team or its last maintainers."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..content.checking import Checked
from ..content.loading import LOGO_SUFFIXES, MAX_PARTNER_BYTES, parse_yaml, read_yaml
from ..content.yamltree import YamlList, YamlMap
from ..problems import Problem, UsageError, printable
from ..wording import count, some_of
from .git import Repository, Status

PARTNER_SUFFIX = ".yaml"
#: Past this many names, a message lists the first ones and counts the rest: a pull request of
#: thousands of files gets one short message per file, never a list of every other file.
MAX_NAMES = 5


@dataclass(frozen=True, slots=True)
class FileChange:
    status: Status
    #: The path as the check names files (the content folder as given, else from the cwd).
    path: str
    #: The partner whose listing or logo this file is; None for a programme-owned file.
    partner: str | None


class ContentView:
    """The content before and after the change: paths and maintainers of partners."""

    def __init__(
        self,
        repo: Repository,
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
            return handles(before), line, True
        return handles(after), line, False


def handles(root: YamlMap | None) -> tuple[str, ...]:
    """Handles in a partner file's `maintainers`, as written (valid or not)."""
    value = root.items.get("maintainers") if root else None
    if not isinstance(value, YamlList):
        return ()
    return tuple(handle(v) for v in value.items if isinstance(v, str) and v.strip())


def handle(text: str) -> str:
    """A GitHub handle as the check writes it: with one @."""
    return "@" + text.strip().lstrip("@")


def names(names: list[str]) -> str:
    """Some names, and how many more: a message stays short whatever the change's size."""
    return some_of([printable(n) for n in names[:MAX_NAMES]], len(names))


def ownership_problems(
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
        edited = len(partners) - 1
        for c in changes:
            if c.partner:
                others = [printable(p) for p in first if p != c.partner][:MAX_NAMES]
                problems.append(
                    Problem(
                        c.path,
                        0,
                        "",
                        f"belongs to '{c.partner}', and this change also edits "
                        f"{count(edited, 'other listing')} "
                        f"({some_of(others, edited)}): change one partner's listing and logo "
                        "per pull request",
                    )
                )
    return problems


def returning_partner_problems(
    changes: tuple[FileChange, ...],
    view: ContentView,
    repo: Repository,
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
        wanted = handle(author).casefold() if author else None
        if wanted and wanted in {h.casefold() for h in handles}:
            continue
        former = f" (its last maintainers: {names(list(handles))})" if handles else ""
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
    if checked is None or checked.loaded is None:
        return {}
    first: dict[str, str] = {}
    for review in sorted(checked.loaded.reviews, key=lambda r: r.path):
        stem = PurePosixPath(review.path.replace("\\", "/")).stem
        for _, cells in review.rows[1:]:
            if cells:
                first.setdefault(cells[0], stem)
    return first


def _last_maintainers(repo: Repository, start: str, path: str) -> tuple[str, ...]:
    """Maintainers of the last version of a deleted listing in the history of `start`."""
    deleted = repo.run("log", "-1", "--format=%H", "--diff-filter=D", start, "--", path)
    commit = deleted.decode().strip()
    if not commit:
        return ()
    try:
        data = repo.run("show", f"{commit}^:{path}")
    except UsageError:
        return ()
    if len(data) > MAX_PARTNER_BYTES:  # no listing the check accepted is larger
        return ()
    # Parsed from git's bytes as the check parses a file, without writing it anywhere.
    return handles(parse_yaml(data.decode("utf-8", errors="replace"), path, []))


def author_problems(
    changes: tuple[FileChange, ...], view: ContentView, author: str
) -> list[Problem]:
    """The author must maintain every partner file the change touches (DESIGN: partners)."""
    wanted = handle(author)
    problems = []
    # GitHub handles ignore case.
    for partner in sorted({c.partner for c in changes if c.partner}):
        handles, line, existed = view.maintainers(partner)
        if wanted.casefold() in {h.casefold() for h in handles}:
            continue
        listed = names(list(handles)) if handles else "none"
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


def partner_files(changes: Iterable[FileChange], status: Status) -> Iterable[str]:
    for c in changes:
        if c.status is status and c.partner and c.path.endswith(PARTNER_SUFFIX):
            yield c.partner
