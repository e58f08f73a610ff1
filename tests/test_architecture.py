"""The dependency rule of DESIGN.md, checked by reading every import in the tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level modules it must never import
FORBIDDEN: dict[str, set[str]] = {
    "domain": {
        "PySide6", "shiboken6", "qasync", "sqlalchemy", "alembic", "sqlcipher3", "sqlite3",
        "httpx", "httpx_sse", "fastapi", "starlette", "uvicorn", "psycopg", "keyring",
        "local_store", "backend", "desktop",
    },
    "local_store": {"PySide6", "shiboken6", "qasync", "httpx", "fastapi", "starlette", "backend", "desktop"},
    "backend": {"PySide6", "shiboken6", "qasync", "keyring", "local_store", "desktop"},
    # the sync engine is plain asyncio so it runs headless in desk processes and tests
    "desktop/sync": {"PySide6", "shiboken6", "qasync"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def violations(root: Path, rules: dict[str, set[str]] = FORBIDDEN) -> list[str]:
    found = []
    for package, forbidden in rules.items():
        for path in sorted((root / package).rglob("*.py")):
            for name in sorted(imported_modules(path) & forbidden):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


def test_tree_keeps_the_dependency_rule() -> None:
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("package", "source", "culprit"),
    [
        ("domain", "from PySide6.QtCore import QObject\n", "PySide6"),
        ("domain", "import sqlalchemy as sa\n", "sqlalchemy"),
        ("local_store", "from PySide6 import QtWidgets\n", "PySide6"),
        ("backend", "import local_store.db\n", "local_store"),
        ("desktop/sync", "import qasync\n", "qasync"),
    ],
)
def test_checker_catches_a_planted_violation(tmp_path: Path, package: str, source: str, culprit: str) -> None:
    (tmp_path / package).mkdir(parents=True)
    (tmp_path / package / "bad.py").write_text(source)
    assert violations(tmp_path) == [f"{package}/bad.py imports {culprit}"]


def test_only_desktop_imports_qt() -> None:
    offenders = []
    for package in ("domain", "local_store", "backend", "resources"):
        for path in (ROOT / package).rglob("*.py"):
            if "PySide6" in imported_modules(path):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
