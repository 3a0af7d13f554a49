"""The Atom feed of level changes: joins, promotions and demotions of listed partners, and
each rules file."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ..levels import listed_partners, rules_differences
from ..model import Directory, Evaluation, LevelChange, Partner, Program, SiteOptions
from ..urls import Urls, output_path
from ..wording import rules_difference_texts, rules_feed_title, sentence
from .xmltext import xml_text

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in the feed: the newest changes; older ones stay on the partners' profiles.
MAX_ENTRIES = 100


def changes_feed(
    directory: Directory, evaluation: Evaluation, options: SiteOptions
) -> dict[str, bytes]:
    """changes.xml: the newest level changes of listed partners, newest first, as Atom."""
    program = directory.program
    urls = Urls(options.base_url)
    listed = {partner.id: partner for partner, _ in listed_partners(directory, evaluation)}
    numbered = [
        (n, change) for n, change in enumerate(evaluation.changes) if change.partner in listed
    ]
    # newest first; on one date by partner name; one partner's changes latest first
    numbered.sort(
        key=lambda nc: (
            -nc[1].date.toordinal(),
            listed[nc[1].partner].name.casefold(),
            nc[1].partner,
            -nc[0],
        )
    )
    changes = [change for _, change in numbered[:MAX_ENTRIES]]
    feed_url = urls.absolute(urls.feed())
    title = xml_text(program.site.title)

    # the xmlns attribute by hand: ET.register_namespace would change a process-wide setting
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", feed_url)
    _add(feed, "title", f"{title}: level changes")
    _add(feed, "subtitle", "Partners that joined, were promoted or were demoted.")
    updated = max((change.date for change in changes), default=options.today)
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
    for change in changes:
        partner = listed[change.partner]
        entry = ET.SubElement(feed, "entry")
        entry_id = _entry_id(options.base_url, urls, change)
        seen[entry_id] = seen.get(entry_id, 0) + 1
        if seen[entry_id] > 1:  # the same step twice in a day: still one id per entry
            entry_id += f"/{seen[entry_id]}"
        _add(entry, "id", entry_id)
        _add(entry, "title", change_title(program, partner, change))
        _add(entry, "updated", _timestamp(change.date))
        ET.SubElement(
            entry,
            "link",
            {
                "rel": "alternate",
                "type": "text/html",
                "href": urls.absolute(urls.partner(partner.id)),
            },
        )
        ET.SubElement(entry, "category", {"term": change.kind(program).value})
        _add(entry, "content", sentence(xml_text(change.reason)), type="text")

    _add_rules_entries(feed, program, urls, options.base_url)
    ET.indent(feed)
    data = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return {output_path(urls.feed(), urls.root): data + b"\n"}


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


def change_title(program: Program, partner: Partner, change: LevelChange) -> str:
    """ "Acme Digital: Silver → Gold", or "Acme Digital: joined at Silver"."""
    name = xml_text(partner.name)
    level = program.level(change.level).name
    if change.previous is None:
        return f"{name}: joined at {level}"
    return f"{name}: {program.level(change.previous).name} \u2192 {level}"


def _entry_id(base_url: str, urls: Urls, change: LevelChange) -> str:
    """A tag: URI (RFC 4151) that names the change, not the feed: stable across builds."""
    host = urlsplit(base_url).hostname or "localhost"
    previous = change.previous or "new"
    date = change.date.isoformat()
    return f"tag:{host},{date}:{urls.partner(change.partner)}{date}/{previous}-{change.level}"


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = xml_text(text)
    return element


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
