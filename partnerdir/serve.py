"""`serve`: build, serve the site on 127.0.0.1, rebuild whenever content or templates change,
and reload the page in the browser after each rebuild.

The site is served under its own localhost address (the base URL's path is kept, so a project
site's subpath is previewed as published). A rebuild that fails, or content with errors, leaves
the last good site in place and prints why; fixing the file rebuilds it. Building is the
pipeline's job (`Site`, the same object the build command uses): this module is a file watcher
that calls it and an HTTP handler that serves what it wrote.

Live reload, as `mkdocs serve` does: each HTML page is served with one script tag added on the
way out (the files written, and so the published site, never hold it). The script asks
`<site path>__partnerdir/version?since=V`; the server answers as soon as the site's version is
no longer V (or after LONG_POLL seconds, unchanged), and the page reloads when it changed.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import http.server
import io
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .pipeline import BuildResult, ProfileUpdate, Site, SiteJob, base_path
from .problems import PartnerdirError

#: How often the watcher looks at the files, in seconds.
POLL = 0.2
#: How long the server holds a version request that has nothing new to say, in seconds.
LONG_POLL = 25.0
#: Serve's own URLs, under the site's path; no site file has this name.
LIVE = "__partnerdir/"
#: The page's side of live reload: wait for a new version, then reload.
RELOAD_SCRIPT = """\
// Added by `partnerdir serve` to the pages it serves; never part of the built site.
(() => {
  const script = document.currentScript;
  const versionUrl = new URL("version", script.src);
  const version = script.dataset.version;
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  (async () => {
    for (;;) {
      versionUrl.search = "?since=" + encodeURIComponent(version);
      try {
        const response = await fetch(versionUrl, { cache: "no-store" });
        if (response.ok) {
          if ((await response.text()).trim() !== version) {
            location.reload();
            return;
          }
          continue;
        }
      } catch {
        // serve is stopped or restarting: ask again in a moment
      }
      await pause(1000);
    }
  })();
})();
"""

Snapshot = dict[str, tuple[int, int]]
Report = Callable[[BuildResult | ProfileUpdate | PartnerdirError], None]


def serve(
    job: SiteJob,
    *,
    port: int,
    report: Report,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until `stop` is set (or Ctrl-C).

    The site is built for its address on 127.0.0.1 (the job's base URL is replaced).
    """
    prefix = base_path(job.content)
    job.out.mkdir(parents=True, exist_ok=True)
    live = LiveReload(prefix)
    server = _Server(("127.0.0.1", port), site_handler(job.out, prefix, live=live))
    address = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    site = Site(dataclasses.replace(job, base_url=address), incremental=True)
    watched = [job.content] + ([job.templates] if job.templates else [])
    stop = stop or threading.Event()

    def rebuild() -> None:
        try:
            result = site.build()
        except PartnerdirError as error:
            report(error)
            return
        if result.built:
            live.changed()
        report(result)

    def update(paths: list[Path]) -> None:
        """A partner's own file edited: its profile first (fast), then the whole site."""
        update = None
        try:
            update = site.update_profiles(paths)
        except PartnerdirError as error:
            report(error)
        if update is not None:
            if not update.problems:
                live.changed()
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
                paths, seen = changed_paths(seen, now), now
                update(paths)
    finally:
        live.close()
        server.shutdown()
        server.server_close()


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


def changed_paths(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or changed from one snapshot to the next, by name."""
    return [Path(p) for p in sorted(before.keys() | after.keys()) if before.get(p) != after.get(p)]


class LiveReload:
    """The served site's version, changed after each rebuild; version requests wait on it."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        #: A restarted serve starts another series, so its pages reload too.
        self._series = f"{time.time_ns():x}"
        self._builds = 0
        self._closed = False
        self._condition = threading.Condition()

    @property
    def version(self) -> str:
        with self._condition:
            return self._version()

    def changed(self) -> None:
        """The site on disk changed: wake every page waiting for it."""
        with self._condition:
            self._builds += 1
            self._condition.notify_all()

    def close(self) -> None:
        """Answer every waiting request now (serve is stopping)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def wait(self, since: str, timeout: float) -> str:
        """The version once it is not `since`, or after `timeout` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._version() != since, timeout)
            return self._version()

    def script_tag(self) -> bytes:
        """The tag that loads the reload script for a page of the current version."""
        src = html.escape(f"{self.prefix}{LIVE}reload.js")
        version = html.escape(self.version)
        return f'<script src="{src}" data-version="{version}" defer></script>\n'.encode()

    def _version(self) -> str:
        return f"{self._series}-{self._builds}"


def add_script(page: bytes, tag: bytes) -> bytes:
    """The page with `tag` before its last </body>, or at its end when it has none."""
    at = page.lower().rfind(b"</body>")
    return page + tag if at == -1 else page[:at] + tag + page[at:]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the output folder under the site's path; quiet; 404.html for what is missing.

    With `live`, HTML pages carry the reload script, and serve's own URLs answer under LIVE.
    """

    prefix = "/"
    live: LiveReload | None = None

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if self.live is not None and url.path.startswith(self.prefix + LIVE):
            self._serve_live(url.path[len(self.prefix + LIVE) :], url.query, self.live)
            return
        super().do_GET()

    def _serve_live(self, name: str, query: str, live: LiveReload) -> None:
        if name == "reload.js":
            self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
        elif name == "version":
            since = parse_qs(query).get("since", [""])[0]
            self._send(200, "text/plain; charset=utf-8", live.wait(since, LONG_POLL).encode())
        else:
            self.send_error(404)

    def send_head(self) -> Any:
        """A page with the reload script added (with `live`), else what SimpleHTTP sends."""
        if self.live is None:
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # its redirect to the folder's URL
            path = os.path.join(path, "index.html")
        if not path.endswith(".html"):
            return super().send_head()
        tag = self.live.script_tag()  # before reading: a page never carries a newer version
        try:
            page = Path(path).read_bytes()
        except OSError:
            return super().send_head()
        body = add_script(page, tag)
        self._send_headers(200, "text/html; charset=utf-8", len(body))
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + url_path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            tag = self.live.script_tag() if self.live is not None else b""
            self._send(404, "text/html; charset=utf-8", add_script(page.read_bytes(), tag))
            return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self._send_headers(code, content_type, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_headers(self, code: int, content_type: str, length: int) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # a page that reloads or closes drops its waiting version request: nothing to report
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def site_handler(
    out: Path, prefix: str, *, live: LiveReload | None = None
) -> Callable[..., _Handler]:
    """A request handler serving `out` under the URL path `prefix` only, with its 404 page;
    with `live`, the reload script in every page and serve's own URLs under LIVE."""
    handler_class = type("SiteHandler", (_Handler,), {"prefix": prefix, "live": live})
    return functools.partial(handler_class, directory=str(out.resolve()))
