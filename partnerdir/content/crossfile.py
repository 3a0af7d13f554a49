"""The rules across files: ids unique ignoring case, review rows without a partner file and
partner files without a review, rows dated after the build; and the Directory they make."""

from __future__ import annotations

from datetime import date

from ..model import Directory, Partner, ReviewRow
from ..problems import Problem, sort_problems, warning
from .loading import RawContent, YamlFile
from .partner import file_id, validate_partner
from .program import validate_program
from .review import validate_review
from .schema import ID_PATTERN


def validate_content(
    raw: RawContent,
    today: date | None = None,
    *,
    partners_checked: tuple[list[Partner], list[Problem]] | None = None,
) -> tuple[Directory | None, list[Problem]]:
    """Every problem of every file; a Directory only when there is no error.

    Review rows dated after `today` are left out (with a warning), so a build for a past date
    shows the directory as it stood then. `partners_checked` gives the partner files' records
    and problems where the caller validated them already (in several processes).
    """
    problems = list(raw.problems)
    program = validate_program(raw.program, problems)
    if partners_checked is None:
        partners = [p for f in raw.partners if (p := validate_partner(f, program, raw, problems))]
    else:
        partners = partners_checked[0]
        problems += partners_checked[1]
    _check_id_collisions(raw.partners, problems)
    rows: list[ReviewRow] = []
    if program is not None:
        for review in raw.reviews:
            rows.extend(validate_review(review, program, problems))
    if today is not None:
        future = sorted({row.source for row in rows if row.date > today})
        for source in future:
            problems.append(warning(source, 0, "", f"dated after the build date {today}; ignored"))
        rows = [row for row in rows if row.date <= today]
    partner_ids = {file_id(f.path) for f in raw.partners}
    for row in rows:
        if row.partner not in partner_ids:
            problems.append(
                warning(
                    row.source,
                    row.line,
                    "partner",
                    f"'{row.partner}' has no file partners/{row.partner}.yaml; not listed",
                )
            )
    # Any row naming the partner counts, valid or not: its errors are reported on their own.
    named = {cells[0] for review in raw.reviews for _, cells in review.rows[1:] if cells}
    for file in raw.partners:
        partner_id = file_id(file.path)
        if partner_id not in named and file.root is not None and ID_PATTERN.fullmatch(partner_id):
            problems.append(
                warning(
                    file.path,
                    1,
                    "",
                    "not yet reviewed: listed after the programme's first review of it",
                )
            )
    problems = sort_problems(problems)
    if program is None or any(p.is_error for p in problems):
        return None, problems
    listed = {p.id for p in partners}
    kept = sorted((r for r in rows if r.partner in listed), key=lambda r: (r.date, r.partner))
    dates = tuple(sorted({r.date for r in rows}))
    return Directory(
        program, tuple(sorted(partners, key=lambda p: p.id)), tuple(kept), dates
    ), problems


def _check_id_collisions(files: tuple[YamlFile, ...], problems: list[Problem]) -> None:
    """Two ids equal ignoring case would be one page on a case-insensitive file system."""
    by_folded: dict[str, str] = {}
    for file in sorted(files, key=lambda f: f.path):
        stem = file_id(file.path)
        other = by_folded.setdefault(stem.casefold(), file.path)
        if other != file.path:
            problems.append(Problem(file.path, 1, "id", f"same id as {other}, ignoring case"))
