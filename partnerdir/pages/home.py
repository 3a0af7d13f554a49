"""The home page: search with filters and sorts, and the plain list, paged, without JavaScript."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from markupsafe import Markup

from ..countries import country_name, language_name
from ..markup import render_markdown
from ..model import MetricType, Term
from ..wording import (
    FINDER_LEAD,
    FINDER_LEAD_LINK,
    FINDER_WORDS,
    NO_SCRIPT_SEARCH,
    count,
    filter_phrase,
    list_pager_label,
)
from .context import Context, country_links, level_links, page
from .paging import chunks, short_pager
from .sorting import sortable_metrics
from .views import Facet, FacetOption, Page, SearchUi, SortChoice

#: Partners per page of the plain (no-JavaScript) list on the home page.
PAGE_SIZE = 60


def home_pages(ctx: Context) -> list[Page]:
    cards = [ctx.cards[partner.id] for partner, _ in ctx.listed]
    pages_of_cards = chunks(cards, PAGE_SIZE)
    total = len(pages_of_cards)
    levels = level_links(ctx)
    countries = country_links(ctx)
    pages: list[Page] = []
    for number, chunk in enumerate(pages_of_cards, start=1):
        url = ctx.urls.home(number)
        first = number == 1
        pages.append(
            page(
                ctx,
                "index.html" if first else f"page/{number}/index.html",
                "home.html",
                title=ctx.site.title if first else f"All partners, page {number} of {total}",
                section="home",
                url=url,
                description=ctx.program.site.tagline or ctx.site.title,
                intro=Markup(render_markdown(ctx.program.site.intro)) if first else Markup(""),
                search=_search_ui(ctx) if first else None,
                no_script=NO_SCRIPT_SEARCH if first else "",
                lead=FINDER_LEAD,
                lead_link=FINDER_LEAD_LINK,
                program_href=ctx.urls.program(),
                cards=tuple(chunk),
                count_text=count(len(cards), "partner"),
                list_heading="All partners"
                if total == 1
                else f"All partners, page {number} of {total}",
                pager=short_pager(number, total, ctx.urls.home, list_pager_label()),
                levels=levels,
                countries=countries,
            )
        )
    return pages


def _search_ui(ctx: Context) -> SearchUi:
    program = ctx.program
    partners = [partner for partner, _ in ctx.listed]
    standings = [standing for _, standing in ctx.listed]
    country_counts = Counter(code for p in partners for code in p.countries)
    level_counts = Counter(s.level for s in standings)
    program_counts = Counter(term for p in partners for term in p.programs)
    service_counts = Counter(term for p in partners for term in p.services)
    language_counts = Counter(code for p in partners for code in p.languages)
    industry_counts = Counter(term for p in partners for term in p.industries)
    facets = (
        Facet(
            "country",
            "Country",
            "All countries",
            tuple(
                FacetOption(
                    code,
                    country_name(code),
                    country_counts[code],
                    filter_phrase("country", code, country_name(code)),
                )
                for code in sorted(country_counts, key=lambda c: (country_name(c), c))
            ),
        ),
        Facet(
            "level",
            "Level",
            "All levels",
            tuple(
                FacetOption(level.id, level.name, level_counts[level.id], level.name)
                for level in reversed(program.levels)
                if level_counts[level.id]
            ),
        ),
        _term_facet(
            "program", "Partner type", "All partner types", program.programs, program_counts
        ),
        _term_facet("service", "Service", "All services", program.services, service_counts),
        _term_facet("industry", "Industry", "All industries", program.industries, industry_counts),
        Facet(
            "language",
            "Language",
            "All languages",
            tuple(
                FacetOption(
                    code,
                    language_name(code),
                    language_counts[code],
                    filter_phrase("language", code, language_name(code)),
                )
                for code in sorted(language_counts, key=lambda c: (language_name(c), c))
            ),
        ),
    )
    sorts = [
        SortChoice("level", "Level, then name", ""),
        SortChoice("name", "Name (A to Z)", ""),
    ]
    for metric in sortable_metrics(program):
        order = "highest" if metric.better == "higher" else "lowest"
        if metric.type is MetricType.CHOICE:
            order = "best"
        sorts.append(
            SortChoice(f"fig_{metric.id}", f"{metric.label} ({order} first)", metric.label)
        )
    return SearchUi(
        pagefind=ctx.urls.pagefind(),
        base=ctx.urls.root,
        facets=tuple(facet for facet in facets if facet.options),
        sorts=tuple(sorts),
        total=len(partners),
        words=json.dumps(FINDER_WORDS, ensure_ascii=False, sort_keys=True),
    )


def _term_facet(
    name: str, label: str, any_label: str, terms: Sequence[Term], counts: Counter[str]
) -> Facet:
    options = tuple(
        FacetOption(t.id, t.name, counts[t.id], filter_phrase(name, t.id, t.name))
        for t in terms
        if counts[t.id]
    )
    return Facet(name, label, any_label, options)
