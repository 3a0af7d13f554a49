"""The Atom feed of the partners' level history: every event of history.level_events (joined,
promoted, under review, recovered, dropped, held by a cap and released, entry period ending,
expired), for every partner the content still names, listed or not; and each rules file."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ..history import LevelEvent, all_events
from ..levels import evaluate_levels, rules_differences
from ..model import Directory, Evaluation, Listing, Program, SiteOptions
from ..urls import Urls, output_path
from ..wording import (
    FEED_SUBTITLE,
    event_detail,
    feed_entry_title,
    rules_difference_texts,
    rules_feed_title,
    sentence,
)
from .xmltext import xml_text

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in the feed: the newest events; older ones stay on the partners' profiles.
MAX_ENTRIES = 100


def changes_feed(
    directory: Directory, evaluation: Evaluation, options: SiteOptions
) -> dict[str, bytes]:
    """changes.xml: the newest events of the partners' level history, newest first, as Atom.

    A partner that has left the listing keeps its earlier entries: they happened. That is a
    partner whose entry period expired, and one whose file was removed while review rows still
    name it (named by its id then: its name left with its file). Their link goes to the home
    page, which always exists, rather than to a profile that is not published.
    """
    program = directory.program
    urls = Urls(options.base_url)
    names = {partner.id: partner.name for partner in directory.partners}
    names.update({partner: partner for partner in directory.unfiled})
    events = {**all_events(program, evaluation), **_departed_events(directory, evaluation)}
    numbered = [
        (n, partner, event)
        for partner, found in events.items()
        if partner in names
        for n, event in enumerate(found)
    ]
    # newest first; on one date by partner name; one partner's events latest first
    numbered.sort(
        key=lambda ne: (
            -ne[2].date.toordinal(),
            names[ne[1]].casefold(),
            ne[1],
            -ne[0],
        )
    )
    chosen = [(partner, event) for _, partner, event in numbered[:MAX_ENTRIES]]
    feed_url = urls.absolute(urls.feed())
    title = xml_text(program.site.title)

    # the xmlns attribute by hand: ET.register_namespace would change a process-wide setting
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", feed_url)
    _add(feed, "title", f"{title}: level changes")
    _add(feed, "subtitle", FEED_SUBTITLE)
    updated = max((event.date for _, event in chosen), default=options.today)
    _add(feed, "updated", _timestamp(updated))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_url})
    ET.SubElement(
        feed,
        "link",
        {"rel": "alternate", "type": "text/html", "href": urls.absolute(urls.stats())},
    )
    author = ET.SubElement(feed, "author")
    _add(author, "name", title)
    _add(author, "uri", urls.absolute(urls.home()))
    _add(feed, "generator", "partnerdir")

    seen: dict[str, int] = {}
    for partner_id, event in chosen:
        listed = partner_id in evaluation.standings and (
            evaluation.listing(partner_id) is Listing.LISTED
        )
        entry = ET.SubElement(feed, "entry")
        entry_id = _entry_id(options.base_url, urls, partner_id, event)
        seen[entry_id] = seen.get(entry_id, 0) + 1
        if seen[entry_id] > 1:  # the same step twice in a day: still one id per entry
            entry_id += f"/{seen[entry_id]}"
        _add(entry, "id", entry_id)
        _add(entry, "title", feed_entry_title(program, xml_text(names[partner_id]), event))
        _add(entry, "updated", _timestamp(event.date))
        page = urls.partner(partner_id) if listed else urls.home()
        ET.SubElement(
            entry,
            "link",
            {"rel": "alternate", "type": "text/html", "href": urls.absolute(page)},
        )
        ET.SubElement(entry, "category", {"term": event.kind.value})
        _add(entry, "content", event_detail(program, event), type="text")

    _add_rules_entries(feed, program, urls, options.base_url)
    ET.indent(feed)
    data = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return {output_path(urls.feed(), urls.root): data + b"\n"}


def _departed_events(
    directory: Directory, evaluation: Evaluation
) -> dict[str, tuple[LevelEvent, ...]]:
    """The events of the partners whose file was removed: the level rules run again with their
    rows, as they ran while the files were there, and only their own events are kept."""
    if not directory.unfiled:
        return {}
    ids = [partner.id for partner in directory.partners] + list(directory.unfiled)
    rows = sorted((*directory.rows, *directory.unfiled_rows), key=lambda r: (r.date, r.partner))
    again = evaluate_levels(directory.program, ids, rows, evaluation.today)
    found = all_events(directory.program, again)
    return {partner: found[partner] for partner in directory.unfiled if partner in found}


def _add_rules_entries(feed: ET.Element, program: Program, urls: Urls, base_url: str) -> None:
    """An entry per rules file, past or upcoming, dated the day it takes effect (the day it
    was published is not known: git history is not content), saying what it changes."""
    host = urlsplit(base_url).hostname or "localhost"
    for difference in rules_differences(program):
        date = difference.date.isoformat()
        entry = ET.SubElement(feed, "entry")
        _add(entry, "id", f"tag:{host},{date}:{urls.program()}rules/{date}")
        _add(entry, "title", rules_feed_title(difference.date))
        _add(entry, "updated", _timestamp(difference.date))
        ET.SubElement(
            entry,
            "link",
            {"rel": "alternate", "type": "text/html", "href": urls.absolute(urls.program())},
        )
        ET.SubElement(entry, "category", {"term": "rules"})
        texts = rules_difference_texts(program, difference)
        _add(entry, "content", sentence("; ".join(texts)), type="text")


def _entry_id(base_url: str, urls: Urls, partner: str, event: LevelEvent) -> str:
    """A tag: URI (RFC 4151) that names the event, not the feed: stable across builds. A change
    of level keeps the form it had before the feed told other events: ".../silver-gold"."""
    host = urlsplit(base_url).hostname or "localhost"
    date = event.date.isoformat()
    if event.changes_level:
        what = f"{event.previous or 'new'}-{event.level}"
    else:
        what = f"{event.kind.value}-{event.level}"
        if event.until is not None:
            what += f"-until-{event.until.isoformat()}"
    return f"tag:{host},{date}:{urls.partner(partner)}{date}/{what}"


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = xml_text(text)
    return element


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
