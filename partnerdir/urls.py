"""Every URL of the published site, built in one place from the base URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, urlsplit


@dataclass(frozen=True, slots=True)
class Urls:
    """Site URLs as absolute paths under the base URL's path ("/partners/partners/acme/").

    Pages link with absolute paths, not full URLs, so a preview served from another host (or
    `serve` on localhost) works; `absolute()` gives the full URL where one is needed (the badge
    embed snippet, the sitemap, feeds).
    """

    base_url: str
    #: The base URL's path, always starting and ending with "/".
    root: str = field(init=False)

    def __post_init__(self) -> None:
        path = urlsplit(self.base_url).path or "/"
        object.__setattr__(self, "root", path if path.endswith("/") else path + "/")

    def path(self, relative: str) -> str:
        """Absolute path of a site-relative one: "partners/acme/" -> "/base/partners/acme/"."""
        return self.root + _quoted(relative.lstrip("/"))

    def absolute(self, url_path: str) -> str:
        """The full URL of an absolute path returned by this class."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{url_path}"

    def home(self, page: int = 1) -> str:
        return self.path("") if page <= 1 else self.path(f"page/{page}/")

    def partner(self, partner_id: str) -> str:
        return self.path(f"partners/{partner_id}/")

    def countries(self) -> str:
        return self.path("countries/")

    def country(self, code: str, page: int = 1) -> str:
        return self.path(f"countries/{code.lower()}/" + _page_suffix(page))

    def level(self, level_id: str, page: int = 1) -> str:
        return self.path(f"levels/{level_id}/" + _page_suffix(page))

    def program(self) -> str:
        return self.path("program/")

    def stats(self) -> str:
        return self.path("stats/")

    def badge(self, partner_id: str) -> str:
        return self.path(f"badges/{partner_id}.svg")

    def level_badge(self, level_id: str) -> str:
        return self.path(f"badges/levels/{level_id}.svg")

    def logo(self, partner_id: str, logo_file: str) -> str:
        """Logos are copied as /logos/<partner-id>.<ext of the file in content/partners/>."""
        return self.path(f"logos/{logo_file_name(partner_id, logo_file)}")

    def static(self, name: str) -> str:
        return self.path(f"static/{name}")

    def pagefind(self) -> str:
        return self.path("pagefind/pagefind.js")

    def partners_json(self) -> str:
        return self.path("partners.json")

    def schema_json(self) -> str:
        return self.path("partner.schema.json")

    def partners_schema_json(self) -> str:
        return self.path("partners.schema.json")

    def feed(self) -> str:
        return self.path("changes.xml")


def _page_suffix(page: int) -> str:
    """Page 1 of a list is its own URL; page n > 1 is "page/n/" under it."""
    return "" if page <= 1 else f"page/{page}/"


def logo_file_name(partner_id: str, logo_file: str) -> str:
    """The name a partner's logo gets under /logos/: the partner id with the file's extension."""
    extension = logo_file.rsplit(".", 1)[-1].lower() if "." in logo_file else ""
    return f"{partner_id}.{extension}" if extension else partner_id


def output_path(url_path: str, root: str) -> str:
    """The file a page URL is written to: "/base/partners/acme/" -> "partners/acme/index.html"."""
    relative = url_path[len(root) :] if url_path.startswith(root) else url_path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative


@lru_cache(maxsize=65536)
def _quoted(relative: str) -> str:
    """A site path percent-encoded; cached: every page links the same few hundred paths."""
    return quote(relative, safe="/.-_~")
