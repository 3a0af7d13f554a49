"""`serve`: build, serve the site on 127.0.0.1, rebuild whenever content or templates change.

The site is served under its own localhost address (the base URL's path is kept, so a project
site's subpath is previewed as published). A rebuild that fails, or content with errors, leaves
the last good site in place and prints why; fixing the file rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from .building import BuildResult, build_site
from .loading import load_content
from .problems import PartnerdirError
from .validation import validate_content

#: How often the watcher looks at the files, in seconds.
POLL = 0.2

Snapshot = dict[str, tuple[int, int]]


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
    """The path of program.yaml's base URL ("/partners/"), kept under localhost; "/" if unknown."""
    raw = load_content(content)
    directory, _ = validate_content(raw, dt.date.today())
    if directory is None:
        return "/"
    path = urlsplit(directory.program.site.base_url).path or "/"
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


def serve(
    content: Path,
    out: Path,
    today: dt.date,
    *,
    port: int,
    templates: Path | None,
    report: Callable[[BuildResult | PartnerdirError], None],
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until `stop` is set (or Ctrl-C)."""
    prefix = site_path(content)
    handler_class = type("SiteHandler", (_Handler,), {"prefix": prefix})
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(handler_class, directory=str(out.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    address = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    watched = [content] + ([templates] if templates else [])
    stop = stop or threading.Event()

    def rebuild() -> None:
        try:
            report(build_site(content, out, today, base_url=address, templates=templates))
        except PartnerdirError as error:
            report(error)

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
                seen = now
                rebuild()
    finally:
        server.shutdown()
        server.server_close()
