"""Sealed private figures (issue 11, item 3): the seal of a figure and the `seal` command.

That the example content holds sealed cells only is asserted in tests/test_example.py."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from factories import make_program, make_row
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import BUILD_DATE, SITES

from partnerdir.cli import main
from partnerdir.content.checking import check_content
from partnerdir.content.loading import read_csv
from partnerdir.content.review import validate_review
from partnerdir.content.sealing import seal_figure, seal_review
from partnerdir.levels import evaluate_levels, meets
from partnerdir.model import (
    Criterion,
    Level,
    Metric,
    MetricType,
    Op,
    Program,
    ReviewRow,
    Sealed,
    plain_number,
)
from partnerdir.problems import Problem

PR_SITE = SITES / "pr" / "content"
#: The grammar of a sealed cell (docs/content-format.md, "Private figures").
_BOUND = r"(>=|>|<=|<)-?\d+(\.\d+)?"
SEALED_CELL = re.compile(rf"{_BOUND}( {_BOUND})?")


def revenue_program() -> Program:
    """The factory programme (Gold 100,000, Platinum 400,000 revenue) with a regional Gold
    revenue target of 60,000 in KE and NG."""
    base = make_program()
    region = dataclasses.replace(
        base.regions[0],
        adjustments={
            "gold": (
                *base.regions[0].adjustments["gold"],
                Criterion("annual_revenue", Op.MIN, 60000),
            )
        },
    )
    return make_program(regions=(region,))


# --- The seal of a figure -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "value", "cell"),
    [
        ("NL", 0, "<100000"),
        ("NL", 99999.99, "<100000"),
        ("NL", 100000, ">=100000 <400000"),
        ("NL", 399999, ">=100000 <400000"),
        ("NL", 400000, ">=400000"),
        ("NL", 5_000_000, ">=400000"),
        ("KE", 59999, "<60000"),  # the region's Gold target
        ("KE", 60000, ">=60000 <400000"),
        ("KE", 100000, ">=60000 <400000"),  # Europe's Gold target says nothing in Kenya
    ],
)
def test_seal_keeps_the_side_of_each_target(country: str, value: float, cell: str) -> None:
    sealed = seal_figure(revenue_program(), "annual_revenue", country, value)
    assert sealed is not None and sealed.cell() == cell
    assert Sealed.parse(cell) == sealed


def test_a_private_metric_without_criteria_seals_to_an_empty_cell() -> None:
    program = make_program()
    assert seal_figure(program, "csat", "NL", 4.5) is not None  # public, but has criteria
    levels = tuple(
        dataclasses.replace(
            level, criteria=tuple(c for c in level.criteria if c.metric != "annual_revenue")
        )
        for level in program.levels
    )
    assert seal_figure(make_program(levels=levels), "annual_revenue", "NL", 123456) is None


@pytest.mark.parametrize(
    ("number", "text"),
    [(300000.0, "300000"), (4.5, "4.5"), (1e-07, "0.0000001"), (-2.0, "-2"),
     (1e14, "100000000000000")],
)  # fmt: skip
def test_numbers_are_written_plainly(number: float, text: str) -> None:
    assert plain_number(number) == text


@pytest.mark.parametrize(
    "cell",
    ["", "412345", ">=", ">=1e5", ">= 5", ">=5 >=6", "<5 <6", ">=6 <5", ">5 <5", ">=5 <5",
     ">=5 <10 <20", ">=5,<10", "=5", "≥5", ">=5 EUR", ">=1,000"],
)  # fmt: skip
def test_what_is_not_a_sealed_cell(cell: str) -> None:
    assert Sealed.parse(cell) is None


@pytest.mark.parametrize(
    ("cell", "sealed"),
    [
        (">=200000 <500000", Sealed(200000, True, 500000, False)),
        ("<500000 >=200000", Sealed(200000, True, 500000, False)),
        (">5", Sealed(5, False)),
        ("<=3", Sealed(upper=3, upper_inclusive=True)),
        (">=5 <=5", Sealed(5, True, 5, True)),
        (">=-1.5 <.5", Sealed(-1.5, True, 0.5, False)),
    ],
)
def test_sealed_cells(cell: str, sealed: Sealed) -> None:
    assert Sealed.parse(cell) == sealed


_TARGETS = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
)
_FIGURES = st.one_of(_TARGETS, st.sampled_from([0, 0.0, 100000, 99999.99]))


@settings(max_examples=300, deadline=None)
@given(
    criteria=st.lists(
        st.tuples(st.sampled_from([Op.MIN, Op.MAX]), _TARGETS), min_size=1, max_size=6
    ),
    value=_FIGURES,
    data=st.data(),
)
def test_a_seal_decides_every_criterion_it_was_made_for_as_the_figure_does(
    criteria: list[tuple[Op, float]], value: float, data: st.DataObject
) -> None:
    metric = Metric("m", "M", MetricType.NUMBER, public=False)
    levels = [Level("l0", "L0", 0, "#000000", "", (), ())]
    for index, (op, target) in enumerate(criteria, start=1):
        criterion = Criterion("m", op, target)
        levels.append(Level(f"l{index}", f"L{index}", index, "#000000", "", (), (criterion,)))
    program = make_program(metrics={"m": metric}, levels=tuple(levels), regions=(), caps=())
    if data.draw(st.booleans(), label="a threshold at the figure itself"):
        program = _with_target_at(program, value)
    sealed = seal_figure(program, "m", "NL", value)
    assert sealed is not None
    for level in program.levels[1:]:
        for criterion in level.criteria:
            assert sealed.decides(criterion.op, criterion.target) is meets(metric, criterion, value)
            assert meets(metric, criterion, sealed) is meets(metric, criterion, value)
    # the cell reads back as the same seal, and its bounds are the criteria's targets
    assert Sealed.parse(sealed.cell()) == sealed
    targets = {c.target for level in program.levels for c in level.criteria}
    assert set(sealed.bounds) <= targets


def _with_target_at(program: Program, value: float) -> Program:
    """One more level, its target the figure itself (min and max): the bounds' edge cases."""
    top = len(program.levels)
    extra = Level(
        f"l{top}", "Edge", top, "#000000", "", (),
        (Criterion("m", Op.MIN, value), Criterion("m", Op.MAX, value)),
    )  # fmt: skip
    return dataclasses.replace(program, levels=(*program.levels, extra))


def test_a_row_publishes_public_figures_only() -> None:
    program = make_program()
    sealed = make_row("a", dt.date(2026, 10, 1), csat=4.5, annual_revenue=Sealed(100000, True))
    plain = make_row("a", dt.date(2026, 10, 1), csat=4.5, annual_revenue=123456)
    csat, revenue = program.metrics["csat"], program.metrics["annual_revenue"]
    assert [row.published(csat) for row in (sealed, plain)] == [4.5, 4.5]
    assert [row.published(revenue) for row in (sealed, plain)] == [None, None]


# --- Seal, then check: the same levels as the figures themselves -----------------------------

Q1, Q2 = dt.date(2026, 7, 1), dt.date(2026, 10, 1)
RAW = [
    make_row("acme", Q1, "NL", certified_engineers=6, csat=4.3, annual_revenue=99999.5,
             security_review=True, health_check="passed"),
    make_row("acme", Q2, "NL", certified_engineers=12, csat=4.6, annual_revenue=410000,
             security_review=True, health_check="excellent"),
    make_row("boma", Q1, "KE", certified_engineers=4, csat=4.4, annual_revenue=61500,
             security_review=True, health_check="passed"),
    make_row("boma", Q2, "KE", certified_engineers=4, csat=4.4, annual_revenue=59000,
             security_review=True, health_check="passed"),
    make_row("cleo", Q2, "NL", certified_engineers=11, csat=4.8, annual_revenue=400000,
             security_review=True, health_check="excellent"),
    make_row("dune", Q2, "NL", certified_engineers=3, csat=None, annual_revenue=None,
             security_review=True),
]  # fmt: skip


def sealed_rows(program: Program, rows: list[ReviewRow]) -> list[ReviewRow]:
    result = []
    for row in rows:
        value = row.figures.get("annual_revenue")
        assert not isinstance(value, bool | str | Sealed)
        sealed = (
            None if value is None else seal_figure(program, "annual_revenue", row.country, value)
        )
        result.append(dataclasses.replace(row, figures={**row.figures, "annual_revenue": sealed}))
    return result


def test_sealed_figures_give_the_levels_the_figures_give() -> None:
    program = revenue_program()
    partners = sorted({row.partner for row in RAW})
    today = dt.date(2026, 11, 24)
    plain = evaluate_levels(program, partners, RAW, today)
    sealed = evaluate_levels(program, partners, sealed_rows(program, RAW), today)
    assert plain.changes == sealed.changes
    for partner in partners:
        a, b = plain.standings[partner], sealed.standings[partner]
        assert (a.level, a.earned, a.capped, a.history, a.path) == (
            b.level, b.earned, b.capped, b.history, b.path
        )  # fmt: skip
    # the rows show a promotion (acme), a regional target and a drop under review (boma)
    assert {s.level for s in plain.standings.values()} == {"silver", "gold"}
    assert plain.standings["boma"].under_review_until is not None


# --- The seal command, end to end -------------------------------------------------------------

HEADER = (
    "partner,country,certified_engineers,customer_deployments,csat,annual_revenue,"
    "health_check,security_review,median_ticket_days"
)
#: Raw exports for the five partners of tests/sites/pr, figures invented for this test.
EXPORTS = {
    "2026-07-01.csv": f"""{HEADER}
canal-analytique,FR,11,50,4.3,187654,passed,true,4.6
fjordline-data,NO,30,128,4.7,712345,excellent,true,2.4
malabar-analytics,IN,2,9,4.0,41234,passed,true,5.5
thameside-data,GB,9,70,4.4,251234,passed,true,4.2
tulpveld-it,NL,2,7,4.1,,passed,false,5.5
""",
    "2026-10-01.csv": f"""{HEADER}
canal-analytique,FR,12,54,4.4,212345.5,passed,true,4.2
fjordline-data,NO,31,136,4.7,723456,excellent,true,2.4
malabar-analytics,IN,3,12,4.2,51234,passed,true,4.6
thameside-data,GB,9,72,4.4,261234,passed,true,4.2
tulpveld-it,NL,2,8,4.1,23456,passed,false,5.5
""",
}
SECRETS = ("187654", "712345", "41234", "251234", "212345", "723456", "51234", "261234", "23456")


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """(content, private): the pr fixture site, and the programme team's raw exports beside it."""
    content = tmp_path / "repo" / "content"
    shutil.copytree(PR_SITE, content)
    private = tmp_path / "private"
    private.mkdir()
    for name, text in EXPORTS.items():
        (private / name).write_text(text)
    return content, private


def test_the_seal_command_writes_sealed_review_files(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, private = team
    args = ["seal", "--private", str(private), "--content", str(content)]
    assert main(args) == 0
    out = capsys.readouterr().out
    written = {name: (content / "reviews" / name).read_bytes() for name in EXPORTS}
    assert out.splitlines() == [
        f"Wrote {content / 'reviews' / name}: 5 rows, private figures sealed" for name in EXPORTS
    ]
    for name, data in written.items():
        text = data.decode()
        assert not any(secret in text for secret in SECRETS)
        raw_rows = list(csv.reader(io.StringIO(EXPORTS[name])))
        rows = list(csv.reader(io.StringIO(text)))
        column = raw_rows[0].index("annual_revenue")
        # every other cell as given, in the same order
        assert [r[:column] + r[column + 1 :] for r in rows] == [
            r[:column] + r[column + 1 :] for r in raw_rows
        ]
        assert all(r[column] == "" or SEALED_CELL.fullmatch(r[column]) for r in rows[1:])
    assert written["2026-10-01.csv"].decode().splitlines()[1:] == [
        "canal-analytique,FR,12,54,4.4,>=200000 <500000,passed,true,4.2",
        "fjordline-data,NO,31,136,4.7,>=500000,excellent,true,2.4",
        "malabar-analytics,IN,3,12,4.2,>=50000 <200000,passed,true,4.6",
        "thameside-data,GB,9,72,4.4,>=200000 <500000,passed,true,4.2",
        "tulpveld-it,NL,2,8,4.1,<50000,passed,false,5.5",
    ]
    # the check passes, with the levels the figures themselves give
    checked = check_content(content, BUILD_DATE)
    assert checked.errors == 0 and checked.evaluation is not None
    assert checked.directory is not None
    program = checked.directory.program
    raw_rows_typed = [
        row
        for name in EXPORTS
        for row in validate_review(read_csv(private / name, []), program, [], private_plain=True)
    ]
    plain = evaluate_levels(
        program, [p.id for p in checked.directory.partners], raw_rows_typed, BUILD_DATE
    )
    assert {p: s.level for p, s in plain.standings.items()} == {
        p: s.level for p, s in checked.evaluation.standings.items()
    }
    assert plain.changes == checked.evaluation.changes
    # the same exports, sealed again: the same bytes
    assert main(args) == 0
    assert {name: (content / "reviews" / name).read_bytes() for name in EXPORTS} == written


def test_a_new_target_asks_for_a_new_seal(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, private = team
    assert main(["seal", "--private", str(private), "--content", str(content)]) == 0
    program = content / "program.yaml"
    text = program.read_text()
    assert text.count("annual_revenue: {min: 200000}") == 1
    program.write_text(
        text.replace("annual_revenue: {min: 200000}", "annual_revenue: {min: 300000}")
    )
    checked = check_content(content, BUILD_DATE)
    undecided = "the sealed figure does not tell whether Gold's 'at least 300,000' is met"
    old_target = "the sealed figure has a bound that is not a target of the criteria in"
    found = [(Path(p.path).name, p.line, p.message.split(" (")[0]) for p in checked.problems]
    assert found == [
        ("2026-07-01.csv", 2, f"{old_target} FR, so it says more than met / not yet: seal the "
         "reviews again"),  # <200000: no longer a target
        ("2026-07-01.csv", 5, f"{undecided}: seal the reviews again"),  # >=200000 <500000
        ("2026-10-01.csv", 2, f"{undecided}: seal the reviews again"),
        ("2026-10-01.csv", 4, f"{old_target} IN, so it says more than met / not yet: seal the "
         "reviews again"),
        ("2026-10-01.csv", 5, f"{undecided}: seal the reviews again"),
    ]  # fmt: skip
    capsys.readouterr()
    assert main(["seal", "--private", str(private), "--content", str(content)]) == 0
    assert check_content(content, BUILD_DATE).errors == 0


def test_the_seal_command_writes_nothing_when_an_export_has_an_error(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, private = team
    before = {p.name: p.read_bytes() for p in (content / "reviews").iterdir()}
    broken = (
        EXPORTS["2026-10-01.csv"].replace(",51234,", ",-51234,").replace(",23456,", ',"23,456",')
    )
    (private / "2026-10-01.csv").write_text(broken)
    assert main(["seal", "--private", str(private), "--content", str(content)]) == 1
    captured = capsys.readouterr()
    path = private / "2026-10-01.csv"
    assert captured.out.splitlines() == [
        f"{path}:4: annual_revenue: the private figure is below the minimum 0",
        f"{path}:6: annual_revenue: the private figure is not a number (write 1234.5, no "
        "currency or separators)",
    ]
    assert "nothing was written" in captured.err
    assert not any(secret in captured.out + captured.err for secret in ("23,456", "23456", "51234"))
    assert {p.name: p.read_bytes() for p in (content / "reviews").iterdir()} == before


def test_the_raw_exports_stay_out_of_the_content_folder(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, private = team
    inside = content / "private"
    shutil.copytree(private, inside)
    assert main(["seal", "--private", str(inside), "--content", str(content)]) == 2
    assert "outside the repository" in capsys.readouterr().err
    assert main(["seal", "--private", str(private / "missing"), "--content", str(content)]) == 2


def test_seal_review_keeps_every_row_and_column_in_place(tmp_path: Path) -> None:
    program = revenue_program()
    path = tmp_path / "2026-10-01.csv"
    path.write_text(
        "partner,country,annual_revenue,csat\nacme,NL,123456,4.5\nboma,KE,,\ncleo,KE,60000,4.1\n"
    )
    file = read_csv(path, [])
    problems: list[Problem] = []
    rows = validate_review(file, program, problems, private_plain=True)
    assert problems == []
    assert seal_review(program, file, rows) == (
        "partner,country,annual_revenue,csat\n"
        "acme,NL,>=100000 <400000,4.5\n"
        "boma,KE,,\n"
        "cleo,KE,>=60000 <400000,4.1\n"
    )
