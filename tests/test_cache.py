"""The check's cache of validated partner files: a check with it finds exactly what a check
without it finds, validates again only what changed, and trusts nothing it cannot match."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from paths import BUILD_DATE, EXAMPLE, SITES

from partnerdir.cli import main
from partnerdir.content import cache as cache_module
from partnerdir.content import checking
from partnerdir.content.cache import FILE_NAME, partner_from_record, record_of
from partnerdir.content.checking import Checked, check_content

#: Seven partners, four with a logo, one expired and one not yet reviewed.
CONTENT = SITES / "listing" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The partner files validated (rather than taken from the cache), in order."""
    seen: list[str] = []
    original = checking.validate_partner

    def counting(file, program, raw, problems):  # type: ignore[no-untyped-def]
        seen.append(Path(file.path).name)
        return original(file, program, raw, problems)

    monkeypatch.setattr(checking, "validate_partner", counting)
    return seen


def same(one: Checked, other: Checked) -> None:
    assert [str(p) for p in one.problems] == [str(p) for p in other.problems]
    assert one.directory == other.directory
    assert one.evaluation == other.evaluation
    assert repr(one.directory) == repr(other.directory)  # alike to the order of a row's figures
    assert repr(one.evaluation) == repr(other.evaluation)


def test_an_unchanged_file_is_not_validated_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = check_content(content, BUILD_DATE, cache)
    assert len(validated) == 7
    assert (cache / FILE_NAME).is_file()
    validated.clear()
    second = check_content(content, BUILD_DATE, cache)
    assert validated == []
    same(second, first)
    same(second, check_content(content, BUILD_DATE))


def test_an_edited_file_alone_is_validated_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    partner = content / "partners" / "malabar-analytics.yaml"
    partner.write_text(partner.read_text().replace("name: ", "name: New ", 1))
    validated.clear()
    edited = check_content(content, BUILD_DATE, cache)
    assert validated == ["malabar-analytics.yaml"]
    same(edited, check_content(content, BUILD_DATE))
    assert edited.directory is not None
    names = [p.name for p in edited.directory.partners if p.id == "malabar-analytics"]
    assert names[0].startswith("New ")


def test_a_file_with_a_problem_is_never_cached(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    partner = content / "partners" / "tulpveld-it.yaml"
    partner.write_text(partner.read_text() + "level: platinum\n")
    first = check_content(content, BUILD_DATE, cache)
    validated.clear()
    second = check_content(content, BUILD_DATE, cache)
    assert validated == ["tulpveld-it.yaml"]
    assert first.errors == second.errors == 1
    same(second, first)


def test_a_changed_programme_validates_every_file_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    program = content / "program.yaml"
    program.write_text(program.read_text().replace("title: ", "title: Our ", 1))
    validated.clear()
    check_content(content, BUILD_DATE, cache)
    assert len(validated) == 7


def test_another_version_of_a_library_validates_every_file_again(
    content: Path, tmp_path: Path, validated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a newer pycountry may withdraw a country code that a cached listing names
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    version = cache_module.installed_version
    monkeypatch.setattr(
        cache_module,
        "installed_version",
        lambda name: "99.0" if name == "pycountry" else version(name),
    )
    validated.clear()
    check_content(content, BUILD_DATE, cache)
    assert len(validated) == 7


def test_installed_versions_are_importlib_metadatas() -> None:
    from importlib import metadata

    names = (*cache_module.LIBRARIES, "Jinja2", "pagefind", "partnerdir")
    assert [cache_module.installed_version(name) for name in names] == [
        metadata.version(name) for name in names
    ]


def test_installed_versions_come_from_the_first_metadata_folder_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "Zeta_Lib-2.1.0.dist-info").mkdir(parents=True)
    (second / "zeta.lib-1.0.dist-info").mkdir(parents=True)
    (second / "Old_Egg-0.9.1-py3.11.egg-info").mkdir()
    monkeypatch.setattr("sys.path", [str(tmp_path / "missing"), str(first), str(second)])
    cache_module._distributions.cache_clear()
    try:
        assert cache_module.installed_version("zeta-lib") == "2.1.0"
        assert cache_module.installed_version("old-egg") == "0.9.1"
        with pytest.raises(ImportError):  # not installed: importlib.metadata says so
            cache_module.installed_version("not-installed-anywhere")
    finally:
        cache_module._distributions.cache_clear()


def test_a_changed_logo_is_checked_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    logo = content / "partners" / "canal-analytique.svg"
    logo.write_text(logo.read_text().replace("</svg>", "<script>alert(1)</script></svg>"))
    validated.clear()
    checked = check_content(content, BUILD_DATE, cache)
    assert validated == ["canal-analytique.yaml"]
    assert checked.errors == 1
    same(checked, check_content(content, BUILD_DATE))


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": 1, "salt": "another programme", "partners": {}}',
        "{}",
    ],
)
def test_a_foreign_or_corrupt_cache_is_ignored(
    content: Path, tmp_path: Path, validated: list[str], text: str
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / FILE_NAME).write_text(text)
    checked = check_content(content, BUILD_DATE, cache)
    assert len(validated) == 7
    same(checked, check_content(content, BUILD_DATE))


def stored_lines(cache: Path) -> tuple[str, dict[str, str]]:
    """The cache file's first line, and each record's JSON text by key."""
    head, *lines = (cache / FILE_NAME).read_text(encoding="utf-8").splitlines()
    return head, dict(line.split(" ", 1) for line in lines)


def test_a_forged_or_malformed_entry_is_ignored(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    head, records = stored_lines(cache)
    keys = sorted(records)
    records[keys[0]] = json.dumps(["only a name"])
    forged = json.loads(records[keys[1]])
    forged["countries"] = "NL"  # a string, not a list
    records[keys[1]] = json.dumps(forged)
    records[keys[2]] = records[keys[2]][:-1]  # cut short: not JSON
    records[keys[3]] = "[" * 100_000  # deeper than the JSON reader goes
    lines = [head, *(f"{key} {text}" for key, text in records.items())]
    (cache / FILE_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    validated.clear()
    checked = check_content(content, BUILD_DATE, cache)
    assert len(validated) == 4
    same(checked, check_content(content, BUILD_DATE))


@pytest.mark.parametrize("folder", [CONTENT, EXAMPLE], ids=["listing", "example"])
def test_a_record_holds_the_whole_listing(folder: Path) -> None:
    """Every field of every listing comes back from the cache, the optional ones too (the
    example has summaries and head offices), so a build is the same with and without it."""
    checked = check_content(folder, BUILD_DATE)
    assert checked.directory is not None
    assert any(p.summary and p.city for p in checked.directory.partners) or folder == CONTENT
    for partner in checked.directory.partners:
        record = json.loads(json.dumps(record_of(partner)))
        assert partner_from_record(record, partner.id, partner.source) == partner


def test_the_file_is_a_line_of_json_per_record(tmp_path: Path) -> None:
    """Its format and salt, then each record's compact JSON after its key, by key, in ASCII:
    what a record of the listing gives, non-ASCII text included."""
    cache = tmp_path / "cache"
    checked = check_content(EXAMPLE, BUILD_DATE, cache)
    assert checked.directory is not None
    head, records = stored_lines(cache)
    found = json.loads(head)
    assert found == {"format": cache_module.FORMAT, "salt": found["salt"]}
    assert len(found["salt"]) == 64
    assert list(records) == sorted(records)
    assert len(records) == len(checked.directory.partners)
    compact = {json.dumps(record_of(p), separators=(",", ":")) for p in checked.directory.partners}
    assert set(records.values()) == compact
    assert any(not p.name.isascii() for p in checked.directory.partners)


def test_a_record_is_written_again_as_it_was_read(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check after one edit encodes the edited file's record only."""
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    before = stored_lines(cache)[1]
    path = content / "partners" / "thameside-data.yaml"
    path.write_text(path.read_text() + "# edited\n")
    encoded: list[str] = []
    original = checking.encode_record

    def encoding(partner):  # type: ignore[no-untyped-def]
        encoded.append(partner.id)
        return original(partner)

    monkeypatch.setattr(checking, "encode_record", encoding)
    check_content(content, BUILD_DATE, cache)
    assert encoded == ["thameside-data"]
    after = stored_lines(cache)[1]
    assert len(after) == len(before) and len(set(after) - set(before)) == 1


def test_the_file_of_an_earlier_format_is_removed(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "partners.json").write_text('{"format": 2}')
    check_content(content, BUILD_DATE, cache)
    assert (cache / FILE_NAME).is_file()
    assert not (cache / "partners.json").exists()


def test_the_cache_knows_when_it_changed(content: Path, tmp_path: Path) -> None:
    """Only a check that adds a record or leaves one unused writes the file (in a process of
    its own): an unchanged directory's check writes nothing."""
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    checked = check_content(content, BUILD_DATE)
    assert checked.directory is not None
    program = checked.directory.program
    store = cache_module.open_cache(cache, program)
    checking.check_partner_files(checked.loaded, program, store)  # type: ignore[arg-type]
    assert not store.changed()
    (content / "partners" / sorted(os.listdir(content / "partners"))[0]).write_text(
        "name: [", encoding="utf-8"
    )
    edited = cache_module.open_cache(cache, program)
    raw = check_content(content, BUILD_DATE).loaded
    assert raw is not None
    checking.check_partner_files(raw, program, edited)
    assert edited.changed() and not edited.added


def test_a_build_is_the_same_from_the_cache(tmp_path: Path) -> None:
    """The example built cold and again from the cache the first build left: the same pages."""
    cache = tmp_path / "cache"
    cold = check_content(EXAMPLE, BUILD_DATE, cache)
    assert (cache / FILE_NAME).is_file()
    same(check_content(EXAMPLE, BUILD_DATE, cache), cold)


def test_a_linked_cache_folder_is_neither_read_nor_written(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    check_content(content, BUILD_DATE, elsewhere)
    before = (elsewhere / FILE_NAME).read_bytes()
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    (content / "partners" / "thameside-data.yaml").write_text(
        (content / "partners" / "thameside-data.yaml").read_text() + "\n"
    )
    validated.clear()
    check_content(content, BUILD_DATE, link)
    assert len(validated) == 7
    assert (elsewhere / FILE_NAME).read_bytes() == before


def test_a_linked_cache_file_is_not_read(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    check_content(content, BUILD_DATE, elsewhere)
    cache = tmp_path / "cache"
    cache.mkdir()
    os.symlink(elsewhere / FILE_NAME, cache / FILE_NAME)
    validated.clear()
    check_content(content, BUILD_DATE, cache)
    assert len(validated) == 7
    assert not (cache / FILE_NAME).is_symlink()


def test_the_check_command_keeps_its_cache_where_it_runs(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["check", "--content", str(content), "--today", BUILD_DATE.isoformat()]
    assert main([*args, "--no-cache"]) == 0
    assert not cache_module.DEFAULT_FOLDER.exists()
    assert main(args) == 0
    assert (tmp_path / cache_module.DEFAULT_FOLDER / FILE_NAME).is_file()


def test_git_never_sees_the_cache(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"


def test_unreadable_and_odd_files_are_reported_alike_with_a_cache(
    content: Path, tmp_path: Path
) -> None:
    partners = content / "partners"
    (partners / "linked-partner.yaml").symlink_to(partners / "malabar-analytics.yaml")
    bom = partners / "thameside-data.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    (partners / "nul-partner.yaml").write_bytes(b"name: a\0b\n")
    without = check_content(content, BUILD_DATE)
    assert without.errors >= 2
    for _ in range(2):  # cold, then with what the first run stored
        same(check_content(content, BUILD_DATE, tmp_path / "cache"), without)


@pytest.mark.parametrize("short", [False, True], ids=["whole", "short-writes"])
def test_a_cache_file_written_in_pieces_holds_them_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short: bool
) -> None:
    pieces = [bytes([65 + n % 26]) * (n % 7 + 1) for n in range(3000)]
    if short:  # each writev writes part of its pieces, the last one cut in two
        writev = os.writev

        def part(fd: int, batch: list[bytes]) -> int:
            return writev(fd, [*batch[: len(batch) // 3], batch[len(batch) // 3][:1]])

        monkeypatch.setattr(os, "writev", part)
    cache_module.write_cache_file(tmp_path / "cache", "pieces", pieces)
    assert (tmp_path / "cache" / "pieces").read_bytes() == b"".join(pieces)
