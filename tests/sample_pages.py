"""The fixture site's pages rendered (factories.sample_site), and how tests read them: the
visible words and the links of a page."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from factories import make_partner, sample_site

from partnerdir.levels import evaluate_levels
from partnerdir.model import Directory, Program, ReviewRow, SiteOptions
from partnerdir.pages import plan_pages
from partnerdir.render import make_environment, render_pages

#: A base URL with a path: every link must carry it.
SUB_BASE = "https://example.github.io/partners/"


def render_sample(base_url: str = "https://partners.example.com/") -> dict[str, str]:
    """Output path -> HTML of every page of the sample site."""
    directory, evaluation, options = sample_site(base_url)
    files = render_pages(plan_pages(directory, evaluation, options), make_environment())
    return {path: data.decode("utf-8") for path, data in files.items()}


def render_rows(program: Program, rows: tuple[ReviewRow, ...], today: dt.date) -> dict[str, str]:
    """Output path -> HTML of every page of a site of `rows` as the level rules judge them:
    a partner file for each partner id, named after it ("holder-sarl" -> "Holder Sarl"), serving
    the country of its first row."""
    ids = sorted({r.partner for r in rows})
    home = {r.partner: r.country for r in reversed(rows)}
    partners = tuple(
        make_partner(i, name=i.replace("-", " ").title(), countries=(home[i],)) for i in ids
    )
    names = {p.id: p.name for p in partners}
    directory = Directory(program, partners, rows, tuple(sorted({r.date for r in rows})))
    evaluation = evaluate_levels(program, ids, rows, today, names)
    planned = plan_pages(directory, evaluation, SiteOptions(program.site.base_url, today))
    return {k: v.decode() for k, v in render_pages(planned, make_environment()).items()}


def text_of(html: str) -> str:
    """The page's visible words, tags removed and whitespace collapsed."""
    without = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    inline = re.sub(r"</?(a|span|strong|em|time|code)\b[^>]*>", "", without)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split()).replace("&amp;", "&")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.h1 += tag == "h1"
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser
