"""Hypothesis strategies of the tests, in one module: hostile sites, random level cases and
edited partner files.

- hostile_sites(): valid directories whose partner text and links are hostile, for the output
  scanner (tests/test_site.py).
- programs(), figures(), reviews(), cases(), timelines(): random programmes and reviews for
  the level rules (tests/test_levels_properties.py), on the engineers ladder (ladder.py).
- partner_file_edits() and apply_edits(): a valid partner file broken by a careless or hostile
  editor (tests/test_properties.py).
- yaml_texts(): files close to the plain shape of content/plainyaml.py, and just outside it
  (tests/test_plainyaml.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from factories import Q3, Q4, SECRET_REVENUE, make_partner, make_program, make_row
from hypothesis import strategies as st
from ladder import ladder, nl_cap, row

from partnerdir.content.safety.links import url_problem
from partnerdir.levels import earned_level
from partnerdir.model import (
    Cap,
    Criterion,
    Directory,
    Op,
    Program,
    Region,
    ReviewRow,
    ReviewRules,
    Rules,
    Sealed,
    Value,
)

# --- Sites with hostile text and links ---------------------------------------------------------

#: Revenue figures of the generated reviews: private, so they must appear nowhere.
PRIVATE_REVENUES = (SECRET_REVENUE, 98765)
#: Sealed revenue figures, as committed review files hold them: the level rules read them.
PRIVATE_SEALS = (Sealed(100000, True, 400000, False), Sealed(upper=100000), Sealed(400000, True))

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&amp;",
    '"',
    "'",
    '" onmouseover="alert(1)',
    "</textarea><script>alert(1)</script>",
    "]]><script>",
]
HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "<javascript:alert(1)>",
]
PLAIN_TEXT = st.text(
    # what the check refuses in text: controls, noncharacters, line separators, bidi controls
    st.characters(
        blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"),  # Cn: noncharacters
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=12,
)


@st.composite
def partner_names(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), PLAIN_TEXT), min_size=1, max_size=4)
    )
    return " ".join(pieces)[:100].strip() or "Plain Name"


@st.composite
def websites(draw: st.DrawFn) -> str:
    host = draw(
        st.from_regex(
            r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?\.(example|example\.com)", fullmatch=True
        )
    )
    path = draw(
        st.sampled_from(
            ["", "/", "/contact", '/?q="><script>alert(1)</script>', "/a'b", "/#x{{7*7}}"]
        )
    )
    url = f"{draw(st.sampled_from(['https', 'http']))}://{host}{path}"
    assert url_problem(url, ("http", "https")) is None  # the check accepts it
    return url


@st.composite
def descriptions(draw: st.DrawFn, website: str) -> str:
    link = st.builds(
        lambda text, target: f"[{text}]({target})",
        st.sampled_from(["site", "click", "<b>x</b>", "{{ 7*7 }}"]),
        st.sampled_from([*HOSTILE_LINKS, website]),
    )
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(HOSTILE_TEXT),
                link,
                PLAIN_TEXT,
                st.sampled_from(["**bold**", "- item", "# Head", "> quote", "`code`"]),
            ),
            min_size=1,
            max_size=8,
        )
    )
    separators = draw(
        st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=len(pieces), max_size=len(pieces))
    )
    return "".join(p + s for p, s in zip(pieces, separators, strict=True)).strip() or "Plain."


@st.composite
def hostile_sites(draw: st.DrawFn) -> tuple[Directory, set[str]]:
    """A valid directory of 1 to 4 partners with drawn text and links, and the links it allows."""
    program = make_program()
    countries = ("NL", "BE", "DE", "KE", "NG")
    partners, rows, allowed = [], [], set()
    for n in range(draw(st.integers(1, 4))):
        partner_id = f"partner-{n}"
        website = draw(websites())
        contact = draw(
            st.one_of(st.none(), websites(), st.just(f"mailto:sales@{partner_id}.example"))
        )
        country = draw(st.sampled_from(countries))
        partners.append(
            make_partner(
                partner_id,
                name=draw(partner_names()),
                description=draw(descriptions(website)),
                website=website,
                contact=contact,
                countries=tuple(
                    draw(st.sets(st.sampled_from(countries), min_size=1, max_size=3)) | {country}
                ),
            )
        )
        allowed |= {website} | ({contact} if contact else set())
        for date in draw(st.sampled_from([(Q4,), (Q3, Q4)])):
            rows.append(
                make_row(
                    partner_id,
                    date,
                    country,
                    certified_engineers=draw(st.integers(0, 30)),
                    csat=draw(st.sampled_from([3.5, 4.2, 4.6, 4.9])),
                    annual_revenue=draw(st.sampled_from([*PRIVATE_REVENUES, *PRIVATE_SEALS])),
                    health_check=draw(st.sampled_from(["failed", "passed", "excellent"])),
                    security_review=draw(st.booleans()),
                )
            )
    rows.sort(key=lambda r: (r.date, r.partner))
    directory = Directory(
        program, tuple(partners), tuple(rows), tuple(sorted({r.date for r in rows}))
    )
    return directory, allowed


# --- Programmes and reviews for the level rules ------------------------------------------------

#: KE and NG form a region when the programme has one; NL often, so that caps there bite.
COUNTRIES = ("NL", "NL", "NL", "KE", "NG", "BE")
#: Some 30 or 90 days apart, so that a review can fall on the day a grace ends.
REVIEW_DATES = tuple(
    dt.date.fromisoformat(d)
    for d in ("2026-01-05", "2026-02-04", "2026-04-01", "2026-04-05", "2026-06-30", "2026-10-01")
)
GRACES = (0, 30, 90, 180)
#: Every figure a random row may hold, present; rows leave some of them out at random.
VALUES: dict[str, st.SearchStrategy[Value]] = {
    "certified_engineers": st.integers(0, 14),
    "csat": st.sampled_from([3.0, 3.5, 4.0, 4.2, 4.5, 4.9]),
    "ticket_days": st.sampled_from([1.0, 2.0, 3.5, 6.0, 9.0]),
    "security_review": st.booleans(),
    "health_check": st.sampled_from(["failed", "passed", "excellent"]),
}

Case = tuple[Program, list[ReviewRow], dt.date]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """Two to four levels whose criteria point the way each metric's `better` does; no caps.

    Equals is used as programmes use it: true for a boolean, the best choice for a choice
    (an equals on a middle choice would make a better figure lose a level by design).
    """
    base = ladder()
    levels = [base.levels[0]]
    for level in base.levels[1 : draw(st.integers(2, 4))]:
        options = [
            Criterion("certified_engineers", Op.MIN, draw(st.integers(0, 10))),
            Criterion("csat", Op.MIN, draw(st.sampled_from([3.0, 3.5, 4.0, 4.5]))),
            Criterion("ticket_days", Op.MAX, draw(st.sampled_from([2.0, 3.5, 6.0, 9.0]))),
            Criterion("security_review", Op.EQUALS, True),
            Criterion("health_check", Op.EQUALS, "excellent"),
        ]
        chosen = draw(st.sets(st.integers(0, len(options) - 1), min_size=1, max_size=2))
        criteria = tuple(c for n, c in enumerate(options) if n in chosen)
        levels.append(dataclasses.replace(level, criteria=criteria))
    regions: tuple[Region, ...] = ()
    if draw(st.booleans()):
        adjusted = draw(st.sampled_from(levels[1:]))
        target = Criterion("certified_engineers", Op.MIN, draw(st.integers(0, 12)))
        regions = (Region("south", "South", ("KE", "NG"), {adjusted.id: (target,)}),)
    review = ReviewRules(draw(st.sampled_from(GRACES)), draw(st.sampled_from([60, 365])))
    return make_program(metrics=base.metrics, levels=tuple(levels), regions=regions, review=review)


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Value | None]:
    """A row's figures, at most two of them missing (more would leave most partners at the
    lowest level)."""
    missing = draw(st.sets(st.sampled_from(sorted(VALUES)), max_size=2))
    return {m: None if m in missing else draw(values) for m, values in VALUES.items()}


@st.composite
def reviews(draw: st.DrawFn) -> list[ReviewRow]:
    """Four to twelve partners, each in one country, with rows on some of the review dates.

    Partners take their figures from one of a few profiles, so several earn the same level
    and caps bite (ties too). At each review a partner may switch profile (a level change)
    and has one figure redrawn, so drops, graces and recoveries happen.
    """
    profiles = draw(st.lists(figures(), min_size=1, max_size=3))
    rows = []
    for n in range(draw(st.sampled_from(range(4, 13)))):  # not skewed to few, as integers()
        country = draw(st.sampled_from(COUNTRIES))
        dates = [d for d in REVIEW_DATES if draw(st.booleans())]  # half of them, on average
        dates = dates or [draw(st.sampled_from(REVIEW_DATES))]
        current = draw(st.sampled_from(profiles))
        for date in dates:
            if draw(st.booleans()):
                current = draw(st.sampled_from(profiles))
            metric = draw(st.sampled_from(sorted(VALUES)))
            current = {**current, metric: draw(st.none() | VALUES[metric])}
            rows.append(make_row(f"p{n}", date, country, **current))
    return rows


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A programme with one to three caps on levels its rows earn (so they bite), the rows,
    and a build date."""
    program = draw(programs())
    rows = draw(reviews())
    earned = {earned_level(program, r) for r in rows} - {program.levels[0].id}
    levels = sorted(earned) or [level.id for level in program.levels[1:]]
    places = [("NL", None), ("NL", None), ("*", None), ("BE", None), ("KE", None)]
    places += [(None, "south")] if program.regions else []
    caps = []
    for _ in range(draw(st.integers(1, 3))):
        country, region = draw(st.sampled_from(places))
        count = draw(st.none() | st.integers(1, 2))
        share = draw(st.sampled_from([0.1, 0.25, 0.3, 0.5, 1.0])) if count is None else None
        rank_by = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=2))
        level = draw(st.sampled_from(levels))
        caps.append(Cap(level, country, region, count, share, tuple(rank_by)))
    today = draw(build_dates(program.review.grace_days))
    return dataclasses.replace(program, caps=tuple(caps)), rows, today


@st.composite
def rules_changes(draw: st.DrawFn, program: Program) -> Rules:
    """The rules of a rules file: new criteria for one level above the lowest, and the caps
    kept or dropped."""
    level = draw(st.sampled_from(program.levels[1:]))
    criteria = (
        Criterion("certified_engineers", Op.MIN, draw(st.integers(0, 12))),
        Criterion("csat", Op.MIN, draw(st.sampled_from([3.0, 4.0, 4.5, 5.0]))),
    )
    levels = tuple(
        dataclasses.replace(other, criteria=criteria) if other.id == level.id else other
        for other in program.levels
    )
    caps = program.caps if draw(st.booleans()) else ()
    return Rules(levels, program.regions, caps)


def build_dates(grace_days: int) -> st.SearchStrategy[dt.date]:
    """Any day, or the day a grace started at a review date ends, or the day before."""
    grace = dt.timedelta(days=grace_days)
    ends = [date + grace - dt.timedelta(days=d) for date in REVIEW_DATES for d in (0, 1)]
    return st.dates(dt.date(2026, 3, 1), dt.date(2026, 12, 31)) | st.sampled_from(ends)


@st.composite
def timelines(draw: st.DrawFn) -> Case:
    """One to three partners on the engineers ladder, jumping between levels at every review:
    drops, graces, recoveries and promotions in a few rows."""
    program = ladder(nl_cap("gold", 1, "csat"), grace_days=draw(st.sampled_from(GRACES)))
    rows = [
        row(f"p{n}", date, draw(st.sampled_from([0, 3, 6, 12])), csat=draw(st.sampled_from([4, 5])))
        for n in range(draw(st.integers(1, 3)))
        for date in REVIEW_DATES
        if draw(st.booleans())
    ]
    return program, rows, draw(build_dates(program.review.grace_days))


# --- Partner files, edited ---------------------------------------------------------------------

#: What YAML gives meaning to, and what a partner's editor may slip in.
PUNCTUATION = list(":-[]{},&*!|>'\"#?%@`\t\n \r\x85\u2028\ufeff\u00a0") + ["\r\n", "---", "..."]


def apply_edits(text: str, steps: list[tuple[str, int, int, str]]) -> str:
    """Apply edits a careless or hostile partner makes, each at a position picked by numbers."""
    for kind, first, second, piece in steps:
        lines = text.split("\n")
        if kind == "delete line":
            del lines[first % len(lines)]
        elif kind == "duplicate line":
            index = first % len(lines)
            lines.insert(second % (len(lines) + 1), lines[index])
        elif kind == "swap characters" and len(text) > 1:
            a, b = sorted((first % len(text), second % len(text)))
            text = text[:a] + text[b] + text[a + 1 : b] + text[a] + text[b + 1 :]
            continue
        elif kind == "insert":
            at = first % (len(text) + 1)
            text = text[:at] + piece + text[at:]
            continue
        elif kind == "delete character" and text:
            at = first % len(text)
            text = text[:at] + text[at + 1 :]
            continue
        text = "\n".join(lines)
    return text


def partner_file_edits() -> st.SearchStrategy[list[tuple[str, int, int, str]]]:
    """One to six edits a careless or hostile partner makes, for apply_edits()."""
    return st.lists(
        st.tuples(
            st.sampled_from(
                ["delete line", "duplicate line", "swap characters", "insert", "delete character"]
            ),
            st.integers(min_value=0, max_value=10_000),
            st.integers(min_value=0, max_value=10_000),
            st.one_of(st.sampled_from(PUNCTUATION), st.text(max_size=3)),
        ),
        min_size=1,
        max_size=6,
    )


# --- Texts near the plain shape of a content file ------------------------------------------------

#: Characters that mean something to YAML somewhere, or that YAML reads otherwise than Python.
YAML_SIGNS = list(":-[]{},&*!|>'\"#?%@`\\/+.~= ") + [
    ": ",
    " #",
    "''",
    "  ",
    "---",
    "...",
    "\t",
    "\u00a0",
    "\ufeff",
    "\x7f",
    "\x01",
    "\u3000",
    "\ue000",
    "\U0001f600",
    "é",
]


@st.composite
def yaml_words(draw: st.DrawFn) -> str:
    """Mostly letters, sometimes YAML's signs among them."""
    pieces = st.one_of(st.sampled_from("abcxyzDKNO019_"), st.sampled_from(YAML_SIGNS))
    return "".join(draw(st.lists(pieces, max_size=8)))


@st.composite
def yaml_values(draw: st.DrawFn) -> list[str]:
    """The text after `key:`, and the lines that follow it."""
    word = yaml_words()
    kind = draw(st.sampled_from(["plain", "quoted", "list", "block", "empty", "continued"]))
    if kind == "plain":
        return [draw(word)]
    if kind == "quoted":
        quote = draw(st.sampled_from(["'", '"']))
        after = draw(st.sampled_from(["", "", " ", " # c", "x"]))
        return [quote + draw(word) + quote + after]
    if kind == "list":
        entry = st.one_of(
            st.sampled_from(["DK", "fr", "machine-learning", "a b", "x.y", "-x", "a:b", "@h"]),
            word.map(lambda w: f'"{w}"'),
            word.map(lambda w: f"'{w}'"),
            word,
        )
        separator = st.sampled_from([", ", ",", " , ", ",  "])
        entries = draw(st.lists(st.tuples(entry, separator), max_size=4))
        inside = "".join(e + s for e, s in entries)
        if entries and draw(st.booleans()):
            inside = inside[: -len(entries[-1][1])]
        opening = draw(st.sampled_from(["[", "[ "]))
        return [opening + inside + draw(st.sampled_from(["]", " ]", "]  ", "] # c", "]x", ""]))]
    if kind == "block":
        header = draw(st.sampled_from(["|", "|-", "|", "|-", "|+", ">", "|2", "| # c", "|  "]))
        indent = draw(st.sampled_from([1, 2, 2, 4]))
        line = st.one_of(
            word.map(lambda w: " " * indent + "x" + w),
            word.map(lambda w: " " * (indent + 2) + w),
            st.sampled_from(["", " ", " " * indent, " " * (indent + 1), "x: y", "# c"]),
        )
        return [header, *draw(st.lists(line, max_size=6))]
    if kind == "continued":
        return [draw(word), " " * draw(st.integers(0, 3)) + draw(word)]
    return [""]


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """A file of keys and values, mostly of the plain shape, sometimes just outside it."""
    lines: list[str] = []
    keys = st.one_of(
        st.sampled_from(["name", "website", "countries", "description", "a", "b", "x-y", "_z"]),
        yaml_words(),
    )
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  # c", "   ", "---", "- a", "%YAML"])))
            continue
        value = draw(yaml_values())
        colon = draw(st.sampled_from([": ", ": ", ": ", ":", ":  ", " : "]))
        lines.append(draw(keys) + colon + value[0])
        lines.extend(value[1:])
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n", "\n  \n"]))
