"""What the search sorts partners by, and each partner's place in every order."""

from __future__ import annotations

from factories import Q4, make_partner, make_program, make_row, make_standing, sample_site

from partnerdir.levels import listed_partners
from partnerdir.model import Better, Metric, MetricType
from partnerdir.pages.sorting import card_metrics, sort_positions, sortable_metrics


def test_sortable_metrics_are_public_and_ordered() -> None:
    # the private revenue and the yes/no security review are not sortable
    metrics = sortable_metrics(make_program())
    assert [m.id for m in metrics] == ["certified_engineers", "csat", "health_check"]


def test_a_card_shows_counts_first_then_other_numbers() -> None:
    # the integer count first, then the number; the choice and the private revenue never
    assert [m.id for m in card_metrics(make_program())] == ["certified_engineers", "csat"]
    deployments = Metric("deployments", "Deployments", MetricType.INTEGER, public=True)
    program = make_program(metrics={**make_program().metrics, "deployments": deployments})
    assert [m.id for m in card_metrics(program)] == ["certified_engineers", "deployments"]


def test_every_listed_partner_has_a_place_in_every_order() -> None:
    directory, evaluation, _ = sample_site()
    positions = sort_positions(directory.program, listed_partners(directory, evaluation))
    by_key = {key: sorted(order, key=order.__getitem__) for key, order in positions.items()}
    assert by_key == {
        "level": ["bright-cloud", "acme-digital", "capped-co", "dropping-ltd", "kenya-ops"],
        "name": ["acme-digital", "bright-cloud", "capped-co", "dropping-ltd", "kenya-ops"],
        # 22, 14, 8, then 1 and 1: a tie falls back to the level order
        "fig_certified_engineers": [
            "bright-cloud",
            "capped-co",
            "acme-digital",
            "dropping-ltd",
            "kenya-ops",
        ],
        "fig_csat": ["bright-cloud", "capped-co", "acme-digital", "kenya-ops", "dropping-ltd"],
        # excellent, excellent, passed, passed, failed: the last choice is the best
        "fig_health_check": [
            "bright-cloud",
            "capped-co",
            "acme-digital",
            "dropping-ltd",
            "kenya-ops",
        ],
    }


def test_missing_figures_sort_last_and_lower_is_better_where_declared() -> None:
    days = Metric("days", "Ticket days", MetricType.NUMBER, public=True, better=Better.LOWER)
    program = make_program(metrics={"days": days, "csat": make_program().metrics["csat"]})
    figures = {"a": {"days": 3.0, "csat": 4.0}, "b": {}, "c": {"days": 1.5, "csat": 4.5}}
    listed = [
        (make_partner(pid), make_standing(make_row(pid, Q4, "NL", **values), "registered"))
        for pid, values in figures.items()
    ]
    positions = sort_positions(program, listed)
    assert positions["fig_days"] == {"c": 0, "a": 1, "b": 2}
    assert positions["fig_csat"] == {"c": 0, "a": 1, "b": 2}
