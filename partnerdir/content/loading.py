"""Read a content folder from disk, safely, keeping the line of every key, value and row."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problem, warning
from .plainyaml import read_plain_mapping
from .safety.characters import file_name_problem
from .yamltree import YamlList, YamlMap, YamlValue

# The C parser when PyYAML was built with libyaml: same events, several times faster.
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

#: Size limits: a partner file is small; anything larger is a mistake or an attack.
MAX_PARTNER_BYTES = 64 * 1024
MAX_PROGRAM_BYTES = 1024 * 1024
MAX_REVIEW_BYTES = 64 * 1024 * 1024
MAX_LOGO_BYTES = 256 * 1024
#: Deeper nesting than any real file needs; checked while parsing, so no RecursionError.
MAX_DEPTH = 32

LOGO_SUFFIXES = (".svg", ".png", ".webp")
#: Line breaks to YAML but not to git, GitHub or most editors.
_ODD_BREAKS = {
    "\r": "a carriage return without a line feed",
    "\x85": "a NEXT LINE character (U+0085)",
    "\u2028": "a LINE SEPARATOR character (U+2028)",
    "\u2029": "a PARAGRAPH SEPARATOR character (U+2029)",
}
_YAML_ONLY_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_REVIEW_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\.csv")
_RULES_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\.yaml")
#: What a content file or folder must not be: it is never read (a link can lead anywhere on
#: the machine running the check), nor copied (GitHub Pages refuses a site holding a link).
LINK_PROBLEM = "is a symbolic link: content files must be plain files, committed as they are"
FOLDER_LINK_PROBLEM = (
    "is a symbolic link: content folders must be plain folders, committed as they are"
)


@dataclass(frozen=True, slots=True)
class YamlFile:
    path: str
    #: The root mapping, or None when the file could not be read as one.
    root: YamlMap | None


@dataclass(frozen=True, slots=True)
class CsvFile:
    path: str
    #: (line, cells) of every row, the header first.
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What validation needs to know of a file beside the partner files (a logo)."""

    name: str
    size: int
    is_file: bool
    #: A symbolic link: never read, never published, wherever it leads.
    is_link: bool
    #: The text of an SVG (to look for script in it); None for other files or oversized ones.
    svg_text: str | None


@dataclass(frozen=True, slots=True)
class RawContent:
    """Everything read from a content folder, before validation, but the partner files."""

    root: str
    program: YamlFile
    #: The partner files, listed and not read: each is read where it is validated, so that its
    #: tree never travels between processes (`checking.check_partner_files`).
    partner_paths: tuple[str, ...]
    reviews: tuple[CsvFile, ...]
    #: Every other file in partners/ by name (logo candidates).
    files: dict[str, FileInfo]
    problems: tuple[Problem, ...]
    #: The dated rules files, content/rules/<date>.yaml, by name.
    rules: tuple[YamlFile, ...] = ()
    #: The review files' paths, by name: those `reviews` holds once they are read.
    review_paths: tuple[str, ...] = ()


def load_content(content_dir: Path, *, reviews_later: bool = False) -> RawContent:
    """Read program.yaml and reviews/*.csv, list partners/*.yaml and the files beside them;
    report what cannot be read or must not be. With `reviews_later`, the review files are
    listed, not read: `read_reviews` reads them when the caller is ready to."""
    problems: list[Problem] = []
    root = str(content_dir)
    program_path = content_dir / "program.yaml"
    program = YamlFile(str(program_path), None)
    if not os.path.lexists(program_path):  # a broken or looping link exists
        problems.append(Problem(str(program_path), 0, "", "missing: every directory needs one"))
    elif program_path.is_symlink():
        problems.append(Problem(str(program_path), 0, "", LINK_PROBLEM))
    else:
        program = read_yaml(program_path, MAX_PROGRAM_BYTES, problems)

    partners_dir = content_dir / "partners"
    partner_paths: list[str] = []
    files: dict[str, FileInfo] = {}
    for entry in _list_dir(partners_dir, problems):
        # entry.path is str(partners_dir / name), without a Path for each of 10,000 files
        name, path = entry.name, entry.path
        if problem := file_name_problem(name):
            problems.append(Problem(path, 0, "", problem))
        elif entry.is_symlink():
            problems.append(Problem(path, 0, "", LINK_PROBLEM))
            if name.endswith(LOGO_SUFFIXES):  # so that a listing naming it says why it cannot
                files[name] = FileInfo(name, 0, False, True, None)
        elif name.endswith(".yaml"):
            partner_paths.append(path)
        elif name.endswith(".yml"):
            problems.append(Problem(path, 0, "", "rename to .yaml: partner files end in .yaml"))
        elif not name.startswith("."):
            files[name] = _file_info(entry)

    review_paths: list[str] = []
    reviews_dir = content_dir / "reviews"
    for entry in _list_dir(reviews_dir, problems):
        name, path = entry.name, entry.path
        if entry.is_symlink():
            problems.append(Problem(path, 0, "", LINK_PROBLEM))
        elif _REVIEW_NAME.fullmatch(name):
            review_paths.append(path)
        elif not name.startswith(".") and name != "README.md":
            problems.append(
                Problem(path, 0, "", "review files are named YYYY-MM-DD.csv, the review date")
            )
    reviews = () if reviews_later else read_reviews(review_paths, problems)
    rules = load_rules_files(content_dir / "rules", problems)
    return RawContent(
        root,
        program,
        tuple(partner_paths),
        reviews,
        files,
        tuple(problems),
        rules,
        tuple(review_paths),
    )


def read_reviews(paths: Sequence[str], problems: list[Problem]) -> tuple[CsvFile, ...]:
    """The review files at `paths`, read; what cannot be read is a problem."""
    return tuple(read_csv(path, problems) for path in paths)


def load_rules_files(rules_dir: Path, problems: list[Problem]) -> tuple[YamlFile, ...]:
    """Read content/rules/<date>.yaml, the dated rules files, by name."""
    rules: list[YamlFile] = []
    for entry in _list_dir(rules_dir, problems):
        name, path = entry.name, rules_dir / entry.name
        if entry.is_symlink():
            problems.append(Problem(str(path), 0, "", LINK_PROBLEM))
        elif _RULES_NAME.fullmatch(name):
            rules.append(read_yaml(path, MAX_PROGRAM_BYTES, problems))
        elif not name.startswith(".") and name != "README.md":
            problems.append(
                Problem(
                    str(path),
                    0,
                    "",
                    "rules files are named YYYY-MM-DD.yaml, the date they take effect",
                )
            )
    return tuple(rules)


def _list_dir(folder: Path, problems: list[Problem]) -> list[os.DirEntry[str]]:
    """The entries of a content folder by name; none, with a problem, when `folder` is a link
    or not a folder; none when it does not exist."""
    shown = str(folder)
    if not os.path.lexists(folder):
        return []
    if folder.is_symlink():
        problems.append(Problem(shown, 0, "", FOLDER_LINK_PROBLEM))
        return []
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except NotADirectoryError:
        problems.append(Problem(shown, 0, "", "must be a folder, not a file"))
    except OSError as error:
        problems.append(Problem(shown, 0, "", f"cannot be read: {error.strerror}"))
    return []


def _file_info(entry: os.DirEntry[str]) -> FileInfo:
    """What validation needs of a plain entry of partners/ (not a link: that is never read)."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return FileInfo(entry.name, 0, False, False, None)
    is_file = stat.S_ISREG(info.st_mode)
    svg_text = None
    if is_file and entry.name.endswith(".svg") and info.st_size <= MAX_LOGO_BYTES:
        try:
            svg_text = read_plain_file(entry.path, MAX_LOGO_BYTES).decode(errors="replace")
        except UnreadableFile:
            is_file = False
    return FileInfo(entry.name, info.st_size, is_file, False, svg_text)


class UnreadableFile(Exception):
    """Why a file cannot be read, worded as a problem's message (`line` 1 for its size)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_plain_file(path: str | Path, limit: int) -> bytes:
    """The bytes of the plain file `path`, at most `limit` of them, or UnreadableFile.

    A symbolic link is never followed (so it is never read, nor copied into the site as a link),
    and a pipe or device never blocks: the file is opened without following a link and without
    waiting, then must be a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile(LINK_PROBLEM) from None
        raise UnreadableFile(f"cannot be read: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a plain file (a pipe, socket or device)")
        if info.st_size > limit:
            raise UnreadableFile(
                f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes", line=1
            )
        chunks = []
        size = 0
        while size <= limit and (chunk := os.read(fd, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise UnreadableFile(f"cannot be read: {error.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew since fstat
        raise UnreadableFile(f"file is over {limit:,} bytes, the limit", line=1)
    return b"".join(chunks)


def read_text(path: str | Path, limit: int, problems: list[Problem]) -> str | None:
    """The file as text, or None with a problem: a link, too large, NUL bytes, not UTF-8."""
    shown = str(path)
    try:
        data = read_plain_file(path, limit)
    except UnreadableFile as error:
        problems.append(Problem(shown, error.line, "", error.message))
        return None
    return decode_text(data, shown, problems)


def decode_text(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    """The bytes of the file `shown` as text, or None with a problem: NUL bytes, not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(warning(shown, 1, "", "starts with a UTF-8 byte order mark; save without"))
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        problems.append(Problem(shown, line, "", "contains a NUL byte; is this a text file?"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            Problem(shown, line, "", f"is not valid UTF-8 (byte 0x{data[error.start]:02x})")
        )
        return None


def read_yaml(path: str | Path, limit: int, problems: list[Problem]) -> YamlFile:
    text = read_text(path, limit, problems)
    if text is None:
        return YamlFile(str(path), None)
    return YamlFile(str(path), parse_yaml(text, str(path), problems))


def yaml_from_bytes(path: str, data: bytes, problems: list[Problem]) -> YamlFile:
    """read_yaml of a file already read (by read_plain_file)."""
    text = decode_text(data, path, problems)
    return YamlFile(path, None if text is None else parse_yaml(text, path, problems))


def parse_yaml(text: str, path: str, problems: list[Problem]) -> YamlMap | None:
    """Build a YamlMap from parser events, rejecting what strict content must not contain.

    Built from events rather than PyYAML's constructor so that no scalar is ever converted
    (`NO` stays "NO"), no alias is ever expanded (no billion laughs) and depth is bounded. A
    file of the plain shape most partner files have is read without the parser, into the same
    tree (content/plainyaml.py).
    """
    # `in` looks for each character a hundred times faster than the expression, which then
    # tells where (0.4 s of CPU over 10,000 partner files, for none found)
    odd_break = _YAML_ONLY_BREAK.search(text) if any(c in text for c in _ODD_BREAKS) else None
    if odd_break:
        # YAML starts a new line here, an editor or GitHub does not: every line after it
        # would be reported one off.
        line = text.count("\n", 0, odd_break.start()) + 1
        what = _ODD_BREAKS[odd_break.group()]
        problems.append(
            Problem(path, line, "", f"contains {what}, which YAML reads as a line break; remove it")
        )
        return None
    plain = read_plain_mapping(text)
    if plain is not None:
        return plain
    return tree_from_events(text, path, problems)


def tree_from_events(text: str, path: str, problems: list[Problem]) -> YamlMap | None:
    """parse_yaml's tree, built from the YAML parser's events, whatever the file's shape."""
    found: list[Problem] = []
    try:
        root = _build_tree(_events(text), path, found)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # At the end of the file the mark is past the last line: point at the last line.
        last = max(1, text.count("\n") + (not text.endswith("\n")))
        line = min(mark.line + 1, last) if mark else 1
        message = error.problem or "not valid YAML"
        source_lines = text.splitlines()
        if line <= len(source_lines) and "\t" in source_lines[line - 1]:
            message = "a tab character; indent YAML with spaces"
        elif (char := _char_at(source_lines, mark)) in ("@", "`"):
            # A GitHub handle written bare: YAML reserves @ and ` at the start of a value.
            message = f'a value cannot start with {char}; put it in quotes: "{char}name"'
        if "nesting depth" in message:
            # libyaml's own bound (it scans ahead of the events), reported as ours
            problems.append(Problem(path, line, "", f"nested more than {MAX_DEPTH} levels deep"))
        else:
            problems.append(Problem(path, line, "", f"YAML syntax: {message}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(path, 1, "", f"YAML syntax: {error}"))
        return None
    problems.extend(found)
    if any(p.is_error for p in found):
        return None
    return root


def _char_at(lines: list[str], mark: Any) -> str:
    """The character a YAML error points at, or "" when the mark is past the text."""
    if mark is None or mark.line >= len(lines):
        return ""
    line: str = lines[mark.line]
    return line[mark.column : mark.column + 1]


def _events(text: str) -> Iterator[Any]:
    """Parser events, pulled straight from the (C) parser: yaml.parse adds a Python layer."""
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if type(event) is yaml.StreamEndEvent:
                return
    finally:
        parser.dispose()


def _build_tree(events: Iterator[Any], path: str, problems: list[Problem]) -> YamlMap | None:
    stack: list[YamlMap | YamlList] = []
    pending_key: list[str | None] = []
    root: YamlValue = None
    documents = 0

    def attach(value: YamlValue, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        parent = stack[-1]
        if isinstance(parent, YamlList):
            parent.items.append(value)
            parent.lines.append(line)
            return
        key = pending_key[-1]
        if key is None:  # this value is a key
            if not isinstance(value, str):
                problems.append(Problem(path, line, "", "keys must be plain text"))
                pending_key[-1] = ""
                return
            pending_key[-1] = value
            if value in parent.items:
                problems.append(Problem(path, line, value, "duplicate key"))
            parent.lines.setdefault(value, line)
            return
        if key and key not in parent.items:
            parent.items[key] = value
        pending_key[-1] = None

    for event in events:
        kind = type(event)
        line = event.start_mark.line + 1
        if (
            kind is yaml.ScalarEvent
            or kind is yaml.MappingStartEvent
            or kind is yaml.SequenceStartEvent
        ):
            if event.anchor is not None:
                problems.append(Problem(path, line, "", "anchors (&name) are not allowed"))
            tag = event.tag
            if tag is not None and tag != "!":
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(path, line, "", f"YAML tags ({shown}) are not allowed"))
            if kind is yaml.ScalarEvent:
                value = event.value
                attach(None if value == "" and event.implicit[0] else value, line)
                continue
            if len(stack) >= MAX_DEPTH:
                problems.append(
                    Problem(path, line, "", f"nested more than {MAX_DEPTH} levels deep")
                )
                return None
            node: YamlMap | YamlList = (
                YamlMap(line) if kind is yaml.MappingStartEvent else YamlList(line)
            )
            attach(node, line)
            stack.append(node)
            pending_key.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            pending_key.pop()
        elif kind is yaml.AliasEvent:
            problems.append(Problem(path, line, "", "aliases (*name) are not allowed"))
            attach(None, line)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                problems.append(Problem(path, line, "", "one YAML document per file, not several"))
                return None
    if documents == 0 or root is None:
        problems.append(Problem(path, 1, "", "the file is empty; it must be a YAML mapping"))
        return None
    if not isinstance(root, YamlMap):
        shape = "a list" if isinstance(root, YamlList) else "a single value"
        problems.append(Problem(path, 1, "", f"the file holds {shape}; it must be a YAML mapping"))
        return None
    return root


def read_csv(path: str | Path, problems: list[Problem]) -> CsvFile:
    text = read_text(path, MAX_REVIEW_BYTES, problems)
    if text is None:
        return CsvFile(str(path), ())
    rows: list[tuple[int, tuple[str, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            stripped = tuple(map(str.strip, cells))
            if any(stripped):
                rows.append((line, stripped))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(str(path), reader.line_num, "", f"CSV syntax: {error}"))
        return CsvFile(str(path), ())
    return CsvFile(str(path), tuple(rows))
