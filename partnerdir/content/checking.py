"""Check a content folder: load, validate and evaluate, with every problem found on the way."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import operator
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import countries, parallel
from ..levels import evaluate_levels
from ..model import Directory, Evaluation, Listing, Partner, Program, ReviewRow
from ..problems import Problem, sort_problems, warning
from .ahead import Foreseen, evaluate_ahead
from .cache import PartnerCache, encode_record, open_cache, open_review_cache
from .crossfile import validate_content, validate_reviews
from .loading import (
    LOGO_SUFFIXES,
    MAX_PARTNER_BYTES,
    RawContent,
    UnreadableFile,
    load_content,
    read_plain_file,
    read_reviews,
    read_yaml,
    yaml_from_bytes,
)
from .partner import PartnerFiles, file_id, validate_partner
from .program import validate_program, validate_rules_files


@dataclass(frozen=True, slots=True)
class Checked:
    """What `check` found: problems, and the evaluated directory when there is no error."""

    problems: list[Problem]
    directory: Directory | None
    evaluation: Evaluation | None
    partner_files: int
    review_files: int
    #: The content as loaded (program.yaml and review files read, partner files listed, the
    #: files beside them): what serve re-checks an edited partner file against, and what the
    #: pull-request check reads the review files from. None once a caller is done with it.
    loaded: RawContent | None = None
    #: The dated rules files, content/rules/<date>.yaml.
    rules_files: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


def check_content(content: Path, today: date, cache: Path | None = None) -> Checked:
    """Load, validate and evaluate `content`; every problem found on the way.

    With `cache` (a folder, `.partnerdir-cache` for the commands), partner and review files
    validated without a problem by an earlier check, under the same programme and code, are
    not validated again (content/cache.py).
    """
    with _without_cycle_collection():
        return _check_content(content, today, cache)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The check makes about a million small objects and drops next to none in a cycle: the
    cycle collector, run every 700 allocations over ever older generations, only costs time
    (a third of a cached check's CPU time at 10,000 partners). It runs as before afterwards,
    with what the check made moved to the oldest generation first: else the first collection
    after it scans all of it as young (0.06 s after a cold check of 10,000 partners), to keep
    nearly all of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():  # (unfreeze would also release what a caller froze)
            # freeze and unfreeze: every tracked object into the oldest generation, at no cost
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _check_content(content: Path, today: date, cache: Path | None) -> Checked:
    raw = load_content(content, reviews_later=True)
    problems = list(raw.problems)
    program = validate_program(raw.program, problems)
    dated = validate_rules_files(raw.rules, program, problems)
    # Without a valid programme the vocabularies are not checked: nothing to cache then.
    store = open_cache(cache, program) if cache is not None and program is not None else None
    rules = dated or program
    reviews = open_review_cache(cache, rules) if cache is not None and rules is not None else None
    rows: list[ReviewRow] = []
    foreseen: list[Foreseen] = []

    def ahead(cached: Mapping[str, Partner]) -> None:
        # The review files do not depend on the partner files, and the levels only on which of
        # them are valid and a few names: this process reads and validates the reviews and
        # evaluates the levels while the other processes check partner files.
        nonlocal raw
        unread: list[Problem] = []
        reviews_read = read_reviews(raw.review_paths, unread)
        # as load_content gives them read: their problems among the content's as loaded
        raw = dataclasses.replace(raw, reviews=reviews_read, problems=raw.problems + tuple(unread))
        problems.extend(unread)
        rows.extend(validate_reviews(raw, rules, problems, reviews))
        if reviews is not None:
            reviews.save()
        if rules is not None and not any(p.is_error for p in problems):
            paths = {file_id(path): path for path in raw.partner_paths}

            def name_of(partner_id: str) -> str | None:
                return _partner_name(paths[partner_id], raw, program, cached)

            shown = rules.rules_on(today)  # the programme validate_content gives the directory
            foreseen.append(evaluate_ahead(shown, paths, rows, today, name_of))

    review_rows = sum(map(_size, raw.review_paths)) // REVIEW_ROW_BYTES
    partners = check_partner_files(raw, program, store, (ahead, review_rows))
    if store is not None:
        # each record was encoded where its file was checked: this joins and writes them
        store.save()
    problems += partners.problems
    directory = validate_content(raw, rules, partners, rows, today, problems)
    evaluation = None
    if directory is not None:
        if foreseen and foreseen[0].holds_for(directory):
            evaluation = foreseen[0].evaluation
        else:
            evaluation = evaluate_levels(
                directory.program,
                (p.id for p in directory.partners),
                directory.rows,
                today,
                {p.id: p.name for p in directory.partners},
            )
        problems += _expiry_warnings(directory, evaluation)
    return Checked(
        sort_problems(problems),
        directory,
        evaluation,
        len(raw.partner_paths),
        len(raw.reviews),
        raw,
        rules_files=len(raw.rules),
    )


def _size(path: str) -> int:
    """The size of the file at `path` in bytes; 0 if it cannot be found (reading it says why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _partner_name(
    path: str, raw: RawContent, program: Program | None, cached: Mapping[str, Partner]
) -> str | None:
    """The name the partner file `path` gives, as its check finds it: from the cache, else
    validated here; None when it is not valid."""
    partner = cached.get(path)
    if partner is None:
        partner = validate_partner(read_yaml(path, MAX_PARTNER_BYTES, []), program, raw, [])
    return partner.name if partner is not None else None


#: PartnerCache.key: (file name, bytes, what it reads beside) -> key.
Key = Callable[[str, bytes, str], str]

#: Partner files per extra process: below this a second process costs more than it saves.
FILES_PER_PROCESS = 200
#: Review rows validated and evaluated in the time a partner file is checked (7 and 8.5 µs a row,
#: 130 µs a file, at 10,000 partners): what this process does before it checks partner files
#: counts as that many more files when choosing how many processes share them.
ROWS_PER_FILE = 8
#: The bytes of a review row, about (60 to 76 in the example's review files, 64 to 68 in the
#: benchmark's): how many rows the review files hold before they are read.
REVIEW_ROW_BYTES = 65
#: Partner files a process checks at a time before it takes more (parallel.map_chunks): about
#: 5 ms of work, so that the processes end that close together.
CHUNK_FILES = 32


def check_partner_files(
    raw: RawContent,
    program: Program | None,
    cache: PartnerCache | None = None,
    beside: tuple[Callable[[Mapping[str, Partner]], None], int] | None = None,
) -> PartnerFiles:
    """Read and validate every partner file, in chunks shared among `_parts()` processes, each
    taking the next chunk as it is free: the listings and problems each chunk's process finds,
    and no parsed tree sent between processes.

    With a cache, the files it holds are taken from it and only the others are validated; those
    found without a problem are added to it. `beside` is other work, given the listings taken
    from the cache, and how many review rows it reads: this process does it first, while the
    others start on the partner files.
    """
    paths = raw.partner_paths
    cached: dict[str, Partner] = {}
    read: dict[str, bytes] = {}
    if cache is not None and cache.stored:  # else each process reads its own share
        cached, read = _from_cache(paths, raw, cache)
    todo = [path for path in paths if path not in cached]
    work, rows = beside if beside is not None else (None, 0)
    processes = _parts(len(todo) + rows // ROWS_PER_FILE)
    # The job travels with the function: a forked worker inherits it, nothing is pickled.
    key = cache.key if cache is not None else None

    def check_chunk(chunk: Sequence[str]) -> _Share:
        files, records = _check_files(chunk, raw, program, read, key)
        return _Share(files.partners, files.problems, files.parsed, records)

    if processes > 1:
        # the code tables every process needs, read here once rather than in each process
        # (ISO 639's 7,900 languages: 0.06 s)
        countries.all_countries()
        countries.all_languages()
    first = functools.partial(work, cached) if work is not None else None
    results = parallel.map_chunks(check_chunk, todo, processes, CHUNK_FILES, first)
    found = {partner.source: partner for result in results for partner in result.listings}
    if cache is not None:
        for result in results:
            cache.add(result.records)
    found.update(cached)
    return PartnerFiles(
        tuple(found[path] for path in paths if path in found),
        tuple(problem for result in results for problem in result.problems),
        frozenset(cached).union(*(result.parsed for result in results)),
    )


#: A listing's fields in order: another process sends each listing as their tuple, which
#: pickles and unpickles about twice as fast as the record, whose slots go through Python one by
#: one (6,000 listings: 0.08 s both ways, against 0.15 to 0.20 s).
_FIELDS = operator.attrgetter(*(field.name for field in dataclasses.fields(Partner)))


@dataclass(frozen=True, slots=True)
class _Share:
    """What a process found in a chunk of the partner files: the listings, the problems, the
    files read as a mapping, and the cache key -> record of each file without a problem."""

    listings: tuple[Partner, ...]
    problems: tuple[Problem, ...]
    parsed: frozenset[str]
    records: dict[str, bytes]

    def __reduce__(self) -> tuple[Callable[..., _Share], tuple[object, ...]]:
        # from another process, each listing as the tuple of its fields (_FIELDS)
        fields = tuple(map(_FIELDS, self.listings))
        return _received_share, (fields, self.problems, self.parsed, self.records)


def _received_share(
    fields: tuple[tuple[object, ...], ...],
    problems: tuple[Problem, ...],
    parsed: frozenset[str],
    records: dict[str, bytes],
) -> _Share:
    listings = tuple(Partner(*values) for values in fields)  # type: ignore[arg-type]
    return _Share(listings, problems, parsed, records)


def _from_cache(
    paths: Sequence[str], raw: RawContent, cache: PartnerCache
) -> tuple[dict[str, Partner], dict[str, bytes]]:
    """(path -> listing found in the cache, path -> bytes of each other file read)."""
    cached: dict[str, Partner] = {}
    read: dict[str, bytes] = {}
    for path in paths:
        try:
            data = read_plain_file(path, MAX_PARTNER_BYTES)
        except UnreadableFile:
            continue  # validated the usual way, which reports why
        partner_id = file_id(path)
        partner = cache.partner(_key(cache.key, path, data, raw, partner_id), partner_id, path)
        if partner is None:
            read[path] = data
        else:
            cached[path] = partner
    return cached, read


def _key(key: Key, path: str, data: bytes, raw: RawContent, partner_id: str | None = None) -> str:
    """The cache key of a partner file: with the logos it may name, all that its validation
    reads besides its own bytes and the programme (validate_partner, logo_problem)."""
    if partner_id is None:
        partner_id = file_id(path)
    logos = [raw.files.get(partner_id + suffix) for suffix in LOGO_SUFFIXES]
    return key(os.path.basename(path), data, repr(logos))


def _check_files(
    paths: Sequence[str],
    raw: RawContent,
    program: Program | None,
    read: Mapping[str, bytes],
    key: Key | None,
) -> tuple[PartnerFiles, dict[str, bytes]]:
    """The files' listings and problems, and with a cache, the cache key -> record of those
    without a problem (encoded here, in the process that checked them)."""
    partners: list[Partner] = []
    problems: list[Problem] = []
    parsed: list[str] = []
    records: dict[str, bytes] = {}
    for path in paths:
        before = len(problems)
        data = read.get(path)
        if data is None and key is not None:
            try:
                data = read_plain_file(path, MAX_PARTNER_BYTES)
            except UnreadableFile:
                pass  # read_yaml says why
        if data is None:
            file = read_yaml(path, MAX_PARTNER_BYTES, problems)
        else:
            file = yaml_from_bytes(path, data, problems)
        if file.root is not None:
            parsed.append(path)
        if (partner := validate_partner(file, program, raw, problems)) is not None:
            partners.append(partner)
            if key is not None and data is not None and len(problems) == before:
                records[_key(key, path, data, raw)] = encode_record(partner)
    return PartnerFiles(tuple(partners), tuple(problems), frozenset(parsed)), records


def _parts(files: int) -> int:
    return parallel.parts(files, FILES_PER_PROCESS)


def _expiry_warnings(directory: Directory, evaluation: Evaluation) -> list[Problem]:
    """Entry expiry (DESIGN rule 4): still at the lowest level after entry_expiry_days."""
    lowest = directory.program.levels[0].name
    days = directory.program.review.entry_expiry_days
    return [
        warning(
            partner.source,
            1,
            "",
            f"expired: still {lowest} {days} days after joining on "
            f"{evaluation.standings[partner.id].member_since}; "
            "not listed until it earns a higher level",
        )
        for partner in directory.partners
        if evaluation.listing(partner.id) is Listing.EXPIRED
    ]
