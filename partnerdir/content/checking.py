"""Check a content folder: load, validate and evaluate, with every problem found on the way."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import parallel
from ..levels import evaluate_levels
from ..model import Directory, Evaluation, Partner, Program
from ..problems import Problem, sort_problems, warning
from .crossfile import validate_content
from .loading import MAX_PARTNER_BYTES, RawContent, YamlFile, YamlMap, load_content, read_yaml
from .partner import validate_partner
from .program import validate_program


@dataclass(frozen=True, slots=True)
class Checked:
    """What `check` found: problems, and the evaluated directory when there is no error."""

    problems: list[Problem]
    directory: Directory | None
    evaluation: Evaluation | None
    partner_files: int
    review_files: int
    #: What was read, for a caller that re-checks one file later (serve).
    raw: RawContent | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


def check_content(content: Path, today: date) -> Checked:
    """Load, validate and evaluate `content`; every problem found on the way."""
    raw = load_content(content, read_partners=False)
    raw, partners_checked = check_partner_files(raw)
    directory, problems = validate_content(raw, today, partners_checked=partners_checked)
    evaluation = None
    if directory is not None:
        evaluation = evaluate_levels(
            directory.program, (p.id for p in directory.partners), directory.rows, today
        )
        problems = sort_problems(problems + _expiry_warnings(directory, evaluation))
    return Checked(problems, directory, evaluation, len(raw.partners), len(raw.reviews), raw)


#: Partner files per extra process: below this a second process costs more than it saves.
FILES_PER_PROCESS = 2000
#: What a forked worker checks (set before the fork, read in the child).
_JOB: tuple[RawContent, Program | None] | None = None
#: Stands for a partner file's parsed root once only its records travel between processes.
_PARSED = YamlMap(0)


def check_partner_files(
    raw: RawContent,
) -> tuple[RawContent, tuple[list[Partner], list[Problem]]]:
    """Read and validate every partner file: a share of them in each of `_parts()` processes.

    Returns `raw` with its partner files marked read (their trees stay in the process that read
    them) and the partners with every problem of their files, the same as one process finds.
    """
    global _JOB
    program = validate_program(raw.program, [])  # its problems are reported by validate_content
    paths = [file.path for file in raw.partners]
    parts = _parts(len(paths))
    _JOB = (raw, program)
    try:
        results = parallel.map_forked(_check_files, [paths[k::parts] for k in range(parts)])
    finally:
        _JOB = None
    files, partners, problems = [], [], []
    for result_files, result_partners, result_problems in results:
        files += result_files
        partners += result_partners
        problems += result_problems
    files.sort(key=lambda file: file.path)
    return dataclasses.replace(raw, partners=tuple(files)), (partners, problems)


def _check_files(paths: list[str]) -> tuple[list[YamlFile], list[Partner], list[Problem]]:
    assert _JOB is not None, "set before the fork"
    raw, program = _JOB
    files: list[YamlFile] = []
    partners: list[Partner] = []
    problems: list[Problem] = []
    for path in paths:
        file = read_yaml(Path(path), MAX_PARTNER_BYTES, problems)
        files.append(YamlFile(path, _PARSED if file.root is not None else None))
        if (partner := validate_partner(file, program, raw, problems)) is not None:
            partners.append(partner)
    return files, partners, problems


def _parts(files: int) -> int:
    return parallel.parts(files, FILES_PER_PROCESS)


def _expiry_warnings(directory: Directory, evaluation: Evaluation) -> list[Problem]:
    """Entry expiry (DESIGN rule 4): still at the lowest level after entry_expiry_days."""
    lowest = directory.program.levels[0].name
    days = directory.program.review.entry_expiry_days
    return [
        warning(
            partner.source,
            1,
            "",
            f"expired: still {lowest} {days} days after joining on {standing.member_since}; "
            "not listed until it earns a higher level",
        )
        for partner in directory.partners
        if (standing := evaluation.standings.get(partner.id)) and standing.expired
    ]
