"""Validate a review file (reviews/<date>.csv): the verified figures of each partner at one
review date, private ones sealed, into ReviewRows."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from ..model import (
    Criterion,
    Figure,
    Metric,
    Program,
    ReviewRow,
    Sealed,
    plain_number,
)
from ..problems import Problem
from ..wording import CRITERION_WORDS
from .fields import INTEGER, FieldChecker, parse_number, parse_value, suggest
from .loading import CsvFile
from .program import DeclaredMetrics
from .schema import ID_PATTERN


def validate_review(
    file: CsvFile,
    program: Program | None,
    problems: list[Problem],
    *,
    private_plain: bool = False,
    declared: DeclaredMetrics | None = None,
) -> list[ReviewRow]:
    """The rows of a review file. A private metric's cell is sealed (DESIGN: no private figure
    in git), or with `private_plain` a plain figure: the programme team's own export, which
    `seal` turns into a review file. No problem repeats a private cell.

    With `program` None (program.yaml has an error) the file is checked as far as it can be
    without it: its name, header, partner ids, rows and countries, and with `declared` the
    figures of the metrics valid on their own (not a seal against the criteria, which needs
    the levels). The rows it returns then serve the checks across files only."""
    name = PurePosixPath(file.path.replace("\\", "/")).stem
    try:
        review_date = date.fromisoformat(name)
    except ValueError:
        problems.append(Problem(file.path, 0, "", f"'{name}' is not a real date (YYYY-MM-DD)"))
        return []
    if program is not None:
        program = program.rules_on(review_date)  # its seals decide the targets in force then
    if not file.rows:
        problems.append(Problem(file.path, 1, "", "empty: the header is partner,country,<metrics>"))
        return []
    c = FieldChecker(file.path, problems)
    header_line, header = file.rows[0]
    if list(header[:2]) != ["partner", "country"]:
        c.error(header_line, "header", "must start with partner,country")
        return []
    columns: list[Metric | None] = []
    known = program.metrics if program is not None else (declared.valid if declared else {})
    for column in header[2:]:
        metric = known.get(column)
        if program is None and (declared is None or column in declared.declared):
            pass  # without the metric its figures cannot be read: program.yaml says why
        elif metric is None:
            c.error(header_line, column, "is not a declared metric" + suggest(column, known))
        elif metric in columns:
            c.error(header_line, column, "appears twice in the header")
            metric = None
        columns.append(metric)
    rows: list[ReviewRow] = []
    seen: dict[str, int] = {}
    verdicts: dict[tuple[str, str, Sealed], tuple[str, ...]] = {}
    # A review repeats the same cells (a score, a seal) thousands of times: each distinct cell
    # of a column is read once (parse_value and _sealed_cell are pure).
    cells_read: dict[tuple[str, str], tuple[Figure | None, str | None]] = {}
    # Each column's metric with its id, the key of its cells in `cells_read`: a cell read before
    # is looked up here, not through a call (34,554 rows: 8.5 µs a row through a call, 5.2 here).
    named = [(metric, metric.id if metric is not None else "") for metric in columns]
    for line, cells in file.rows[1:]:
        if len(cells) != len(header):
            c.error(line, "row", f"{len(cells)} cells; the header has {len(header)}")
            continue
        partner_id, country = cells[0], cells[1]
        ok = True
        if not ID_PATTERN.fullmatch(partner_id):
            c.error(line, "partner", f"'{partner_id}' is not a partner id")
            ok = False
        elif partner_id in seen:
            c.error(line, "partner", f"'{partner_id}' already has a row on line {seen[partner_id]}")
            ok = False
        seen.setdefault(partner_id, line)
        known_country = c.country(line, "country", country)
        ok = known_country and ok
        figures: dict[str, Figure | None] = {}
        for (metric, metric_id), cell in zip(named, cells[2:], strict=True):
            if metric is None or not cell:
                continue
            found = cells_read.get((metric_id, cell))
            if found is None:
                found = cells_read[metric_id, cell] = _read_cell(metric, cell, private_plain)
            value, reason = found
            if value is None:
                c.error(line, metric_id, reason or "invalid")
                ok = False
            figures[metric_id] = value
        if known_country and program is not None:
            ok = _seals_decide(c, line, program, country, figures, verdicts) and ok
        if ok:
            rows.append(ReviewRow(partner_id, review_date, country, figures, file.path, line))
    return rows


def _read_cell(metric: Metric, cell: str, private_plain: bool) -> tuple[Figure | None, str | None]:
    """A cell's figure, or why it is none: a public figure typed, a private one sealed (or
    plain, with `private_plain`)."""
    if metric.public:
        return parse_value(metric, cell)
    if private_plain:
        return parse_value(metric, cell, hidden=True)
    return _sealed_cell(cell)


_RESEAL = "seal the reviews again (`python build.py seal`)"


def _sealed_cell(cell: str) -> tuple[Sealed | None, str | None]:
    """A committed private cell's seal, or why it is none. The cell itself is never repeated:
    it may be the figure."""
    if INTEGER.fullmatch(cell) or parse_number(cell) is not None:
        return None, (
            "a private figure must not be committed: keep it in your private reviews and run "
            "`python build.py seal`"
        )
    sealed = Sealed.parse(cell)
    if sealed is None:
        return None, (
            "the cell is not a sealed figure (it is not shown here: it may be private): write "
            "one or two bounds such as >=200000 <500000, or run `python build.py seal`"
        )
    return sealed, None


def _seals_decide(
    c: FieldChecker,
    line: int,
    program: Program,
    country: str,
    figures: dict[str, Figure | None],
    verdicts: dict[tuple[str, str, Sealed], tuple[str, ...]],
) -> bool:
    """Whether each seal tells met or not yet for every criterion of every level on its metric
    in `country` (regional ones applied), and names no other target, which would say more.
    `verdicts` keeps what each distinct seal of a metric in a country was found to lack."""
    ok = True
    for metric_id, value in figures.items():
        if not isinstance(value, Sealed):
            continue
        key = (metric_id, country, value)
        lacks = verdicts.get(key)
        if lacks is None:
            lacks = verdicts[key] = _seal_lacks(program, metric_id, country, value)
        for message in lacks:
            c.error(line, metric_id, message)
        ok = ok and not lacks
    return ok


def _seal_lacks(program: Program, metric_id: str, country: str, value: Sealed) -> tuple[str, ...]:
    """Why a seal of the metric in `country` does not do: each criterion it leaves undecided,
    else a bound that is no target; none when it tells met or not yet and nothing more."""
    applying = [
        (level, criterion)
        for level in program.levels[1:]
        for criterion in program.criteria_for(level, country)
        if criterion.metric == metric_id
    ]
    undecided = tuple(
        f"the sealed figure does not tell whether {level.name}'s "
        f"'{_criterion_words(criterion)}' is met: {_RESEAL}"
        for level, criterion in applying
        if value.decides(criterion.op, criterion.target) is None
    )
    if undecided:
        return undecided
    thresholds = {criterion.target for _, criterion in applying}
    if any(bound not in thresholds for bound in value.bounds):
        return (
            f"the sealed figure has a bound that is not a target of the criteria in "
            f"{country}, so it says more than met / not yet: {_RESEAL}",
        )
    return ()


def _criterion_words(criterion: Criterion) -> str:
    """'at least 300,000': a target of program.yaml, so public."""
    target = criterion.target
    if isinstance(target, bool | str):
        shown = str(target)
    elif float(target).is_integer():
        shown = f"{int(target):,}"
    else:
        shown = plain_number(target)
    return f"{CRITERION_WORDS[criterion.op]} {shown}"
