"""Where the tests find the repository's files, and the build date its content is checked on.

Plain constants, for module level (`parametrize`, data read at import); the fixtures that
tests share are in conftest.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

#: The repository: pyproject.toml, build.py, partnerdir/, templates/.
ROOT = Path(__file__).resolve().parent.parent
#: The example programme that content/README.md describes; only tests/test_example.py
#: asserts what it holds.
EXAMPLE = ROOT / "content"
#: Fixture sites, one folder each (tests/sites/<name>/content).
SITES = ROOT / "tests" / "sites"
#: The invalid cases: one folder each, laid over INVALID / "_base".
INVALID = ROOT / "tests" / "invalid"
#: The `--today` of content/README.md, of every fixture site and of every invalid case.
BUILD_DATE = dt.date(2026, 11, 24)
