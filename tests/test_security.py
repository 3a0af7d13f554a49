"""SECURITY.md claims only what tests check: every test file, case and test it names exists."""

from __future__ import annotations

import re

from paths import ROOT

TEXT = (ROOT / "SECURITY.md").read_text()


def test_every_named_test_file_and_case_exists() -> None:
    paths = set(re.findall(r"`(tests/[\w./-]+)`", TEXT))
    assert len(paths) > 10
    for path in paths:
        assert (ROOT / path).exists(), path


def test_every_named_test_is_defined_in_the_file_named_with_it() -> None:
    # "`tests/test_x.py` (`test_a`, `test_b`)": each test_ name in the brackets after a file
    named = re.findall(r"`(tests/test_\w+\.py)` \(([^)]*)\)", TEXT)
    assert named
    for path, names in named:
        source = (ROOT / path).read_text()
        for name in re.findall(r"`(test_\w+)`", names):
            assert f"def {name}(" in source, (path, name)
