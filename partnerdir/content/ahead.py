"""The levels evaluated while other processes still check the partner files: on the assumption
that every partner file is valid, and kept only when that turns out to be so.

The evaluation needs of the partner files only which of them are listed and, for the reasons a
cap gives, the names of the partners that hold a capped level. When the check finds no error,
every partner file is listed; the few names the evaluation asks for are read from their files
as it asks (`NamesOnDemand`). `Foreseen.holds_for` then compares the directory the check found
with what was assumed: the same programme, the same partners, each name asked for the same.
The evaluation is a pure function of those, so it is the one a fresh evaluation gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from ..levels import evaluate_levels
from ..model import Directory, Evaluation, Program, ReviewRow


class NamesOnDemand(Mapping[str, str]):
    """The names of the partners `ids`, each read by `name_of` the first time it is asked for
    and kept (None for a file that gives no valid listing: then it has no name here)."""

    def __init__(self, ids: frozenset[str], name_of: Callable[[str], str | None]) -> None:
        self._ids = ids
        self._name_of = name_of
        #: Each name asked for, as read.
        self.read: dict[str, str | None] = {}

    def __getitem__(self, partner_id: str) -> str:
        if partner_id not in self._ids:
            raise KeyError(partner_id)
        if partner_id not in self.read:
            self.read[partner_id] = self._name_of(partner_id)
        name = self.read[partner_id]
        if name is None:
            raise KeyError(partner_id)
        return name

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)


@dataclass(frozen=True, slots=True)
class Foreseen:
    """An evaluation made before the partner files were checked, and what it assumed."""

    evaluation: Evaluation
    program: Program
    ids: frozenset[str]
    names: NamesOnDemand

    def holds_for(self, directory: Directory) -> bool:
        """Whether `directory` is what the evaluation assumed: then it is its evaluation."""
        if directory.program is not self.program:
            return False
        if len(directory.partners) != len(self.ids):
            return False
        named = {partner.id: partner.name for partner in directory.partners}
        return named.keys() == self.ids and all(
            named[partner_id] == name for partner_id, name in self.names.read.items()
        )


def evaluate_ahead(
    program: Program,
    ids: Iterable[str],
    rows: Iterable[ReviewRow],
    today: date,
    name_of: Callable[[str], str | None],
) -> Foreseen:
    """The evaluation of the directory `check_content` finds when every partner file (`ids`)
    is valid: `program` as validate_content gives it (the rules in force on `today`), the
    review `rows`, the names read by `name_of`."""
    listed = frozenset(ids)
    names = NamesOnDemand(listed, name_of)
    evaluation = evaluate_levels(program, listed, list(rows), today, names)
    return Foreseen(evaluation, program, listed, names)
