"""Validation: every problem on its line, the typed records when there is none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerdir.content import partner
from partnerdir.content.checking import check_content
from partnerdir.content.fields import FieldChecker, parse_value
from partnerdir.content.loading import CsvFile, YamlFile, load_content, parse_yaml, read_csv
from partnerdir.content.partner import validate_partner
from partnerdir.content.program import declared_metrics, validate_program
from partnerdir.content.review import validate_review
from partnerdir.content.safety import links
from partnerdir.content.safety.links import url_problem
from partnerdir.content.schema import FIELDS_BY_NAME
from partnerdir.content.yamltree import YamlList, YamlMap, YamlValue
from partnerdir.model import Directory, MetricType, Op, Sealed
from partnerdir.problems import Problem

PROGRAM = """\
site:
  title: Test Programme
  base_url: https://partners.test.example
metrics:
  engineers:
    label: Certified engineers
    type: integer
    min: 0
    public: true
  revenue:
    label: Revenue
    type: money
    min: 0
    public: false
  health:
    label: Health check
    type: choice
    choices: [failed, passed]
    public: true
levels:
  - id: registered
    name: Registered
    colour: "#444444"
    description: Starting out.
  - id: silver
    name: Silver
    colour: "#555555"
    description: Silver.
    criteria:
      engineers: {min: 2}
  - id: gold
    name: Gold
    colour: "#666666"
    description: Gold.
    criteria:
      engineers: {min: 5}
      revenue: {min: 100000}
      health: {equals: passed}
programs:
  - {id: reseller, name: Reseller}
services:
  - {id: training, name: Training}
regions:
  - id: nordics
    name: Nordics
    countries: [NO, SE]
    adjustments:
      gold: {engineers: {min: 4}}
caps:
  - level: gold
    country: NO
    count: 1
    rank_by: [engineers]
review:
  grace_days: 90
  entry_expiry_days: 365
"""

PARTNER = """\
name: Acme Nordic
website: https://acme.example
description: We do *things*.
countries: [NO, SE]
programs: [reseller]
services: [training]
languages: [no, en]
contact: mailto:hello@acme.example
maintainers: [acme-dev]
"""

#: revenue is private: the review holds its seal, which says only that Gold's 100,000 is met.
REVIEW = "partner,country,engineers,revenue,health\nacme,NO,6,>=100000,passed\n"


def write(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    content = tmp_path / "content"
    defaults: dict[str, str | bytes] = {
        "program.yaml": PROGRAM,
        "partners/acme.yaml": PARTNER,
        "reviews/2026-10-01.csv": REVIEW,
    }
    for name, text in {**defaults, **files}.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return content


def check(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Directory | None, list[str]]:
    content = write(tmp_path, files)
    checked = check_content(content, date(2026, 11, 24))
    directory, problems = checked.directory, checked.problems
    prefix = str(content) + "/"
    return directory, [str(p).replace(prefix, "") for p in problems]


def test_valid_content_gives_typed_records(tmp_path: Path) -> None:
    directory, problems = check(tmp_path, {})
    assert problems == []
    assert directory is not None
    (acme,) = directory.partners
    assert acme.id == "acme"
    assert acme.countries == ("NO", "SE")
    assert acme.languages == ("no", "en")
    assert acme.maintainers == ("@acme-dev",)
    program = directory.program
    assert [level.id for level in program.levels] == ["registered", "silver", "gold"]
    assert program.metrics["revenue"].type is MetricType.MONEY
    assert program.levels[2].criteria[1].op is Op.MIN
    assert program.criteria_for(program.levels[2], "NO")[0].target == 4
    (row,) = directory.rows
    assert row.figures == {"engineers": 6, "revenue": Sealed(100000, True), "health": "passed"}
    assert directory.review_dates == (date(2026, 10, 1),)


def test_ids_of_rows_without_a_partner_file_are_kept_apart(tmp_path: Path) -> None:
    # their rows are left out, their ids kept: the badge URL of such a partner still answers
    review = REVIEW + "ghost,NO,1,<100000,failed\n"
    future = "partner,country,engineers,revenue,health\nlater,NO,1,<100000,failed\n"
    directory, _ = check(
        tmp_path, {"reviews/2026-10-01.csv": review, "reviews/2027-01-01.csv": future}
    )
    assert directory is not None
    assert [row.partner for row in directory.rows] == ["acme"]
    assert directory.unfiled == ("ghost",)  # "later" has only a row dated after the build
    # kept apart, for the feed, which keeps a departed partner's entries
    assert [(row.partner, row.line) for row in directory.unfiled_rows] == [("ghost", 3)]


def partner_with(line: str) -> dict[str, str | bytes]:
    return {"partners/acme.yaml": PARTNER + line}


def partner_replacing(old: str, new: str) -> dict[str, str | bytes]:
    return {"partners/acme.yaml": PARTNER.replace(old, new)}


CASES: list[tuple[str, dict[str, str | bytes], list[str]]] = [
    ("bad-country", partner_replacing("[NO, SE]", "[NO, XX]"),
     ["partners/acme.yaml:4: countries: 'XX' is not an ISO 3166-1 alpha-2 country code"]),
    ("lowercase-country", partner_replacing("[NO, SE]", "[no]"),
     ["partners/acme.yaml:4: countries: 'no' is not an ISO 3166-1 alpha-2 country code "
      "(did you mean 'NO'?)"]),
    ("unknown-key", partner_with("webiste: https://x.example\n"),
     ["partners/acme.yaml:10: webiste: unknown key (did you mean 'website'?)"]),
    ("programme-owned", partner_with("level: gold\n"),
     ["partners/acme.yaml:10: level: is set by the programme, not in a partner file: levels "
      "and figures are computed from the reviews"]),
    ("missing-name", partner_replacing("name: Acme Nordic\n", ""),
     ["partners/acme.yaml:1: name: required"]),
    ("string-for-list", partner_replacing("countries: [NO, SE]", "countries: NO"),
     ["partners/acme.yaml:4: countries: must be a list, not text"]),
    ("bad-scheme", partner_replacing("https://acme.example", "javascript:alert(1)"),
     ["partners/acme.yaml:2: website: 'javascript:alert(1)' must start with https: or http:"]),
    ("no-host", partner_replacing("https://acme.example", "https://"),
     ["partners/acme.yaml:2: website: 'https://' has no host name"]),
    ("unknown-program", partner_replacing("[reseller]", "[resellr]"),
     ["partners/acme.yaml:5: programs: 'resellr' is not in the programme's list: reseller "
      "(did you mean 'reseller'?)"]),
    ("bad-language", partner_replacing("[no, en]", "[no, xx]"),
     ["partners/acme.yaml:7: languages: 'xx' is not an ISO 639-1 language code"]),
    ("duplicate-entry", partner_replacing("[NO, SE]", "[NO, NO]"),
     ["partners/acme.yaml:4: countries: 'NO' is listed twice"]),
    ("reserved-id", {"partners/index.yaml": PARTNER},
     ["partners/index.yaml:1: id: 'index' is reserved for a page of the site; choose another "
      "name", "partners/index.yaml:1: warning: not yet reviewed: listed after the programme's "
      "first review of it"]),
    ("upper-case-id", {"partners/Acme.yaml": PARTNER},
     ["partners/Acme.yaml:1: id: the file name 'Acme' is not a valid id: use 1 to 64 lowercase "
      "letters, digits and hyphens, starting and ending with a letter or digit "
      "(acme-digital.yaml)",
      "partners/acme.yaml:1: id: same id as partners/Acme.yaml, ignoring case"]),
    ("zero-width-space-in-name", partner_replacing("Acme Nordic", '"Acme\\u200bNordic"'),
     ["partners/acme.yaml:1: name: holds an invisible character (U+200B ZERO WIDTH SPACE); "
      "remove it, so that no two texts read the same"]),
    ("hangul-filler-name", partner_replacing("Acme Nordic", '"\\u3164"'),
     ["partners/acme.yaml:1: name: holds an invisible character (U+3164 HANGUL FILLER); "
      "remove it, so that no two texts read the same"]),
    ("invisible-description", partner_replacing("We do *things*.", '"\\u200b \\u2800"'),
     ["partners/acme.yaml:3: description: is empty: it holds only invisible characters"]),
    ("missing-logo", partner_with("logo: acme.svg\n"),
     ["partners/acme.yaml:10: logo: 'acme.svg' does not exist in content/partners/"]),
    ("logo-dotdot", partner_with("logo: ../program.yaml\n"),
     ["partners/acme.yaml:10: logo: '../program.yaml' leaves content/partners/; give the file "
      "name beside the partner file"]),
    ("logo-absolute", partner_with("logo: /etc/passwd\n"),
     ["partners/acme.yaml:10: logo: '/etc/passwd' is an absolute path; give the file name "
      "beside the partner file"]),
    ("svg-script", {**partner_with("logo: acme.svg\n"),
                    "partners/acme.svg": '<svg xmlns="http://www.w3.org/2000/svg">'
                                         "<script>alert(1)</script></svg>"},
     ["partners/acme.yaml:10: logo: 'acme.svg' has a <script> element: logos may not run "
      "script; use a plain SVG"]),
    ("svg-style", {**partner_with("logo: acme.svg\n"),
                   "partners/acme.svg": '<svg xmlns="http://www.w3.org/2000/svg">'
                                        "<style>@\\69mport url(//x)</style></svg>"},
     ["partners/acme.yaml:10: logo: 'acme.svg' has a <style> element: logos may not carry CSS "
      "stylesheets; use presentation attributes (fill, stroke); use a plain SVG"]),
    ("review-no-file", {"reviews/2026-10-01.csv": REVIEW + "ghost,NO,1,<100000,failed\n"},
     ["reviews/2026-10-01.csv:3: warning: partner: 'ghost' has no file partners/ghost.yaml; "
      "not listed"]),
    ("review-out-of-range", {"reviews/2026-10-01.csv": REVIEW.replace(",6,", ",-1,")},
     ["reviews/2026-10-01.csv:2: engineers: -1 is below the minimum 0"]),
    ("review-bad-choice", {"reviews/2026-10-01.csv": REVIEW.replace("passed", "great")},
     ["reviews/2026-10-01.csv:2: health: 'great' is not one of failed, passed"]),
    ("review-duplicate-row", {"reviews/2026-10-01.csv": REVIEW + "acme,NO,6,<100000,passed\n"},
     ["reviews/2026-10-01.csv:3: partner: 'acme' already has a row on line 2"]),
    ("review-unknown-metric", {"reviews/2026-10-01.csv": "partner,country,enginers\nacme,NO,1\n"},
     ["reviews/2026-10-01.csv:1: enginers: is not a declared metric (did you mean "
      "'engineers'?)"]),
    ("review-not-a-date", {"reviews/2026-02-30.csv": REVIEW},
     ["reviews/2026-02-30.csv: '2026-02-30' is not a real date (YYYY-MM-DD)"]),
    ("review-future", {"reviews/2027-01-01.csv": REVIEW},
     ["reviews/2027-01-01.csv: warning: dated after the build date 2026-11-24; ignored"]),
    ("criterion-undeclared-metric",
     {"program.yaml": PROGRAM.replace("engineers: {min: 2}", "engineer: {min: 2}")},
     ["program.yaml:30: levels[1].criteria.engineer: is not a declared metric (did you mean "
      "'engineers'?)"]),
    ("cap-unknown-level", {"program.yaml": PROGRAM.replace("level: gold\n", "level: golden\n")},
     ["program.yaml:50: caps[0].level: 'golden' is not a level above the lowest (did you mean "
      "'gold'?)"]),
    ("country-in-two-regions",
     {"program.yaml": PROGRAM.replace("regions:\n", "regions:\n  - {id: west, name: West, "
                                      "countries: [SE]}\n")},
     ["program.yaml:47: regions[1].countries: SE is already in region 'west'; a country is in "
      "one region"]),
    ("criterion-wrong-type",
     {"program.yaml": PROGRAM.replace("health: {equals: passed}", "health: {min: passed}")},
     ["program.yaml:38: levels[2].criteria.health.min: choice metrics take equals, not min"]),
    ("level-without-id", {"program.yaml": PROGRAM.replace("  - id: gold", "  - idx: gold")},
     ["program.yaml:31: levels[2].id: required",
      "program.yaml:31: levels[2].idx: unknown key (did you mean 'id'?)",
      "program.yaml:48: regions[0].adjustments.gold: is not a level with criteria",
      "program.yaml:50: caps[0].level: 'gold' is not a level above the lowest"]),
    ("private-figure-committed", {"reviews/2026-10-01.csv": REVIEW.replace(">=100000", "412345")},
     ["reviews/2026-10-01.csv:2: revenue: a private figure must not be committed: keep it in "
      "your private reviews and run `python build.py seal`"]),
    ("private-cell-not-sealed",
     {"reviews/2026-10-01.csv": REVIEW.replace(">=100000", '"EUR 412,345"')},
     ["reviews/2026-10-01.csv:2: revenue: the cell is not a sealed figure (it is not shown "
      "here: it may be private): write one or two bounds such as >=200000 <500000, or run "
      "`python build.py seal`"]),
    ("private-seal-undecided", {"reviews/2026-10-01.csv": REVIEW.replace(">=100000", ">=50000")},
     ["reviews/2026-10-01.csv:2: revenue: the sealed figure does not tell whether Gold's 'at "
      "least 100,000' is met: seal the reviews again (`python build.py seal`)"]),
    ("private-seal-says-more",
     {"reviews/2026-10-01.csv": REVIEW.replace(">=100000", ">=100000 <412345")},
     ["reviews/2026-10-01.csv:2: revenue: the sealed figure has a bound that is not a target of "
      "the criteria in NO, so it says more than met / not yet: seal the reviews again "
      "(`python build.py seal`)"]),
    ("private-boolean",
     {"program.yaml": PROGRAM.replace("type: choice\n    choices: [failed, passed]\n    "
                                      "public: true", "type: choice\n    choices: [failed, "
                                      "passed]\n    public: false")},
     ["program.yaml:19: metrics.health.public: a choice metric cannot be private: a yes/no or "
      "choice figure is revealed by met / not yet: make it public"]),
    ("private-rank-by",
     {"program.yaml": PROGRAM.replace("rank_by: [engineers]", "rank_by: [engineers, revenue]")},
     ["program.yaml:53: caps[0].rank_by: 'revenue' is private: caps rank by published figures, "
      "so a partner held below a level can see why"]),
    ("private-equals",
     {"program.yaml": PROGRAM.replace("revenue: {min: 100000}", "revenue: {equals: 100000}")},
     ["program.yaml:37: levels[2].criteria.revenue.equals: a private figure is judged by min or "
      "max: equals, once met, reveals it"]),
    ("too-few-levels", {"program.yaml": PROGRAM[:PROGRAM.index("  - id: gold")]
                        + PROGRAM[PROGRAM.index("programs:"):].replace("gold:", "silver:")
                        .replace("level: silver", "level: silver")},
     ["program.yaml:20: levels: 2 levels; declare 3 to 5, lowest first",
      "program.yaml:42: caps[0].level: 'gold' is not a level above the lowest"]),
]  # fmt: skip


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problems_name_file_line_and_field(
    tmp_path: Path, files: dict[str, str | bytes], expected: list[str]
) -> None:
    directory, problems = check(tmp_path, files)
    content = str(tmp_path / "content")
    assert problems == [line.replace("{content}", content) for line in expected]
    if any("warning" not in line for line in expected):
        assert directory is None


def test_all_problems_of_all_files_in_one_run(tmp_path: Path) -> None:
    broken = PARTNER.replace("[NO, SE]", "[XX]").replace("https://acme", "ftp://acme")
    files: dict[str, str | bytes] = {
        "partners/acme.yaml": broken + "levle: 1\n",
        "partners/beta.yaml": PARTNER.replace("[reseller]", "[x]"),
    }
    _, problems = check(tmp_path, files)
    assert [p.split(": ")[0] for p in problems] == [
        "partners/acme.yaml:2",
        "partners/acme.yaml:4",
        "partners/acme.yaml:10",
        "partners/beta.yaml:1",
        "partners/beta.yaml:5",
    ]


#: Cells of a private metric, each holding the figure 412,345 some way: no problem repeats one.
PRIVATE_CELLS = ["412345", "412345.5", "-412345", '"412,345"', "EUR412345", "412_345", "4.12345e5",
                 ">=412345 <412346", "<=412345 >=412345", ">=100000 <412345", ">=412345x",
                 "<412345 <412346", "about 412345"]  # fmt: skip


@pytest.mark.parametrize("cell", PRIVATE_CELLS)
def test_a_committed_private_cell_is_never_repeated(tmp_path: Path, cell: str) -> None:
    review = f"partner,country,engineers,revenue,health\nacme,NO,6,{cell},passed\n"
    directory, problems = check(tmp_path, {"reviews/2026-10-01.csv": review})
    assert directory is None and problems  # none of these is a seal the check accepts
    assert [p for p in problems if "412" in p] == []


@pytest.mark.parametrize("cell", PRIVATE_CELLS)
def test_a_raw_export_cell_is_never_repeated(tmp_path: Path, cell: str) -> None:
    content = write(tmp_path, {})
    program = validate_program(load_content(content).program, [])
    assert program is not None
    path = tmp_path / "2026-10-01.csv"
    path.write_text(f"partner,country,engineers,revenue,health\nacme,NO,6,{cell},passed\n")
    problems: list[Problem] = []
    rows = validate_review(read_csv(path, problems), program, problems, private_plain=True)
    assert [str(p) for p in problems if "412" in str(p).replace(str(tmp_path), "")] == []
    assert bool(rows) is (cell in ("412345", "412345.5", "412_345"))


def test_a_hidden_figure_is_typed_but_never_repeated() -> None:
    from partnerdir.model import Metric

    metric = Metric("m", "M", MetricType.MONEY, False, minimum=0, maximum=10**6)
    assert parse_value(metric, "412345", hidden=True) == (412345.0, None)
    for text in ("-412345", "4123456", "€412,345"):
        value, reason = parse_value(metric, text, hidden=True)
        assert value is None and reason and "412" not in reason
        assert reason.startswith("the private figure ")


@pytest.mark.parametrize(
    ("kind", "text", "value", "reason"),
    [
        ("integer", "10", 10, None),
        ("integer", "1.5", None, "'1.5' is not a whole number"),
        ("money", "1234.50", 1234.5, None),
        ("money", "€1,234", None, "'€1,234' is not a number (write 1234.5, no currency or "
         "separators)"),
        ("number", "nan", None, "'nan' is not a number (write 1234.5, no currency or separators)"),
        ("boolean", "Yes", True, None),
        ("boolean", "0", False, None),
        ("boolean", "maybe", None, "'maybe' is not true or false"),
    ],
)  # fmt: skip
def test_figures_are_typed_by_their_metric(
    kind: str, text: str, value: object, reason: str | None
) -> None:
    from partnerdir.model import Metric

    metric = Metric("m", "M", MetricType(kind), True)
    assert parse_value(metric, text) == (value, reason)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.example/x?y=1", True),
        ("http://a.example", True),
        ("mailto:a@b.example", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("https://user:pw@a.example", False),
        ("https://a.example/ x", False),
        ("//a.example", False),
        ("mailto:nobody", False),
    ],
)
def test_url_rules(url: str, ok: bool) -> None:
    assert (url_problem(url, ("https", "http", "mailto")) is None) is ok


def test_ids_match_their_pattern_to_the_end(tmp_path: Path) -> None:
    # `$` matches before a final line feed: "acme\n" passed as an id and as a review's partner.
    problems: list[Problem] = []
    raw = load_content(write(tmp_path, {}))
    listing = YamlFile("partners/acme\n.yaml", parse_yaml(PARTNER, "x.yaml", problems))
    assert validate_partner(listing, None, raw, problems) is None
    program = validate_program(raw.program, problems)
    assert program is not None
    rows = ((1, ("partner", "country", "engineers")), (2, ("acme\n", "NO", "6")))
    assert validate_review(CsvFile("reviews/2026-10-01.csv", rows), program, problems) == []
    assert [str(p) for p in problems] == [
        "partners/acme\\n.yaml:1: id: the file name 'acme\\n' is not a valid id: use 1 to 64 "
        "lowercase letters, digits and hyphens, starting and ending with a letter or digit "
        "(acme-digital.yaml)",
        "reviews/2026-10-01.csv:2: partner: 'acme\\n' is not a partner id",
    ]


def test_problem_format_matches_the_design() -> None:
    problem = Problem("content/partners/acme.yaml", 7, "countries", "'XX' is not an ISO code")
    assert str(problem) == "content/partners/acme.yaml:7: countries: 'XX' is not an ISO code"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a region without a name: the cap on it says nothing more
        (
            "    name: Nordics\n",
            "",
            ["program.yaml:44: regions[0].name: required"],
        ),
        (
            "    country: NO\n    count: 1",
            "    region: nordicz\n    count: 1",  # never declared: still an error
            [
                "program.yaml:51: caps[0].region: 'nordicz' is not a declared region "
                "(did you mean 'nordics'?)"
            ],
        ),
        # a criterion on a metric never declared is still one error; the level still stands
        (
            "      health: {equals: passed}\n",
            "      health: {equals: passed}\n      revenue2: {min: 1}\n",
            [
                "program.yaml:39: levels[2].criteria.revenue2: is not a declared metric "
                "(did you mean 'revenue'?)"
            ],
        ),
        # a metric that fails its own check: every criterion and cap naming it says nothing
        (
            "    type: integer\n",
            "    type: 5\n",
            [
                "program.yaml:7: metrics.engineers.type: '5' is not one of integer, number, "
                "money, choice, boolean"
            ],
        ),
    ],
)
def test_one_mistake_in_program_yaml_is_one_error(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    """Issue 13, item 7: what refers to a declaration that failed its own check says nothing
    more; a reference to something never declared is still an error."""
    assert old in PROGRAM
    # every case caps Gold in the region, so that a failed region has a cap naming it
    text = PROGRAM.replace(old, new, 1).replace("    country: NO\n", "    region: nordics\n")
    _, problems = check(tmp_path, {"program.yaml": text})
    assert [p for p in problems if p.startswith("program.yaml")] == expected


def test_a_review_is_checked_without_a_valid_program() -> None:
    """Issue 13, item 7: its rows, ids and countries; not its figures, which need the metrics.
    The rows it can read come back for the checks across files (a row without a file)."""
    review = CsvFile(
        "reviews/2026-10-01.csv",
        (
            (1, ("partner", "country", "engineers", "nope")),
            (2, ("acme", "NO", "x", "1")),
            (3, ("acme", "QQ", "3", "1")),
            (4, ("a b", "NO", "3")),
        ),
    )
    problems: list[Problem] = []
    rows = validate_review(review, None, problems)
    assert [(r.partner, r.line, r.figures) for r in rows] == [("acme", 2, {})]
    assert [str(p) for p in problems] == [
        "reviews/2026-10-01.csv:3: partner: 'acme' already has a row on line 2",
        "reviews/2026-10-01.csv:3: country: 'QQ' is not an ISO 3166-1 alpha-2 country code",
        "reviews/2026-10-01.csv:4: row: 3 cells; the header has 4",
    ]


def test_review_figures_are_checked_against_the_metrics_valid_on_their_own() -> None:
    """Issue 13, item 7: while program.yaml has an error, a review's figures are still checked
    against each metric that has no error of its own; a metric with one says nothing more."""
    problems: list[Problem] = []
    program = YamlFile(
        "program.yaml",
        parse_yaml(
            "metrics:\n"
            "  engineers: {label: Engineers, type: integer, min: 0, public: true}\n"
            "  revenue: {label: Revenue, type: money, public: false}\n"
            "  audited: {label: Audited, type: boolean, public: false}\n"
            "  size: {label: Size, type: huge, public: true}\n"
            "review: {grace_days: soon}\n",
            "program.yaml",
            problems,
        ),
    )
    declared = declared_metrics(program)
    assert declared is not None and sorted(declared.valid) == ["engineers", "revenue"]
    review = CsvFile(
        "reviews/2026-10-01.csv",
        (
            (1, ("partner", "country", "engineers", "revenue", "audited", "size", "nope")),
            (2, ("acme", "NO", "-1", "250000", "x", "x", "1")),
        ),
    )
    assert validate_review(review, None, problems, declared=declared) == []
    assert [str(p) for p in problems] == [
        "reviews/2026-10-01.csv:1: nope: is not a declared metric",
        "reviews/2026-10-01.csv:2: engineers: -1 is below the minimum 0",
        "reviews/2026-10-01.csv:2: revenue: a private figure must not be committed: keep it in "
        "your private reviews and run `python build.py seal`",
    ]
    unread = YamlFile("program.yaml", parse_yaml("metrics: 3\n", "program.yaml", problems))
    assert declared_metrics(unread) is None


# --- Whole lists and plain web addresses, checked without a call per entry ---------------------

#: Entries PROGRAM allows in each list field of a partner file.
VALID_ENTRIES = {"countries": ["NO", "SE"], "languages": ["no", "en"], "programs": ["reseller"],
                 "services": ["training"], "industries": [],
                 "maintainers": ["acme-dev", "@acme-dev", "@acme-dev/team", "b"]}  # fmt: skip
#: Entries that are wrong somewhere, or everywhere.
ODD_ENTRIES = st.one_of(
    st.sampled_from(["XX", " NO", "NO ", "", "no", "EN", "other", "@", "a b", "-x", "NO\n"]),
    st.none(),
    st.builds(YamlList, st.just(1)),
)


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.data(), name=st.sampled_from(sorted(VALID_ENTRIES)), with_program=st.booleans())
def test_a_whole_list_accepted_at_once_is_what_its_entries_give(
    data: st.DataObject, name: str, with_program: bool
) -> None:
    valid_entry = st.sampled_from(VALID_ENTRIES[name] or ["training"])
    entries: list[YamlValue] = data.draw(st.lists(st.one_of(valid_entry, ODD_ENTRIES), max_size=12))
    problems: list[Problem] = []
    program = validate_program(YamlFile("program.yaml", parse_yaml(PROGRAM, "p", problems)), [])
    assert program is not None
    spec = FIELDS_BY_NAME[name]
    root = YamlMap(1, {name: YamlList(2, entries, [2] * len(entries))}, {name: 2})
    shown = program if with_program else None
    valid = partner._valid_entries(entries, spec, shown)
    checked = partner._checked_entries(FieldChecker("f.yaml", problems), root, spec, shown)
    if valid is not None:
        assert (valid, problems) == (checked, [])


@pytest.mark.parametrize(
    ("name", "entries"),
    [("countries", ["NO", "SE"]), ("languages", ["no", "en"]), ("services", ["training"]),
     ("maintainers", ["acme-dev", "@a/b"])],
)  # fmt: skip
def test_valid_lists_are_accepted_whole(name: str, entries: list[YamlValue]) -> None:
    problems: list[Problem] = []
    program = validate_program(YamlFile("program.yaml", parse_yaml(PROGRAM, "p", problems)), [])
    assert partner._valid_entries(entries, FIELDS_BY_NAME[name], program)


#: Links made of a scheme, a user, a host, a port and a path, each usual or odd.
WEB_ADDRESSES = st.tuples(
    st.sampled_from(["https", "http", "HTTPS", "hTtP", "ftp", "mailto", "javascript", ""]),
    st.sampled_from(["://", ":", ":///", "//"]),
    st.sampled_from(["", "", "user@", "user:pw@", "@", ":@", "a.b+c%d@", "a b@", "a/b@"]),
    st.lists(st.sampled_from(["a", "example", "b-c", "-", "xn--d", "é", "ａ", "_", "1", "[::1]",
                              "%41", "", " "]), max_size=4).map(".".join),
    st.sampled_from(["", "", ":8080", ":", ":x"]),
    st.sampled_from(["", "/", "/x?y=1#z", "/ x", "/\x7f", "/é", "?q", "#f", "\\", "/a@b"]),
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None, database=None)
@given(
    url=WEB_ADDRESSES,
    schemes=st.sampled_from([("https", "http"), ("https",), ("https", "http", "mailto")]),
)
def test_a_plain_web_address_is_judged_as_urlsplit_judges_it(
    url: str, schemes: tuple[str, ...]
) -> None:
    assert links.url_problem(url, schemes) == links._problem(url, schemes)
