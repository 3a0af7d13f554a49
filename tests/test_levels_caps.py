"""The caps of DESIGN.md ("Levels: the rules, exactly", rule 2) as tables of cases: at most N
partners, or a share, hold a capped level per country, every country or region; the others
take the level below, ranked by `rank_by`."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import make_row
from ladder import D1, D2, D3, D4, U2, capped, evaluate, ladder, moves, nl_cap, region_cap, row

from partnerdir.levels import cap_limit, evaluate_levels
from partnerdir.model import Cap, Sealed, Value


@pytest.mark.parametrize(
    ("count", "share", "measured", "limit"),
    [
        (2, None, 0, 2),
        (2, None, 10, 2),
        (None, 0.25, 8, 2),
        (None, 0.25, 9, 2),
        (None, 0.25, 7, 1),
        (None, 0.3, 10, 3),
        (None, 0.29, 100, 29),  # 0.29 * 100 is 28.999999999999996 in floating point
        (None, 0.57, 100, 57),
        (None, 1.0, 5, 5),
        (None, 0.25, 3, 1),  # floor(0.75) is 0: a share never shuts a scope out
        (None, 0.25, 1, 1),
        (None, 0.1, 0, 1),
    ],
)
def test_cap_limit(count: int | None, share: float | None, measured: int, limit: int) -> None:
    assert cap_limit(Cap("gold", "NL", None, count, share, ()), measured) == limit


def test_cap_by_count_keeps_the_best_ranked_in_the_country() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"))
    levels, reasons = capped(
        program,
        row("a", D1, 12, csat=4.5),
        row("b", D1, 15, csat=4.8),
        row("c", D1, 10, csat=4.6),
        row("d", D1, 11, "BE", csat=4.0),  # another country: the NL cap does not count it
    )
    assert levels == {"a": "gold", "b": "platinum", "c": "gold", "d": "platinum"}
    text = "meets Platinum criteria; Platinum is capped at 1 in NL, held by b"
    assert reasons == {"a": text, "c": text}


def test_cap_by_share_counts_every_partner_measured_in_the_region() -> None:
    program = ladder(region_cap("gold", 0.5, "certified_engineers"))
    levels, reasons = capped(
        program,
        row("k1", D1, 3, "KE"),
        row("k2", D1, 4, "KE"),
        row("k3", D1, 9, "NG"),
        row("k4", D1, 0, "NG"),  # Registered, but measured: 4 partners, 50% is 2
        row("n1", D1, 6, "NL"),  # Gold outside the region
    )
    assert levels == {"k1": "silver", "k2": "gold", "k3": "gold", "k4": "registered", "n1": "gold"}
    assert reasons == {
        "k1": "meets Gold criteria; Gold is capped at 50% (2 of 4 partners) in Emerging markets, "
        "Africa, held by k3 and k2"  # the partners keeping the level, best ranked first
    }


def test_cap_by_share_allows_at_least_one() -> None:
    program = ladder(region_cap("gold", 0.3, "certified_engineers"))
    levels, reasons = capped(
        program, row("k1", D1, 3, "KE"), row("k2", D1, 4, "KE"), row("k3", D1, 5, "NG")
    )
    assert levels == {"k1": "silver", "k2": "silver", "k3": "gold"}
    assert reasons["k1"].endswith(
        "capped at 30% (1 of 3 partners) in Emerging markets, Africa, held by k3"
    )


def test_cap_per_country_applies_to_each_country_separately() -> None:
    program = ladder(Cap("gold", "*", None, 1, None, ("certified_engineers",)))
    levels, reasons = capped(
        program,
        row("a", D1, 6),
        row("b", D1, 7),
        row("c", D1, 5, "BE"),
        row("d", D1, 8, "BE"),
        row("e", D1, 6, "DE"),
        row("f", D1, 4, "KE"),  # Gold by the regional target, alone in KE
    )
    assert levels == {
        "a": "silver",
        "b": "gold",
        "c": "silver",
        "d": "gold",
        "e": "gold",
        "f": "gold",
    }
    assert reasons == {
        "a": "meets Gold criteria; Gold is capped at 1 in NL, held by b",
        "c": "meets Gold criteria; Gold is capped at 1 in BE, held by d",
    }


def test_cap_ties_go_to_the_lower_partner_id() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"))
    levels, _ = capped(program, row("beta", D1, 12, csat=4.5), row("alpha", D1, 12, csat=4.5))
    assert levels == {"alpha": "platinum", "beta": "gold"}


def test_cap_ranks_lower_is_better_metrics_ascending() -> None:
    program = ladder(nl_cap("platinum", 1, "ticket_days"))
    levels, _ = capped(
        program, row("a", D1, 40, ticket_days=3.0), row("b", D1, 10, ticket_days=1.5)
    )
    assert levels == {"a": "gold", "b": "platinum"}


def test_cap_ranks_by_the_next_metric_on_a_tie() -> None:
    # the example's Zuiderzee: same csat, slower support, more engineers: it loses
    program = ladder(nl_cap("platinum", 1, "csat", "ticket_days", "certified_engineers"))
    levels, _ = capped(
        program,
        row("a-zuiderzee", D1, 37, csat=4.7, ticket_days=2.6),
        row("b-grachten", D1, 35, csat=4.7, ticket_days=2.1),
    )
    assert levels == {"a-zuiderzee": "gold", "b-grachten": "platinum"}


@pytest.mark.parametrize(
    ("metric", "worse"),
    [("csat", 0.0), ("ticket_days", 365.0), ("security_review", False), ("health_check", "failed")],
)
def test_cap_ranks_missing_figures_last(metric: str, worse: Value) -> None:
    program = ladder(nl_cap("platinum", 1, metric))
    levels, _ = capped(
        program, row("a", D1, 12, **{metric: None}), row("b", D1, 12, **{metric: worse})
    )
    assert levels == {"a": "gold", "b": "platinum"}


def test_cap_ranks_choices_by_their_order_and_true_above_false() -> None:
    program = ladder(nl_cap("platinum", 2, "health_check"), nl_cap("gold", 1, "security_review"))
    levels, _ = capped(
        program,
        row("a", D1, 12, health_check="passed", security_review=False),
        row("b", D1, 12, health_check="failed", security_review=True),
        row("c", D1, 12, health_check="excellent", security_review=False),
    )
    # "passed" beats "failed" for Platinum; alone at Gold, b keeps it
    assert levels == {"a": "platinum", "b": "gold", "c": "platinum"}
    gold = [
        row("a", D1, 6, security_review=False),
        row("b", D1, 6, security_review=True),
        row("c", D1, 6, security_review=None),
    ]
    levels, _ = capped(program, *gold)
    assert levels == {"a": "silver", "b": "gold", "c": "silver"}
    levels, _ = capped(ladder(nl_cap("gold", 2, "security_review")), *gold)
    assert levels == {"a": "gold", "b": "gold", "c": "silver"}


def test_a_partner_pushed_out_of_two_capped_levels() -> None:
    program = ladder(nl_cap("platinum", 1, "csat"), nl_cap("gold", 1, "csat"))
    levels, reasons = capped(
        program,
        row("a", D1, 12, csat=4.9),
        row("b", D1, 11, csat=4.8),
        row("c", D1, 10, csat=4.7),
        row("d", D1, 6, csat=4.75),  # earns Gold only; b, pushed down from Platinum, outranks it
    )
    assert levels == {"a": "platinum", "b": "gold", "c": "silver", "d": "silver"}
    assert reasons == {
        "b": "meets Platinum criteria; Platinum is capped at 1 in NL, held by a",
        "c": "meets Platinum criteria; Platinum is capped at 1 in NL, held by a; "
        "meets Gold criteria; Gold is capped at 1 in NL, held by b",
        "d": "meets Gold criteria; Gold is capped at 1 in NL, held by b",
    }


def test_an_onboarding_file_competes_with_the_figures_carried_forward() -> None:
    onboarding = dt.date(2026, 10, 20)
    program = ladder(nl_cap("platinum", 1, "csat"))
    rows = [
        row("a", D4, 12, csat=4.6),
        row("b", D4, 12, csat=4.5),
        row("n", onboarding, 12, csat=4.4),  # earns Platinum; alone in its file it would keep it
    ]
    evaluation = evaluate(program, rows, dt.date(2026, 11, 24))
    levels = {p: s.level for p, s in evaluation.standings.items()}
    assert levels == {"a": "platinum", "b": "gold", "n": "gold"}
    new = evaluation.standings["n"]
    assert (new.earned, new.capped, new.member_since) == ("platinum", "gold", onboarding)
    assert new.reason == "meets Platinum criteria; Platinum is capped at 1 in NL, held by a"
    assert moves(evaluation, "n") == [(onboarding, None, "gold")]
    # b took part in the onboarding date with its figures of D4, without a row of its own
    assert [(h.date, h.capped, h.reviewed) for h in evaluation.standings["b"].history] == [
        (D4, "gold", True),
        (onboarding, "gold", False),
    ]


def test_an_onboarding_file_counts_the_region_measured_earlier() -> None:
    onboarding = dt.date(2026, 10, 20)
    program = ladder(region_cap("gold", 0.25, "certified_engineers"))
    quarter = [row(f"k{n}", D4, engineers, "KE") for n, engineers in enumerate((9, 8, 2, 1, 0))]
    quarter += [row(f"n{n}", D4, 0, "NG") for n in range(3)]
    late = row("z-new", onboarding, 4, "NG")  # Gold by the regional target, ranked third
    evaluation = evaluate(program, [*quarter, late], dt.date(2026, 11, 24))
    new = evaluation.standings["z-new"]
    assert (new.level, new.earned) == ("silver", "gold")
    assert new.reason == (
        "meets Gold criteria; Gold is capped at 25% (2 of 9 partners) in Emerging markets, "
        "Africa, held by k0 and k1"
    )
    assert [p for p, s in evaluation.standings.items() if s.level == "gold"] == ["k0", "k1"]


def test_a_newcomer_who_outranks_a_holder_takes_its_place_at_once() -> None:
    """A cap takes the level at once, not after a grace: grace is for figures that may recover,
    and a cap must hold on every page (issue 13, item 4)."""
    onboarding = dt.date(2026, 10, 20)
    program = ladder(nl_cap("platinum", 1, "csat"))
    rows = [row("a", D4, 12, csat=4.6), row("n", onboarding, 12, csat=4.9)]
    evaluation = evaluate(program, rows, dt.date(2026, 11, 24))
    holder = evaluation.standings["a"]
    assert (holder.level, holder.capped, holder.under_review_until) == ("gold", "gold", None)
    assert moves(evaluation, "a") == [(D4, None, "platinum"), (onboarding, "platinum", "gold")]
    assert holder.reason == "meets Platinum criteria; Platinum is capped at 1 in NL, held by n"


def test_a_sealed_figure_ranks_as_a_missing_one() -> None:
    """program.yaml refuses a private rank_by; were one given in code, a seal has no rank."""
    program = ladder(Cap("platinum", "NL", None, 1, None, ("certified_engineers",)), public=False)
    rows = [
        make_row("a", D1, certified_engineers=Sealed(10, True)),
        make_row("b", D1, certified_engineers=Sealed(10, True)),
    ]
    level, reasons = capped(program, *rows)
    assert level == {"a": "platinum", "b": "gold"}  # the tie goes to the lower id
    assert set(reasons) == {"b"}


def fr_gold_cap() -> Cap:
    return Cap("gold", "FR", None, 1, None, ("csat",))


def test_france_a_stronger_partner_takes_the_only_gold_place_at_once() -> None:
    """Issue 13, item 4: Gold capped at 1 in France, a stronger French partner arrives. The
    holder's figures still meet Gold, so no grace (grace is for figures that may recover): it
    takes Silver at once, the reason names the cap and the partner now holding the place, and
    one French partner holds Gold on every date."""
    onboarding = dt.date(2026, 10, 20)
    program = ladder(fr_gold_cap())
    rows = [
        row("holder", D4, 6, "FR", csat=4.5),
        row("stronger", onboarding, 6, "FR", csat=4.8),
    ]
    names = {"holder": "Holder SARL", "stronger": "Stronger SAS"}
    evaluation = evaluate_levels(program, sorted(names), rows, dt.date(2026, 11, 24), names)
    holder = evaluation.standings["holder"]
    reason = "meets Gold criteria; Gold is capped at 1 in FR, held by Stronger SAS"
    assert (holder.level, holder.earned, holder.capped) == ("silver", "gold", "silver")
    assert holder.under_review_until is None
    assert holder.reason == reason
    assert "figures" not in (holder.reason or "")
    assert holder.path is not None and (holder.path.goal, holder.path.level) == ("reach", "gold")
    assert moves(evaluation, "holder") == [(D4, None, "gold"), (onboarding, "gold", "silver")]
    assert [c.reason for c in evaluation.changes if c.partner == "holder"][-1] == (
        f"demoted: {reason}"
    )
    assert evaluation.standings["stronger"].level == "gold"
    assert [(h.date, h.level) for h in holder.history] == [(D4, "gold"), (onboarding, "silver")]


def test_a_holder_in_grace_leaves_a_capped_place_to_a_partner_that_meets_it() -> None:
    """The figures of the French Gold holder fall to Silver (grace starts); a partner that earns
    Gold arrives during the grace: the cap of 1 holds for the levels shown, so the holder in
    grace gives the place up at once, and the reason says both why."""
    program = ladder(fr_gold_cap())
    rows = [
        row("holder", D1, 6, "FR", csat=4.9),
        row("holder", D2, 3, "FR", csat=4.9),  # Silver figures: Gold kept until U2
        row("newcomer", D3, 6, "FR", csat=4.0),
    ]
    evaluation = evaluate(program, rows, dt.date(2026, 11, 24))
    holder = evaluation.standings["holder"]
    assert moves(evaluation, "holder") == [(D1, None, "gold"), (D3, "gold", "silver")]
    assert holder.reason is None  # Silver is what its figures earn
    assert [c.reason for c in evaluation.changes if c.partner == "holder"][-1] == (
        "demoted: its figures no longer meet Gold; Gold is capped at 1 in FR, held by newcomer"
    )
    assert evaluation.standings["newcomer"].level == "gold"
    # before the newcomer came, the holder was in its grace, alone at Gold
    before = evaluate(program, rows[:2], D3)
    assert (before.standings["holder"].level, before.standings["holder"].under_review_until) == (
        "gold",
        U2,
    )


def test_a_grace_reason_names_the_level_the_figures_earn_not_the_capped_one() -> None:
    """A Platinum holder whose figures fall to Gold, where Gold is full, keeps Platinum in its
    grace: its reason says the figures meet Gold (true), then why it would hold Silver."""
    program = ladder(nl_cap("gold", 1, "csat"))
    rows = [
        row("a", D1, 12, csat=4.0),
        row("g", D1, 6, csat=4.9),
        row("a", D2, 6, csat=4.0),  # Gold figures; Gold is held by g, ranked higher
    ]
    standing = evaluate(program, rows, D3).standings["a"]
    assert (standing.level, standing.earned, standing.capped) == ("platinum", "gold", "silver")
    assert standing.under_review_until == U2
    assert standing.reason == (
        "the figures of the latest review meet Gold, not Platinum; Platinum is kept until then, "
        "and for good if the figures recover by then (meets Gold criteria; Gold is capped at 1 "
        "in NL, held by g)"
    )
