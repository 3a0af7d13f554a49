"""Check a content folder: load, validate and evaluate, with every problem found on the way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .levels import evaluate_levels
from .loading import RawContent, load_content
from .model import Directory, Evaluation
from .problems import Problem, sort_problems, warning
from .validation import validate_content


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
    raw = load_content(content)
    directory, problems = validate_content(raw, today)
    evaluation = None
    if directory is not None:
        evaluation = evaluate_levels(
            directory.program, (p.id for p in directory.partners), directory.rows, today
        )
        problems = sort_problems(problems + _expiry_warnings(directory, evaluation))
    return Checked(problems, directory, evaluation, len(raw.partners), len(raw.reviews), raw)


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
