"""A build, end to end: check, plan, render, write beside the live site, index, swap in.

files -> load -> validate -> evaluate -> plan pages -> render -> write -> index -> swap
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import output, parallel
from .content.checking import Checked, check_content
from .content.loading import MAX_LOGO_BYTES
from .model import Directory, Evaluation, SiteOptions
from .pages import Page, Planner, listed_partners
from .problems import BuildError, UsageError
from .render import make_environment, render_page, static_files
from .search import finish_index, start_index, stop_index
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
    delete_in_background: bool = False,
    keep_raw: bool = False,
) -> BuildResult:
    """Check `content`, then build its site into `out`; nothing is written when it has errors.

    A failure after the check (a template error, Pagefind failing, an interrupt) leaves `out`
    as it was. `keep_raw` keeps what was read in the result's `checked.loaded` (serve re-checks
    single files against it).
    """
    say = progress or (lambda _line: None)
    if templates is not None and not templates.is_dir():
        raise UsageError(f"no templates folder at '{templates}'")
    timings: dict[str, float] = {}
    with _timed(timings, "check"):
        checked = check_content(content, today)
        if not keep_raw:  # what was read (200,000 review rows at 50,000 partners) is done with
            checked = dataclasses.replace(checked, loaded=None)
    result = BuildResult(checked, out, timings=timings)
    directory, evaluation = checked.directory, checked.evaluation
    if checked.errors or directory is None or evaluation is None:
        return result

    options = SiteOptions(normalise_base_url(base_url or directory.program.site.base_url), today)
    job = _Job(directory, evaluation, options, templates)
    logos = logo_sources(content, directory, evaluation)
    with output.locked(out):
        staging = output.staging_folder(out)
        try:
            with _timed(timings, "profiles"):
                parts = _parts(len(evaluation.standings))
                say(f"planning, rendering and writing profiles ({parts} processes)")
                paths = _write_profiles(job, staging, parts)
            with _timed(timings, "index + other pages"):
                # Pagefind reads only the profiles: it indexes while the rest is written
                say("indexing for search (Pagefind) while writing the other pages and files")
                indexing = start_index(staging)
                try:
                    paths += _write(job, staging, Planner(*job.site).others())
                    files = static_files(templates)
                    files.update(site_extras(directory, evaluation, options, sorted(paths)))
                    output.write_files(staging, files)
                    output.copy_files(staging, logos, MAX_LOGO_BYTES)
                except BaseException:
                    stop_index(indexing)
                    raise
                finish_index(indexing, staging)
            with _timed(timings, "swap"):
                output.swap_in(staging, out, delete_in_background=delete_in_background)
        except BaseException:
            output.recover(out)
            raise
    result.built = True
    result.pages = len(paths)
    result.files = len(paths) + len(files) + len(logos)
    result.listed = sum(1 for standing in evaluation.standings.values() if not standing.expired)
    return result


@dataclass(frozen=True, slots=True)
class _Job:
    directory: Directory
    evaluation: Evaluation
    options: SiteOptions
    templates: Path | None

    @property
    def site(self) -> tuple[Directory, Evaluation, SiteOptions]:
        return self.directory, self.evaluation, self.options


#: Partners per extra process: below this a second process costs more than it saves.
PARTNERS_PER_PROCESS = 1000
#: The build a forked worker renders (set before the fork, read in the child).
_JOB: _Job | None = None


def _parts(partners: int) -> int:
    return parallel.parts(partners, PARTNERS_PER_PROCESS)


def _write_profiles(job: _Job, staging: Path, parts: int) -> list[str]:
    """Plan, render and write every profile, shared among `parts` processes; the paths written.

    This process renders part 0 while forked workers render the others; each writes its own
    files, so only the paths come back.
    """
    global _JOB
    _JOB = job  # read by the forked workers
    try:
        shards = parallel.map_forked(_worker, [(staging, (k, parts)) for k in range(parts)])
    finally:
        _JOB = None
    return [path for shard in shards for path in shard]


def _worker(task: tuple[Path, tuple[int, int]]) -> list[str]:
    assert _JOB is not None, "set by the parent before the fork"
    staging, shard = task
    return _write_shard(_JOB, staging, shard)


def _write_shard(job: _Job, staging: Path, shard: tuple[int, int]) -> list[str]:
    return _write(job, staging, Planner(*job.site).profiles(shard))


def _write(job: _Job, staging: Path, pages: Iterable[Page]) -> list[str]:
    """Render and write pages one at a time (a page's context is dropped once it is written)."""
    env = make_environment(job.templates)
    paths = []
    for page in pages:
        output.write_file(staging, page.path, _render(page, env))
        paths.append(page.path)
    return paths


def normalise_base_url(url: str) -> str:
    """The base URL with a trailing slash; a UsageError unless it is an http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"base URL '{url}' is not an http(s) URL with a host")
    return url if url.endswith("/") else url + "/"


def _render(page: Page, env: jinja2.Environment) -> bytes:
    try:
        return render_page(page, env)
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(
            f"{error.filename or error.name}:{error.lineno}: template: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise BuildError(f"template: {error}") from None


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
