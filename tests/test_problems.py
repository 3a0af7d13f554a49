"""Problems: one line each, whatever partner text they carry."""

from __future__ import annotations

import pytest

from partnerdir.problems import Problem, printable, warning


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Café, Zoë & Søn", "Café, Zoë & Søn"),
        ("a\nfake.yaml:1: forged", "a\\nfake.yaml:1: forged"),
        ("\x1b[2Jcleared", "\\x1b[2Jcleared"),
        ("tab\there", "tab\\there"),
        ("N\u202eL", "N\\u202eL"),
        ("line\u2028separator", "line\\u2028separator"),
        ("caf\udce9.yaml", "caf\\xe9.yaml"),  # a file name byte that is not UTF-8
        ("\ud800", "\\ud800"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("no\xa0break", "no\\xa0break"),
        ("\u3164", "\\u3164"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("a plain space, \u00e9 and \U0001f600", "a plain space, \u00e9 and \U0001f600"),
    ],
    ids=["letters", "newline", "ansi", "tab", "bidi", "line-separator", "bad-byte", "surrogate",
         "zero-width", "no-break-space", "hangul-filler", "tag", "visible"],
)  # fmt: skip
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    shown.encode("utf-8")  # a strict UTF-8 stdout can print it


def test_a_problem_is_one_line_whatever_it_carries() -> None:
    problem = Problem("partners/caf\udce9.yaml", 2, "a\nb", "'x\r\n::error::y' is wrong")
    assert str(problem) == "partners/caf\\xe9.yaml:2: a\\nb: 'x\\r\\n::error::y' is wrong"
    assert str(warning("p", 0, "", "m\n")) == "p: warning: m\\n"
