"""The 404 page."""

from __future__ import annotations

from ..wording import NO_SCRIPT_NOT_FOUND
from .context import Context, level_links, page
from .views import Page


def not_found_page(ctx: Context) -> Page:
    return page(
        ctx,
        "404.html",
        "404.html",
        title="Page not found",
        section="",
        url=ctx.urls.path("404.html"),
        description="This page does not exist.",
        levels=level_links(ctx),
        no_script=NO_SCRIPT_NOT_FOUND,
    )
