"""The logo a listing may name: its own file beside it, no link, at most MAX_LOGO_BYTES, and an
SVG only as the allow-lists of `svg` let through (SECURITY.md: take another partner's logo,
publish a link as its logo, put script on the site through its logo)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..loading import LOGO_SUFFIXES, MAX_LOGO_BYTES, FileInfo
from .svg import svg_problem


def logo_problem(name: str, partner_id: str, files: Mapping[str, FileInfo]) -> str | None:
    """Why `name` is not a usable logo for the listing `partner_id` among `files`, the files
    beside the partner files (None when it is)."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"'{name}' is an absolute path; give the file name beside the partner file"
    if ".." in name.split("/") or ".." in name.split("\\"):
        return f"'{name}' leaves content/partners/; give the file name beside the partner file"
    if "/" in name or "\\" in name:
        return f"'{name}' is in a subfolder; put the logo beside the partner file"
    if not name.lower().endswith(LOGO_SUFFIXES):
        return f"'{name}' must be an .svg, .png or .webp file"
    # A logo belongs to one listing, by its name: no listing can claim, and then rewrite,
    # another partner's logo file (nor CODEOWNERS hand it over).
    own = [partner_id + suffix for suffix in LOGO_SUFFIXES]
    if name not in own:
        return (
            f"'{name}' is not this listing's own logo: name the file {', '.join(own[:-1])} "
            f"or {own[-1]}"
        )
    info = files.get(name)
    if info is None:
        return f"'{name}' does not exist in content/partners/"
    if info.is_link:
        return f"'{name}' is a symbolic link; commit the logo file itself"
    if not info.is_file:
        return f"'{name}' is not a file"
    if info.size > MAX_LOGO_BYTES:
        return f"'{name}' is {info.size:,} bytes; the limit is {MAX_LOGO_BYTES:,} bytes"
    if name.lower().endswith(".svg"):
        problem = svg_problem(info.svg_text or "")
        if problem:
            return f"'{name}' {problem}; use a plain SVG"
    return None
