"""Check a content folder: load, validate and evaluate, with every problem found on the way."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import parallel
from ..levels import evaluate_levels
from ..model import Directory, Evaluation, Listing, Partner, Program
from ..problems import Problem, sort_problems, warning
from .crossfile import validate_content
from .loading import MAX_PARTNER_BYTES, RawContent, load_content, read_yaml
from .partner import PartnerFiles, validate_partner
from .program import validate_program, validate_rules_files


@dataclass(frozen=True, slots=True)
class Checked:
    """What `check` found: problems, and the evaluated directory when there is no error."""

    problems: list[Problem]
    directory: Directory | None
    evaluation: Evaluation | None
    partner_files: int
    review_files: int
    #: The content as loaded (program.yaml and review files read, partner files listed, the
    #: files beside them): what serve re-checks an edited partner file against, and what the
    #: pull-request check reads the review files from. None once a caller is done with it.
    loaded: RawContent | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


def check_content(content: Path, today: date) -> Checked:
    """Load, validate and evaluate `content`; every problem found on the way."""
    raw = load_content(content)
    problems = list(raw.problems)
    program = validate_program(raw.program, problems)
    dated = validate_rules_files(raw.rules, program, problems)
    partners = check_partner_files(raw, program)
    problems += partners.problems
    directory = validate_content(raw, dated or program, partners, today, problems)
    evaluation = None
    if directory is not None:
        evaluation = evaluate_levels(
            directory.program,
            (p.id for p in directory.partners),
            directory.rows,
            today,
            {p.id: p.name for p in directory.partners},
        )
        problems += _expiry_warnings(directory, evaluation)
    return Checked(
        sort_problems(problems),
        directory,
        evaluation,
        len(raw.partner_paths),
        len(raw.reviews),
        raw,
    )


#: Partner files per extra process: below this a second process costs more than it saves.
FILES_PER_PROCESS = 2000


def check_partner_files(raw: RawContent, program: Program | None) -> PartnerFiles:
    """Read and validate every partner file, a share of them in each of `_parts()` processes:
    the listings and problems one process finds, and no parsed tree sent between processes."""
    paths = raw.partner_paths
    parts = _parts(len(paths))
    # The job travels with the function: a forked worker inherits it, nothing is pickled.
    check_share = functools.partial(_check_files, raw=raw, program=program)
    results = parallel.map_forked(check_share, [paths[k::parts] for k in range(parts)])
    return PartnerFiles(
        tuple(partner for result in results for partner in result.partners),
        tuple(problem for result in results for problem in result.problems),
        frozenset(path for result in results for path in result.parsed),
    )


def _check_files(paths: Sequence[str], raw: RawContent, program: Program | None) -> PartnerFiles:
    partners: list[Partner] = []
    problems: list[Problem] = []
    parsed: list[str] = []
    for path in paths:
        file = read_yaml(Path(path), MAX_PARTNER_BYTES, problems)
        if file.root is not None:
            parsed.append(path)
        if (partner := validate_partner(file, program, raw, problems)) is not None:
            partners.append(partner)
    return PartnerFiles(tuple(partners), tuple(problems), frozenset(parsed))


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
            f"expired: still {lowest} {days} days after joining on "
            f"{evaluation.standings[partner.id].member_since}; "
            "not listed until it earns a higher level",
        )
        for partner in directory.partners
        if evaluation.listing(partner.id) is Listing.EXPIRED
    ]
