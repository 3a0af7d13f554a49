"""The check's cache of validated partner and review files: a partner file whose name and bytes,
the programme and partnerdir's own code are all unchanged since a check that found no problem in
it is not read as YAML nor validated again; nor is a review file whose path and cells, the
programme with its rules files and the code are unchanged.

The cache is two files under `.partnerdir-cache/`, safe to delete. It is only ever an
optimisation: an entry whose key does not match, a file or record that cannot be read or parsed,
or a cache written by another version is ignored, never trusted. What depends on other files (the
logo beside the partner file) is part of the key. The folder and file are never
followed through a symbolic link. Who may write the cache a pull request's check reads is the
workflows' business (docs/running-a-programme.md).

The partners' file holds a JSON line of its format and salt, then a line per partner file:
its key, a space and the JSON of its record. Each record is read as JSON only when a check
looks it up, and written again as the text it was read from: a check after one edit encodes
one record, not 10,000 (0.01 s to write them against 0.15 s to encode them again).
The reviews' file is one JSON document: each review file's rows by key, field by field
(`rows_record`).
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import json
import marshal
import operator
import os
import re
import stat
import sys
import tempfile
import typing
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..model import Figure, Partner, Program, ReviewRow, Sealed
from .loading import CsvFile

#: The folder a command uses by default, relative to where it runs (in .gitignore).
DEFAULT_FOLDER = Path(".partnerdir-cache")
#: The file inside it; its format changes with FORMAT.
FILE_NAME = "partners.jsonl"
FORMAT = 3
#: The file of formats 1 and 2 (one JSON document), removed when the new one is written.
_OLD_FILE_NAME = "partners.json"
GITIGNORE = b"# partnerdir's check cache: safe to delete\n*\n"
#: A cache file larger than this is not read (10,000 partners take about 21 MB).
MAX_BYTES = 512 * 1024 * 1024
#: The libraries whose data or parsing a partner file's validation depends on: country and
#: language codes, YAML, Markdown and its cleaning. With Python's own version and Unicode
#: database (invisible characters), their versions are part of the salt.
LIBRARIES = ("pycountry", "PyYAML", "Markdown", "nh3")
#: A stored partner: every field of model.Partner but `id` and `source` (which come from the
#: file's path), by name, so a field added to the model is kept without a change here.
Record = dict[str, object]
#: Compact, and ASCII: escaping only what JSON must is two and a half times as slow in CPython
#: (0.10 s against 0.04 s for 10,000 descriptions, 103 of them not ASCII).
_ENCODER = json.JSONEncoder(separators=(",", ":"))


@dataclass(slots=True)
class PartnerCache:
    """Validated partner records by key, each as the JSON text it is stored as; `used` and
    `added` hold what this check took or stored."""

    folder: Path
    #: Hash of the format, partnerdir's code and the programme: part of every key.
    salt: str
    stored: dict[str, bytes]
    #: Stored records this check took, by key.
    used: dict[str, bytes] = field(default_factory=dict)
    #: Records of the listings validated by this check without a problem, by key
    #: (`encode_record`).
    added: dict[str, bytes] = field(default_factory=dict)

    def key(self, file_name: str, data: bytes, beside: str) -> str:
        """The key of a partner file's record: its name, its bytes and `beside`, what its
        validation reads of other files (its logo's), under this cache's salt."""
        digest = hashlib.sha256(self.salt.encode("ascii"))
        for part in (file_name, beside):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def partner(self, key: str, partner_id: str, source: str) -> Partner | None:
        """The cached listing under `key` (marked as used), or None."""
        text = self.stored.get(key)
        if text is None:
            return None
        try:
            record = json.loads(text.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return None
        partner = partner_from_record(record, partner_id, source)
        if partner is not None:
            self.used[key] = text
        return partner

    def add(self, new: Mapping[str, bytes]) -> None:
        """Keep records (`encode_record`) of listings found without a problem, by key."""
        self.added.update(new)

    def changed(self) -> bool:
        """Whether the file would change: something added, or a stored record not used."""
        return bool(self.added) or self.used.keys() != self.stored.keys()

    def save(self) -> None:
        """Write what this check used and added, unless it is what was read; quietly does
        nothing when the folder cannot be written (a read-only checkout)."""
        if not self.changed():
            return
        entries = {**self.used, **self.added}
        head = _ENCODER.encode({"format": FORMAT, "salt": self.salt}).encode("ascii")
        # each line as three pieces, written as they are (write_cache_file)
        pieces = [head + b"\n"]
        for key in sorted(entries):
            pieces += (key.encode("ascii") + b" ", entries[key], b"\n")
        try:
            write_cache_file(self.folder, FILE_NAME, pieces)
            remove_cache_file(self.folder, _OLD_FILE_NAME)
        except OSError:
            return


def open_cache(folder: Path, program: Program) -> PartnerCache:
    """The cache in `folder` for checks under `program`; empty when there is none, or when what
    is there is unreadable, a link, or written for other code or another programme."""
    salt = _salt(program)
    stored: dict[str, bytes] = {}
    data = read_cache_file(folder, FILE_NAME)
    if data is not None:
        stored = _parse(data, salt)
    return PartnerCache(folder, salt, stored)


def record_of(partner: Partner) -> Record:
    """What the cache keeps of a listing: its fields but `id` and `source` (tuples, which
    JSON writes as lists)."""
    return dict(zip(_STORED, _stored_fields(partner), strict=True))


def encode_record(partner: Partner) -> bytes:
    """A listing's record as the cache stores it: compact JSON in ASCII, on one line (JSON
    escapes every line break within a string)."""
    return _ENCODER.encode(record_of(partner)).encode("ascii")


def partner_from_record(record: object, partner_id: str, source: str) -> Partner | None:
    """The listing a record of `record_of` holds, or None unless it has exactly the fields of
    model.Partner, each of the type the model gives it."""
    if not isinstance(record, dict) or record.keys() != _STORED.keys():
        return None
    values: dict[str, object] = {}
    for name, kind in _STORED.items():
        value = record[name]
        if kind == "texts":
            if not isinstance(value, list) or not _TEXT.issuperset(map(type, value)):
                return None
            value = tuple(value)
        elif not (isinstance(value, str) or (kind == "optional" and value is None)):
            return None
        values[name] = value
    return Partner(id=partner_id, source=source, **values)  # type: ignore[arg-type]


def _kinds() -> dict[str, str]:
    """Each stored field of model.Partner and its kind: "text", "optional" or "texts"."""
    kinds = {}
    for name, hint in typing.get_type_hints(Partner).items():
        if name in ("id", "source"):
            continue
        kinds[name] = {str: "text", str | None: "optional", tuple[str, ...]: "texts"}[hint]
    return kinds


_STORED = _kinds()
#: The stored fields' values of a listing, in _STORED's order.
_stored_fields = operator.attrgetter(*_STORED)
#: The type of every entry of a "texts" field (JSON gives no subclass of str).
_TEXT = frozenset({str})


def _parse(data: bytes, salt: str) -> dict[str, bytes]:
    """Each record's text by key, from a file of this format and `salt`; none from another."""
    head, _, body = data.partition(b"\n")
    try:
        found = json.loads(head.decode("utf-8"))
    except (ValueError, RecursionError):
        return {}
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("salt") != salt:
        return {}
    stored: dict[str, bytes] = {}
    for line in body.split(b"\n"):
        key, space, text = line.partition(b" ")
        if space:
            stored[key.decode("ascii", "replace")] = text
    return stored


def _salt(program: Program, kind: str = f"partnerdir cache {FORMAT}") -> str:
    """Changes whenever partnerdir's code, the libraries it validates with or the programme
    does: a cached verdict is only as good as the rules and code that gave it."""
    digest = hashlib.sha256(f"{kind}\0".encode())
    digest.update("\0".join(tool_versions()).encode() + b"\0")
    digest.update(code_digest())
    digest.update(repr(program).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def tool_versions() -> list[str]:
    """Python's version, its Unicode database's and the validating libraries' (LIBRARIES):
    what a validated file's verdict depends on besides partnerdir's code."""
    versions = [sys.version, unicodedata.unidata_version]
    return versions + [f"{name} {installed_version(name)}" for name in LIBRARIES]


def installed_version(name: str) -> str:
    """The version of the installed distribution `name`: the one importlib.metadata gives,
    read from the name of its metadata folder (`PyYAML-6.0.4.dist-info`) on sys.path.
    Importing importlib.metadata takes 15 ms of a command's start, and asking it 4 ms more:
    a tenth of a check of 100 partners. A distribution found no other way is left to it."""
    found = _distributions().get(_distribution_key(name))
    if found is not None:
        return found
    from importlib import metadata

    return metadata.version(name)


@functools.cache
def _distributions() -> dict[str, str]:
    """Distribution key -> version of every metadata folder on sys.path, the first of a name
    winning as importlib.metadata's does."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue  # a zip file, a folder removed since: importlib.metadata reads those
        for entry in entries:
            stem, _, suffix = entry.rpartition(".")
            # name-version.dist-info; name-version[-py3.11[-platform]].egg-info
            parts = stem.split("-")
            if (suffix == "dist-info" or suffix == "egg-info") and len(parts) > 1:
                found.setdefault(_distribution_key(parts[0]), parts[1])
    return found


def _distribution_key(name: str) -> str:
    """A distribution's name as packaging compares them: case, `-`, `_` and `.` aside."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def code_digest() -> bytes:
    """The digest of partnerdir's code, read once a process (the partners' salt and the
    reviews' both need it)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


# --- Review files ------------------------------------------------------------------------------

#: The review files' cache, beside the partners'; its format changes with REVIEWS_FORMAT.
REVIEWS_FILE = "reviews.json"
REVIEWS_FORMAT = 2


@dataclass(slots=True)
class ReviewCache:
    """The rows of review files validated without a problem, by key (`ReviewCache.key`)."""

    folder: Path
    #: Hash of the format, partnerdir's code and the programme with its rules files.
    salt: str
    stored: dict[str, object]
    #: The records this check took or added, by key: what the file keeps.
    kept: dict[str, object] = field(default_factory=dict)

    def key(self, file: CsvFile) -> str:
        """A review file's key: its path (which gives the date) and its cells and lines, all
        that its validation reads besides the programme."""
        digest = hashlib.sha256(self.salt.encode("ascii"))
        digest.update(file.path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(marshal.dumps(file.rows))  # strings, ints and tuples: stable per version
        return digest.hexdigest()

    def rows(self, key: str, file: CsvFile) -> list[ReviewRow] | None:
        """The rows cached under `key`, or None: none there, or a record that is not rows."""
        record = self.stored.get(key)
        found = rows_from_record(record, file.path) if record is not None else None
        if found is not None:
            self.kept[key] = record
        return found

    def add(self, key: str, file: CsvFile, rows: list[ReviewRow]) -> None:
        """Keep the rows of `file`, validated without a problem, under `key`."""
        metrics = list(file.rows[0][1][2:])  # the header's, in its order
        known = set(metrics)
        if all(row.figures.keys() <= known for row in rows):
            self.kept[key] = rows_record(rows, metrics)

    def changed(self) -> bool:
        """Whether the file would change: a record added, or a stored one not used."""
        return self.kept != self.stored

    def save(self) -> None:
        """Write the records this check used or added, unless they are what was read; quietly
        does nothing when the folder cannot be written."""
        if not self.changed():
            return
        # the files by key; each file's figures keep their order (the header's)
        reviews = {key: self.kept[key] for key in sorted(self.kept)}
        text = json.dumps(
            {"format": REVIEWS_FORMAT, "salt": self.salt, "reviews": reviews},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        try:
            write_cache_file(self.folder, REVIEWS_FILE, text.encode("utf-8", "surrogateescape"))
        except OSError:
            return


def open_review_cache(folder: Path, program: Program) -> ReviewCache:
    """The review files' cache in `folder` for `program` (its rules files included); empty
    when there is none, or what is there is unreadable, a link, or for other code or rules."""
    salt = _salt(program, f"partnerdir reviews {REVIEWS_FORMAT}")
    stored: dict[str, object] = {}
    data = read_cache_file(folder, REVIEWS_FILE)
    if data is not None:
        try:
            found = json.loads(data)
        except (ValueError, RecursionError):
            found = None
        if (
            isinstance(found, dict)
            and found.get("format") == REVIEWS_FORMAT
            and found.get("salt") == salt
            and isinstance(found.get("reviews"), dict)
        ):
            stored = found["reviews"]
    return ReviewCache(folder, salt, stored)


def rows_record(rows: list[ReviewRow], metrics: list[str]) -> Record:
    """What the cache keeps of a review file's rows, field by field: the partners, countries
    and lines, and each metric's figures (`metrics`, the header's order) with null for an
    empty cell, a seal as [lower, lower inclusive, upper, upper inclusive].

    Column by column rather than a list and a mapping per row: under half the bytes, and
    encoded and parsed two to three times as fast (34,554 rows: 3.2 MB against 7.5 MB, 0.05 to
    0.07 s against 0.11 to 0.22 s to encode, 0.02 to 0.05 s against 0.06 to 0.09 s to parse).
    """

    def cell(value: Figure | None) -> object:
        if isinstance(value, Sealed):
            return [value.lower, value.lower_inclusive, value.upper, value.upper_inclusive]
        return value

    def column(metric: str) -> object:
        values = [row.figures.get(metric) for row in rows]
        # most columns hold no seal: each cell looked at once, not through a call each
        return [cell(value) for value in values] if Sealed in set(map(type, values)) else values

    return {
        "partners": [row.partner for row in rows],
        "countries": [row.country for row in rows],
        "lines": [row.line for row in rows],
        "figures": {metric: column(metric) for metric in metrics},
    }


def rows_from_record(record: object, path: str) -> list[ReviewRow] | None:
    """The rows a record of `rows_record` holds for the review file `path`, or None unless
    it is exactly of that shape, every column as long as the partners'."""
    if not isinstance(record, dict) or record.keys() != _ROWS_RECORD:
        return None
    partners, countries, lines = record["partners"], record["countries"], record["lines"]
    columns = record["figures"]
    if not (
        isinstance(partners, list)
        and isinstance(countries, list)
        and isinstance(lines, list)
        and isinstance(columns, dict)
        and len(partners) == len(countries) == len(lines)
        and _TEXT.issuperset(map(type, partners))
        and _TEXT.issuperset(map(type, countries))
        and _LINE.issuperset(map(type, lines))
    ):
        return None
    try:
        review_date = dt.date.fromisoformat(PurePosixPath(path.replace("\\", "/")).stem)
    except ValueError:
        return None
    seals: dict[tuple[object, ...], Sealed] = {}
    figures_by_metric: list[tuple[str, list[Figure | None]]] = []
    for metric, values in columns.items():
        if not isinstance(values, list) or len(values) != len(partners):
            return None
        kinds = set(map(type, values))
        if not _CELL.union((list,)).issuperset(kinds):
            return None
        cells: list[Figure | None] = list(values)
        if list in kinds:
            for at, value in enumerate(values):
                if type(value) is list:
                    seal = _seal(value, seals)
                    if seal is None:
                        return None
                    cells[at] = seal
        figures_by_metric.append((metric, cells))
    return [
        ReviewRow(
            partner,
            review_date,
            country,
            {metric: cells[at] for metric, cells in figures_by_metric if cells[at] is not None},
            path,
            line,
        )
        for at, (partner, country, line) in enumerate(zip(partners, countries, lines, strict=True))
    ]


#: The fields of a review file's record (`rows_record`).
_ROWS_RECORD = frozenset({"partners", "countries", "lines", "figures"})
#: The type of a line number (JSON gives no bool for a number, but a forged record could).
_LINE = frozenset({int})
#: The types of a figure, or null for an empty cell (a seal is a list).
_CELL = frozenset({int, float, str, bool, type(None)})


def _seal(bounds: list[object], seals: dict[tuple[object, ...], Sealed]) -> Sealed | None:
    """The seal of [lower, lower inclusive, upper, upper inclusive] (one made before for the
    same bounds, from `seals`), or None unless the bounds are of those types."""
    if len(bounds) != 4:
        return None
    lower, lower_inclusive, upper, upper_inclusive = bounds
    if not (
        (lower is None or type(lower) is float)
        and (upper is None or type(upper) is float)
        and type(lower_inclusive) is bool
        and type(upper_inclusive) is bool
    ):
        return None
    key = (lower, lower_inclusive, upper, upper_inclusive)
    found = seals.get(key)
    if found is None:
        found = seals[key] = Sealed(lower, lower_inclusive, upper, upper_inclusive)
    return found


def read_cache_file(folder: Path, name: str) -> bytes | None:
    """The file's bytes, or None: missing, too large, or the folder or file a link."""
    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return None
        fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def remove_cache_file(folder: Path, name: str) -> None:
    """Remove `folder/name` if it is there (a link itself, never its target)."""
    if stat.S_ISLNK(os.lstat(folder).st_mode):
        return
    try:
        os.unlink(folder / name)
    except FileNotFoundError:
        pass


def write_cache_file(folder: Path, name: str, data: bytes | Sequence[bytes]) -> None:
    """Write `folder/name` whole (a temporary file renamed over it), `data` or its pieces one
    after the other; never through a link."""
    try:
        os.mkdir(folder)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise
    else:
        # git then never sees the cache as a change, whatever the repository's .gitignore says
        write_cache_file(folder, ".gitignore", GITIGNORE)
    if stat.S_ISLNK(os.lstat(folder).st_mode) or not folder.is_dir():
        return
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                _write_pieces(file, data)
        os.replace(temporary, folder / name)  # replaces a link itself, never its target
    except BaseException:
        os.unlink(temporary)
        raise


def _iov_max() -> int:
    """The most pieces one writev takes: the system's limit (1,024 on Linux), or the least
    POSIX guarantees (16) when it gives none or cannot say."""
    limit = os.sysconf("SC_IOV_MAX") if "SC_IOV_MAX" in getattr(os, "sysconf_names", {}) else -1
    return max(limit, 16)


_IOV_MAX = _iov_max()


def _write_pieces(file: typing.BinaryIO, pieces: Sequence[bytes]) -> None:
    """Write `pieces` in order, as they are: the 10,000 records of a cold check joined into
    one 21 MB bytes first cost 0.07 to 0.12 s (mostly the new memory's page faults), written
    with writev 0.016 s."""
    if not hasattr(os, "writev"):
        file.write(b"".join(pieces))
        return
    file.flush()  # (nothing written yet: writev goes around the buffer)
    for start in range(0, len(pieces), _IOV_MAX):
        batch = pieces[start : start + _IOV_MAX]
        written = os.writev(file.fileno(), batch)
        rest = sum(map(len, batch)) - written
        if rest:  # a short write: the rest of this batch through the buffer, flushed at once
            file.write(b"".join(batch)[written:])
            file.flush()
