"""Model records built in code for tests: a small programme and directory with known partners."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from partnerdir.levels import upcoming_targets
from partnerdir.model import (
    Cap,
    Criterion,
    CriterionProgress,
    Directory,
    Evaluation,
    Figure,
    GraduationPath,
    Level,
    LevelAt,
    LevelChange,
    Metric,
    MetricType,
    Op,
    Partner,
    Program,
    Region,
    ReviewRow,
    ReviewRules,
    Rules,
    RulesChange,
    SiteOptions,
    SiteSettings,
    Standing,
    Term,
    Value,
)

TODAY = dt.date(2027, 1, 10)
Q3 = dt.date(2026, 7, 1)
Q4 = dt.date(2026, 10, 1)
#: A revenue figure no page may show (it is private); distinctive so a search for it is exact.
SECRET_REVENUE = 987654


def make_program(**changes: object) -> Program:
    metrics = {
        "certified_engineers": Metric(
            "certified_engineers",
            "Certified engineers",
            MetricType.INTEGER,
            public=True,
            minimum=0,
            description="Engineers holding a current certification.",
        ),
        "csat": Metric("csat", "Customer satisfaction", MetricType.NUMBER, public=True),
        "annual_revenue": Metric(
            "annual_revenue", "Licence revenue", MetricType.MONEY, public=False, unit="EUR"
        ),
        "health_check": Metric(
            "health_check",
            "Code health check",
            MetricType.CHOICE,
            public=True,
            choices=("failed", "passed", "excellent"),
        ),
        "security_review": Metric(
            "security_review", "Security review passed", MetricType.BOOLEAN, public=True
        ),
    }
    levels = (
        Level("registered", "Registered", 0, "#5b6770", "Starting out.", ("Listing",), ()),
        Level(
            "silver",
            "Silver",
            1,
            "#8a959e",
            "Proven delivery.",
            ("Lead sharing",),
            (
                Criterion("certified_engineers", Op.MIN, 2),
                Criterion("security_review", Op.EQUALS, True),
            ),
        ),
        Level(
            "gold",
            "Gold",
            2,
            "#c9a227",
            "Strong delivery.",
            ("Co-marketing", "Priority support"),
            (
                Criterion("certified_engineers", Op.MIN, 5),
                Criterion("csat", Op.MIN, 4.2),
                Criterion("annual_revenue", Op.MIN, 100000),
            ),
        ),
        Level(
            "platinum",
            "Platinum",
            3,
            "#3d4f7c",
            "The best.",
            ("Named account manager",),
            (
                Criterion("certified_engineers", Op.MIN, 10),
                Criterion("csat", Op.MIN, 4.5),
                Criterion("annual_revenue", Op.MIN, 400000),
                Criterion("health_check", Op.MIN, "excellent"),
            ),
        ),
    )
    program = Program(
        site=SiteSettings(
            title="Northwind Partner Directory",
            base_url="https://partners.example.com/",
            tagline="Find a certified partner near you",
            intro="Every level is **earned** from verified figures.",
        ),
        metrics=metrics,
        levels=levels,
        programs=(
            Term("reseller", "Reseller", "Sells licences."),
            Term("integrator", "Integrator"),
        ),
        services=(Term("implementation", "Implementation"), Term("training", "Training")),
        industries=(Term("retail", "Retail"), Term("health", "Healthcare")),
        regions=(
            Region(
                "emerging-africa",
                "Emerging markets, Africa",
                ("KE", "NG"),
                {"gold": (Criterion("certified_engineers", Op.MIN, 3),)},
                "Young markets.",
            ),
        ),
        caps=(
            Cap("platinum", "NL", None, 1, None, ("csat", "certified_engineers")),
            Cap("gold", None, "emerging-africa", None, 0.3, ("csat",)),
        ),
        review=ReviewRules(grace_days=90, entry_expiry_days=365),
    )
    return dataclasses.replace(program, **changes)  # type: ignore[arg-type]


def make_partner(partner_id: str, **changes: object) -> Partner:
    partner = Partner(
        id=partner_id,
        name=partner_id.replace("-", " ").title(),
        website=f"https://{partner_id}.example.com/",
        description=f"{partner_id} builds things.",
        countries=("NL",),
        programs=("reseller",),
        services=("implementation",),
        industries=("retail",),
        languages=("en",),
        contact=f"mailto:sales@{partner_id}.example.com",
        maintainers=("someone",),
        logo=None,
        source=f"content/partners/{partner_id}.yaml",
    )
    return dataclasses.replace(partner, **changes)  # type: ignore[arg-type]


def make_row(
    partner: str, date: dt.date, country: str = "NL", **figures: Figure | None
) -> ReviewRow:
    return ReviewRow(partner, date, country, dict(figures), "content/reviews/x.csv", 2)


def make_standing(
    row: ReviewRow,
    level: str,
    *,
    history: Sequence[tuple[dt.date, str]] = (),
    earned: str | None = None,
    capped: str | None = None,
    level_since: dt.date | None = None,
    member_since: dt.date | None = None,
    under_review_until: dt.date | None = None,
    reason: str | None = None,
    path: GraduationPath | None = None,
    expired: bool = False,
) -> Standing:
    steps = history or ((row.date, level),)
    since = steps[-1][0]
    for date, step_level in reversed(steps):
        if step_level != steps[-1][1]:
            break
        since = date
    return Standing(
        partner=row.partner,
        country=row.country,
        level=level,
        earned=earned or level,
        capped=capped or earned or level,
        level_since=level_since or since,
        member_since=member_since or steps[0][0],
        under_review_until=under_review_until,
        reason=reason,
        history=tuple(LevelAt(d, lv, lv, lv, None, True) for d, lv in steps),
        path=path,
        expired=expired,
        latest=row,
    )


def progress(
    metric: str, label: str, op: Op, target: Value, value: Value | None, met: bool, pct: int
) -> CriterionProgress:
    public = metric != "annual_revenue"
    return CriterionProgress(metric, label, op, target, value if public else None, public, met, pct)


def sample_site(
    base_url: str = "https://partners.example.com/", extra: Mapping[str, object] | None = None
) -> tuple[Directory, Evaluation, SiteOptions]:
    """Six partners with known standings.

    - acme-digital: Gold in NL, on its way to Platinum (graduation path with a private metric).
    - bright-cloud: Platinum in NL (capped at 1 there; wins on csat).
    - capped-co: meets Platinum in NL but holds Gold: the cap's reason is shown.
    - dropping-ltd: Silver in BE, under review until 2027-03-01 after a weak Q4.
    - kenya-ops: Registered in KE, joined in Q4 (not expired).
    - old-registered: Registered since 2025-06-01: expired, listed nowhere.
    """
    program = make_program(**(extra or {}))
    partners = (
        make_partner(
            "acme-digital",
            name="Acme Digital",
            countries=("NL", "BE"),
            programs=("reseller", "integrator"),
            services=("implementation", "training"),
            languages=("en", "nl"),
            logo="acme-digital.svg",
            description="Acme builds **retail** platforms. [Site](https://acme.example.com)",
            summary="Retail data platforms, built and handed over.",
            city="Utrecht",
        ),
        make_partner("bright-cloud", name="Bright Cloud", programs=("integrator",)),
        make_partner("capped-co", name="Capped & Co", countries=("NL", "DE")),
        make_partner("dropping-ltd", name="Dropping Ltd", countries=("BE",), languages=("fr",)),
        make_partner("kenya-ops", name="Kenya Ops", countries=("KE",), services=("training",)),
        make_partner("old-registered", name="Old Registered", countries=("NL",)),
    )
    q3 = [
        make_row(
            "acme-digital",
            Q3,
            certified_engineers=6,
            csat=4.3,
            annual_revenue=150000,
            health_check="passed",
            security_review=True,
        ),
        make_row(
            "bright-cloud",
            Q3,
            certified_engineers=20,
            csat=4.9,
            annual_revenue=900000,
            health_check="excellent",
            security_review=True,
        ),
        make_row(
            "capped-co",
            Q3,
            certified_engineers=12,
            csat=4.6,
            annual_revenue=500000,
            health_check="excellent",
            security_review=True,
        ),
        make_row(
            "dropping-ltd",
            Q3,
            "BE",
            certified_engineers=3,
            csat=4.0,
            annual_revenue=20000,
            health_check="passed",
            security_review=True,
        ),
    ]
    q4 = [
        make_row(
            "acme-digital",
            Q4,
            certified_engineers=8,
            csat=4.4,
            annual_revenue=SECRET_REVENUE,
            health_check="passed",
            security_review=True,
        ),
        make_row(
            "bright-cloud",
            Q4,
            certified_engineers=22,
            csat=4.8,
            annual_revenue=950000,
            health_check="excellent",
            security_review=True,
        ),
        make_row(
            "capped-co",
            Q4,
            certified_engineers=14,
            csat=4.7,
            annual_revenue=600000,
            health_check="excellent",
            security_review=True,
        ),
        make_row(
            "dropping-ltd",
            Q4,
            "BE",
            certified_engineers=1,
            csat=3.9,
            annual_revenue=15000,
            health_check="passed",
            security_review=True,
        ),
        make_row(
            "kenya-ops",
            Q4,
            "KE",
            certified_engineers=1,
            csat=4.0,
            annual_revenue=1000,
            health_check="failed",
            security_review=False,
        ),
    ]
    old = make_row(
        "old-registered",
        dt.date(2025, 6, 1),
        certified_engineers=0,
        annual_revenue=0,
        security_review=False,
    )
    rows = tuple(sorted([old, *q3, *q4], key=lambda r: (r.date, r.partner)))
    acme_path = GraduationPath(
        "platinum",
        "reach",
        (
            progress("certified_engineers", "Certified engineers", Op.MIN, 10, 8, False, 80),
            progress("csat", "Customer satisfaction", Op.MIN, 4.5, 4.4, False, 97),
            progress("annual_revenue", "Licence revenue", Op.MIN, 400000, None, True, 100),
            progress("health_check", "Code health check", Op.MIN, "excellent", "passed", False, 50),
        ),
    )
    standings = {
        "acme-digital": make_standing(  # promoted from Silver at Q4
            q4[0], "gold", history=((Q3, "silver"), (Q4, "gold")), path=acme_path
        ),
        "bright-cloud": make_standing(
            q4[1], "platinum", history=((Q3, "platinum"), (Q4, "platinum"))
        ),
        "capped-co": make_standing(
            q4[2],
            "gold",
            history=((Q3, "platinum"), (Q4, "gold")),
            earned="platinum",
            capped="gold",
            reason="meets Platinum criteria; Platinum is capped at 1 in NL",
        ),
        "dropping-ltd": make_standing(
            q4[3],
            "silver",
            history=((Q3, "silver"), (Q4, "silver")),
            earned="registered",
            under_review_until=dt.date(2027, 3, 1),
            reason="figures of 2026-10-01 meet Registered only; Silver holds until 2027-03-01",
            path=GraduationPath(
                "silver",
                "keep",
                (
                    progress("certified_engineers", "Certified engineers", Op.MIN, 2, 1, False, 50),
                    progress(
                        "security_review",
                        "Security review passed",
                        Op.EQUALS,
                        True,
                        True,
                        True,
                        100,
                    ),
                ),
            ),
        ),
        "kenya-ops": make_standing(q4[4], "registered", history=((Q4, "registered"),)),
        "old-registered": make_standing(
            old,
            "registered",
            history=((old.date, "registered"), (Q3, "registered"), (Q4, "registered")),
            expired=True,
        ),
    }
    changes = (
        LevelChange("old-registered", old.date, None, "registered", "joined"),
        LevelChange("acme-digital", Q3, None, "silver", "joined"),
        LevelChange("bright-cloud", Q3, None, "platinum", "joined"),
        LevelChange("capped-co", Q3, None, "platinum", "joined"),
        LevelChange("dropping-ltd", Q3, None, "silver", "joined"),
        LevelChange("acme-digital", Q4, "silver", "gold", "earned Gold"),
        LevelChange("capped-co", Q4, "platinum", "gold", "Platinum is capped at 1 in NL"),
        LevelChange("kenya-ops", Q4, None, "registered", "joined"),
    )
    directory = Directory(program, partners, rows, tuple(sorted({r.date for r in rows})))
    evaluation = Evaluation(TODAY, standings, changes)
    return directory, evaluation, SiteOptions(base_url, TODAY)


def many_partners_site(count: int) -> tuple[Directory, Evaluation, SiteOptions]:
    """`count` partners spread over the levels and three countries, for paging and order tests."""
    program = make_program()
    levels = [level.id for level in program.levels]
    partners = []
    rows = []
    standings = {}
    for n in range(count):
        partner_id = f"partner-{n:05d}"
        country = ("NL", "BE", "DE")[n % 3]
        partners.append(make_partner(partner_id, name=f"Partner {n:05d}", countries=(country,)))
        row = make_row(partner_id, Q4, country, certified_engineers=n % 17, csat=3 + (n % 20) / 10)
        rows.append(row)
        standings[partner_id] = make_standing(row, levels[n % len(levels)])
    directory = Directory(program, tuple(partners), tuple(rows), (Q4,))
    return directory, Evaluation(TODAY, standings, ()), SiteOptions(program.site.base_url, TODAY)


#: The date of the sample site's upcoming rules file (`upcoming_site`).
RULES_DATE = dt.date(2027, 6, 1)


def upcoming_site() -> tuple[Directory, Evaluation, SiteOptions]:
    """The sample site with a rules file dated after its build date: from 1 June 2027 Gold
    asks for customer satisfaction of at least 4.6 (4.2 before), the standings' upcoming
    targets as the level rules give them."""
    directory, evaluation, options = sample_site()
    program = directory.program
    levels = tuple(
        dataclasses.replace(
            level,
            criteria=tuple(
                Criterion("csat", Op.MIN, 4.6) if c.metric == "csat" else c for c in level.criteria
            ),
        )
        if level.id == "gold"
        else level
        for level in program.levels
    )
    change = RulesChange(
        RULES_DATE, Rules(levels, program.regions, program.caps), "content/rules/2027-06-01.yaml"
    )
    dated = dataclasses.replace(program, changes=(change,))
    standings = {
        partner: dataclasses.replace(standing, upcoming=upcoming_targets(dated, standing, TODAY))
        for partner, standing in evaluation.standings.items()
    }
    return (
        dataclasses.replace(directory, program=dated),
        dataclasses.replace(evaluation, standings=standings),
        options,
    )
