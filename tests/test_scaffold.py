"""`new <id>`: refuses bad ids; the file fails the check until filled in and passes once filled."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from partnerdir.cli import main
from partnerdir.content.checking import check_content
from partnerdir.content.schema import PARTNER_FIELDS
from partnerdir.problems import UsageError
from partnerdir.scaffold import new_partner, scaffold_partner

FIXTURE = Path(__file__).parent / "sites" / "pr" / "content"
EXAMPLE = Path(__file__).parent.parent / "content"
TODAY = date(2026, 11, 24)
NOT_REVIEWED = (
    "newco.yaml:1: warning: not yet reviewed: listed after the programme's first review of it"
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


def problems_of(content: Path) -> list[str]:
    problems = check_content(content, TODAY).problems
    return [str(p).replace(str(content / "partners") + "/", "") for p in problems]


def fill_in(text: str) -> str:
    """Do what the scaffold asks, with its own examples: copy each required field's example
    over its empty key, and uncomment every optional field."""
    names = {f.name for f in PARTNER_FIELDS}
    out: list[str] = []
    example: list[str] | None = None
    for line in text.splitlines():
        if line == "# Example:":
            example = []
        elif example is not None and line.startswith("#   "):
            example.append(line[4:])
        elif example is not None and re.fullmatch(r"[a-z]+:", line):
            out += example
            example = None
        elif (m := re.match(r"# ([a-z]+): ", line)) and m.group(1) in names:
            out.append(line[2:])
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def test_refuses_an_existing_listing(content: Path) -> None:
    with pytest.raises(UsageError) as raised:
        new_partner(content, "tulpveld-it")
    assert (
        str(raised.value)
        == f"{content}/partners/tulpveld-it.yaml already exists: edit that file instead"
    )


def test_refuses_an_id_that_exists_in_another_case(content: Path) -> None:
    (content / "partners" / "Newco.yaml").write_text("name: x\n")
    with pytest.raises(UsageError, match=r"partners/Newco.yaml already exists"):
        new_partner(content, "newco")
    assert not (content / "partners" / "newco.yaml").exists()


def test_first_line_points_editors_at_the_published_schema(content: Path) -> None:
    path = new_partner(content, "newco")
    first = path.read_text().splitlines()[0]
    assert first == (
        "# yaml-language-server: $schema=https://partners.northwind.example/partner.schema.json"
    )


def test_every_field_is_explained_with_its_example(content: Path) -> None:
    text = new_partner(content, "newco").read_text()
    for spec in PARTNER_FIELDS:
        need = "required" if spec.required else "optional"
        assert f"# {spec.name} ({need}): {spec.description.split()[0]}" in text
        if spec.required:
            assert re.search(rf"^# Example:\n#   {spec.name}: ", text, re.M), spec.name
            assert re.search(rf"^{spec.name}:$", text, re.M), spec.name
        else:
            assert re.search(rf"^# {spec.name}: \S", text, re.M), spec.name
    flat = " ".join(text.split()).replace(" # ", " ")
    assert "Choose from: reseller (Reseller), integrator (Systems integrator)," in flat


def test_an_unedited_scaffold_fails_on_each_required_line(content: Path) -> None:
    """Decision: the scaffold holds no values, so nothing is listed until a person types one."""
    path = new_partner(content, "newco")
    lines = path.read_text().splitlines()
    expected = [NOT_REVIEWED] + [
        f"newco.yaml:{lines.index(spec.name + ':') + 1}: {spec.name}: is empty"
        for spec in PARTNER_FIELDS
        if spec.required
    ]
    assert problems_of(content) == expected
    assert len(expected) == 7


def test_filled_in_with_its_examples_the_scaffold_passes(content: Path) -> None:
    path = new_partner(content, "newco")
    path.write_text(fill_in(path.read_text()))
    (content / "partners" / "newco.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert problems_of(content) == [NOT_REVIEWED]
    directory = check_content(content, TODAY).directory
    assert directory is not None
    newco = next(p for p in directory.partners if p.id == "newco")
    assert (newco.name, newco.countries, newco.languages) == (
        "Fjordline Data AS",
        ("NO", "SE"),
        ("nb", "en"),
    )
    assert (newco.logo, newco.maintainers) == ("newco.svg", ("@kari-nordmann",))


def test_examples_fit_the_programme_the_scaffold_is_for(tmp_path: Path) -> None:
    """A programme without 'integrator' gets one of its own programmes as the example."""
    content = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    program = content / "program.yaml"
    program.write_text(program.read_text().replace("id: integrator", "id: systems-integrator"))
    for partner in (content / "partners").glob("*.yaml"):
        partner.write_text(partner.read_text().replace("integrator", "systems-integrator"))
    path = new_partner(content, "newco")
    assert "#   programs: [reseller]" in path.read_text()
    path.write_text(fill_in(path.read_text().replace("# logo:", "# (no logo)")))
    assert problems_of(content) == [NOT_REVIEWED]


def test_the_example_content_scaffold_passes_once_filled(tmp_path: Path) -> None:
    from partnerdir.scaffold import _read_program

    text = fill_in(scaffold_partner("newco", _read_program(EXAMPLE)))
    content = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    (content / "partners" / "newco.yaml").write_text(text.replace("logo: newco.svg", "# no logo"))
    assert problems_of(content) == [NOT_REVIEWED]


def test_new_command(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "newco", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"Wrote {content}/partners/newco.yaml: fill in the fields marked (required), then "
        f"check it:\n  python build.py check {content}/partners/newco.yaml\n"
    )
    assert main(["new", "newco", "--content", str(content)]) == 2
    assert capsys.readouterr().err == (
        f"partnerdir: {content}/partners/newco.yaml already exists: edit that file instead\n"
    )
    assert main(["new", "New", "--content", str(content)]) == 2
    assert "'New' is not a valid id" in capsys.readouterr().err


def test_new_without_a_programme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "newco", "--content", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"partnerdir: no {tmp_path}/program.yaml: run `new` in a directory repository "
        "(or use --content DIR)\n"
    )
    assert not (tmp_path / "partners").exists()


CONTRIBUTING = Path(__file__).parent.parent / "CONTRIBUTING.md"


def test_contributing_describes_every_field() -> None:
    rows = re.findall(r"^\| `([a-z]+)` \| (yes|no) \|", CONTRIBUTING.read_text(), re.M)
    assert rows == [(f.name, "yes" if f.required else "no") for f in PARTNER_FIELDS]


def test_contributing_example_passes_the_check(tmp_path: Path) -> None:
    text = CONTRIBUTING.read_text()
    example = text.split("## A complete example\n\n```yaml\n", 1)[1].split("```", 1)[0]
    content = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    shutil.copy(EXAMPLE / "program.yaml", content / "program.yaml")
    (content / "partners" / "acme-digital.yaml").write_text(example)
    (content / "partners" / "acme-digital.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    assert problems_of(content) == [NOT_REVIEWED.replace("newco", "acme-digital")]


def test_a_bare_handle_gets_a_message_that_says_to_quote_it(content: Path) -> None:
    path = new_partner(content, "newco")
    assert '"@you"' in " ".join(path.read_text().split())
    filled = fill_in(path.read_text().replace("# logo:", "# (no logo)"))
    path.write_text(filled.replace('["@kari-nordmann"]', "[@kari-nordmann]"))
    line = filled.splitlines().index('maintainers: ["@kari-nordmann"]') + 1
    assert problems_of(content) == [
        f'newco.yaml:{line}: YAML syntax: a value cannot start with @; put it in quotes: "@name"'
    ]
