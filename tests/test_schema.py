"""The JSON Schema of a partner file gives every example in the test suite the check's verdict."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_scaffold import fill_in
from test_validation import CASES, PARTNER, write

from partnerdir.content.checking import check_content
from partnerdir.content.fields import FieldChecker
from partnerdir.content.loading import parse_yaml
from partnerdir.content.program import validate_program
from partnerdir.content.schema import PARTNER_FIELDS, id_problem, partner_json_schema, text_pattern
from partnerdir.content.yamltree import YamlList, YamlMap, YamlValue
from partnerdir.model import Program
from partnerdir.problems import Problem
from partnerdir.scaffold import scaffold_partner

HERE = Path(__file__).parent
TODAY = date(2026, 11, 24)
ACME = "partners/acme.yaml"

#: Cases the schema cannot judge, because the check looks beyond the file's own text.
BEYOND_THE_FILE = {
    "missing-logo": "whether the logo file exists beside the partner file",
    "svg-script": "what the logo file contains",
    "svg-style": "what the logo file contains",
}


def as_json(value: YamlValue) -> Any:
    """The file as an editor's YAML language server hands it to the schema (all text)."""
    if isinstance(value, YamlMap):
        return {key: as_json(item) for key, item in value.items.items()}
    if isinstance(value, YamlList):
        return [as_json(item) for item in value.items]
    return value


def schema_errors(schema: dict[str, Any], text: str) -> list[str]:
    problems: list[Problem] = []
    root = parse_yaml(text, "x.yaml", problems)
    if root is None:
        return [str(p) for p in problems]
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(as_json(root))
    ]


def check_errors(content: Path, partner: str) -> list[str]:
    problems = check_content(content, TODAY).problems
    path = str(content / "partners" / f"{partner}.yaml")
    return [str(p) for p in problems if p.is_error and p.path == path]


def program_of(content: Path) -> Program:
    from partnerdir.content.loading import read_yaml

    problems: list[Problem] = []
    program = validate_program(read_yaml(content / "program.yaml", 1 << 20, problems), problems)
    assert program is not None, problems
    return program


def test_schema_is_valid_and_built_from_the_field_definitions(tmp_path: Path) -> None:
    schema = partner_json_schema(program_of(write(tmp_path, {})), "https://x.example/s.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == [f.name for f in PARTNER_FIELDS]
    assert schema["required"] == [f.name for f in PARTNER_FIELDS if f.required]
    assert schema["additionalProperties"] is False
    assert schema["$id"] == "https://x.example/s.json"
    # The programme's vocabularies are enums, so an editor completes them.
    assert schema["properties"]["programs"]["items"]["enum"] == ["reseller"]
    assert schema["properties"]["services"]["items"]["enum"] == ["training"]
    assert "NO" in schema["properties"]["countries"]["items"]["enum"]


PARTNER_CASES = [
    (name, files) for name, files, _ in CASES if set(files) <= {ACME, "partners/acme.svg"}
]


@pytest.mark.parametrize(("name", "files"), PARTNER_CASES, ids=[n for n, _ in PARTNER_CASES])
def test_validation_cases_get_the_checks_verdict(
    tmp_path: Path, name: str, files: dict[str, str | bytes]
) -> None:
    content = write(tmp_path, files)
    by_check = check_errors(content, "acme")
    text = files[ACME]
    assert isinstance(text, str)
    by_schema = schema_errors(partner_json_schema(program_of(content)), text)
    assert by_check, "every one of these cases is an error of the partner file"
    if name in BEYOND_THE_FILE:
        assert by_schema == [], "the schema cannot see this; BEYOND_THE_FILE says why"
    else:
        assert by_schema != [], f"the schema accepts what the check rejects: {by_check}"


@pytest.mark.parametrize(
    ("name", "line", "valid"),
    [
        ("valid", "", True),
        ("name-too-long", "name: " + "x" * 101 + "\n", False),
        ("name-blank", 'name: "  "\n', False),
        ("name-with-line-break", 'name: "a\\nb"\n', False),
        ("website-user", "website: https://u:p@acme.example\n", False),
        ("website-port-path", "website: https://acme.example:8443/en?x=1#top\n", True),
        ("website-localhost", "website: http://localhost/\n", True),
        ("website-space", "website: https://acme.example/a b\n", False),
        ("contact-mailto", "contact: mailto:sales@acme.example?subject=Hi\n", True),
        ("contact-mailto-no-address", "contact: mailto:sales\n", False),
        ("contact-ftp", "contact: ftp://acme.example\n", False),
        ("handle-team", 'maintainers: ["@acme/devs"]\n', True),
        ("handle-bad", 'maintainers: ["@acme dev"]\n', False),
        ("handle-without-at", "maintainers: [acme-dev]\n", True),
        ("no-maintainers", "maintainers: []\n", False),
        ("countries-empty", "countries:\n", False),
        ("description-mapping", "description: {a: b}\n", False),
        ("eleven-maintainers", f"maintainers: [{', '.join(f'm{i}' for i in range(11))}]\n", False),
        ("tab-in-name", 'name: "Acme\\tNordic"\n', True),
        ("bidi-override-in-name", 'name: "Acme\\u202eNordic"\n', False),
        ("upper-case-scheme", "website: HTTPS://acme.example\n", True),
        ("mark-in-website", 'website: "https://acme.example/\\u200e"\n', False),
        ("no-break-space-in-name", 'name: "Acme\\u00a0Nordic"\n', True),
        ("emoji-in-description",
         'description: "Data \\U0001F469\\u200D\\U0001F4BB and \\u2764\\uFE0F"\n', True),
        ("joiner-in-name", 'name: "Acme\\u200dNordic"\n', False),
    ],
)  # fmt: skip
def test_more_partner_files_get_the_checks_verdict(
    tmp_path: Path, name: str, line: str, valid: bool
) -> None:
    key = line.split(":", 1)[0]
    kept = [x for x in PARTNER.splitlines(keepends=True) if not key or not x.startswith(key + ":")]
    text = "".join(kept) + line
    content = write(tmp_path, {ACME: text})
    by_check = check_errors(content, "acme")
    by_schema = schema_errors(partner_json_schema(program_of(content)), text)
    assert (by_check == [], by_schema == []) == (valid, valid), (by_check, by_schema)


def check_accepts(text: str, *, multiline: bool) -> bool:
    """The check's verdict on `text` as the value of a text field."""
    problems: list[Problem] = []
    node = YamlMap(1, {"field": text}, {"field": 1})
    FieldChecker("x.yaml", problems).text(node, "field", max_length=10, multiline=multiline)
    return not problems


@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "markdown"])
def test_every_character_below_u10000_gets_the_checks_verdict(multiline: bool) -> None:
    # The schema's character rules come from the check's (partnerdir.content.safety.characters):
    # a character alone and between letters, so blank-only text is judged too.
    pattern = re.compile(text_pattern(multiline=multiline))
    differ = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates: no YAML file holds one
        for text in (chr(code), f"A{chr(code)}B"):
            if check_accepts(text, multiline=multiline) != bool(pattern.search(text)):
                differ.append(f"U+{code:04X} in {text!r}")
    assert differ == []


@pytest.mark.parametrize("char", ["\U000e0020", "\U000e0100", "\U0001d173", "\U0001fffe"])
def test_invisible_characters_above_uffff_are_left_to_the_check(char: str) -> None:
    # The regex dialect of a JSON Schema has no escape for them that Python and JavaScript share.
    pattern = re.compile(text_pattern(multiline=False))
    assert pattern.search(f"Acme{char}")
    assert not check_accepts(f"Acme{char}", multiline=False)


def every_partner_file() -> list[Path]:
    return sorted((HERE.parent / "content" / "partners").glob("*.yaml")) + sorted(
        (HERE / "sites" / "pr" / "content" / "partners").glob("*.yaml")
    )


@pytest.mark.parametrize(
    "path", every_partner_file(), ids=lambda p: f"{p.parent.parent.parent.name}/{p.stem}"
)
def test_example_listings_pass_both(path: Path) -> None:
    content = path.parent.parent
    assert check_errors(content, path.stem) == []
    assert schema_errors(partner_json_schema(program_of(content)), path.read_text()) == []


def test_scaffold_fails_both_until_filled_in(tmp_path: Path) -> None:
    content = Path(shutil.copytree(HERE / "sites" / "pr" / "content", tmp_path / "content"))
    program = program_of(content)
    schema = partner_json_schema(program)
    text = scaffold_partner("newco", program)
    (content / "partners" / "newco.yaml").write_text(text)
    assert len(check_errors(content, "newco")) == 6
    assert len(schema_errors(schema, text)) == 6
    filled = fill_in(text.replace("# logo:", "# (no logo)"))
    (content / "partners" / "newco.yaml").write_text(filled)
    assert check_errors(content, "newco") == []
    assert schema_errors(schema, filled) == []


ID_RULE = (
    "use 1 to 64 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
)


@pytest.mark.parametrize(
    ("partner_id", "message"),
    [
        *[
            (bad, f"'{shown}' is not a valid id: {ID_RULE} (acme-digital)")
            for bad, shown in [
                ("Acme", "Acme"),
                ("acme_digital", "acme_digital"),
                ("-acme", "-acme"),
                ("../evil", "../evil"),
                ("a" * 65, "a" * 65),
                ("acme\n", "acme\\n"),
            ]
        ],
        ("stats", "'stats' is reserved for a page of the site; choose another name"),
        ("partners", "'partners' is reserved for a page of the site; choose another name"),
        ("acme-digital", None),
        ("a", None),
        ("3d-data", None),
    ],
)  # fmt: skip
def test_one_id_rule_for_the_check_and_new(partner_id: str, message: str | None) -> None:
    # `new` names the id it is given; the check names the file it read the id from.
    assert id_problem(partner_id) == message
    in_check = id_problem(partner_id, file_name=True)
    if message is None or "reserved" in message:
        assert in_check == message
    else:
        assert in_check == "the file name " + message.replace(
            "(acme-digital)", "(acme-digital.yaml)"
        )
