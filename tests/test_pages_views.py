"""The records templates read: counts print with thousands separators (issue 14: "2955"
beside "2,955")."""

from __future__ import annotations

from partnerdir.pages.views import Badge, Changes, CountLink, FacetOption, LevelCount

SILVER = Badge("silver", "Silver", "level-silver", "/levels/silver/")


def test_counts_print_with_separators() -> None:
    assert FacetOption("silver", "Silver", 1192).count_text == "1,192"
    assert CountLink("/countries/us/", "United States", 2955, "").count_text == "2,955"
    assert LevelCount(SILVER, 1188).count_text == "1,188"


def test_change_headings_and_disclosures_count() -> None:
    changes = Changes(None, (), ())
    assert (changes.promotions_heading, changes.demotions_summary) == (
        "Promotions (0)",
        "List 0 demotions",
    )
