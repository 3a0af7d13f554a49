"""Notice: a change of the rules takes effect no sooner than `notice_days` after it is made,
and never alters rules already in force (DESIGN: rules change by dated files).

The programme team's own pull request is judged by the same rule: the notice is a promise to
partners, so `--allow-programme` (which lets the team edit any file) does not lift it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from ..content.loading import MAX_PROGRAM_BYTES, YamlFile, read_yaml
from ..content.program import DEFAULT_NOTICE_DAYS, validate_program
from ..content.yamltree import YamlList, YamlMap
from ..model import Metric, Program
from ..problems import Problem
from ..wording import and_list
from .git import Status
from .ownership import ContentView


def notice_problems(
    files: list[tuple[Status, str]], view: ContentView, today: dt.date
) -> list[Problem]:
    """A problem for each changed rules file dated on or before `today` (in force) or less
    than `notice_days` after it, and for a change of program.yaml's own rules."""
    before = _program(view.base_content)
    # the notice promised before the change: a change cannot shorten its own notice
    promised = before[1] or _program(view.after_content)[1]
    days = promised.review.notice_days if promised is not None else DEFAULT_NOTICE_DAYS
    earliest = today + dt.timedelta(days=days)
    problems: list[Problem] = []
    for status, path in files:
        if not path.startswith(view.content_prefix):
            continue
        relative = PurePosixPath(path[len(view.content_prefix) :])
        shown = view.shown(path)
        if str(relative) == "program.yaml" and status is Status.MODIFIED:
            problems += _program_problems(shown, before, _program(view.after_content), earliest)
        elif relative.parent.name == "rules" and len(relative.parts) == 2:
            try:
                date = dt.date.fromisoformat(relative.stem)
            except ValueError:
                continue  # the check says the name is wrong
            if date <= today:
                problems.append(
                    Problem(
                        shown,
                        1,
                        "",
                        f"{status} a rules file in force since {date}: rules in force "
                        f"are never changed; add a rules file dated {earliest} or "
                        "later",
                    )
                )
            elif date < earliest and status is not Status.DELETED:
                problems.append(
                    Problem(
                        shown,
                        1,
                        "",
                        f"takes effect on {date}, {(date - today).days} days after "
                        f"{today}: rules change with {days} days' notice; date it "
                        f"{earliest} or later",
                    )
                )
    return problems


def _program(content: Path | None) -> tuple[YamlFile | None, Program | None]:
    """program.yaml of one side of the change, read and validated as the check does."""
    if content is None:
        return None, None
    path = content / "program.yaml"
    if path.is_symlink() or not path.is_file():
        return None, None
    file = read_yaml(path, MAX_PROGRAM_BYTES, [])
    return file, validate_program(file, [])


def _program_problems(
    shown: str,
    before: tuple[YamlFile | None, Program | None],
    after: tuple[YamlFile | None, Program | None],
    earliest: dt.date,
) -> list[Problem]:
    """program.yaml's rules are in force since the programme's start: an edit of the levels,
    a metric's ranking, the regions, the caps, the grace or the entry period is refused on its
    line, and so is a shorter notice."""
    (_, old), (file, new) = before, after
    if old is None or new is None or file is None or file.root is None:
        return []  # an error in program.yaml is the check's to report
    root = file.root
    advice = f"rules change by a new file rules/<date>.yaml dated {earliest} or later"
    problems: list[Problem] = []
    old_ids = [level.id for level in old.levels]
    if old_ids != [level.id for level in new.levels]:
        # a level added, removed, renamed or moved judges past reviews again, whatever the
        # criteria of the ids both sides share
        problems.append(
            Problem(
                shown,
                root.lines.get("levels", 1),
                "levels",
                f"changes the levels in force ({and_list(old_ids)}), in force since the "
                "programme's start: " + advice,
            )
        )
    old_criteria = {level.id: level.criteria for level in old.levels}
    for index, level in enumerate(new.levels):
        if old_criteria.get(level.id, level.criteria) != level.criteria:
            line = _line(root, "levels", index, "criteria")
            problems.append(
                Problem(
                    shown,
                    line,
                    f"levels[{index}].criteria",
                    f"changes {level.name}'s criteria, in force since the programme's start: "
                    + advice,
                )
            )
    for metric_id, metric in new.metrics.items():
        known = old.metrics.get(metric_id)
        if known is not None and _ranking(known) != _ranking(metric):
            problems.append(
                Problem(
                    shown,
                    _key_line(root, "metrics", metric_id),
                    f"metrics.{metric_id}",
                    f"changes how {metric.label} ranks (its type, better or choices), in "
                    "force since the programme's start: " + advice,
                )
            )
    if _regional(old) != _regional(new):
        problems.append(
            Problem(
                shown,
                root.lines.get("regions", 1),
                "regions",
                "changes regional targets in force: " + advice,
            )
        )
    for name in ("grace_days", "entry_expiry_days"):
        # the grace and the entry period decide past levels as surely as criteria do, and no
        # rules file changes them: they stay what the programme started with
        if getattr(old.review, name) != getattr(new.review, name):
            problems.append(
                Problem(
                    shown,
                    _key_line(root, "review", name),
                    f"review.{name}",
                    f"changes review.{name}, which judges every past review: it stays "
                    f"{getattr(old.review, name)} days",
                )
            )
    if new.review.notice_days < old.review.notice_days:
        problems.append(
            Problem(
                shown,
                _key_line(root, "review", "notice_days"),
                "review.notice_days",
                f"shortens the notice partners were promised ({old.review.notice_days} days): "
                "notice may grow, never shrink",
            )
        )
    if old.caps != new.caps:
        problems.append(
            Problem(shown, root.lines.get("caps", 1), "caps", "changes caps in force: " + advice)
        )
    return problems


def _ranking(metric: Metric) -> tuple[str, str, tuple[str, ...]]:
    """What orders a metric's figures, so what its criteria and the caps' ranks mean."""
    return (metric.type, metric.better, metric.choices)


def _regional(program: Program) -> set[tuple[str, tuple[str, ...], str]]:
    """The regional rules: each region's countries and adjusted criteria, not its texts."""
    return {
        (region.id, region.countries, repr(sorted(region.adjustments.items())))
        for region in program.regions
    }


def _line(root: YamlMap, key: str, index: int, field: str) -> int:
    """The line of `key[index].field`, or of the nearest part of it that exists."""
    node = root.items.get(key)
    if isinstance(node, YamlList) and index < len(node.items):
        spec = node.items[index]
        if isinstance(spec, YamlMap):
            return spec.lines.get(field, spec.line)
    return root.lines.get(key, 1)


def _key_line(root: YamlMap, key: str, name: str) -> int:
    """The line of `key.name`, or of `key`."""
    node = root.items.get(key)
    if isinstance(node, YamlMap):
        return node.lines.get(name, node.line)
    return root.lines.get(key, 1)
