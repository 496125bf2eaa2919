"""The layout of the tests themselves: a conftest is a plugin pytest loads and a test module is
what it collects, so neither is imported; what tests share lives in plain modules
(`tests/support.py`, `tests/<area>/factories.py`, ...)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def not_to_import(name: str) -> bool:
    last = name.rpartition(".")[2]
    return last == "conftest" or last.startswith("test_")


def imported(tree: ast.Module) -> list[str]:
    """Every module `tree` imports, or may import: `from a import b` names both `a` and `a.b`."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return names


def test_no_module_imports_a_conftest_or_a_test_module() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported(ast.parse(path.read_text(), filename=str(path)))
        if not_to_import(name)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_each_kind_of_import() -> None:
    source = """
import tests.conftest
from tests.gateway.conftest import GraphQL
from tests.gateway import test_alignment
from .test_routes import ROUTES
from tests.support import Tokens
"""
    found = [name for name in imported(ast.parse(source)) if not_to_import(name)]
    assert found == [
        "tests.conftest",
        "tests.gateway.conftest",
        "tests.gateway.test_alignment",
        ".test_routes",
    ]
