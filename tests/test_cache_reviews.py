"""The check's cache of validated review files: a check with it finds exactly what a check
without it finds, validates again only the review files whose cells, programme, rules or code
changed, and trusts nothing it cannot match."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from paths import BUILD_DATE, EXAMPLE, SITES

from partnerdir.content import crossfile
from partnerdir.content.cache import REVIEWS_FILE
from partnerdir.content.checking import Checked, check_content

CONTENT = SITES / "listing" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example content: three review files and two rules files."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "example"))


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The review files validated (rather than taken from the cache), in order."""
    seen: list[str] = []
    original = crossfile.validate_review

    def counting(file, program, problems, **options):  # type: ignore[no-untyped-def]
        seen.append(Path(file.path).name)
        return original(file, program, problems, **options)

    monkeypatch.setattr(crossfile, "validate_review", counting)
    return seen


def same(one: Checked, other: Checked) -> None:
    """Equal, and alike to the last detail: the figures of a row in the header's order."""
    assert [str(p) for p in one.problems] == [str(p) for p in other.problems]
    assert one.directory == other.directory
    assert one.evaluation == other.evaluation
    assert repr(one.directory) == repr(other.directory)
    assert repr(one.evaluation) == repr(other.evaluation)


def reviews(content: Path) -> list[str]:
    return sorted(path.name for path in (content / "reviews").glob("*.csv"))


def test_unchanged_review_files_are_not_validated_again(
    example: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = check_content(example, BUILD_DATE, cache)
    assert validated == reviews(example)
    assert (cache / REVIEWS_FILE).is_file()
    validated.clear()
    second = check_content(example, BUILD_DATE, cache)
    assert validated == []
    same(second, first)
    same(second, check_content(example, BUILD_DATE))


def test_an_edited_review_file_alone_is_validated_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    review = content / "reviews" / "2026-10-01.csv"
    # the partner is measured in another country: its regional criteria and caps change
    review.write_text(review.read_text().replace("fjordline-data,NO,", "fjordline-data,SE,"))
    validated.clear()
    edited = check_content(content, BUILD_DATE, cache)
    assert validated == ["2026-10-01.csv"]
    same(edited, check_content(content, BUILD_DATE))
    assert edited.evaluation is not None
    assert edited.evaluation.standings["fjordline-data"].country == "SE"


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("program.yaml", "title: ", "title: Our "),
        # a target of a criterion a seal must decide (certified_engineers is public)
        ("rules/2026-03-01.yaml", "certified_engineers: {min: 6}", "certified_engineers: {min: 7}"),
    ],
)
def test_a_changed_programme_or_rules_file_validates_every_review_file_again(
    example: Path, tmp_path: Path, validated: list[str], name: str, before: str, after: str
) -> None:
    cache = tmp_path / "cache"
    check_content(example, BUILD_DATE, cache)
    validated.clear()
    check_content(example, BUILD_DATE, cache)
    assert validated == []
    changed = example / name
    text = changed.read_text()
    assert before in text
    changed.write_text(text.replace(before, after, 1))
    validated.clear()
    checked = check_content(example, BUILD_DATE, cache)
    assert validated == reviews(example)
    same(checked, check_content(example, BUILD_DATE))


def test_another_build_date_takes_the_cached_rows_and_evaluates_them_again(
    example: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    check_content(example, BUILD_DATE, cache)
    validated.clear()
    earlier = dt.date(2026, 5, 1)  # before the latest review: its rows are left out
    checked = check_content(example, earlier, cache)
    assert validated == []
    same(checked, check_content(example, earlier))


def test_a_review_file_with_a_problem_is_never_cached(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    review = content / "reviews" / "2026-10-01.csv"
    review.write_text(review.read_text().replace("fjordline-data,NO,31,", "fjordline-data,NO,x,"))
    first = check_content(content, BUILD_DATE, cache)
    assert first.errors == 1
    validated.clear()
    second = check_content(content, BUILD_DATE, cache)
    assert validated == ["2026-10-01.csv"]
    same(second, first)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"format": 1, "salt": "another programme", "reviews": {}}',
        "[]",
        '{"format": 1, "salt": "',  # truncated
    ],
)
def test_a_foreign_or_corrupt_review_cache_is_ignored(
    content: Path, tmp_path: Path, validated: list[str], text: str
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / REVIEWS_FILE).write_text(text)
    checked = check_content(content, BUILD_DATE, cache)
    assert validated == reviews(content)
    same(checked, check_content(content, BUILD_DATE))
    validated.clear()
    check_content(content, BUILD_DATE, cache)  # from the cache that check wrote over it
    assert validated == []


@pytest.mark.parametrize(
    "forge",
    [
        lambda record: record["lines"].__setitem__(0, "7"),  # a line that is text
        lambda record: record["lines"].__setitem__(0, True),  # a line that is a boolean
        lambda record: record["figures"]["csat"].__setitem__(0, {"a": 1}),  # a mapping
        lambda record: record["figures"]["annual_revenue"].__setitem__(0, [1, True, None, False]),
        lambda record: record["figures"]["annual_revenue"].__setitem__(
            0, [[1.0], True, None, False]
        ),
        lambda record: record["countries"].pop(),  # a column shorter than the others
        lambda record: record["figures"]["csat"].append(4.5),  # one longer
        lambda record: record.pop("lines"),
        lambda record: record.__setitem__("partners", "a row"),
    ],
    ids=[
        "line",
        "boolean-line",
        "figure",
        "bound",
        "unhashable-bound",
        "short-column",
        "long-column",
        "no-lines",
        "not-a-column",
    ],
)
def test_a_forged_or_malformed_review_record_is_ignored(
    content: Path, tmp_path: Path, validated: list[str], forge: object
) -> None:
    cache = tmp_path / "cache"
    check_content(content, BUILD_DATE, cache)
    stored = json.loads((cache / REVIEWS_FILE).read_text())
    key = sorted(stored["reviews"])[0]
    forge(stored["reviews"][key])  # type: ignore[operator]
    (cache / REVIEWS_FILE).write_text(json.dumps(stored))
    validated.clear()
    checked = check_content(content, BUILD_DATE, cache)
    assert len(validated) == 1
    same(checked, check_content(content, BUILD_DATE))


def test_a_check_that_changes_nothing_leaves_the_review_cache_as_it_was(
    example: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    check_content(example, BUILD_DATE, cache)
    before = (cache / REVIEWS_FILE).stat().st_mtime_ns, (cache / REVIEWS_FILE).read_bytes()
    check_content(example, BUILD_DATE, cache)
    assert (
        (cache / REVIEWS_FILE).stat().st_mtime_ns,
        (cache / REVIEWS_FILE).read_bytes(),
    ) == before
    (example / "reviews" / "2026-01-05.csv").unlink()
    check_content(example, BUILD_DATE, cache)
    assert len(json.loads((cache / REVIEWS_FILE).read_text())["reviews"]) == len(reviews(example))
