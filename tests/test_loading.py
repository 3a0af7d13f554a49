"""Loading: strict YAML semantics, positions, and the file-level limits."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from partnerdir.content.checking import check_content
from partnerdir.content.loading import (
    MAX_DEPTH,
    UnreadableFile,
    YamlList,
    YamlMap,
    load_content,
    parse_yaml,
    read_csv,
    read_plain_file,
    read_yaml,
)
from partnerdir.problems import Problem


def parse(text: str) -> tuple[YamlMap | None, list[str]]:
    problems: list[Problem] = []
    root = parse_yaml(text, "f.yaml", problems)
    return root, [str(p) for p in problems]


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("country: NO\n", "country", "NO"),
        ("name: yes\n", "name", "yes"),
        ("name: 010\n", "name", "010"),
        ("name: 12:30\n", "name", "12:30"),
        ("name: 1e3\n", "name", "1e3"),
        ("name: null\n", "name", "null"),
        ("name: 2026-02-30\n", "name", "2026-02-30"),
        ("name: 'quoted'\n", "name", "quoted"),
        ("name:\n", "name", None),
        ("name: ''\n", "name", ""),
    ],
    ids=["norway", "yes", "octal", "sexagesimal", "float", "null", "date", "quoted", "empty",
         "empty-quoted"],
)  # fmt: skip
def test_every_scalar_stays_text(text: str, key: str, expected: str | None) -> None:
    root, problems = parse(text)
    assert problems == []
    assert root is not None
    assert root.items[key] == expected


def test_lines_are_kept_for_keys_and_list_items() -> None:
    root, _ = parse("name: A\n\ncountries:\n  - NO\n  - SE\nwebsite: x\n")
    assert root is not None
    assert root.lines == {"name": 1, "countries": 3, "website": 6}
    countries = root.items["countries"]
    assert isinstance(countries, YamlList)
    assert countries.lines == [4, 5]
    assert countries.items == ["NO", "SE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "f.yaml:2: a: duplicate key"),
        ("a: &x 1\n", "f.yaml:1: anchors (&name) are not allowed"),
        ("a: [1]\nb: *x\n", "f.yaml:2: aliases (*name) are not allowed"),
        ("a: !!python/object:os.system x\n",
         "f.yaml:1: YAML tags (!!python/object:os.system) are not allowed"),
        ("a: !custom x\n", "f.yaml:1: YAML tags (!custom) are not allowed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2: one YAML document per file, not several"),
        ("", "f.yaml:1: the file is empty; it must be a YAML mapping"),
        ("- a\n", "f.yaml:1: the file holds a list; it must be a YAML mapping"),
        ("just text\n", "f.yaml:1: the file holds a single value; it must be a YAML mapping"),
        ("a:\n\t- b\n", "f.yaml:2: YAML syntax: a tab character; indent YAML with spaces"),
        ("a: [1, 2\n", "f.yaml:1: YAML syntax: did not find expected ',' or ']'"),
        ("? [a]\n: 1\n", "f.yaml:1: keys must be plain text"),
    ],
    ids=["duplicate", "anchor", "undefined-alias", "python-tag", "custom-tag", "two-documents",
         "empty", "list-root", "scalar-root", "tab", "unclosed", "complex-key"],
)  # fmt: skip
def test_what_strict_content_rejects(text: str, expected: str) -> None:
    root, problems = parse(text)
    assert root is None
    assert expected in problems


def test_billion_laughs_is_rejected_without_expanding() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    root, problems = parse("\n".join(lines) + "\n")
    assert root is None
    assert "f.yaml:1: anchors (&name) are not allowed" in problems
    assert "f.yaml:2: aliases (*name) are not allowed" in problems


def test_deep_nesting_is_an_error_not_a_recursion_error() -> None:
    root, problems = parse("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert root is None
    assert problems == [f"f.yaml:1: nested more than {MAX_DEPTH} levels deep"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name: A\x00\n", "f.yaml:1: contains a NUL byte; is this a text file?"),
        (b"a: 1\nname: Caf\xe9\n", "f.yaml:2: is not valid UTF-8 (byte 0xe9)"),
        (b"x" * 2000, "f.yaml:1: file is 2,000 bytes; the limit is 1,000 bytes"),
    ],
    ids=["nul", "latin-1", "too-large"],
)
def test_file_level_errors(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    problems: list[Problem] = []
    result = read_yaml(path, 1000, problems)
    assert result.root is None
    assert [str(p).replace(str(tmp_path) + "/", "") for p in problems] == [expected]


def test_a_byte_order_mark_is_a_warning_and_the_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: A\n")
    problems: list[Problem] = []
    result = read_yaml(path, 1000, problems)
    assert result.root is not None and result.root.items == {"name": "A"}
    assert [p.is_error for p in problems] == [False]


def test_csv_rows_keep_their_lines_and_skip_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "2026-10-01.csv"
    path.write_text('partner,country,note\n\nacme,NL,"two\nlines"\nbeta,SE,x\n')
    problems: list[Problem] = []
    result = read_csv(path, problems)
    assert problems == []
    assert [line for line, _ in result.rows] == [1, 3, 5]
    assert result.rows[1][1] == ("acme", "NL", "two\nlines")


def test_load_content_finds_files_and_reports_misnamed_ones(tmp_path: Path) -> None:
    (tmp_path / "partners").mkdir()
    (tmp_path / "reviews").mkdir()
    (tmp_path / "program.yaml").write_text("site: {}\n")
    (tmp_path / "partners" / "acme.yaml").write_text("name: Acme\n")
    (tmp_path / "partners" / "beta.yml").write_text("name: Beta\n")
    (tmp_path / "partners" / "acme.svg").write_text("<svg/>")
    (tmp_path / "reviews" / "2026-10-01.csv").write_text("partner,country\n")
    (tmp_path / "reviews" / "october.csv").write_text("partner,country\n")
    raw = load_content(tmp_path)
    assert raw.partner_paths == (str(tmp_path / "partners" / "acme.yaml"),)
    assert [r.path for r in raw.reviews] == [str(tmp_path / "reviews" / "2026-10-01.csv")]
    assert list(raw.files) == ["acme.svg"]
    messages = sorted(p.message for p in raw.problems)
    assert messages == [
        "rename to .yaml: partner files end in .yaml",
        "review files are named YYYY-MM-DD.csv, the review date",
    ]


def test_a_symlinked_logo_leaving_the_folder_is_marked_outside(tmp_path: Path) -> None:
    (tmp_path / "partners").mkdir()
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>")
    (tmp_path / "partners" / "evil.svg").symlink_to(secret)
    (tmp_path / "program.yaml").write_text("site: {}\n")
    raw = load_content(tmp_path)
    assert raw.files["evil.svg"].is_link is True
    assert isinstance(raw.program.root, YamlMap)


@pytest.mark.parametrize(
    ("separator", "what"),
    [
        ("\r", "a carriage return without a line feed"),
        ("\x85", "a NEXT LINE character (U+0085)"),
        ("\u2028", "a LINE SEPARATOR character (U+2028)"),
        ("\u2029", "a PARAGRAPH SEPARATOR character (U+2029)"),
    ],
    ids=["cr", "nel", "ls", "ps"],
)
def test_a_line_break_only_yaml_sees_is_an_error_on_the_line_git_shows(
    separator: str, what: str
) -> None:
    # YAML ends a line at these, git and GitHub do not: later keys would be one line off.
    root, problems = parse(f"name: A\n# a{separator}comment\nfoo: 1\n")
    assert root is None
    assert problems == [f"f.yaml:2: contains {what}, which YAML reads as a line break; remove it"]


def test_windows_line_endings_keep_their_lines() -> None:
    root, problems = parse("name: A\r\n\r\nfoo: 1\r\n")
    assert problems == []
    assert root is not None and root.lines == {"name": 1, "foo": 3}


def test_a_syntax_error_at_the_end_points_at_the_last_line() -> None:
    _, problems = parse("name: A\nlist: [1, 2\n")
    assert problems == ["f.yaml:2: YAML syntax: did not find expected ',' or ']'"]


def test_no_symbolic_link_in_content_is_read_wherever_it_leads(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "partners").mkdir(parents=True)
    (content / "reviews").mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("website: secret-token\n")
    (content / "program.yaml").symlink_to(secret)
    (content / "partners" / "leak.yaml").symlink_to(secret)
    (content / "partners" / "acme.yaml").write_text("name: Acme\n")
    (content / "partners" / "alias.yaml").symlink_to("acme.yaml")  # inside: refused all the same
    (content / "partners" / "beta.yml").symlink_to("acme.yaml")
    (content / "partners" / ".hidden").symlink_to("acme.yaml")
    (content / "reviews" / "2026-10-01.csv").symlink_to(secret)
    raw = load_content(content)
    assert [Path(path).name for path in raw.partner_paths] == ["acme.yaml"]
    assert raw.reviews == ()
    assert raw.program.root is None
    link = "is a symbolic link: content files must be plain files, committed as they are"
    assert sorted(str(p).replace(str(content), "content") for p in raw.problems) == [
        f"content/partners/.hidden: {link}",
        f"content/partners/alias.yaml: {link}",
        f"content/partners/beta.yml: {link}",
        f"content/partners/leak.yaml: {link}",
        f"content/program.yaml: {link}",
        f"content/reviews/2026-10-01.csv: {link}",
    ]


@pytest.mark.parametrize("inside", [False, True], ids=["outside", "inside"])
def test_a_linked_partners_folder_is_not_listed(tmp_path: Path, inside: bool) -> None:
    content = tmp_path / "content"
    content.mkdir()
    elsewhere = (content if inside else tmp_path) / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "acme.yaml").write_text("name: Acme\n")
    (content / "partners").symlink_to(elsewhere)
    (content / "program.yaml").write_text("site: {}\n")
    raw = load_content(content)
    assert raw.partner_paths == ()
    assert [p.message for p in raw.problems] == [
        "is a symbolic link: content folders must be plain folders, committed as they are"
    ]


def test_a_review_file_name_must_be_a_date_to_its_end(tmp_path: Path) -> None:
    # `$` matched before a final line feed: "2026-10-01.csv\n" was read as a review.
    (tmp_path / "reviews").mkdir()
    (tmp_path / "program.yaml").write_text("site: {}\n")
    (tmp_path / "reviews" / "2026-10-01.csv\n").write_text("partner,country\n")
    raw = load_content(tmp_path)
    assert raw.reviews == ()
    assert [str(p).replace(str(tmp_path), "content") for p in raw.problems] == [
        "content/reviews/2026-10-01.csv\\n: review files are named YYYY-MM-DD.csv, the review date"
    ]


def test_a_folder_named_like_a_content_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "program.yaml").mkdir()
    (tmp_path / "partners" / "acme.yaml").mkdir(parents=True)
    (tmp_path / "reviews" / "2026-10-01.csv").mkdir(parents=True)
    problems = check_content(tmp_path, date(2026, 11, 24)).problems
    assert sorted(str(p).replace(str(tmp_path), "content") for p in problems) == [
        "content/partners/acme.yaml: is a folder, not a file",
        "content/program.yaml: is a folder, not a file",
        "content/reviews/2026-10-01.csv: is a folder, not a file",
    ]


def test_read_plain_file_refuses_a_link_a_pipe_and_an_oversized_file(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: Acme\n")
    assert read_plain_file(plain, 100) == b"name: Acme\n"
    (tmp_path / "link.yaml").symlink_to(plain)
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")  # read, it would wait for a writer for ever
    for name, message in [
        (
            "link.yaml",
            "is a symbolic link: content files must be plain files, committed as they are",
        ),
        (
            "loop.yaml",
            "is a symbolic link: content files must be plain files, committed as they are",
        ),
        ("pipe.yaml", "is not a plain file (a pipe, socket or device)"),
        ("missing.yaml", "cannot be read: No such file or directory"),
    ]:
        with pytest.raises(UnreadableFile) as raised:
            read_plain_file(tmp_path / name, 100)
        assert (raised.value.line, raised.value.message) == (0, message), name
    with pytest.raises(UnreadableFile) as raised:
        read_plain_file(plain, 5)
    assert (raised.value.line, raised.value.message) == (
        1,
        "file is 11 bytes; the limit is 5 bytes",
    )
