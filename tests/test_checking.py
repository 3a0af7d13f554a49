"""check_content shares the partner files among processes: the result must be the same."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from paths import BUILD_DATE, SITES

from partnerdir import parallel
from partnerdir.content import ahead, checking
from partnerdir.content.checking import check_content

#: Seven partners, one of them expired and one not yet reviewed (tests/sites/listing/README.md).
CONTENT = SITES / "listing" / "content"


def broken_copy(tmp_path: Path) -> Path:
    """The fixture with three partner files broken: unreadable YAML, a key given twice (the
    file read no further), and a list where a mapping belongs."""
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    partners = content / "partners"
    (partners / "fjordline-data.yaml").write_text("name: [unclosed\n")
    with open(partners / "canal-analytique.yaml", "a") as f:
        f.write("level: platinum\ncountries: [XX]\n")
    (partners / "tulpveld-it.yaml").write_text("- a list\n")
    return content


@pytest.mark.parametrize("parts", [2, 3])
@pytest.mark.parametrize("broken", [False, True])
def test_several_processes_find_what_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int, broken: bool
) -> None:
    content = broken_copy(tmp_path) if broken else CONTENT
    one = check_content(content, BUILD_DATE)
    monkeypatch.setattr(checking, "_parts", lambda files: parts)
    several = check_content(content, BUILD_DATE)
    assert [str(p) for p in several.problems] == [str(p) for p in one.problems]
    assert several.directory == one.directory
    assert several.evaluation == one.evaluation
    assert (several.partner_files, several.errors) == (one.partner_files, one.errors)
    assert one.partner_files == 7 > parts
    assert one.errors == (3 if broken else 0)
    # the broken files, and the fixture's warnings: not yet reviewed, and expired (levels are
    # evaluated only when every file is valid)
    found = [(Path(p.path).name, p.is_error) for p in one.problems]
    if broken:
        assert found == [
            ("canal-analytique.yaml", True),
            ("fjordline-data.yaml", True),
            ("isar-insight.yaml", False),
            ("tulpveld-it.yaml", True),
        ]
    else:
        assert found == [("isar-insight.yaml", False), ("meseta-datos.yaml", False)]


def test_language_names_read_as_customers_say_them() -> None:
    from partnerdir.countries import language_name

    # pycountry's ISO 639 names: "Swahili (macrolanguage)", "Norwegian"
    assert [language_name(code) for code in ("sw", "no", "ar", "en")] == [
        "Swahili",
        "Norwegian",
        "Arabic",
        "English",
    ]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_rests_during_the_check_and_is_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    seen: list[bool] = []
    original = checking.evaluate_levels

    def evaluating(*args, **options):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return original(*args, **options)

    # the levels are evaluated once, ahead of the partner files (content/ahead.py)
    monkeypatch.setattr(checking, "evaluate_levels", evaluating)
    monkeypatch.setattr(ahead, "evaluate_levels", evaluating)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        check_content(CONTENT, BUILD_DATE)
        assert (seen, gc.isenabled()) == ([False], enabled)
    finally:
        (gc.enable if was else gc.disable)()


def test_the_review_files_are_read_while_other_processes_check_partner_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []

    def logged(name: str, function: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object) -> object:
            order.append(name)
            return function(*args)

        return call

    monkeypatch.setattr(checking, "_parts", lambda units: 2)
    monkeypatch.setattr(checking.parallel, "map_chunks", logged("fork", parallel.map_chunks))
    monkeypatch.setattr(checking, "read_reviews", logged("read", checking.read_reviews))
    monkeypatch.setattr(checking, "validate_reviews", logged("reviews", checking.validate_reviews))
    monkeypatch.setattr(checking, "_check_files", logged("own", checking._check_files))
    checked = check_content(CONTENT, BUILD_DATE)
    # the other process's calls are its own: once it started, this one read the reviews and
    # validated them, then took what chunks of the partner files were left (none, when the
    # other process had taken them all)
    assert order[:3] == ["fork", "read", "reviews"] and set(order[3:]) <= {"own"}
    assert checked.directory is not None
    assert checked.review_files == len(list((CONTENT / "reviews").glob("*.csv")))
    assert len(checked.directory.rows) > 0
