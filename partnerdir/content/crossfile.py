"""The rules across files: ids unique ignoring case, review rows without a partner file and
partner files without a review, rows dated after the build; and the Directory they make."""

from __future__ import annotations

import operator
from datetime import date

from ..model import Directory, Program, ReviewRow
from ..problems import Problem, warning
from .cache import ReviewCache
from .loading import CsvFile, RawContent
from .partner import PartnerFiles, file_id
from .program import declared_metrics
from .review import validate_review
from .schema import ID_PATTERN


def validate_reviews(
    raw: RawContent,
    program: Program | None,
    problems: list[Problem],
    cache: ReviewCache | None = None,
) -> list[ReviewRow]:
    """The rows of every review file that could be read, each problem added to `problems`.

    They do not depend on the partner files, so the check reads them while other processes
    check those. With `cache`, a review file validated without a problem by an earlier check,
    under the same programme and code, is not validated again.
    """
    rows: list[ReviewRow] = []
    unread = {p.path for p in raw.problems if p.is_error}
    # without a valid program.yaml, checked as far as can be: ids, rows, countries, and the
    # figures of the metrics that are valid on their own
    declared = declared_metrics(raw.program) if program is None else None
    for review in raw.reviews:
        if not review.rows and review.path in unread:
            continue  # not read (a folder, a link, bad bytes, CSV syntax): its error says why
        if cache is not None and program is not None:
            rows.extend(_cached_review(review, program, problems, cache))
        else:
            rows.extend(validate_review(review, program, problems, declared=declared))
    return rows


#: The directory's orders: rows by date, then partner; partners by id.
_BY_DATE_AND_PARTNER = operator.attrgetter("date", "partner")
_BY_ID = operator.attrgetter("id")


def validate_content(
    raw: RawContent,
    program: Program | None,
    partners: PartnerFiles,
    rows: list[ReviewRow],
    today: date,
    problems: list[Problem],
) -> Directory | None:
    """The rules across files, each problem added to `problems`, which holds those found before
    (reading, program.yaml, the partner files, the review files and their `rows`); a Directory
    only when none of them is an error.

    Review rows dated after `today` are left out (with a warning), so a build for a past date
    shows the directory as it stood then.
    """
    _check_id_collisions(raw.partner_paths, problems)
    future = sorted({row.source for row in rows if row.date > today})
    for source in future:
        problems.append(warning(source, 0, "", f"dated after the build date {today}; ignored"))
    rows = [row for row in rows if row.date <= today]
    partner_ids = {file_id(path) for path in raw.partner_paths}
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
    for path in raw.partner_paths:
        partner_id = file_id(path)
        if partner_id not in named and path in partners.parsed and ID_PATTERN.fullmatch(partner_id):
            problems.append(
                warning(
                    path,
                    1,
                    "",
                    "not yet reviewed: listed after the programme's first review of it",
                )
            )
    if program is None or any(p.is_error for p in problems):
        return None
    listed = {p.id for p in partners.partners}
    kept = sorted((r for r in rows if r.partner in listed), key=_BY_DATE_AND_PARTNER)
    dates = tuple(sorted({r.date for r in rows}))
    departed = sorted((r for r in rows if r.partner not in listed), key=_BY_DATE_AND_PARTNER)
    unfiled = tuple(sorted({r.partner for r in departed}))
    # the pages, the report and the check show the rules in force on the build date; the
    # evaluation judges each date by its own (Program.rules_on)
    return Directory(
        program.rules_on(today),
        tuple(sorted(partners.partners, key=_BY_ID)),
        tuple(kept),
        dates,
        unfiled,
        tuple(departed),
    )


def _cached_review(
    review: CsvFile, program: Program, problems: list[Problem], cache: ReviewCache
) -> list[ReviewRow]:
    """validate_review, or its rows from the cache; a file found without a problem is added."""
    key = cache.key(review)
    rows = cache.rows(key, review)
    if rows is None:
        found: list[Problem] = []
        rows = validate_review(review, program, found)
        if not found:
            cache.add(key, review, rows)
        problems.extend(found)
    return rows


def _check_id_collisions(paths: tuple[str, ...], problems: list[Problem]) -> None:
    """Two ids equal ignoring case would be one page on a case-insensitive file system."""
    by_folded: dict[str, str] = {}
    for path in sorted(paths):
        other = by_folded.setdefault(file_id(path).casefold(), path)
        if other != path:
            problems.append(Problem(path, 1, "id", f"same id as {other}, ignoring case"))
