"""Seal private figures: the programme team's raw exports become review files git may hold.

DESIGN: no private figure in git. The programme team keeps its exports (`<date>.csv` with plain
figures) outside the repository; `seal` writes `content/reviews/<date>.csv` with each private
cell replaced by its seal (`>=200000 <500000`): which side of each target of the row's country
the figure lies on, exactly what the site reveals as met / not yet.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Figure, Op, Program, ReviewRow, Sealed
from ..problems import Problem, UsageError, sort_problems
from .loading import MAX_PROGRAM_BYTES, CsvFile, load_rules_files, read_csv, read_yaml
from .program import validate_program, validate_rules_files
from .review import validate_review


@dataclass(frozen=True, slots=True)
class Sealing:
    """What `seal` found and did: problems, and each review file written with its row count."""

    problems: list[Problem]
    written: list[tuple[Path, int]]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


# --- The rule, as pure functions ------------------------------------------------------------


def seal_figure(program: Program, metric_id: str, country: str, value: float) -> Sealed | None:
    """The seal of a figure: for every criterion on the metric that applies in `country` (every
    level, regional targets applied), the side of its target the figure lies on; the tightest
    lower and upper bound kept. None when no criterion is on the metric (an empty cell)."""
    lowers: list[tuple[float, bool]] = []  # (bound, inclusive)
    uppers: list[tuple[float, bool]] = []
    for level in program.levels[1:]:
        for criterion in program.criteria_for(level, country):
            target = criterion.target
            if criterion.metric != metric_id or isinstance(target, bool | str):
                continue
            if criterion.op is Op.MIN:
                (lowers if value >= target else uppers).append((target, value >= target))
            elif criterion.op is Op.MAX:
                (uppers if value <= target else lowers).append((target, value <= target))
    if not lowers and not uppers:
        return None
    # tightest: the highest lower bound (exclusive beats inclusive at the same number), and
    # the lowest upper bound (likewise)
    lower = max(lowers, key=lambda b: (b[0], not b[1])) if lowers else None
    upper = min(uppers, key=lambda b: (b[0], b[1])) if uppers else None
    return Sealed(
        float(lower[0]) if lower else None,
        lower[1] if lower else False,
        float(upper[0]) if upper else None,
        upper[1] if upper else False,
    )


def seal_review(program: Program, file: CsvFile, rows: Sequence[ReviewRow]) -> str:
    """The review file of an export: every private cell sealed, every other cell as given.

    `rows` are the export's valid rows (validated with plain private figures), one per line.
    """
    header = file.rows[0][1]
    private = [
        (index, column)
        for index, column in enumerate(header[2:], start=2)
        if (metric := program.metrics.get(column)) is not None and not metric.public
    ]
    by_line = {row.line: row for row in rows}
    if rows:
        program = program.rules_on(rows[0].date)  # the targets in force on the review date
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for line, given in file.rows[1:]:
        row = by_line[line]
        cells = list(given)
        for index, metric_id in private:
            cells[index] = _seal_cell(program, metric_id, row.country, row.figures.get(metric_id))
        writer.writerow(cells)
    return out.getvalue()


def _seal_cell(program: Program, metric_id: str, country: str, value: Figure | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | str | Sealed):
        # program.yaml makes private metrics numeric, and exports hold plain figures
        raise TypeError(f"{metric_id}: a private figure to seal must be a number")
    sealed = seal_figure(program, metric_id, country, value)
    return sealed.cell() if sealed is not None else ""


# --- The edge: read the exports, write the review files -------------------------------------


def seal_exports(private: Path, content: Path) -> Sealing:
    """Seal every `<date>.csv` in `private` into `content/reviews/`, or write nothing at all
    when the exports or program.yaml have an error."""
    if private.resolve().is_relative_to(content.resolve()):
        raise UsageError(
            f"'{private}' is inside the content folder, which is committed: keep the raw "
            "exports outside the repository"
        )
    problems: list[Problem] = []
    program = validate_program(
        read_yaml(content / "program.yaml", MAX_PROGRAM_BYTES, problems), problems
    )
    # a review is judged by the rules in force on its date: its seals decide their targets
    program = validate_rules_files(load_rules_files(content / "rules", problems), program, problems)
    exports = [read_csv(path, problems) for path in _export_paths(private)]
    if not exports:
        problems.append(Problem(str(private), 0, "", "no raw export (YYYY-MM-DD.csv) to seal"))
    checked: list[tuple[CsvFile, list[ReviewRow]]] = []
    if program is not None:
        checked = [
            (file, validate_review(file, program, problems, private_plain=True)) for file in exports
        ]
    problems = sort_problems(problems)
    if program is None or any(p.is_error for p in problems):
        return Sealing(problems, [])
    written = []
    for file, rows in checked:
        path = content / "reviews" / Path(file.path).name
        _write_whole(path, seal_review(program, file, rows))
        written.append((path, len(rows)))
    return Sealing(problems, written)


def _export_paths(private: Path) -> list[Path]:
    return sorted(
        path
        for path in private.iterdir()
        if path.suffix == ".csv" and not path.name.startswith(".") and path.is_file()
    )


def _write_whole(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.new")  # hidden: the check does not read it
    aside.write_text(text, encoding="utf-8", newline="")
    os.replace(aside, path)
