"""The pipeline that `build` and `serve` share: a `Site` checks, plans, renders, writes beside the
live site, indexes and swaps in; between builds, serve has it re-render edited partners' profiles.

files -> load -> validate -> evaluate -> plan pages -> render -> write -> index -> swap
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import itertools
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import parallel
from .content.checking import Checked, check_content
from .content.loading import MAX_LOGO_BYTES, MAX_PARTNER_BYTES, MAX_PROGRAM_BYTES, read_yaml
from .content.partner import validate_partner
from .content.program import validate_program
from .levels import listed_partners
from .model import Directory, Evaluation, Partner, SiteOptions, Standing
from .output import folder, search
from .pages import Page, Planner
from .pages.profile import TEMPLATE as PROFILE_TEMPLATE
from .problems import BuildError, Problem, UsageError
from .render import (
    add_compiled,
    compile_templates,
    make_environment,
    render_page,
    static_files,
)
from .sitefiles import files_besides_pages
from .urls import logo_file_name

#: Called with a short line at the start of each stage of a long build.
Progress = Callable[[str], None]
#: Partners per extra process: below this a second process costs more than it saves.
PARTNERS_PER_PROCESS = 200


@dataclass(frozen=True, slots=True)
class SiteJob:
    """What a build reads and where it writes it."""

    content: Path
    out: Path
    #: The build date: levels depend on it.
    today: dt.date
    #: Publish under this URL instead of program.yaml's site.base_url (previews, serve).
    base_url: str | None = None
    #: A folder of templates (and static/) that replace the built-in ones of the same name.
    templates: Path | None = None
    #: The check's cache folder (content/cache.py), or None to validate every partner file.
    cache: Path | None = None


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


@dataclass(frozen=True, slots=True)
class ProfileUpdate:
    """Profiles rewritten in place after their partners' files changed, before a full build."""

    partners: tuple[str, ...]
    seconds: float
    #: Errors in the changed files: then nothing was written.
    problems: tuple[Problem, ...]


class Site:
    """A programme's site: `build()` makes it whole; `update_profiles()` (serve, between builds)
    rewrites the profiles of edited partner files in the live site.

    Both render through `_rendering()`, the one place that gathers what a page depends on.
    `incremental` keeps what the last build read, which `update_profiles()` needs; a build
    without it lets go of what was read as soon as it is checked.
    """

    def __init__(
        self,
        job: SiteJob,
        *,
        progress: Progress | None = None,
        delete_in_background: bool = False,
        incremental: bool = False,
    ) -> None:
        self.job = job
        self._say = progress or (lambda _line: None)
        self._delete_in_background = delete_in_background
        self._incremental = incremental
        self._last: _Published | None = None

    def build(self) -> BuildResult:
        """Check the content, then build its site into the job's output folder; nothing is
        written when the content has errors.

        A failure after the check (a template error, Pagefind failing, an interrupt) leaves the
        output folder as it was. With `delete_in_background`, the old site is removed by a
        detached process once the new one is live.
        """
        job = self.job
        if job.templates is not None and not job.templates.is_dir():
            raise UsageError(f"no templates folder at '{job.templates}'")
        # The templates do not depend on the content: they are compiled in a forked process
        # while this one checks it, not later on the way to the first page; the profiles' own
        # first, the first profile waits for no other.
        compiling = functools.partial(compile_templates, job.templates, PROFILE_TEMPLATE)
        with parallel.compute_forked(compiling) as compiled:
            return self._build(compiled)

    def _build(self, compiled: parallel.Computing[dict[str, bytes]]) -> BuildResult:
        job = self.job
        timings: dict[str, float] = {}
        with _timed(timings, "check"):
            checked = check_content(job.content, job.today, job.cache)
            if not self._incremental:  # 200,000 review rows read at 50,000 partners: done with
                checked = dataclasses.replace(checked, loaded=None)
        result = BuildResult(checked, job.out, timings=timings)
        directory, evaluation = checked.directory, checked.evaluation
        if checked.errors or directory is None or evaluation is None:
            return result

        listed = listed_partners(directory, evaluation)
        logos = _logo_sources(job.content, listed)
        with _timed(timings, "profiles"):
            rendering = self._rendering(directory, evaluation, compiled.result({}))
        with folder.locked(job.out):
            staging = folder.staging_folder(job.out)
            try:
                with _timed(timings, "profiles"), _frozen():
                    parts = _parts(len(evaluation.standings))
                    self._say(f"planning, rendering and writing profiles ({parts} processes)")
                    paths = _write_profiles(rendering, staging, parts)
                with _timed(timings, "index + other pages"), _frozen():
                    # Pagefind reads only the profiles: it indexes while the rest is written,
                    # in a thread that takes only the CPU Pagefind leaves idle, and once it is
                    # done, here
                    self._say(
                        "indexing for search (Pagefind) while writing the other pages and files"
                    )
                    indexing = search.start_index(staging, [p.id for p, _ in listed])
                    try:
                        add_compiled(rendering.env, compiled.result({}))
                        the_rest = _TheRest(
                            rendering, staging, job.templates, directory, evaluation, paths, logos
                        )
                        paths, files = parallel.in_idle_thread(
                            the_rest.write(), until=functools.partial(search.indexed, indexing)
                        )
                    except BaseException:
                        search.stop_index(indexing)
                        raise
                    search.finish_index(indexing, staging)
                    folder.write_files(
                        staging,
                        rendering.planner.finder_pages_file(
                            search.fragment_ids(staging), search.bundles(staging)
                        ),
                    )
                with _timed(timings, "swap"):
                    folder.swap_in(
                        staging, job.out, delete_in_background=self._delete_in_background
                    )
            except BaseException:
                folder.recover(job.out)
                raise
        if self._incremental:
            self._last = _Published(checked, frozenset(partner.id for partner, _ in listed))
        result.built = True
        result.pages = len(paths)
        result.files = len(paths) + len(files) + len(logos)
        result.listed = len(listed)
        return result

    def update_profiles(self, changed: Iterable[Path]) -> ProfileUpdate | None:
        """Rewrite the profiles of edited partner files in the live site, in well under a second.

        Levels do not depend on partner files, so the last build's evaluation still holds. Only
        edits of listed partners' existing files qualify (no logo change): anything else returns
        None and waits for the full build, which brings the lists, the data files and the
        search index up to date. Errors in the edited files are returned, and nothing is
        written.
        """
        start = time.perf_counter()
        last = self._last
        if last is None:
            return None
        raw, directory = last.checked.loaded, last.checked.directory
        evaluation = last.checked.evaluation
        if raw is None or directory is None or evaluation is None:
            return None
        partners_dir = Path(raw.root) / "partners"
        ids = []
        for path in changed:
            if (
                path.parent != partners_dir
                or path.suffix != ".yaml"
                or not path.is_file()
                or path.stem not in last.listed
            ):
                return None
            ids.append(path.stem)
        known = {partner.id: partner for partner in directory.partners}
        problems: list[Problem] = []
        edited: dict[str, Partner] = {}
        for partner_id in ids:
            file = read_yaml(partners_dir / f"{partner_id}.yaml", MAX_PARTNER_BYTES, problems)
            partner = validate_partner(file, directory.program, raw, problems)
            if partner is not None:
                if partner.logo != known[partner_id].logo:
                    return None  # a new logo file is copied by the full build
                edited[partner_id] = partner
        errors = tuple(p for p in problems if p.is_error)
        if not errors:
            partners = tuple(edited.get(p.id, p) for p in directory.partners)
            directory = dataclasses.replace(directory, partners=partners)
            rendering = self._rendering(directory, evaluation)
            files = dict(rendering.render(rendering.planner.profiles(only=set(ids))))
            with folder.locked(self.job.out):
                folder.replace_files(self.job.out, files)
        return ProfileUpdate(tuple(ids), time.perf_counter() - start, errors)

    def _rendering(
        self,
        directory: Directory,
        evaluation: Evaluation,
        compiled: Mapping[str, bytes] | None = None,
    ) -> _Rendering:
        """Everything a page depends on, gathered in this one place for builds and updates;
        `compiled`: the templates compiled beforehand (render.compile_templates)."""
        base_url = self.job.base_url or directory.program.site.base_url
        options = SiteOptions(normalise_base_url(base_url), self.job.today)
        planner = Planner(directory, evaluation, options)
        return _Rendering(planner, options, make_environment(self.job.templates, compiled))


def build_site(
    content: Path,
    out: Path,
    today: dt.date,
    *,
    base_url: str | None = None,
    templates: Path | None = None,
    progress: Progress | None = None,
    delete_in_background: bool = False,
) -> BuildResult:
    """Check `content`, then build its site into `out`: `Site(SiteJob(...)).build()`."""
    job = SiteJob(content, out, today, base_url, templates)
    return Site(job, progress=progress, delete_in_background=delete_in_background).build()


def base_path(content: Path) -> str:
    """The path of program.yaml's base URL ("/partners/"), for a preview under another host;
    "/" if program.yaml has errors.

    Only program.yaml is read: a partner file with an error must not move the preview's address.
    """
    program = validate_program(read_yaml(content / "program.yaml", MAX_PROGRAM_BYTES, []), [])
    if program is None:
        return "/"
    path = urlsplit(program.site.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def normalise_base_url(url: str) -> str:
    """The base URL with a trailing slash; a UsageError unless it is an http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"base URL '{url}' is not an http(s) URL with a host")
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True, slots=True)
class _Published:
    """What the last published build read and listed: where `update_profiles` starts from."""

    checked: Checked
    listed: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Rendering:
    """The planned site (content, levels, base URL, date) and its templates: all a page needs.

    Forked workers receive it whole, through `functools.partial`.
    """

    planner: Planner
    options: SiteOptions
    env: jinja2.Environment

    def render(self, pages: Iterable[Page]) -> Iterator[tuple[str, bytes]]:
        """(path, bytes) of each page in turn: its context is dropped once it is rendered.

        The one place a template error becomes a BuildError.
        """
        for page in pages:
            try:
                data = render_page(page, self.env)
            except jinja2.TemplateSyntaxError as error:
                raise BuildError(
                    f"{error.filename or error.name}:{error.lineno}: template: {error.message}"
                ) from None
            except jinja2.TemplateError as error:
                raise BuildError(f"template: {error}") from None
            yield page.path, data


def _parts(partners: int) -> int:
    return parallel.parts(partners, PARTNERS_PER_PROCESS)


def _write_profiles(rendering: _Rendering, staging: Path, parts: int) -> list[str]:
    """Plan, render and write every profile, shared among `parts` processes; the paths written.

    This process renders part 0 while forked workers render the others; each writes its own
    files, so only the paths come back. The first profile is written before forking: what it
    loads on first use (its compiled templates; the Markdown parser, if its description needs
    it) is then loaded once and inherited, not loaded again in every process. With a core to
    spare (fewer processes than cores: a site of a few hundred partners), each process's files
    are written by a thread beside it while it renders the next.
    """
    shares = [rendering.planner.profiles((part, parts)) for part in range(parts)]
    paths = _write_pages(rendering, staging, itertools.islice(shares[0], 1))
    write = _write_pages_beside if parts < parallel.cores() else _write_pages
    shards = parallel.map_forked(functools.partial(write, rendering, staging), shares)
    return paths + [path for shard in shards for path in shard]


@dataclass(frozen=True, slots=True)
class _TheRest:
    """What a build writes besides the profiles: the other pages, then the files beside them
    (static files, badges, feed, data, sitemap, the finder's files) and the logos."""

    rendering: _Rendering
    staging: Path
    templates: Path | None
    directory: Directory
    evaluation: Evaluation
    #: The profiles' paths: the sitemap lists them too.
    profile_paths: list[str]
    logos: Mapping[str, Path]

    def write(self) -> Generator[None, None, tuple[list[str], dict[str, bytes]]]:
        """Write it all, pausing after each page and file; its value: the paths of every page
        written, profiles included, and the other files."""
        rendering, staging = self.rendering, self.staging
        planner = rendering.planner
        paths = list(self.profile_paths)
        for path, data in rendering.render(planner.directory_pages()):
            folder.write_file(staging, path, data)
            paths.append(path)
            yield
        files = static_files(self.templates)
        files.update(
            files_besides_pages(self.directory, self.evaluation, rendering.options, sorted(paths))
        )
        files.update(planner.finder_files())
        yield
        for relative, data in files.items():
            folder.write_file(staging, relative, data)
            yield
        for relative, source in self.logos.items():
            folder.copy_file(staging, relative, source, MAX_LOGO_BYTES)
            yield
        return paths, files


def _write_pages_beside(rendering: _Rendering, root: Path, pages: Iterable[Page]) -> list[str]:
    """_write_pages, each page written by a thread beside this one while it renders the next
    (folder.writing_beside)."""
    paths = []
    with folder.writing_beside(root) as write:
        for path, data in rendering.render(pages):
            write(path, data)
            paths.append(path)
    return paths


def _write_pages(rendering: _Rendering, root: Path, pages: Iterable[Page]) -> list[str]:
    """Render and write pages one at a time; the paths written."""
    paths = []
    for path, data in rendering.render(pages):
        folder.write_file(root, path, data)
        paths.append(path)
    return paths


def _logo_sources(content: Path, listed: Sequence[tuple[Partner, Standing]]) -> Mapping[str, Path]:
    """Site path -> logo file, for every listed partner with a logo (validated beside its file)."""
    partners_dir = content / "partners"
    return {
        f"logos/{logo_file_name(partner.id, partner.logo)}": partners_dir / partner.logo
        for partner, _ in listed
        if partner.logo
    }


@contextmanager
def _frozen() -> Iterator[None]:
    """Render with what exists so far (the checked content, the plan) out of the garbage
    collector's sight: it lives until the build ends, and scanning it again at each collection
    cost about 7% of rendering the profiles at 1,000 partners. Given back on the way out, so a
    long-running `serve` can still collect an old build's content."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
