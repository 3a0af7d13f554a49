"""Which pages the planner plans: profiles, in shards or by id, and the directory's pages."""

from __future__ import annotations

import pytest
from factories import sample_site

from partnerdir.pages import Planner, plan_pages

PROFILES = {
    "partners/acme-digital/index.html",
    "partners/bright-cloud/index.html",
    "partners/capped-co/index.html",
    "partners/dropping-ltd/index.html",
    "partners/kenya-ops/index.html",
}


def test_directory_pages_are_every_page_but_the_profiles() -> None:
    site = sample_site()
    every = {page.path for page in plan_pages(*site)}
    assert {page.path for page in Planner(*site).profiles()} == PROFILES
    assert {page.path for page in Planner(*site).directory_pages()} == every - PROFILES


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_shards_together_are_the_whole_site_once(parts: int) -> None:
    site = sample_site()
    shards = [[page.path for page in plan_pages(*site, (k, parts))] for k in range(parts)]
    every = [path for shard in shards for path in shard]
    assert sorted(every) == [page.path for page in plan_pages(*site)]  # each page once
    for shard in shards[1:]:
        assert set(shard) <= PROFILES  # the directory's pages are planned in part 0


def test_plan_pages_is_sorted_by_path() -> None:
    paths = [page.path for page in plan_pages(*sample_site())]
    assert paths == sorted(paths)
    assert len(paths) == 18


def test_profiles_of_some_partners_only() -> None:
    site = sample_site()
    # old-registered has expired: no profile to plan; unknown ids plan nothing
    planned = plan_pages(*site, profiles={"kenya-ops", "old-registered", "nobody"})
    assert [page.path for page in planned] == ["partners/kenya-ops/index.html"]
    assert planned[0].template == "partner.html"
