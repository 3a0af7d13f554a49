"""The levels evaluated ahead of the partner files: used only when the check finds what they
assumed, and then the very evaluation a fresh one gives."""

from __future__ import annotations

import dataclasses

import pytest
from paths import BUILD_DATE, EXAMPLE

from partnerdir.content import ahead, checking
from partnerdir.content.checking import Checked, check_content
from partnerdir.levels import evaluate_levels
from partnerdir.model import Directory, Evaluation


def fresh(directory: Directory) -> Evaluation:
    return evaluate_levels(
        directory.program,
        (p.id for p in directory.partners),
        directory.rows,
        BUILD_DATE,
        {p.id: p.name for p in directory.partners},
    )


def counted_check(monkeypatch: pytest.MonkeyPatch) -> tuple[Checked, list[str]]:
    """The check of the example, and where it evaluated the levels: "ahead" or "after"."""
    where: list[str] = []

    def counting(module: object, name: str) -> None:
        original = module.evaluate_levels

        def evaluating(*args, **options):  # type: ignore[no-untyped-def]
            where.append(name)
            return original(*args, **options)

        monkeypatch.setattr(module, "evaluate_levels", evaluating)

    counting(ahead, "ahead")
    counting(checking, "after")
    return check_content(EXAMPLE, BUILD_DATE), where


def test_the_levels_are_evaluated_once_ahead_as_a_fresh_evaluation_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked, where = counted_check(monkeypatch)
    assert where == ["ahead"]
    assert checked.directory is not None
    assert checked.evaluation == fresh(checked.directory)


def test_only_the_names_in_cap_reasons_are_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    original = checking._partner_name

    def reading(path, *args):  # type: ignore[no-untyped-def]
        asked.append(path)
        return original(path, *args)

    monkeypatch.setattr(checking, "_partner_name", reading)
    checked = check_content(EXAMPLE, BUILD_DATE)
    assert checked.directory is not None
    # the example's caps name the partners that hold Gold and Platinum in their countries
    assert 0 < len(set(asked)) < len(checked.directory.partners) / 4
    assert len(asked) == len(set(asked))  # each read once


def test_a_name_read_ahead_that_the_check_does_not_find_is_evaluated_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # as when a file changes while it is checked: the evaluation ahead named another partner
    monkeypatch.setattr(checking, "_partner_name", lambda *args: "Someone Else")
    checked, where = counted_check(monkeypatch)
    assert where == ["ahead", "after"]
    assert checked.directory is not None
    assert checked.evaluation == fresh(checked.directory)
    reasons = [change.reason for change in checked.evaluation.changes]
    assert not any("Someone Else" in reason for reason in reasons)


def test_what_the_evaluation_ahead_assumed_is_compared_with_the_directory() -> None:
    checked = check_content(EXAMPLE, BUILD_DATE)
    directory = checked.directory
    assert directory is not None and checked.loaded is not None
    ids = [p.id for p in directory.partners]
    names = {p.id: p.name for p in directory.partners}
    foreseen = ahead.evaluate_ahead(directory.program, ids, directory.rows, BUILD_DATE, names.get)
    assert foreseen.names.read  # the example's caps name partners
    assert foreseen.holds_for(directory)
    assert foreseen.evaluation == checked.evaluation
    one_less = dataclasses.replace(directory, partners=directory.partners[1:])
    assert not foreseen.holds_for(one_less)
    asked = next(iter(foreseen.names.read))
    renamed = tuple(
        dataclasses.replace(p, name="Renamed") if p.id == asked else p for p in directory.partners
    )
    assert not foreseen.holds_for(dataclasses.replace(directory, partners=renamed))
    other_rules = dataclasses.replace(directory, program=dataclasses.replace(directory.program))
    assert not foreseen.holds_for(other_rules)
