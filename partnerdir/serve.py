"""`serve`: build, serve the site on 127.0.0.1, rebuild whenever content or templates change.

The site is served under its own localhost address (the base URL's path is kept, so a project
site's subpath is previewed as published). A rebuild that fails, or content with errors, leaves
the last good site in place and prints why; fixing the file rebuilds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import http.server
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import output
from .building import BuildResult, build_site, normalise_base_url
from .content.loading import MAX_PARTNER_BYTES, MAX_PROGRAM_BYTES, read_yaml
from .content.partner import validate_partner
from .content.program import validate_program
from .model import SiteOptions
from .pages import plan_pages
from .problems import PartnerdirError, Problem
from .render import make_environment, render_pages

#: How often the watcher looks at the files, in seconds.
POLL = 0.2

Snapshot = dict[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class ProfileUpdate:
    """Profiles rewritten in place after their partners' files changed, before a full build."""

    partners: tuple[str, ...]
    seconds: float
    #: Errors in the changed files: then nothing was written.
    problems: tuple[Problem, ...]


Report = Callable[[BuildResult | ProfileUpdate | PartnerdirError], None]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Path -> (mtime in ns, size) of every file under the folders."""
    found: Snapshot = {}
    stack = [str(folder) for folder in folders if folder.is_dir()]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    found[entry.path] = (info.st_mtime_ns, info.st_size)
    return found


def site_path(content: Path) -> str:
    """The path of program.yaml's base URL ("/partners/"), kept under localhost; "/" if unknown.

    Only program.yaml is read: a partner file with an error must not move the preview's address.
    """
    program = validate_program(read_yaml(content / "program.yaml", MAX_PROGRAM_BYTES, []), [])
    if program is None:
        return "/"
    path = urlsplit(program.site.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the output folder under the site's path; quiet; 404.html for what is missing."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + url_path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def site_handler(out: Path, prefix: str) -> Callable[..., _Handler]:
    """A request handler serving `out` under the URL path `prefix` only, with its 404 page."""
    handler_class = type("SiteHandler", (_Handler,), {"prefix": prefix})
    return functools.partial(handler_class, directory=str(out.resolve()))


def serve(
    content: Path,
    out: Path,
    today: dt.date,
    *,
    port: int,
    templates: Path | None,
    report: Report,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until `stop` is set (or Ctrl-C)."""
    prefix = site_path(content)
    out.mkdir(parents=True, exist_ok=True)
    handler = site_handler(out, prefix)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    address = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    watched = [content] + ([templates] if templates else [])
    stop = stop or threading.Event()

    last: list[BuildResult] = []  # the last build that published a site
    options = SiteOptions(normalise_base_url(address), today)

    def rebuild() -> None:
        try:
            result = build_site(
                content, out, today, base_url=address, templates=templates, keep_raw=True
            )
        except PartnerdirError as error:
            report(error)
            return
        if result.built:
            last[:] = [result]
        report(result)

    def changed(before: Snapshot, after: Snapshot) -> None:
        """A partner's own file edited: its profile first (fast), then the whole site."""
        paths = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        update = None
        if last and not templates_changed(paths, templates):
            try:
                update = update_profiles(last[0], [Path(p) for p in paths], out, options, templates)
            except PartnerdirError as error:
                report(error)
        if update is not None:
            report(update)
            if update.problems:
                return  # the full build would refuse the same errors
        rebuild()

    try:
        seen = snapshot(watched)  # before the build: a change during it triggers another
        rebuild()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        if ready:
            ready(address)
        while not stop.is_set():
            time.sleep(POLL)
            now = snapshot(watched)
            if now != seen:
                seen, before = now, seen
                changed(before, now)
    finally:
        server.shutdown()
        server.server_close()


def templates_changed(paths: list[str], templates: Path | None) -> bool:
    return templates is not None and any(Path(p).is_relative_to(templates) for p in paths)


def update_profiles(
    last: BuildResult,
    paths: list[Path],
    out: Path,
    options: SiteOptions,
    templates: Path | None,
) -> ProfileUpdate | None:
    """Rewrite the profiles of edited partner files in the live site, in well under a second.

    Levels do not depend on partner files, so the last build's evaluation still holds. Only
    edits of listed partners' existing files qualify (no logo change): anything else returns
    None and waits for the full build, which follows either way and brings the lists, the
    data files and the search index up to date.
    """
    start = time.perf_counter()
    checked = last.checked
    raw, directory, evaluation = checked.loaded, checked.directory, checked.evaluation
    if raw is None or directory is None or evaluation is None:
        return None
    partners_dir = Path(raw.root) / "partners"
    known = {partner.id: partner for partner in directory.partners}
    ids = []
    for path in paths:
        standing = evaluation.standings.get(path.stem)
        if (
            path.parent != partners_dir
            or path.suffix != ".yaml"
            or not path.is_file()
            or path.stem not in known
            or standing is None
            or standing.expired
        ):
            return None
        ids.append(path.stem)
    problems: list[Problem] = []
    edited = {}
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
        pages = plan_pages(directory, evaluation, options, profiles=set(ids))
        files = render_pages(pages, make_environment(templates))
        with output.locked(out):
            output.replace_files(out, files)
    return ProfileUpdate(tuple(ids), time.perf_counter() - start, errors)
