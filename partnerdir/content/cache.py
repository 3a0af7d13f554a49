"""The check's cache of validated partner files: a file whose name and bytes, the programme and
partnerdir's own code are all unchanged since a check that found no problem in it is not read
as YAML nor validated again.

The cache is one JSON file under `.partnerdir-cache/`, safe to delete. It is only ever an
optimisation: an entry whose key does not match, a file that cannot be read or parsed, or a
cache written by another version is ignored, never trusted. What depends on other files (the
logo beside the partner file) is part of the key. The folder and file are never
followed through a symbolic link. Who may write the cache a pull request's check reads is the
workflows' business (docs/running-a-programme.md).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
import tempfile
import typing
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..model import Partner, Program

#: The folder a command uses by default, relative to where it runs (in .gitignore).
DEFAULT_FOLDER = Path(".partnerdir-cache")
#: The file inside it; its format changes with FORMAT.
FILE_NAME = "partners.json"
FORMAT = 2
GITIGNORE = b"# partnerdir's check cache: safe to delete\n*\n"
#: A cache file larger than this is not read (10,000 partners take about 15 MB).
MAX_BYTES = 512 * 1024 * 1024
#: The libraries whose data or parsing a partner file's validation depends on: country and
#: language codes, YAML, Markdown and its cleaning. With Python's own version and Unicode
#: database (invisible characters), their versions are part of the salt.
LIBRARIES = ("pycountry", "PyYAML", "Markdown", "nh3")
#: A stored partner: every field of model.Partner but `id` and `source` (which come from the
#: file's path), by name, so a field added to the model is kept without a change here.
Record = dict[str, object]


@dataclass(slots=True)
class PartnerCache:
    """Validated partner records by key; `used` and `added` hold what this check took or stored."""

    folder: Path
    #: Hash of the format, partnerdir's code and the programme: part of every key.
    salt: str
    stored: dict[str, Record]
    #: Stored records this check took, by key.
    used: dict[str, Record] = field(default_factory=dict)
    #: Listings validated by this check without a problem, by key.
    added: dict[str, Partner] = field(default_factory=dict)

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
        record = self.stored.get(key)
        if record is None:
            return None
        partner = partner_from_record(record, partner_id, source)
        if partner is not None:
            self.used[key] = record
        return partner

    def add(self, new: Mapping[str, Partner]) -> None:
        self.added.update(new)

    def changed(self) -> bool:
        """Whether the file would change: something added, or a stored record not used."""
        return bool(self.added) or self.used.keys() != self.stored.keys()

    def save(self) -> None:
        """Write what this check used and added, unless it is what was read; quietly does
        nothing when the folder cannot be written (a read-only checkout)."""
        if not self.changed():
            return
        entries = {key: _encode(record) for key, record in self.used.items()}
        entries.update((key, _encode(record_of(partner))) for key, partner in self.added.items())
        # The text json.dumps gives for the whole document, one record at a time: keys and salt
        # are hex digests, which need no escaping.
        text = "".join(
            (
                f'{{"format":{FORMAT},"salt":"{self.salt}","partners":{{',
                ",".join(f'"{key}":{entries[key]}' for key in sorted(entries)),
                "}}",
            )
        )
        try:
            _write_file(self.folder, FILE_NAME, text.encode("utf-8"))
        except OSError:
            return


def open_cache(folder: Path, program: Program) -> PartnerCache:
    """The cache in `folder` for checks under `program`; empty when there is none, or when what
    is there is unreadable, a link, or written for other code or another programme."""
    salt = _salt(program)
    stored: dict[str, Record] = {}
    data = _read_file(folder, FILE_NAME)
    if data is not None:
        stored = _parse(data, salt)
    return PartnerCache(folder, salt, stored)


def record_of(partner: Partner) -> Record:
    """What the cache keeps of a listing: its fields but `id` and `source`, tuples as lists."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in _STORED
        for value in (getattr(partner, name),)
    }


def _encode(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def partner_from_record(record: object, partner_id: str, source: str) -> Partner | None:
    """The listing a record of `record_of` holds, or None unless it has exactly the fields of
    model.Partner, each of the type the model gives it."""
    if not isinstance(record, dict) or record.keys() != _STORED.keys():
        return None
    values: dict[str, object] = {}
    for name, kind in _STORED.items():
        value = record[name]
        if kind == "texts":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
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


def _parse(data: bytes, salt: str) -> dict[str, Record]:
    try:
        found = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("salt") != salt:
        return {}
    partners = found.get("partners")
    if not isinstance(partners, dict):
        return {}
    return {key: value for key, value in partners.items() if isinstance(value, dict)}


def _salt(program: Program) -> str:
    """Changes whenever partnerdir's code, the libraries it validates with or the programme
    does: a cached verdict is only as good as the rules and code that gave it."""
    digest = hashlib.sha256(f"partnerdir cache {FORMAT}\0".encode())
    versions = [sys.version, unicodedata.unidata_version]
    versions += [f"{name} {metadata.version(name)}" for name in LIBRARIES]
    digest.update("\0".join(versions).encode() + b"\0")
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(repr(program).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_file(folder: Path, name: str) -> bytes | None:
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


def _write_file(folder: Path, name: str, data: bytes) -> None:
    """Write `folder/name` whole (a temporary file renamed over it); never through a link."""
    try:
        os.mkdir(folder)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise
    else:
        # git then never sees the cache as a change, whatever the repository's .gitignore says
        _write_file(folder, ".gitignore", GITIGNORE)
    if stat.S_ISLNK(os.lstat(folder).st_mode) or not folder.is_dir():
        return
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, folder / name)  # replaces a link itself, never its target
    except BaseException:
        os.unlink(temporary)
        raise
