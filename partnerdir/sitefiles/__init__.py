"""The site's files besides its HTML pages and static assets: level badges, the Atom feed of
level changes, partners.json with the partner file's JSON Schema, the sitemap and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Directory, Evaluation, SiteOptions
from .badges import badge_files
from .changes_feed import changes_feed
from .partners_json import partners_json_files
from .sitemap import robots_txt, sitemap_files


def files_besides_pages(
    directory: Directory,
    evaluation: Evaluation,
    options: SiteOptions,
    html_paths: Iterable[str],
) -> dict[str, bytes]:
    """Site path -> bytes of every badge, the feed, the JSON files, the sitemap (listing
    `html_paths`, the HTML pages: "partners/acme/index.html") and robots.txt."""
    return {
        **badge_files(directory, evaluation, options),
        **changes_feed(directory, evaluation, options),
        **partners_json_files(directory, evaluation, options),
        **sitemap_files(html_paths, options),
        "robots.txt": robots_txt(options),
    }
