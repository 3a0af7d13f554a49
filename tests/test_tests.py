"""The test suite's own rules: no test passes vacuously because the loop that held all its
assertions ran zero times."""

from __future__ import annotations

import ast

from paths import ROOT

TESTS = ROOT / "tests"


def assertions(node: ast.AST, in_loop: bool = False) -> list[bool]:
    """For every assert statement under `node`, whether a for or while loop's body holds it.
    Functions, lambdas and classes defined inside are their own code, not this test's."""
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(child, ast.For | ast.AsyncFor | ast.While):
            # the iterable and the condition are evaluated once at least; the body may never run
            for part in child.body:
                found += [True] if isinstance(part, ast.Assert) else []
                found += assertions(part, True)
            for part in child.orelse:
                found += [in_loop] if isinstance(part, ast.Assert) else []
                found += assertions(part, in_loop)
        else:
            found += [in_loop] if isinstance(child, ast.Assert) else []
            found += assertions(child, in_loop)
    return found


def asserting_only_in_loops(source: str) -> list[str]:
    """The test functions of a module whose every assert is inside a loop: if the loop's
    collection were empty, the test would pass having checked nothing."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            placed = assertions(node)
            if placed and all(placed):
                found.append(node.name)
    return found


def test_the_scan_finds_a_test_that_asserts_only_in_a_loop() -> None:
    source = """
def test_vacuous(items):
    for item in items:
        assert item

def test_nested(items):
    for item in items:
        while item:
            if item:
                assert item

def test_bounded(items):
    assert items
    for item in items:
        assert item

def test_else(items):
    for item in items:
        pass
    else:
        assert items

def test_helper_asserts_are_the_helpers(items):
    def check(item):
        assert item
    for item in items:
        check(item)
    assert all(items)
"""
    assert asserting_only_in_loops(source) == ["test_vacuous", "test_nested"]


def test_no_test_asserts_only_inside_a_loop() -> None:
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 30
    found = [
        f"{path.relative_to(ROOT)}::{name}"
        for path in modules
        for name in asserting_only_in_loops(path.read_text())
    ]
    assert found == []
