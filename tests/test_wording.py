"""The site's and the command line's words: counts, dates, figures, criteria, caps, names."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import make_program, sample_site

from partnerdir.model import Cap, Metric, MetricType, Op, Term, Value
from partnerdir.wording import (
    and_list,
    cap_text,
    card_figures,
    card_place,
    card_services,
    column_label,
    count,
    country_cap_text,
    country_in_sentence,
    country_list,
    criteria_met,
    date_text,
    display_url,
    embed_heading,
    expiry_text,
    format_value,
    initials,
    language_list,
    metric_kind,
    month_text,
    percent,
    possessive,
    review_text,
    sentence,
    some_of,
    target_text,
    term_list,
)

# --- Counts, shares, dates, sentences -------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "singular", "plural", "verb", "expected"),
    [
        (0, "error", None, False, "0 errors"),
        (1, "error", None, False, "1 error"),
        (2, "warning", None, False, "2 warnings"),
        (1200, "partner", None, False, "1,200 partners"),
        (1, "criterion", "criteria", False, "1 criterion"),
        (4, "criterion", "criteria", False, "4 criteria"),
        (1, "partner", None, True, "1 partner serves"),
        (3, "partner", None, True, "3 partners serve"),
        (2, "Gold partner", None, False, "2 Gold partners"),
    ],
)
def test_count(n: int, singular: str, plural: str | None, verb: bool, expected: str) -> None:
    assert count(n, singular, plural, verb=verb) == expected


@pytest.mark.parametrize(
    ("share", "expected"), [(0.3, "30%"), (0.25, "25%"), (0.125, "12.5%"), (1.0, "100%")]
)
def test_percent(share: float, expected: str) -> None:
    assert percent(share) == expected


@pytest.mark.parametrize(
    ("date", "short", "expected"),
    [
        (dt.date(2026, 10, 1), False, "1 October 2026"),
        (dt.date(2026, 10, 1), True, "1 Oct 2026"),
        (dt.date(2027, 3, 31), False, "31 March 2027"),
    ],
)
def test_date_text(date: dt.date, short: bool, expected: str) -> None:
    assert date_text(date, short=short) == expected


def test_month_text() -> None:
    assert month_text(dt.date(2026, 1, 5)) == "Jan 2026"


def test_review_text() -> None:
    assert review_text(dt.date(2027, 3, 1)) == "Under review until 1 March 2027"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ""),
        ("", ""),
        ("promoted: meets the Gold criteria", "Promoted: meets the Gold criteria."),
        ("Done.", "Done."),
        ("really?", "Really?"),
    ],
)
def test_sentence(text: str | None, expected: str) -> None:
    assert sentence(text) == expected


@pytest.mark.parametrize(
    ("shown", "total", "expected"),
    [
        ([], 0, ""),
        (["acme"], 1, "acme"),
        (["acme", "bright"], 2, "acme, bright"),
        (["acme", "bright"], 5, "acme, bright and 3 more"),
        (["acme"], 8001, "acme and 8,000 more"),
    ],
)
def test_some_of(shown: list[str], total: int, expected: str) -> None:
    assert some_of(shown, total) == expected


# --- Figures and criteria -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric_type", "unit", "value", "expected"),
    [
        (MetricType.INTEGER, "", 1200, "1,200"),
        (MetricType.NUMBER, "", 4.5, "4.5"),
        (MetricType.NUMBER, "", 4.0, "4"),
        (MetricType.NUMBER, "%", 12.345, "12.35%"),
        (MetricType.MONEY, "EUR", 420000.0, "420,000 EUR"),
        (MetricType.MONEY, "EUR", 99.5, "99.50 EUR"),
        (MetricType.BOOLEAN, "", True, "Yes"),
        (MetricType.BOOLEAN, "", False, "No"),
        (MetricType.CHOICE, "", "needs_work", "Needs work"),
        (MetricType.INTEGER, "", None, "–"),
    ],
)
def test_format_value(metric_type: MetricType, unit: str, value: object, expected: str) -> None:
    metric = Metric("m", "M", metric_type, public=True, unit=unit)
    assert format_value(metric, value) == expected  # type: ignore[arg-type]


def test_format_value_tells_equal_values_of_other_classes_apart() -> None:
    # the texts are cached by value, where True == 1 == 1.0: each keeps its own
    integer = Metric("m", "M", MetricType.INTEGER, public=True)
    score = Metric("s", "S", MetricType.NUMBER, public=True, unit="%")
    shown = [format_value(integer, value) for value in (True, 1, 1.0, 1.5)]
    assert shown == ["Yes", "1", "1", "1"]
    assert [format_value(score, value) for value in (1.0, True, 1)] == ["1%", "Yes", "1%"]


@pytest.mark.parametrize(
    ("met", "total", "expected"),
    [(0, 5, "0 of 5 criteria met"), (3, 7, "3 of 7 criteria met"), (1, 1, "1 of 1 criterion met")],
)
def test_criteria_met(met: int, total: int, expected: str) -> None:
    assert criteria_met(met, total) == expected


ENGINEERS = Metric("e", "Certified engineers", MetricType.INTEGER, public=True)
DAYS = Metric("d", "Ticket days", MetricType.NUMBER, public=True, unit="days")
REVENUE = Metric("r", "Licence revenue", MetricType.MONEY, public=False, unit="EUR")
HEALTH = Metric(
    "h", "Health check", MetricType.CHOICE, public=True, choices=("failed", "passed", "excellent")
)
SECURITY = Metric("s", "Security review passed", MetricType.BOOLEAN, public=True)


@pytest.mark.parametrize(
    ("metric", "op", "target", "expected"),
    [
        (ENGINEERS, Op.MIN, 10, "at least 10"),
        (DAYS, Op.MAX, 3.0, "at most 3 days"),
        (ENGINEERS, Op.EQUALS, 5, "exactly 5"),
        (REVENUE, Op.MIN, 400000.0, "at least 400,000 EUR"),
        (HEALTH, Op.MIN, "excellent", "Excellent or better"),
        (HEALTH, Op.MAX, "passed", "Passed or worse"),
        (HEALTH, Op.EQUALS, "passed", "Passed"),
        (SECURITY, Op.EQUALS, True, "yes"),
        (SECURITY, Op.EQUALS, False, "no"),
        (None, Op.MIN, 7, "at least 7"),  # a metric the programme no longer declares
    ],
)
def test_target_text(metric: Metric | None, op: Op, target: Value, expected: str) -> None:
    assert target_text(metric, op, target) == expected


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (REVENUE, "Licence revenue (EUR)"),
        (DAYS, "Ticket days (days)"),
        (ENGINEERS, "Certified engineers"),
        (Metric("c", "Satisfaction", MetricType.NUMBER, True, unit="/ 5"), "Satisfaction"),
        (Metric("p", "Share", MetricType.NUMBER, True, unit="%"), "Share"),
    ],
)
def test_column_label(metric: Metric, expected: str) -> None:
    assert column_label(metric) == expected


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (ENGINEERS, "a whole number"),
        (DAYS, "a number"),
        (REVENUE, "an amount"),
        (SECURITY, "yes or no"),
        (HEALTH, "one of failed, passed, excellent"),
        (
            Metric("w", "W", MetricType.CHOICE, True, choices=("needs_work", "good")),
            "one of needs work, good",
        ),
    ],
)
def test_metric_kind(metric: Metric, expected: str) -> None:
    assert metric_kind(metric) == expected


# --- The programme's rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cap", "expected"),
    [
        (
            Cap("gold", "*", None, 3, None, ("csat",)),
            "At most 3 partners based in any one country hold Gold. When more qualify, those "
            "ranked highest by Customer satisfaction keep it (ties by partner id); the others "
            "hold Silver and their profile names the cap and the partners holding the places. "
            "A cap applies at once, with no grace: grace is for figures that may recover, and "
            "the cap holds on every page from the review where another partner takes the place. "
            "A partner still in the grace of a drop keeps Gold only while no partner that meets "
            "the criteria needs the place.",
        ),
        (
            Cap("platinum", "DE", None, None, 0.25, ()),
            "At most 25% of the partners based in Germany hold Platinum. When more qualify, "
            "those ranked highest by partner id keep it",
        ),
        (
            Cap("silver", None, "emerging-africa", None, 0.125, ("csat", "certified_engineers")),
            "At most 12.5% of the partners based in Emerging markets, Africa hold Silver. When "
            "more qualify, those ranked highest by Customer satisfaction, then Certified engineers",
        ),
        (
            Cap("platinum", "NL", None, 1, None, ("gone",)),
            "At most 1 partner based in the Netherlands holds Platinum. When more qualify, those "
            "ranked highest by gone keep it",
        ),
    ],
)
def test_cap_text(cap: Cap, expected: str) -> None:
    directory, _, _ = sample_site()
    assert cap_text(directory.program, cap).startswith(expected)


def test_expiry_text() -> None:
    assert expiry_text(make_program()) == (
        "A partner still at Registered 365 days after joining is no longer listed until it "
        "earns a higher level."
    )


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [("DE", "Germany"), ("NL", "the Netherlands"), ("US", "the United States"), ("KE", "Kenya")],
)
def test_country_in_sentence(code: str, expected: str) -> None:
    assert country_in_sentence(code) == expected


def test_lists_of_names() -> None:
    assert country_list(["NL", "BE", "DE"]) == "Belgium, Germany, Netherlands"
    assert language_list(["nl", "en"]) == "Dutch, English"
    terms = (Term("reseller", "Reseller"), Term("integrator", "Integrator"), Term("msp", "MSP"))
    # the programme's order, not the partner's; unknown ids are skipped
    assert term_list(terms, ["integrator", "gone", "reseller"]) == "Reseller, Integrator"
    assert country_list([]) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Acme Digital", "AD"), ("Capped & Co", "CC"), ("bright", "B"), ("Ünïcode Ltd", "ÜL")],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.acme.example/", "www.acme.example"),
        ("https://acme.example/partners/", "acme.example/partners/"),
        ("http://acme.example/about", "acme.example/about"),
        ("mailto:sales@acme.example", "sales@acme.example"),
        ("mailto:sales@acme.example?subject=Hi", "sales@acme.example"),
    ],
)
def test_display_url(url: str, expected: str) -> None:
    assert display_url(url) == expected


def test_filter_phrases_read_in_a_result_count() -> None:
    from partnerdir.wording import filter_phrase

    assert filter_phrase("level", "gold", "Gold") == "Gold"
    assert filter_phrase("country", "DE", "Germany") == "in Germany"
    assert filter_phrase("country", "NL", "Netherlands") == "in the Netherlands"
    assert filter_phrase("service", "migration", "Data migration") == "offering Data migration"
    assert filter_phrase("language", "de", "German") == "speaking German"
    assert filter_phrase("program", "reseller", "Reseller") == "working as Reseller"


@pytest.mark.parametrize(
    ("names", "text"),
    [([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C")],
)
def test_and_list(names: list[str], text: str) -> None:
    assert and_list(names) == text


def test_country_cap_text_states_a_cap_against_the_partners_based_in_the_country() -> None:
    program = make_program(
        caps=(
            Cap("platinum", "NL", None, 2, None, ()),
            Cap("gold", None, "emerging-africa", None, 0.3, ()),
            Cap("silver", "*", None, 1, None, ()),
        )
    )
    nl, gold_africa, silver_any = program.caps
    assert (
        country_cap_text(program, nl, "NL")
        == "Platinum here is limited to 2 partners based in the Netherlands."
    )
    assert country_cap_text(program, nl, "DE") is None
    assert country_cap_text(program, gold_africa, "KE") == (
        "Gold here is limited to 30% of the partners based in Emerging markets, Africa "
        "(counted across the region)."
    )
    assert country_cap_text(program, gold_africa, "NL") is None
    assert (
        country_cap_text(program, silver_any, "DE")
        == "Silver here is limited to 1 partner based in Germany."
    )


# --- Cards ----------------------------------------------------------------------------------


def test_card_services_names_the_partners_first_ones_in_its_order() -> None:
    terms = [Term("implementation", "Implementation"), Term("migration", "Data migration")]
    terms.append(Term("training", "Training"))
    assert card_services(terms, ["training", "implementation", "migration"]) == (
        "Training, Implementation and 1 more"
    )
    assert card_services(terms, ["migration"]) == "Data migration"
    assert card_services(terms, []) == ""


def test_card_place_is_the_city_and_the_home_country() -> None:
    assert card_place("Utrecht", "NL") == "Utrecht, Netherlands"
    assert card_place(None, "NL") == ""


def test_card_figures_carry_their_labels_and_units_and_skip_missing_ones() -> None:
    engineers = Metric("e", "Certified engineers", MetricType.INTEGER, public=True)
    days = Metric("d", "Median ticket resolution", MetricType.NUMBER, public=True, unit="days")
    assert card_figures([(engineers, 1200), (days, 2.5)]) == (
        "Certified engineers: 1,200 · Median ticket resolution: 2.5 days"
    )
    assert card_figures([(engineers, None), (days, 2.5)]) == "Median ticket resolution: 2.5 days"


@pytest.mark.parametrize(
    ("name", "owned"),
    [
        ("Acme Digital", "Acme Digital’s"),
        ("Zuiderzee Systems", "Zuiderzee Systems’"),
        ("ACME SYSTEMS", "ACME SYSTEMS’"),
        ("Polder Data Group B.V.", "Polder Data Group B.V.’s"),
    ],
)
def test_possessive(name: str, owned: str) -> None:
    assert possessive(name) == owned


def test_embed_heading_uses_the_possessive() -> None:
    assert embed_heading("Zuiderzee Systems") == "Badge for Zuiderzee Systems’ website"
