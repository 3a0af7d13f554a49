"""check_content shares the partner files among processes: the result must be the same."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from partnerdir.content import checking
from partnerdir.content.checking import check_content

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)


def broken_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    partners = content / "partners"
    (partners / "zuiderzee-systems.yaml").write_text("name: [unclosed\n")
    with open(partners / "polder-data-group.yaml", "a") as f:
        f.write("level: platinum\ncountries: [XX]\n")
    (partners / "kilima-data-labs.yaml").write_text("- a list\n")
    return content


@pytest.mark.parametrize("parts", [2, 3])
@pytest.mark.parametrize("broken", [False, True])
def test_several_processes_find_what_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int, broken: bool
) -> None:
    content = broken_copy(tmp_path) if broken else ROOT / "content"
    one = check_content(content, TODAY)
    monkeypatch.setattr(checking, "_parts", lambda files: parts)
    several = check_content(content, TODAY)
    assert [str(p) for p in several.problems] == [str(p) for p in one.problems]
    assert several.directory == one.directory
    assert several.evaluation == one.evaluation
    assert (several.partner_files, several.errors) == (one.partner_files, one.errors)
    assert one.errors == (3 if broken else 0)


def test_language_names_read_as_customers_say_them() -> None:
    from partnerdir.countries import language_name

    # pycountry's ISO 639 names: "Swahili (macrolanguage)", "Norwegian"
    assert [language_name(code) for code in ("sw", "no", "ar", "en")] == [
        "Swahili",
        "Norwegian",
        "Arabic",
        "English",
    ]
