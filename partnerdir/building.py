"""A build, end to end: check, plan, render, write beside the live site, index, swap in.

files -> load -> validate -> evaluate -> plan pages -> render -> write -> index -> swap
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import output
from .checking import Checked, check_content
from .model import Directory, Evaluation, SiteOptions
from .pages import Page, listed_partners, plan_pages
from .problems import BuildError, UsageError
from .render import make_environment, render_pages, static_files
from .search import index_site
from .urls import logo_file_name

#: Called with a short line at the start of each stage of a long build.
Progress = Callable[[str], None]


@dataclass(slots=True)
class BuildResult:
    checked: Checked
    out: Path
    #: Whether a new site was swapped in (False when the content has errors).
    built: bool = False
    pages: int = 0
    files: int = 0
    listed: int = 0
    #: Stage name -> seconds, in the order the stages ran.
    timings: dict[str, float] = field(default_factory=dict)


def build_site(
    content: Path,
    out: Path,
    today: dt.date,
    *,
    base_url: str | None = None,
    templates: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Check `content`, then build its site into `out`; nothing is written when it has errors.

    A failure after the check (a template error, Pagefind failing, an interrupt) leaves `out`
    as it was.
    """
    say = progress or (lambda _line: None)
    if templates is not None and not templates.is_dir():
        raise UsageError(f"no templates folder at '{templates}'")
    timings: dict[str, float] = {}
    with _timed(timings, "check"):
        checked = check_content(content, today)
    result = BuildResult(checked, out, timings=timings)
    directory, evaluation = checked.directory, checked.evaluation
    if checked.errors or directory is None or evaluation is None:
        return result

    options = SiteOptions(normalise_base_url(base_url or directory.program.site.base_url), today)
    with _timed(timings, "plan"):
        say(f"planning pages for {len(directory.partners):,} partners")
        pages = plan_pages(directory, evaluation, options)
    with _timed(timings, "render"):
        say(f"rendering {len(pages):,} pages")
        files = _render(pages, templates)
        files.update(site_extras(directory, evaluation, options, [p.path for p in pages]))
        logos = logo_sources(content, directory, evaluation)
    with output.locked(out):
        staging = output.staging_folder(out)
        try:
            with _timed(timings, "write"):
                say(f"writing {len(files) + len(logos):,} files")
                output.write_files(staging, files)
                output.copy_files(staging, logos)
            with _timed(timings, "index"):
                say("indexing for search (Pagefind)")
                index_site(staging)
            with _timed(timings, "swap"):
                output.swap_in(staging, out)
        except BaseException:
            output.recover(out)
            raise
    result.built = True
    result.pages = len(pages)
    result.files = len(files) + len(logos)
    result.listed = len(listed_partners(directory, evaluation))
    return result


def normalise_base_url(url: str) -> str:
    """The base URL with a trailing slash; a UsageError unless it is an http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"base URL '{url}' is not an http(s) URL with a host")
    return url if url.endswith("/") else url + "/"


def _render(pages: list[Page], templates: Path | None) -> dict[str, bytes]:
    env = make_environment(templates)
    try:
        files = render_pages(pages, env)
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(
            f"{error.filename or error.name}:{error.lineno}: template: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise BuildError(f"template: {error}") from None
    files.update(static_files(templates))
    return files


def site_extras(
    directory: Directory, evaluation: Evaluation, options: SiteOptions, html_paths: list[str]
) -> dict[str, bytes]:
    """Everything besides the HTML pages and static files: badges, data, feed, sitemap."""
    from .badges import badge_files
    from .data import data_files
    from .feeds import changes_feed

    files: dict[str, bytes] = {}
    files.update(badge_files(directory, evaluation, options))
    files.update(changes_feed(directory, evaluation, options))
    files.update(data_files(directory, evaluation, options, html_paths))
    return files


def logo_sources(content: Path, directory: Directory, evaluation: Evaluation) -> Mapping[str, Path]:
    """Site path -> logo file, for every listed partner with a logo (validated beside its file)."""
    partners_dir = content / "partners"
    return {
        f"logos/{logo_file_name(partner.id, partner.logo)}": partners_dir / partner.logo
        for partner, _ in listed_partners(directory, evaluation)
        if partner.logo
    }


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
