"""The links a listing or the programme may publish: http(s) or mailto, with a host, and no
user name (SECURITY.md: link to a dangerous address)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
#: A web address as most are written: http(s), a host name of ASCII letters, digits and hyphens
#: with a dot, no user, no port, then printable ASCII. `_problem` finds nothing wrong in one, so
#: it is not asked (urlsplit and its host and user lookups: 0.17 s for the 18,000 links of
#: 10,000 partners, against 0.05 s, and 0.02 s with e-mail links below).
_PLAIN_WEB_ADDRESS = re.compile(
    r"([Hh][Tt][Tt][Pp][Ss]?)://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][!-~]*)?"
)
#: An e-mail link as most are written: an address of ASCII letters, digits and `. _ % + -`,
#: nothing after it.
_PLAIN_MAIL_ADDRESS = re.compile(
    r"([Mm][Aa][Ii][Ll][Tt][Oo]):[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


def url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """Why `value` is not an acceptable link (None when it is)."""
    plain = _PLAIN_WEB_ADDRESS.fullmatch(value) or _PLAIN_MAIL_ADDRESS.fullmatch(value)
    if plain and plain.group(1).lower() in schemes:
        return None
    return _problem(value, schemes)


def _problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """url_problem, of any link."""
    if _SPACE_OR_CONTROL.search(value):
        return f"'{value}' contains spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"'{value}' is not a valid URL"
    scheme = parts.scheme.lower()
    allowed = " or ".join(f"{s}:" for s in schemes)
    if scheme not in schemes:
        return f"'{value}' must start with {allowed}"
    if scheme == "mailto":
        address = parts.path
        if not re.fullmatch(r"[^@\s/]+@[^@\s/]+\.[^@\s/]+", address):
            return f"'{value}' is not a mailto: link with an e-mail address"
        return None
    host = parts.hostname or ""
    if not host or "." not in host and host != "localhost":
        return f"'{value}' has no host name"
    if parts.username or parts.password:
        return f"'{value}' must not carry a user name or password"
    return None
