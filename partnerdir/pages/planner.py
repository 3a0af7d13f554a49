"""Which pages the site has: planned one at a time, or all at once."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from ..model import Directory, Evaluation, SiteOptions
from .context import build_context
from .countries import countries_page, country_pages
from .finder import finder_files, finder_pages_file
from .home import home_pages
from .level import level_pages
from .not_found import not_found_page
from .profile import profile_page
from .program import program_page
from .stats import stats_page
from .views import Page


def plan_pages(
    directory: Directory,
    evaluation: Evaluation,
    options: SiteOptions,
    shard: tuple[int, int] = (0, 1),
    *,
    profiles: Collection[str] | None = None,
) -> list[Page]:
    """Every HTML page of the site with its prepared context, sorted by output path.

    `shard=(k, n)` plans part k of n: every n-th profile from the k-th, and the other pages in
    part 0; the n parts together are the whole site. `profiles` plans the profiles of these
    partner ids only (serve, after a partner's edit). A build uses Planner, one page at a time.
    """
    planner = Planner(directory, evaluation, options)
    if profiles is not None:
        return list(planner.profiles(only=profiles))
    pages = list(planner.profiles(shard))
    if shard[0] == 0:
        pages += planner.directory_pages()
    return sorted(pages, key=lambda page: page.path)


class Planner:
    """Plans pages one at a time, so that a large site never holds every page's context."""

    def __init__(self, directory: Directory, evaluation: Evaluation, options: SiteOptions):
        self._ctx = build_context(directory, evaluation, options)

    def profiles(
        self, shard: tuple[int, int] = (0, 1), only: Collection[str] | None = None
    ) -> Iterator[Page]:
        """Profiles of every n-th listed partner from the k-th (`shard=(k, n)`), or of `only`."""
        ctx = self._ctx
        part, parts = shard
        for partner, standing in ctx.listed[part::parts]:
            if only is None or partner.id in only:
                yield profile_page(ctx, partner, standing)

    def directory_pages(self) -> Iterator[Page]:
        """The pages of the whole directory rather than of one partner: home, countries,
        levels, programme, statistics and 404; every page but the profiles."""
        ctx = self._ctx
        yield from home_pages(ctx)
        yield countries_page(ctx)
        yield from country_pages(ctx)
        for level in ctx.program.levels:
            yield from level_pages(ctx, level)
        yield program_page(ctx)
        yield stats_page(ctx)
        yield not_found_page(ctx)

    def finder_files(self) -> dict[str, bytes]:
        """The finder's data files (pages.finder): filter sets, sort orders, card data."""
        return finder_files(self._ctx)

    def finder_pages_file(
        self, fragment_ids: Mapping[str, str], bundles: Sequence[str] = ()
    ) -> dict[str, bytes]:
        """Pagefind's result id of each partner, once the index is written (pages.finder)."""
        return finder_pages_file(self._ctx, fragment_ids, bundles)
