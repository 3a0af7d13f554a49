"""The programme team's report: the standings table, and who would drop under upcoming rules."""

from __future__ import annotations

from factories import sample_site, upcoming_site

from partnerdir.report import REPORT_COLUMNS, format_report, report_rows


def upcoming_column(rows: list[tuple[str, ...]]) -> dict[str, str]:
    index = REPORT_COLUMNS.index("upcoming rules")
    return {row[0]: row[index] for row in rows if row[index]}


def test_the_report_names_who_would_drop_under_upcoming_rules() -> None:
    directory, evaluation, _ = upcoming_site()
    # acme-digital holds Gold with customer satisfaction 4.4; from 1 June 2027 Gold asks 4.6
    assert upcoming_column(report_rows(directory, evaluation)) == {
        "acme-digital": "Silver from 2027-06-01"
    }
    text = format_report(directory, evaluation, "text")
    assert "upcoming rules" in text.splitlines()[0]
    assert "Silver from 2027-06-01" in text


def test_no_upcoming_rules_no_entry() -> None:
    directory, evaluation, _ = sample_site()
    assert upcoming_column(report_rows(directory, evaluation)) == {}
