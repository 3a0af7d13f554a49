"""The example content (content/) as an oracle: what content/README.md says it shows.

The only test module that asserts what the example holds: its files, the lines its check
prints, every partner's level and history on its build date 2026-11-24 (and on other dates the
README names), and the site built from it. Every other test builds a small site of its own
(tests/factories.py, tests/sites/, tests/invalid/), so an edit of the example breaks this file
alone, and this file says what to update in content/README.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
import yaml
from paths import BUILD_DATE, EXAMPLE, ROOT
from scanner import PROJECT_SITE, output_texts

from partnerdir.cli import main
from partnerdir.content.checking import check_content
from partnerdir.levels import earned_level
from partnerdir.model import Evaluation, Program, Sealed, Standing
from partnerdir.pipeline import BuildResult

#: The path the example is built under (conftest.example_site).
BASE_PATH = urlsplit(PROJECT_SITE).path

# --- The files -------------------------------------------------------------------------------


def test_the_files_are_the_ones_the_readme_lists() -> None:
    """51 partner listings, 17 with an SVG logo beside them, 38 with a summary and 40 with a
    head-office city; five quarterly reviews and one
    onboarding file, with the README's row counts."""
    partners = EXAMPLE / "partners"
    assert len(list(partners.glob("*.yaml"))) == 51
    assert len(list(partners.glob("*.svg"))) == 17
    texts = [path.read_text() for path in partners.glob("*.yaml")]
    assert sum(bool(re.search(r"^summary: ", t, re.M)) for t in texts) == 38
    assert sum(bool(re.search(r"^city: ", t, re.M)) for t in texts) == 40
    assert sorted(p.suffix for p in partners.iterdir() if p.suffix not in (".yaml", ".svg")) == []
    rows = {}
    for review in sorted((EXAMPLE / "reviews").glob("*.csv")):
        with review.open(newline="") as f:
            rows[review.stem] = len(list(csv.DictReader(f)))
    assert rows == {
        "2025-10-01": 38,
        "2026-01-05": 44,
        "2026-04-01": 46,
        "2026-07-01": 48,
        "2026-10-01": 48,
        "2026-10-20": 2,
    }


def test_the_only_private_metric_is_sealed_in_every_review() -> None:
    """annual_revenue is private: the reviews hold its seals, such as `>=50000 <200000`
    (tests/test_site.py checks that none of them reaches the site)."""
    program = yaml.safe_load((EXAMPLE / "program.yaml").read_text())
    private = [m for m, spec in program["metrics"].items() if spec.get("public") is False]
    assert private == ["annual_revenue"]
    cells = set()
    for review in sorted((EXAMPLE / "reviews").glob("*.csv")):
        with review.open(newline="") as f:
            cells.update(row["annual_revenue"] for row in csv.DictReader(f))
    assert len(cells - {""}) > 5
    assert all(cell.startswith(("<", ">")) for cell in cells - {""}), cells


def test_the_example_reviews_hold_sealed_private_cells_only() -> None:
    """Every private cell of the 226 (one a review row) is empty or a seal as the `seal`
    command writes it, and the check agrees: each seal decides every target of its partner's
    country (tests/test_sealing.py tests the seal itself)."""
    program, _ = example(BUILD_DATE)  # checked without errors
    private = [m.id for m in program.metrics.values() if not m.public]
    assert private == ["annual_revenue"]
    cells = []
    for review in sorted((EXAMPLE / "reviews").glob("*.csv")):
        with review.open(newline="") as f:
            cells += [row[metric] for row in csv.DictReader(f) for metric in private]
    assert len(cells) == 226
    assert [c for c in cells if c and not written_as_sealed(c)] == []


def written_as_sealed(cell: str) -> bool:
    """A seal, written as `seal` writes it (within the grammar of docs/content-format.md)."""
    sealed = Sealed.parse(cell)
    return sealed is not None and sealed.cell() == cell


# --- The check -------------------------------------------------------------------------------


def test_the_check_ends_with_the_two_intended_warnings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python build.py check --today 2026-11-24`, as the README runs it."""
    monkeypatch.chdir(ROOT)
    assert main(["check", "--content", "content", "--today", str(BUILD_DATE)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "content/partners/isar-insight.yaml:1: warning: not yet reviewed: listed after the "
        "programme's first review of it",
        "content/partners/meseta-datos.yaml:1: warning: expired: still Registered 365 days after "
        "joining on 2025-10-01; not listed until it earns a higher level",
        "Checked program.yaml, 2 rules files, 51 partner files and 6 review files "
        "(build date 2026-11-24): 0 errors, 2 warnings.",
        "Listed: 49 partners (Platinum 9, Gold 13, Silver 21, Registered 6); 1 expired, "
        "1 not yet reviewed.",
        "Since the review of 2026-10-01: 3 promotions, 0 demotions; 1 under review.",
        "  2026-10-01  altiplano-datos: Silver -> Gold (promoted: meets the Gold criteria)",
        "  2026-10-01  canal-analytique: Silver -> Gold (promoted: meets the Gold criteria)",
        "  2026-10-01  malabar-analytics: Registered -> Silver (promoted: meets the Silver "
        "criteria)",
        "  under review until 2026-12-30: elbufer-datentechnik",
    ]


# --- The levels, as content/README.md's table gives them -------------------------------------


@functools.cache
def example(today: dt.date) -> tuple[Program, Evaluation]:
    """The example's programme and its levels on `today`, checked once a date."""
    checked = check_content(EXAMPLE, today)
    assert checked.errors == 0, [str(p) for p in checked.problems]
    assert checked.directory is not None and checked.evaluation is not None
    return checked.directory.program, checked.evaluation


INITIAL = {"registered": "R", "silver": "S", "gold": "G", "platinum": "P"}


def earned_letters(standing: Standing) -> str:
    return "".join(INITIAL[h.earned] for h in standing.history if h.reviewed)


def test_example_lists_the_levels_the_readme_states() -> None:
    _, evaluation = example(BUILD_DATE)
    listed = [s for s in evaluation.standings.values() if not s.expired]
    assert len(evaluation.standings) == 50  # 51 partner files; isar-insight has no row yet
    assert "isar-insight" not in evaluation.standings
    assert [s.partner for s in evaluation.standings.values() if s.expired] == ["meseta-datos"]
    assert len(listed) == 49
    assert Counter(s.level for s in listed) == {
        "platinum": 9,
        "gold": 13,
        "silver": 21,
        "registered": 6,
    }


EXAMPLE_TABLE = [
    # partner, earned per review, level, level since, member since, under review until
    ("zuiderzee-systems", "PPPPP", "gold", "2025-10-01", "2025-10-01", None),
    ("polder-data-group", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("grachten-analytics", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("kilima-data-labs", "SSSSG", "silver", "2025-10-01", "2025-10-01", None),
    ("elbufer-datentechnik", "GGGGS", "gold", "2025-10-01", "2025-10-01", "2026-12-30"),
    ("thameside-data", "GGSSS", "silver", "2026-06-30", "2025-10-01", None),
    ("skargard-analys", "PGPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("canal-analytique", "SSSSG", "gold", "2026-10-01", "2025-10-01", None),
    ("altiplano-datos", "SSSSG", "gold", "2026-10-01", "2025-10-01", None),
    ("malabar-analytics", "RRRS", "silver", "2026-10-01", "2026-01-05", None),
    ("lagos-ledger-analytics", "SGSGG", "gold", "2026-07-01", "2025-10-01", None),
    ("kanda-integration", "GGGPP", "platinum", "2026-07-01", "2025-10-01", None),
    ("nordlys-analyse", "RSSS", "silver", "2026-04-01", "2026-01-05", None),
    ("eko-bridge-consulting", "RRSSS", "silver", "2026-04-01", "2025-10-01", None),
    ("albufera-analitica", "RSSSS", "silver", "2026-01-05", "2025-10-01", None),
    ("meseta-datos", "RRRRR", "registered", "2025-10-01", "2025-10-01", None),
    ("tulpveld-it", "RRRR", "registered", "2026-01-05", "2026-01-05", None),
    ("navigli-data-studio", "S", "silver", "2026-10-20", "2026-10-20", None),
    ("prairie-signal", "R", "registered", "2026-10-20", "2026-10-20", None),
    ("atlantica-plataforma", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("fjordline-data", "PPPPP", "platinum", "2025-10-01", "2025-10-01", None),
    ("oresund-data", "GGGGG", "gold", "2025-10-01", "2025-10-01", None),
]


@pytest.mark.parametrize(
    ("partner", "letters", "level", "since", "member", "until"),
    EXAMPLE_TABLE,
    ids=[case[0] for case in EXAMPLE_TABLE],
)
def test_example_partner(
    partner: str, letters: str, level: str, since: str, member: str, until: str | None
) -> None:
    standing = example(BUILD_DATE)[1].standings[partner]
    assert earned_letters(standing) == letters
    assert standing.level == level
    assert standing.level_since == dt.date.fromisoformat(since)
    assert standing.member_since == dt.date.fromisoformat(member)
    assert standing.under_review_until == (dt.date.fromisoformat(until) if until else None)


def test_example_level_changes_are_the_readme_ones() -> None:
    _, evaluation = example(BUILD_DATE)
    shifts = [(str(c.date), c.partner, c.previous, c.level) for c in evaluation.changes]
    assert [shift for shift in shifts if shift[2]] == [
        ("2026-01-05", "albufera-analitica", "registered", "silver"),
        ("2026-01-05", "lagos-ledger-analytics", "silver", "gold"),
        ("2026-04-01", "eko-bridge-consulting", "registered", "silver"),
        ("2026-04-01", "nordlys-analyse", "registered", "silver"),
        # rules/2026-03-01.yaml: Gold in Emerging markets, Africa asks for 6 engineers, not 5
        ("2026-05-30", "lagos-ledger-analytics", "gold", "silver"),
        ("2026-06-30", "thameside-data", "gold", "silver"),
        ("2026-07-01", "kanda-integration", "gold", "platinum"),
        ("2026-07-01", "lagos-ledger-analytics", "silver", "gold"),
        ("2026-10-01", "altiplano-datos", "silver", "gold"),
        ("2026-10-01", "canal-analytique", "silver", "gold"),
        ("2026-10-01", "malabar-analytics", "registered", "silver"),
    ]


def test_example_caps_bite_with_the_readme_reasons() -> None:
    _, evaluation = example(BUILD_DATE)
    zuiderzee = evaluation.standings["zuiderzee-systems"]
    grachten = evaluation.standings["grachten-analytics"]
    assert (zuiderzee.earned, zuiderzee.capped) == ("platinum", "gold")
    assert zuiderzee.reason == (
        "meets Platinum criteria; Platinum is capped at 2 in NL, held by Polder Data Group B.V. "
        "and Grachten Analytics"
    )
    # the README's tie: same csat, Grachten answers faster although Zuiderzee has more engineers
    z, g = zuiderzee.latest.figures, grachten.latest.figures
    assert z["csat"] == g["csat"] == 4.7
    assert (z["median_ticket_days"], g["median_ticket_days"]) == (2.6, 2.1)
    assert z["certified_engineers"] > g["certified_engineers"]
    kilima = evaluation.standings["kilima-data-labs"]
    assert (kilima.earned, kilima.capped) == ("gold", "silver")
    assert kilima.reason == (
        "meets Gold criteria; Gold is capped at 25% (2 of 8 partners) in Emerging markets, "
        "Africa, held by Savanna Cloud Works and Lagos Ledger Analytics"
    )
    earners = sorted(
        (s.latest.figures["customer_deployments"], p)
        for p, s in evaluation.standings.items()
        if s.earned == "gold" and s.country in ("ET", "GH", "KE", "NG", "RW", "SN", "TZ", "UG")
    )
    assert [p for _, p in earners] == [
        "kilima-data-labs",
        "lagos-ledger-analytics",
        "savanna-cloud-works",
    ]


def test_example_grace_cancelled_by_recovery() -> None:
    skargard = example(BUILD_DATE)[1].standings["skargard-analys"]
    steps = [
        (str(h.date), h.capped, h.level, h.under_review_until)
        for h in skargard.history
        if h.reviewed  # not the date of rules/2026-03-01.yaml, which judges it too
    ]
    assert steps[:3] == [
        ("2025-10-01", "platinum", "platinum", None),
        ("2026-01-05", "gold", "platinum", dt.date(2026, 4, 5)),
        ("2026-04-01", "platinum", "platinum", None),
    ]


@pytest.mark.parametrize(
    ("today", "level", "until", "since"),
    [
        (dt.date(2026, 12, 29), "gold", dt.date(2026, 12, 30), dt.date(2025, 10, 1)),
        (dt.date(2026, 12, 30), "silver", None, dt.date(2026, 12, 30)),
    ],
)
def test_example_grace_runs_out_on_the_build_date_alone(
    today: dt.date, level: str, until: dt.date | None, since: dt.date
) -> None:
    evaluation = example(today)[1]
    elbufer = evaluation.standings["elbufer-datentechnik"]
    assert (elbufer.level, elbufer.under_review_until, elbufer.level_since) == (level, until, since)
    demoted = [(c.date, c.previous, c.level) for c in evaluation.changes if c.date > BUILD_DATE]
    assert demoted == ([] if until else [(since, "gold", "silver")])


@pytest.mark.parametrize(
    ("partner", "today", "expired"),
    [
        ("meseta-datos", dt.date(2026, 9, 30), False),
        ("meseta-datos", dt.date(2026, 10, 1), True),
        ("tulpveld-it", dt.date(2027, 1, 4), False),
        ("tulpveld-it", dt.date(2027, 1, 5), True),
    ],
)
def test_example_entry_expiry(partner: str, today: dt.date, expired: bool) -> None:
    assert example(today)[1].standings[partner].expired is expired


@pytest.mark.parametrize(
    ("partner", "level", "in_germany"),
    [
        ("savanna-cloud-works", "gold", "silver"),
        ("lagos-ledger-analytics", "gold", "silver"),
        ("cerrado-analytics", "gold", "silver"),
        ("altiplano-datos", "gold", "silver"),
        ("atlantica-plataforma", "platinum", "gold"),
        ("rift-valley-digital", "silver", "registered"),
        ("thousand-hills-data", "silver", "registered"),
        ("volta-analytics", "silver", "registered"),
        ("harmattan-systems", "silver", "registered"),
        ("eko-bridge-consulting", "silver", "registered"),
        ("paulista-dados", "silver", "registered"),
        ("fjordline-data", "platinum", "gold"),
        ("oresund-data", "gold", "silver"),
    ],
)
def test_example_regional_targets(partner: str, level: str, in_germany: str) -> None:
    program, evaluation = example(BUILD_DATE)
    standing = evaluation.standings[partner]
    assert standing.level == level
    moved = dataclasses.replace(standing.latest, country="DE")
    assert earned_level(program, moved) == in_germany


def test_example_private_revenue_never_reaches_a_path() -> None:
    _, evaluation = example(BUILD_DATE)
    paths = [s.path for s in evaluation.standings.values() if s.path is not None]
    revenue = [c for path in paths for c in path.criteria if c.metric == "annual_revenue"]
    assert len(revenue) == len(paths)  # every level above Registered has a revenue target
    assert all(c.value is None and not c.public for c in revenue)
    assert all(c.progress == (100 if c.met else 0) for c in revenue)


# --- The dated rules: rules/2026-03-01.yaml in the past, rules/2027-03-01.yaml upcoming -------


def test_example_judges_lagos_by_the_rules_in_force_on_each_date() -> None:
    """From 1 March 2026 Gold in Emerging markets, Africa asks for 6 engineers: Lagos Ledger
    Analytics, with 5, goes under review that day, drops when the grace runs out, and is
    promoted again at the July review (6 engineers)."""
    program, evaluation = example(BUILD_DATE)
    lagos = evaluation.standings["lagos-ledger-analytics"]
    assert [
        (str(h.date), h.earned, h.level, h.under_review_until, h.reviewed) for h in lagos.history
    ][1:5] == [
        ("2026-01-05", "gold", "gold", None, True),
        ("2026-03-01", "silver", "gold", dt.date(2026, 5, 30), False),
        ("2026-04-01", "silver", "gold", dt.date(2026, 5, 30), True),
        ("2026-07-01", "gold", "gold", None, True),
    ]
    assert [c.date for c in program.changes] == [dt.date(2026, 3, 1), dt.date(2027, 3, 1)]
    # a build before the rules file's date judges by program.yaml alone
    before = example(dt.date(2026, 2, 28))[1].standings["lagos-ledger-analytics"]
    assert (before.level, before.under_review_until) == ("gold", None)


def test_example_upcoming_rules_are_public(
    example_pages: dict[str, str], example_site: Path
) -> None:
    program_page = example_pages["program/index.html"]
    assert "From 1 March 2027" in program_page
    assert "Gold: customer satisfaction of at least 4.5 / 5 (until then at least 4.3 / 5)" in (
        program_page
    )
    assert (
        "From 1 March 2027 Gold asks for customer satisfaction of at least 4.5 / 5: 4.4 / 5 now"
        in example_pages["partners/bastide-data/index.html"]
    )
    # the Gold page says what changes for Gold; the other levels' pages, which it leaves, do not
    gold = example_pages["levels/gold/index.html"]
    assert "From 1 March 2027" in gold
    assert "Gold: customer satisfaction of at least 4.5 / 5 (until then at least 4.3 / 5)" in gold
    for level in ("platinum", "silver", "registered"):
        assert "Upcoming changes" not in example_pages[f"levels/{level}/index.html"]
    feed = (example_site / "changes.xml").read_text()
    assert feed.count('<category term="rules" />') == 2


def test_example_report_names_the_gold_partners_the_upcoming_rules_would_drop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert (
        main(["report", "--content", "content", "--today", str(BUILD_DATE), "--format", "csv"]) == 0
    )
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {r["partner"]: r["upcoming rules"] for r in rows if r["upcoming rules"]} == {
        "bastide-data": "Silver from 2027-03-01",
        "canal-analytique": "Silver from 2027-03-01",
        "deccan-data-labs": "Silver from 2027-03-01",
        "triana-cloud": "Silver from 2027-03-01",
    }


# --- The site, as content/README.md says it shows ---------------------------------------------


def test_the_site_has_a_page_for_each_listed_partner_and_country(
    example_build: BuildResult, example_site: Path, example_pages: dict[str, str]
) -> None:
    """49 profiles, 44 country pages (one per country a listed partner serves) and their index,
    4 level pages, home, programme, statistics and 404: 102 pages, as the build reports; each
    listed partner in partners.json and the search index."""
    assert (example_build.pages, example_build.listed) == (102, 49)
    kinds = Counter(name.split("/")[0] if "/" in name else name for name in example_pages)
    assert kinds == {
        "partners": 49,
        "countries": 45,
        "levels": 4,
        "index.html": 1,
        "program": 1,
        "stats": 1,
        "404.html": 1,
    }
    assert len(example_pages) == 102
    assert len(json.loads((example_site / "partners.json").read_text())) == 49
    assert len(list(example_site.glob("pagefind/fragment/*.pf_fragment"))) == 49


def tree(html: str) -> ElementTree.Element:
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    assert isinstance(root, ElementTree.Element)
    return root


def by_class(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def profile_level(pages: Mapping[str, str], partner: str) -> str:
    """The level id of a profile's badge (class level-<id>) and its visible name."""
    (line,) = by_class(tree(pages[f"partners/{partner}/index.html"]), "profile-level")
    (badge,) = by_class(line, "badge")
    classes = [c for c in (badge.get("class") or "").split() if c.startswith("level-")]
    assert len(classes) == 1 and text(badge) == "Level: " + classes[0][6:].title()
    return classes[0][6:]


def notices(pages: Mapping[str, str], partner: str, kind: str) -> list[str]:
    root = tree(pages[f"partners/{partner}/index.html"])
    return [text(n) for n in by_class(root, "notice") if f"notice-{kind}" in n.get("class", "")]


@pytest.mark.parametrize(
    ("partner", "level", "earned", "words"),
    [
        (
            "zuiderzee-systems",
            "gold",
            "Platinum",
            ("Platinum in the Netherlands is limited to 2 partners", "listed as Gold"),
        ),
        (
            "kilima-data-labs",
            "silver",
            "Gold",
            ("Gold in Emerging markets, Africa is limited to 25% of the partners there",),
        ),
    ],
)
def test_a_capped_partner_holds_the_level_below_and_says_why(
    example_pages: dict[str, str], partner: str, level: str, earned: str, words: tuple[str, ...]
) -> None:
    assert profile_level(example_pages, partner) == level
    (notice,) = notices(example_pages, partner, "cap")
    assert notice.startswith(f"Meets the {earned} criteria ")
    for word in words:
        assert word in notice
    assert partner in level_page_partners(example_pages, level)
    assert partner not in level_page_partners(example_pages, earned.lower())
    # the path to the capped level shows every criterion met, and says what holds it back
    body = text(tree(example_pages[f"partners/{partner}/index.html"]))
    level_name = level.capitalize()
    assert f"met for Level: {earned}. A cap holds it at {level_name} for now" in " ".join(
        body.split()
    )


def test_a_partner_under_review_keeps_its_level_until_the_date(
    example_pages: dict[str, str],
) -> None:
    assert profile_level(example_pages, "elbufer-datentechnik") == "gold"
    (notice,) = notices(example_pages, "elbufer-datentechnik", "review")
    assert notice.startswith("Under review until 30 December 2026")
    assert "elbufer-datentechnik" in level_page_partners(example_pages, "gold")


@pytest.mark.parametrize("partner", ["meseta-datos", "isar-insight"])
def test_an_expired_or_unreviewed_partner_is_nowhere(
    example_site: Path, example_files: set[str], partner: str
) -> None:
    """meseta-datos expired (Registered for 365 days), isar-insight has no review row: no
    profile or logo, and only the neutral badge, so that a badge embedded on their sites still
    shows. The feed keeps meseta-datos's past entries (issue 13 item 6), linking home."""
    data = yaml.safe_load((EXAMPLE / "partners" / f"{partner}.yaml").read_text())
    assert [name for name in example_files if partner in name] == [f"badges/{partner}.svg"]
    badge = (example_site / "badges" / f"{partner}.svg").read_text()
    assert ">not listed</text>" in badge
    listed = [p["id"] for p in json.loads((example_site / "partners.json").read_text())]
    assert len(listed) == 49 and partner not in listed
    assert f"/partners/{partner}/" not in (example_site / "sitemap.xml").read_text()
    traces = [str(data["name"]), str(data["website"]), partner]
    found = [(name, t) for name, body in output_texts(example_site) for t in traces if t in body]
    if partner == "meseta-datos":
        assert sorted(found) == [("changes.xml", "Meseta Datos S.L."), ("changes.xml", partner)]
        feed = (example_site / "changes.xml").read_text()
        assert "<title>Meseta Datos S.L.: joined at Registered</title>" in feed
        assert "<title>Meseta Datos S.L.: no longer listed (entry period ended)</title>" in feed
        assert f'/partners/{partner}/"' not in feed  # its entries link home, not to a 404
    else:
        assert found == []


#: content/README.md: levels on 2026-11-24 of the partners that show a rule.
README_LEVELS = {
    "zuiderzee-systems": "gold",
    "polder-data-group": "platinum",
    "grachten-analytics": "platinum",
    "kilima-data-labs": "silver",
    "elbufer-datentechnik": "gold",
    "thameside-data": "silver",
    "skargard-analys": "platinum",
    "canal-analytique": "gold",
    "altiplano-datos": "gold",
    "malabar-analytics": "silver",
    "albufera-analitica": "silver",
    "eko-bridge-consulting": "silver",
    "tulpveld-it": "registered",
    "navigli-data-studio": "silver",
    "prairie-signal": "registered",
    "savanna-cloud-works": "gold",
    "lagos-ledger-analytics": "gold",
    "cerrado-analytics": "gold",
    "atlantica-plataforma": "platinum",
    "rift-valley-digital": "silver",
    "thousand-hills-data": "silver",
    "volta-analytics": "silver",
    "harmattan-systems": "silver",
    "paulista-dados": "silver",
    "fjordline-data": "platinum",
    "oresund-data": "gold",
    "kanda-integration": "platinum",
    "nordlys-analyse": "silver",
}
#: content/README.md: "9 Platinum, 13 Gold, 21 Silver and 6 Registered".
README_COUNTS = {"platinum": 9, "gold": 13, "silver": 21, "registered": 6}


def level_page_partners(pages: Mapping[str, str], level: str) -> set[str]:
    """Ids of the partners a level page lists (its cards link to their profiles)."""
    root = tree(pages[f"levels/{level}/index.html"])
    profile = re.compile(re.escape(BASE_PATH) + r"partners/([a-z0-9-]+)/")
    found = []
    for title in by_class(root, "card-title"):
        for link in title.iter("a"):
            match = profile.fullmatch(link.get("href", ""))
            assert match, link.get("href")
            found.append(match.group(1))
    assert len(found) == len(set(found)), "a partner listed twice"
    return set(found)


def test_each_level_page_lists_exactly_the_partners_at_that_level(
    example_site: Path, example_pages: dict[str, str]
) -> None:
    profiles = sorted(
        name.split("/")[1]
        for name in example_pages
        if re.fullmatch(r"partners/[^/]+/index\.html", name)
    )
    shown = {partner: profile_level(example_pages, partner) for partner in profiles}
    records = json.loads((example_site / "partners.json").read_text())
    data = {p["id"]: p["level"] for p in records}
    assert data == shown
    assert README_LEVELS.items() <= shown.items()
    for level, count in README_COUNTS.items():
        expected = {partner for partner, at in shown.items() if at == level}
        assert level_page_partners(example_pages, level) == expected
        assert len(expected) == count, level


def timeline(pages: Mapping[str, str], partner: str) -> list[str]:
    """A profile's level history: each item's date and title, oldest first."""
    root = tree(pages[f"partners/{partner}/index.html"])
    return [text(head) for head in by_class(root, "timeline-head")]


#: content/README.md, "Which partner shows which event of the level history".
README_TIMELINES = {
    "zuiderzee-systems": [
        "1 October 2025 Joined at Gold",
        "1 October 2025 Held at Gold by a cap",
    ],
    "kilima-data-labs": [
        "1 October 2025 Joined at Silver",
        "1 October 2026 Held at Silver by a cap",
    ],
    # a past rules file's date is an evaluation date: under review from it, without a review
    "lagos-ledger-analytics": [
        "1 October 2025 Joined at Silver",
        "5 January 2026 Promoted to Gold",
        "1 March 2026 Under review until 30 May 2026",
        "30 May 2026 Dropped to Silver",
        "1 July 2026 Promoted to Gold",
    ],
    "elbufer-datentechnik": [
        "1 October 2025 Joined at Gold",
        "1 October 2026 Under review until 30 December 2026",
    ],
    "thameside-data": [
        "1 October 2025 Joined at Gold",
        "1 April 2026 Under review until 30 June 2026",
        "30 June 2026 Dropped to Silver",
    ],
    "skargard-analys": [
        "1 October 2025 Joined at Platinum",
        "5 January 2026 Under review until 5 April 2026",
        "1 April 2026 Recovered: keeps Platinum",
    ],
    "canal-analytique": ["1 October 2025 Joined at Silver", "1 October 2026 Promoted to Gold"],
    "tulpveld-it": [
        "5 January 2026 Joined at Registered",
        "1 October 2026 Entry period ends on 5 January 2027",
    ],
}


@pytest.mark.parametrize("partner", sorted(README_TIMELINES))
def test_each_timeline_case_the_readme_names(example_pages: dict[str, str], partner: str) -> None:
    assert timeline(example_pages, partner) == README_TIMELINES[partner]


def test_a_registered_partner_sees_when_its_entry_period_ends(
    example_pages: dict[str, str],
) -> None:
    (notice,) = notices(example_pages, "tulpveld-it", "entry")
    assert notice.startswith("Entry period ends on 5 January 2027")
    assert notices(example_pages, "prairie-signal", "entry")[0].startswith(
        "Entry period ends on 20 October 2027"
    )
    assert notices(example_pages, "canal-analytique", "entry") == []


def test_regional_targets_are_named_on_the_path_and_the_level_page(
    example_pages: dict[str, str],
) -> None:
    savanna = text(tree(example_pages["partners/savanna-cloud-works/index.html"]))
    assert "Targets for Emerging markets, Africa: this partner is measured in" in savanna
    gold = text(tree(example_pages["levels/gold/index.html"]))
    assert (
        "Judged by the targets for Emerging markets, Africa: Lagos Ledger Analytics and Savanna "
        "Cloud Works."
    ) in gold
    assert "Judged by the targets for Latin America: Altiplano Datos and Cerrado Analytics." in gold
    canal = text(tree(example_pages["partners/canal-analytique/index.html"]))
    assert "Targets for" not in canal


def test_a_card_shows_what_helps_choose(example_pages: dict[str, str]) -> None:
    """A card on home holds the partner's summary, its head office, its first two services and
    its two public counts; a partner without a summary or city has no such line."""
    cards = {
        text(by_class(card, "card-title")[0]): card
        for card in by_class(tree(example_pages["index.html"]), "card")
    }
    polder = {
        line: text(by_class(cards["Polder Data Group B.V."], line)[0])
        for line in ("card-summary", "card-place", "card-services", "card-figures")
    }
    assert polder == {
        "card-summary": "Full-service Northwind partner for finance, government and energy in "
        "the Benelux.",
        "card-place": "Head office: Utrecht, Netherlands",
        "card-services": "Services: Implementation, Data migration and 4 more",
        "card-figures": "Certified engineers: 42 · Customer deployments: 288",
    }
    nordlys = cards["Nordlys Analyse"]
    assert by_class(nordlys, "card-summary") == by_class(nordlys, "card-place") == []
