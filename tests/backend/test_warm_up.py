"""The startup warm-up reads and writes nothing a desk could see, and never keeps a server from starting."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from backend.auth import AuthService
from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.settings import Settings, database_url
from backend.sync.warm_up import warm_up

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _counts(url: str) -> dict[str, int]:
    database = open_database(url)
    try:
        with database.read() as session:
            tables = [name for (name,) in session.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))]
            return {name: session.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in tables}
    finally:
        database.dispose()


def test_warm_up_writes_nothing(tmp_path: Path) -> None:
    url = database_url(str(tmp_path / "warm.db"))
    upgrade(url)
    before = _counts(url)
    database = open_database(url)
    try:
        warm_up(database, AuthService(database, Settings(db_url=url), lambda: NOW))
    finally:
        database.dispose()
    assert _counts(url) == before


def test_a_failing_warm_up_is_logged_and_the_server_goes_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = database_url(str(tmp_path / "not-migrated.db"))
    database = open_database(url)
    try:
        with caplog.at_level(logging.INFO, logger="backend.sync.warm_up"):
            warm_up(database, AuthService(database, Settings(db_url=url), lambda: NOW))
    finally:
        database.dispose()
    assert "warm-up failed" in caplog.text
