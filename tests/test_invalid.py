"""Hostile and broken content: each case in tests/invalid/ prints exactly its expected lines.

A case folder holds only what differs from the valid directory in tests/invalid/_base/:
files that replace or add to it, a `DELETE` file listing base files to remove (one path a
line), and `expected.txt`: comment lines starting with `#`, then `exit N`, then every line
`check --content content --today 2026-11-24` prints. Files that are binary, huge or symlinks
are written by a generator below, keyed by the case name, so the repository holds no such file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from paths import BUILD_DATE, INVALID, ROOT
from scanner import relative_urls, scan_html, tags_outside, unsafe_parts

from partnerdir.cli import main
from partnerdir.content.checking import Checked, check_content
from partnerdir.content.loading import MAX_LOGO_BYTES, MAX_PARTNER_BYTES
from partnerdir.markup import ALLOWED_TAGS, render_markdown
from partnerdir.model import SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages

CASES = INVALID
BASE = CASES / "_base"
TODAY = BUILD_DATE.isoformat()
#: The script pages built at https://partners.example.com/ load: the search, nothing else.
OWN_SCRIPTS = frozenset({"/static/search.js", "/static/copy.js"})
#: Files of a case folder that describe the case rather than belong to its content.
META = ("expected.txt", "DELETE")
#: Each case, load, validate, evaluate and print included, stays under this (the issue's bar).
TIME_LIMIT = 1.0


def _partner(partner_id: str, **fields: str) -> str:
    """A valid partner file, with some fields replaced (their text written as is)."""
    values = {
        "name": f"Partner {partner_id}",
        "website": f"https://{partner_id}.example",
        "description": "A partner.",
        "countries": "[NL]",
        "programs": "[integrator]",
        "maintainers": '["@partner-dev"]',
        **fields,
    }
    return "".join(f"{key}: {value}\n" for key, value in values.items())


def _bytes_and_size(content: Path) -> None:
    partners = content / "partners"
    (partners / "latin1.yaml").write_bytes(_partner("latin1").encode() + b"tagline: Caf\xe9\n")
    (partners / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + _partner("bom").encode())
    (partners / "nul.yaml").write_bytes(b"name: Nul\nwebsite: https://nul.example\x00\n")
    # One byte over the limit, and otherwise a valid file: the size alone is the problem.
    padding = MAX_PARTNER_BYTES + 1 - len(_partner("huge", description="").encode())
    (partners / "huge.yaml").write_text(_partner("huge", description="x" * padding))


def _deep_nesting(content: Path) -> None:
    partners = content / "partners"
    depth = 10_000
    (partners / "flow-lists.yaml").write_text("countries: " + "[" * depth + "]" * depth + "\n")
    (partners / "flow-maps.yaml").write_text("countries: " + "{a: " * depth + "}" * depth + "\n")
    (partners / "block-lists.yaml").write_text("countries:\n  " + "- " * depth + "NL\n")


#: Descriptions of the pathological Markdown case, by partner id.
PATHOLOGICAL = {
    "brackets": "[" * 100_000,
    "megabyte": "word " * 200_000,
    "brackets-10k": "[" * 10_000,
    "brackets-4k": "[" * 4_900,
    "nested-lists": "- " * 1_000 + "x",
    "nested-quotes": ">" * 4_000 + " x",
}


def _pathological_markdown(content: Path) -> None:
    for partner_id, text in PATHOLOGICAL.items():
        path = content / "partners" / f"{partner_id}.yaml"
        path.write_text(_partner(partner_id, description="|\n  " + text))


def _logo_paths(content: Path) -> None:
    partners = content / "partners"
    outside = content.parent / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (partners / "linked.svg").symlink_to(Path("..") / ".." / "outside.svg")
    (partners / "oversized.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES)


def _ids(content: Path) -> None:
    # Written here, not kept in git: a case-insensitive checkout could not hold both files.
    partners = content / "partners"
    if (partners / "ACME.yaml").exists():
        pytest.skip("this file system does not tell ACME.yaml from acme.yaml")
    (partners / "ACME.yaml").write_bytes((partners / "acme.yaml").read_bytes())


def _links_out_of_content(content: Path) -> None:
    # Files of the machine the check runs on: a pull request must not make the check print them.
    root = content.parent
    (root / "secret.yaml").write_text("website: not-a-real-token-but-secret\n")
    (root / "secret.csv").write_text("partner,country\nnot-a-real-token-but-secret,NL\n")
    (content / "partners" / "leak.yaml").symlink_to(Path("..") / ".." / "secret.yaml")
    (content / "reviews" / "2026-11-01.csv").symlink_to(Path("..") / ".." / "secret.csv")


def _linked_codeowners(content: Path) -> None:
    # The check compares .github/CODEOWNERS with the listings once the content is valid.
    root = content.parent
    (root / "secret.txt").write_text("not-a-real-token-but-secret @someone\n")
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").symlink_to(Path("..") / "secret.txt")


def _yaml_only_line_breaks(content: Path) -> None:
    # Line breaks to YAML, not to git or GitHub: every later line would be reported one off.
    for partner_id, sep in [("nel", "\x85"), ("ls", "\u2028"), ("ps", "\u2029"), ("cr", "\r")]:
        text = _partner(partner_id, name=f"Partner # with a{sep}line break in a comment")
        (content / "partners" / f"{partner_id}.yaml").write_text(text, newline="")


def _output_injection(content: Path) -> None:
    # A file name that is not UTF-8: printed with a strict UTF-8 stdout, it raised an error.
    name = os.fsencode(content / "partners") + b"/caf\xe9.yaml"
    try:
        with open(name, "wb") as file:
            file.write(_partner("cafe").encode())
    except OSError:  # macOS (APFS) refuses such names
        pytest.skip("this file system refuses file names that are not UTF-8")


_SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'


def _symlinks_inside_content(content: Path) -> None:
    # Links that stay inside content/ were followed: the logo reached the site as a link (which
    # GitHub Pages refuses to publish) and the partner file was listed twice.
    partners = content / "partners"
    (partners / "real.svg").write_text(_SVG)
    (partners / "acme.svg").symlink_to("real.svg")
    (partners / "alias.yaml").symlink_to("acme.yaml")
    (content / "reviews" / "2026-11-01.csv").symlink_to("2026-10-01.csv")


def _rules_file_names(content: Path) -> None:
    # Issue 13, item 1: a rules file is read like program.yaml; a link is never followed.
    (content / "rules" / "2027-05-01.yaml").symlink_to("2027-02-30.yaml")


def _linked_program_and_folder(content: Path) -> None:
    (content / "program.yaml").rename(content / "rules.yaml")
    (content / "program.yaml").symlink_to("rules.yaml")
    (content / "reviews").rename(content / "figures")
    (content / "reviews").symlink_to("figures")


def _symlink_loops(content: Path) -> None:
    # A loop made the check end in a traceback (a logo) or report "cannot be read" (a listing).
    partners = content / "partners"
    (partners / "a.yaml").symlink_to("b.yaml")
    (partners / "b.yaml").symlink_to("a.yaml")
    (partners / "self.svg").symlink_to("self.svg")
    (content / "reviews" / "2026-11-01.csv").symlink_to("2026-11-01.csv")


def _files_for_folders(content: Path) -> None:
    for folder in ("partners", "reviews"):
        shutil.rmtree(content / folder)
        (content / folder).write_text("not a folder\n")


#: File names in partners/ that hide what they hold, by what they hide.
ODD_FILE_NAMES = [
    "line\nfeed.yaml",
    "acme\n.yaml",
    "tab\tbed.yaml",
    "bell\x07.yaml",
    "zero\u200bwidth.yaml",
    "no\u00a0break.svg",
    "hangul\u3164filler.png",
    "line\u2028separator.yaml",
]


def _file_names(content: Path) -> None:
    for name in ODD_FILE_NAMES:
        (content / "partners" / name).write_text(
            _partner("odd") if name.endswith(".yaml") else _SVG
        )
    (content / "partners" / "plain space.yaml").write_text(_partner("plain"))


GENERATORS: dict[str, Callable[[Path], None]] = {
    "06-bytes-and-size": _bytes_and_size,
    "08-deep-nesting": _deep_nesting,
    "13-pathological-markdown": _pathological_markdown,
    "14-logo-paths": _logo_paths,
    "15-ids": _ids,
    "18-linked-codeowners": _linked_codeowners,
    "19-yaml-only-line-breaks": _yaml_only_line_breaks,
    "20-output-injection": _output_injection,
    "23-symlinks-inside-content": _symlinks_inside_content,
    "24-linked-program-and-folder": _linked_program_and_folder,
    "25-symlink-loops": _symlink_loops,
    "26-files-for-folders": _files_for_folders,
    "27-file-names": _file_names,
    "31-links-out-of-content": _links_out_of_content,
    "35-rules-file-names": _rules_file_names,
}


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def make_case(name: str, root: Path) -> Path:
    """The base, with the case's files laid over it, in `root`/content; returns that folder."""
    content = root / "content"
    shutil.copytree(BASE, content)
    case = CASES / name
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_file() and str(relative) not in META:
            target = content / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    deleted = case / "DELETE"
    if deleted.is_file():
        for line in deleted.read_text().splitlines():
            if line.strip():
                (content / line.strip()).unlink()
    if name in GENERATORS:
        GENERATORS[name](content)
    return content


def read_expected(name: str) -> tuple[int, list[str]]:
    lines = [
        line
        for line in (CASES / name / "expected.txt").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert lines and lines[0].startswith("exit "), f"{name}/expected.txt starts with 'exit N'"
    return int(lines[0].removeprefix("exit ")), lines[1:]


def test_case_numbers_are_unique() -> None:
    numbers = [name.split("-", 1)[0] for name in case_names()]
    assert len(numbers) >= 32 and all(re.fullmatch(r"\d\d", n) for n in numbers), numbers
    assert sorted({n for n in numbers if numbers.count(n) > 1}) == []


def test_every_case_has_an_expected_file_and_only_content_files() -> None:
    names = case_names()
    assert names, "no cases found"
    assert set(GENERATORS) <= set(names)
    for name in names:
        assert (CASES / name / "expected.txt").is_file(), name
        for path in (CASES / name).rglob("*"):
            first = path.relative_to(CASES / name).parts[0]
            assert first in (*META, "program.yaml", "partners", "reviews", "rules"), path


@pytest.mark.parametrize("name", case_names())
def test_case_prints_exactly_its_expected_lines(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_case(name, tmp_path)
    code, expected = read_expected(name)
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    result = main(["check", "--content", "content", "--today", TODAY])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert out.splitlines() == expected
    assert err == ""
    assert result == code
    assert elapsed < TIME_LIMIT, f"{name}: {elapsed:.2f}s"


@pytest.mark.parametrize(
    "name",
    [
        "03-anchors-and-aliases",
        "08-deep-nesting",
        "20-output-injection",
        "25-symlink-loops",
        "26-files-for-folders",
        "27-file-names",
        "31-links-out-of-content",
    ],
)
def test_the_command_prints_no_traceback(name: str, tmp_path: Path) -> None:
    make_case(name, tmp_path)
    code, expected = read_expected(name)
    # A strict UTF-8 stdout, as on a developer's machine: C.UTF-8 would hide encoding errors.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", "content", "--today", TODAY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == expected
    assert result.returncode == code


@pytest.mark.parametrize("command", ["build", "report"])
@pytest.mark.parametrize(
    "name",
    [
        "23-symlinks-inside-content",
        "24-linked-program-and-folder",
        "25-symlink-loops",
        "26-files-for-folders",
        "27-file-names",
    ],
)
def test_build_and_report_refuse_such_content_without_a_traceback(
    name: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_case(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    out = ["--out", "site"] if command == "build" else []
    assert main([command, "--content", "content", "--today", TODAY, *out]) == 1
    assert "Traceback" not in "".join(capsys.readouterr())
    assert not os.path.lexists(tmp_path / "site")


@pytest.mark.parametrize("output", ["text", "github"])
def test_a_private_cell_is_never_repeated(
    output: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Case 22's private cells all hold 412,345 some way: no line of the check, and no GitHub
    annotation (public on a pull request) or step summary, repeats one."""
    make_case("22-private-figures", tmp_path)
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = main(["check", "--content", "content", "--today", TODAY, "--format", output])
    out, err = capsys.readouterr()
    assert result == 1 and out.count("revenue") == 7
    printed = out + err + (summary.read_text() if summary.exists() else "")
    assert "412" not in printed


def checked_site(name: str, root: Path) -> tuple[Checked, dict[str, str]]:
    """A case the check accepts, and every page rendered from it (path -> HTML)."""
    checked = check_content(make_case(name, root), date.fromisoformat(TODAY))
    assert checked.directory is not None and checked.evaluation is not None
    options = SiteOptions("https://partners.example.com/", date.fromisoformat(TODAY))
    pages = plan_pages(checked.directory, checked.evaluation, options)
    files = render_pages(pages, make_environment())
    return checked, {path: data.decode() for path, data in files.items()}


def test_strict_scalars_stay_the_text_written(tmp_path: Path) -> None:
    checked = check_content(make_case("01-strict-scalars", tmp_path), date.fromisoformat(TODAY))
    assert checked.directory is not None
    partners = {p.id: p for p in checked.directory.partners}
    assert partners["fjord"].countries == ("NO", "SE")  # Norway, not false
    assert partners["fjord"].languages == ("no", "en")  # Norwegian
    assert partners["yes-corp"].name == "yes"
    assert partners["zero-ten"].name == "010"
    assert partners["half-past"].name == "12:30"
    assert partners["no-date"].name == "2026-02-30"


def unsafe(html: str, *, allowed_tags: frozenset[str] | None = None) -> list[str]:
    """What the output scanner finds in `html` that could run script or load something, and
    every link a browser would resolve against the page's own address (pages link from the
    root); with `allowed_tags`, any other tag."""
    scan = scan_html(html)
    found = unsafe_parts(scan, OWN_SCRIPTS) + relative_urls(scan)
    if allowed_tags is not None:
        found += tags_outside(scan, allowed_tags)
    return found


def test_script_in_a_description_never_reaches_the_page(tmp_path: Path) -> None:
    checked, files = checked_site("10-script-in-description", tmp_path)
    assert checked.directory is not None
    description = {p.id: p.description for p in checked.directory.partners}["acme"]
    html = render_markdown(description)
    assert unsafe(html, allowed_tags=ALLOWED_TAGS) == []
    # The attacks show as text, so the partner sees what it wrote; the page uses this HTML.
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html
    assert html in files["partners/acme/index.html"]
    for path, page in files.items():
        assert unsafe(page) == [], path


def test_template_syntax_in_partner_text_is_shown_not_run(tmp_path: Path) -> None:
    _, files = checked_site("12-template-in-name", tmp_path)
    profile = files["partners/acme/index.html"]
    assert "<h1>&#34;Acme&#34; &lt;b&gt;Data&lt;/b&gt; {{ 7*7 }} {% raw %}${7*7}</h1>" in profile
    assert "<p>Templates {{ 7*7 }} and {% if true %}tags{% endif %} are text here.</p>" in profile
    for path, page in files.items():
        assert "<b>Data</b>" not in page, path
        assert unsafe(page) == [], path


@pytest.mark.parametrize("partner_id", sorted(PATHOLOGICAL))
def test_pathological_markdown_renders_in_under_a_second(partner_id: str) -> None:
    # The check rejects the largest ones; the renderer must cope with them all the same.
    start = time.perf_counter()
    html = render_markdown(PATHOLOGICAL[partner_id])
    assert time.perf_counter() - start < TIME_LIMIT
    assert unsafe(html, allowed_tags=ALLOWED_TAGS) == []


def test_checking_named_files_survives_a_symlink_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check FILES` matched problems to files with Path.resolve(), which raised on a loop."""
    make_case("25-symlink-loops", tmp_path)
    monkeypatch.chdir(tmp_path)
    fjord = "content/partners/fjord.yaml"
    assert main(["check", "--content", "content", "--today", TODAY, fjord]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{fjord}:8: logo: 'self.svg' is not this listing's own logo: name the file fjord.svg, "
        "fjord.png or fjord.webp"
    )
