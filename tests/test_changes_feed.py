"""The Atom feed of level changes: valid Atom, newest first, stable ids, escaped names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET

from factories import (
    Q3,
    Q4,
    SECRET_REVENUE,
    TODAY,
    make_partner,
    many_partners_site,
    sample_site,
    upcoming_site,
)

from partnerdir.model import Directory, Evaluation, LevelChange, SiteOptions
from partnerdir.sitefiles.changes_feed import MAX_ENTRIES, changes_feed

A = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script> & \"Quotes\" 'R' Us"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def feed_of(directory: Directory, evaluation: Evaluation, options: SiteOptions) -> ET.Element:
    files = changes_feed(directory, evaluation, options)
    assert list(files) == ["changes.xml"]
    return ET.fromstring(files["changes.xml"])


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{A}entry")


def test_feed_has_what_atom_requires() -> None:
    feed = feed_of(*sample_site())
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
    assert feed.findtext(f"{A}id") == "https://partners.example.com/changes.xml"
    assert feed.findtext(f"{A}title") == "Northwind Partner Directory: level changes"
    assert RFC3339.match(feed.findtext(f"{A}updated", ""))
    self_links = [link for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == ["https://partners.example.com/changes.xml"]
    # an author on the feed covers every entry (RFC 4287 4.1.1)
    assert feed.findtext(f"{A}author/{A}name") == "Northwind Partner Directory"
    for entry in entries(feed):
        for tag in ("id", "title", "updated", "content"):
            assert len(entry.findall(f"{A}{tag}")) == 1, tag
        assert RFC3339.match(entry.findtext(f"{A}updated", ""))
        alternate = [link for link in entry.findall(f"{A}link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1


def test_entries_are_the_listed_partners_changes_newest_first() -> None:
    feed = feed_of(*sample_site())
    got = [
        (
            entry.findtext(f"{A}updated"),
            entry.findtext(f"{A}title"),
            entry.find(f"{A}category").get("term"),  # type: ignore[union-attr]
            entry.findtext(f"{A}content"),
            entry.find(f"{A}link").get("href"),  # type: ignore[union-attr]
        )
        for entry in entries(feed)
    ]
    p = "https://partners.example.com/partners/"
    q3, q4 = "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"
    # old-registered has expired: not listed, so not in the feed
    assert got == [
        (q4, "Acme Digital: Silver \u2192 Gold", "promotion", "Earned Gold.", p + "acme-digital/"),
        (
            q4,
            "Capped & Co: Platinum \u2192 Gold",
            "demotion",
            "Platinum is capped at 1 in NL.",
            p + "capped-co/",
        ),
        (q4, "Kenya Ops: joined at Registered", "joined", "Joined.", p + "kenya-ops/"),
        (q3, "Acme Digital: joined at Silver", "joined", "Joined.", p + "acme-digital/"),
        (q3, "Bright Cloud: joined at Platinum", "joined", "Joined.", p + "bright-cloud/"),
        (q3, "Capped & Co: joined at Platinum", "joined", "Joined.", p + "capped-co/"),
        (q3, "Dropping Ltd: joined at Silver", "joined", "Joined.", p + "dropping-ltd/"),
    ]
    assert feed.findtext(f"{A}updated") == q4  # the latest change, not the build date


def test_ids_are_unique_tag_uris_that_name_the_change() -> None:
    directory, evaluation, options = sample_site("https://example.github.io/partners/")
    feed = feed_of(directory, evaluation, options)
    ids = [entry.findtext(f"{A}id", "") for entry in entries(feed)]
    assert len(set(ids)) == len(ids)
    assert ids[0] == (
        "tag:example.github.io,2026-10-01:/partners/partners/acme-digital/2026-10-01/silver-gold"
    )
    for entry_id in ids:
        assert re.match(r"^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:[A-Za-z0-9/._~-]+$", entry_id)


def test_ids_stay_when_newer_changes_arrive_and_the_build_date_moves() -> None:
    directory, evaluation, options = sample_site()
    before = {
        e.findtext(f"{A}title"): e.findtext(f"{A}id") for e in entries(feed_of(*sample_site()))
    }
    later = dt.date(2027, 3, 1)
    newer = dataclasses.replace(
        evaluation,
        today=later,
        changes=(
            *evaluation.changes,
            LevelChange("dropping-ltd", later, "silver", "registered", "demoted"),
        ),
    )
    feed = feed_of(directory, newer, dataclasses.replace(options, today=later))
    after = {e.findtext(f"{A}title"): e.findtext(f"{A}id") for e in entries(feed)}
    assert entries(feed)[0].findtext(f"{A}title") == "Dropping Ltd: Silver \u2192 Registered"
    assert feed.findtext(f"{A}updated") == "2027-03-01T00:00:00Z"
    assert {title: after[title] for title in before} == before


def test_the_same_step_twice_in_a_day_still_gets_two_ids() -> None:
    directory, evaluation, options = sample_site()
    twice = (
        LevelChange("acme-digital", Q4, "silver", "gold", "earned Gold"),
        LevelChange("acme-digital", Q4, "silver", "gold", "earned Gold again"),
    )
    feed = feed_of(directory, dataclasses.replace(evaluation, changes=twice), options)
    ids = [entry.findtext(f"{A}id") for entry in entries(feed)]
    assert len(ids) == 2 and len(set(ids)) == 2
    # one partner's changes on one date: the later first
    assert entries(feed)[0].findtext(f"{A}content") == "Earned Gold again."


def test_no_changes_gives_a_valid_feed_updated_at_the_build_date() -> None:
    directory, evaluation, options = sample_site()
    feed = feed_of(directory, dataclasses.replace(evaluation, changes=()), options)
    assert entries(feed) == []
    assert feed.findtext(f"{A}updated") == f"{TODAY.isoformat()}T00:00:00Z"


def test_at_most_the_newest_hundred_entries() -> None:
    directory, evaluation, options = many_partners_site(150)
    changes = tuple(
        LevelChange(f"partner-{n:05d}", Q3 + dt.timedelta(days=n), None, "registered", "joined")
        for n in range(150)
    )
    feed = feed_of(directory, dataclasses.replace(evaluation, changes=changes), options)
    titles = [entry.findtext(f"{A}title") for entry in entries(feed)]
    assert len(titles) == MAX_ENTRIES == 100
    assert titles[0] == "Partner 00149: joined at Registered"
    assert titles[-1] == "Partner 00050: joined at Registered"


def test_hostile_partner_name_is_escaped_and_round_trips() -> None:
    directory, evaluation, options = sample_site()
    hostile = make_partner("acme-digital", name=HOSTILE + "\x00")
    partners = tuple(hostile if p.id == "acme-digital" else p for p in directory.partners)
    directory = dataclasses.replace(directory, partners=partners)
    data = changes_feed(directory, evaluation, options)["changes.xml"]
    assert b"<script" not in data
    feed = ET.fromstring(data)
    assert f"{HOSTILE}: Silver \u2192 Gold" in [e.findtext(f"{A}title") for e in entries(feed)]


def test_same_input_gives_the_same_bytes() -> None:
    assert changes_feed(*sample_site()) == changes_feed(*sample_site())


def test_private_figures_never_appear() -> None:
    data = changes_feed(*sample_site())["changes.xml"]
    assert str(SECRET_REVENUE).encode() not in data
    assert f"{SECRET_REVENUE:,}".encode() not in data


def test_each_rules_file_has_an_entry_dated_when_it_takes_effect() -> None:
    feed = feed_of(*upcoming_site())
    rules = [e for e in entries(feed) if e.find(f"{A}category").get("term") == "rules"]
    assert [
        (e.findtext(f"{A}title"), e.findtext(f"{A}updated"), e.findtext(f"{A}id")) for e in rules
    ] == [
        (
            "New rules from 1 June 2027",
            "2027-06-01T00:00:00Z",
            "tag:partners.example.com,2027-06-01:/program/rules/2027-06-01",
        )
    ]
    assert rules[0].findtext(f"{A}content") == (
        "Gold: customer satisfaction of at least 4.6 (until then at least 4.2)."
    )
    assert rules[0].find(f"{A}link").get("href") == "https://partners.example.com/program/"
    assert not [
        e for e in entries(feed_of(*sample_site())) if e.find(f"{A}category").get("term") == "rules"
    ]
