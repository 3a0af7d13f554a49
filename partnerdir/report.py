"""The programme team's view: the check summary and the standings table (text, CSV, Markdown)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

from .content.checking import Checked
from .levels import last_full_review, upcoming_drops
from .model import ChangeKind, Directory, Evaluation, LevelChange, Listing, UpcomingDrop
from .wording import count, criteria_met, upcoming_drop_text


def changes_since(evaluation: Evaluation, start: date) -> list[LevelChange]:
    """Promotions and demotions (not joins) dated on or after `start`."""
    return [c for c in evaluation.changes if c.date >= start and c.previous is not None]


def format_summary(checked: Checked, today: date) -> str:
    errors = checked.errors
    warnings = len(checked.problems) - errors
    # the rules files are named only when there are some, so a content folder without them
    # reads as it always did
    rules = f"{count(checked.rules_files, 'rules file')}, " if checked.rules_files else ""
    lines = [
        f"Checked program.yaml, {rules}{count(checked.partner_files, 'partner file')} and "
        f"{count(checked.review_files, 'review file')} (build date {today}): "
        f"{count(errors, 'error')}, {count(warnings, 'warning')}."
    ]
    directory, evaluation = checked.directory, checked.evaluation
    if directory is None or evaluation is None:
        lines.append("Nothing was evaluated: fix the errors above.")
        return "\n".join(lines)
    # counted, not shown: in any order (listed_partners' sorts by name, 0.03 s at 10,000)
    listings: Counter[Listing] = Counter()
    shown = []
    for partner in directory.partners:
        listing = evaluation.listing(partner.id)
        listings[listing] += 1
        if listing is Listing.LISTED:
            shown.append(evaluation.standings[partner.id])
    per_level = Counter(s.level for s in shown)
    levels = ", ".join(
        f"{level.name} {per_level[level.id]}" for level in reversed(directory.program.levels)
    )
    lines.append(
        f"Listed: {len(shown)} partners ({levels}); {listings[Listing.EXPIRED]} expired, "
        f"{listings[Listing.NOT_REVIEWED]} not yet reviewed."
    )
    start = last_full_review(directory)
    if start is not None:
        changes = changes_since(evaluation, start)
        kinds = Counter(change.kind(directory.program) for change in changes)
        under_review = sorted(s.partner for s in shown if s.under_review_until)
        lines.append(
            f"Since the review of {start}: {count(kinds[ChangeKind.PROMOTION], 'promotion')}, "
            f"{count(kinds[ChangeKind.DEMOTION], 'demotion')}; {len(under_review)} under review."
        )
        names = {level.id: level.name for level in directory.program.levels}
        for change in changes:
            lines.append(
                f"  {change.date}  {change.partner}: {names[change.previous or '']} -> "
                f"{names[change.level]} ({change.reason})"
            )
        for partner_id in under_review:
            standing = evaluation.standings[partner_id]
            lines.append(f"  under review until {standing.under_review_until}: {partner_id}")
    return "\n".join(lines)


REPORT_COLUMNS = (
    "partner",
    "country",
    "level",
    "earned",
    "why different",
    "under review until",
    "next level",
    "progress",
    "upcoming rules",
)


def report_rows(directory: Directory, evaluation: Evaluation) -> list[tuple[str, ...]]:
    """One row per evaluated partner, highest level first, then by id; the last column names
    the level a rules file dated after the build date would give it, where that is lower."""
    program = directory.program
    drops: dict[str, UpcomingDrop] = {}
    for drop in upcoming_drops(program, evaluation):
        drops.setdefault(drop.partner, drop)  # the first date it would drop
    names = {level.id: level.name for level in program.levels}
    rows: list[tuple[str, ...]] = []
    ordered = sorted(
        evaluation.standings.values(), key=lambda s: (-program.rank(s.level), s.partner)
    )
    for s in ordered:
        path = s.path
        if evaluation.listing(s.partner) is Listing.EXPIRED:
            why = "expired: not listed"
        else:
            why = s.reason or ""
        next_level = ""
        progress = ""
        if path is not None:
            next_level = ("keep " if path.goal == "keep" else "") + names[path.level]
            progress = criteria_met(path.met_count, len(path.criteria))
        rows.append(
            (
                s.partner,
                s.country,
                names[s.level],
                names[s.earned],
                why,
                str(s.under_review_until or ""),
                next_level,
                progress,
                upcoming_drop_text(program, drops[s.partner]) if s.partner in drops else "",
            )
        )
    return rows


def format_report(directory: Directory, evaluation: Evaluation, fmt: str) -> str:
    rows = report_rows(directory, evaluation)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "markdown":

        def cell(text: str) -> str:
            return text.replace("|", "\\|")

        lines = ["| " + " | ".join(REPORT_COLUMNS) + " |"]
        lines.append("|" + "---|" * len(REPORT_COLUMNS))
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in [REPORT_COLUMNS, *rows]) for i in range(len(REPORT_COLUMNS))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [REPORT_COLUMNS, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
