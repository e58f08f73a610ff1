"""Pages written by SQLite (backend/sync/pull_sql.py) equal the dict path's pages, value for value, and fall
back to it for whatever SQLite would write differently."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from backend.bulk import bulk_insert
from backend.db.engine import Database, encrypted_sqlite_url, open_database
from backend.db.migrate import upgrade
from backend.seeding import seed_demo
from backend.settings import database_url
from backend.sync import pull as pulling
from backend.sync import pull_sql
from domain.records import Account, Customer, Office

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SCOPE = "office:o"


def _pages(database: Database, scope: str, limit: int) -> Iterator[tuple[Any, Any]]:
    """(SQL page, dict page) pairs, parsed, over the whole scope."""
    cursor = 0
    while True:
        fast = orjson.loads(pull_sql.pull_json(database, scope, cursor, limit))
        ordinary = orjson.loads(pulling.page_json(pulling.pull(database, scope, cursor, limit)))
        yield fast, ordinary
        cursor = fast["cursor"]
        if not fast["has_more"]:
            return


def _assert_same(database: Database, scope: str, limits: tuple[int, ...] = (1, 3, 1000)) -> int:
    sent = 0
    for limit in limits:
        for fast, ordinary in _pages(database, scope, limit):
            assert fast == ordinary
            sent += len(fast["changes"])
    return sent


@pytest.fixture(params=["sqlite", "sqlcipher"])
def database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """Plain SQLite (an office server) and SQLCipher (the embedded one), both written by SQLite's JSON functions."""
    path = str(tmp_path / "pull-sql.db")
    url = database_url(path) if request.param == "sqlite" else encrypted_sqlite_url(path, bytes(range(32)))
    upgrade(url)
    opened = open_database(url)
    try:
        records = [Office(id="o", office_id="o", code="o", name="o", prefecture="")]
        records += [Customer(id=f"c-{i}", office_id="o", name=name, address=address, phone=None if i % 2 else "139")
                    for i, (name, address) in enumerate([("王\"引号\"", "路\n1号"), ("李\\斜杠", "\t\u2028"),
                                                         ("Zoë 😀", "\x01<b>"), ("控制", "")])]
        records += [Account(id=f"a-{i}", office_id="o", customer_id="c-0", account_no=f"{i:010d}",
                            temporary_supply=bool(i)) for i in range(2)]
        with opened.write() as session:
            bulk_insert(session, records, NOW, batch=2)
        yield opened
    finally:
        opened.dispose()


def test_every_kind_of_the_demo_office_arrives_as_the_dict_path_sends_it(tmp_path: Path) -> None:
    url = database_url(str(tmp_path / "demo.db"))
    upgrade(url)
    seed_demo(url, seed=3, customers_per_office=40)
    database = open_database(url)
    try:
        with database.read() as session:
            scopes = [row[0] for row in session.execute(text("SELECT scope FROM scope_state"))]
        assert "calendar" in scopes and len(scopes) >= 3
        for scope in scopes:
            assert _assert_same(database, scope) > 0
    finally:
        database.dispose()


def test_quotes_controls_emoji_nulls_booleans_and_removals_agree(database: Database) -> None:
    with database.write() as session:  # one customer leaves the scope: a removal among the upserts
        session.execute(text("UPDATE change_log SET kind = 'remove', seq = seq + 10 WHERE entity_id = 'c-1'"))
        session.execute(text("UPDATE scope_state SET last_seq = last_seq + 10 WHERE scope = :s"), {"s": SCOPE})
    assert _assert_same(database, SCOPE) == 3 * 7
    fast = orjson.loads(pull_sql.pull_json(database, SCOPE, 0, 1000))
    accounts = {c["id"]: c["data"]["temporary_supply"] for c in fast["changes"] if c["entity"] == "account"}
    assert accounts == {"a-0": False, "a-1": True}
    assert [c["kind"] for c in fast["changes"] if c["id"] == "c-1"] == ["remove"]


@pytest.mark.parametrize("stored", ["2026-03-02T01:00:00+00:00", "2026-03-02 01:00:00", "2026-03-02 01:00:00.5"])
def test_a_datetime_not_in_sqlites_own_shape_is_written_by_python(database: Database, stored: str) -> None:
    with database.write() as session:
        session.execute(text("UPDATE customer SET updated_at = :t WHERE id = 'c-2'"), {"t": stored})
    assert _assert_same(database, SCOPE) == 3 * 7


def test_a_value_sqlite_cannot_write_as_json_takes_the_dict_path(database: Database) -> None:
    with database.write() as session:
        session.execute(text("UPDATE customer SET address = CAST('路' AS BLOB) WHERE id = 'c-3'"))
    fast = orjson.loads(pull_sql.pull_json(database, SCOPE, 0, 1000))
    ordinary = orjson.loads(pulling.page_json(pulling.pull(database, SCOPE, 0, 1000)))
    assert fast == ordinary


def test_a_page_of_plain_kinds_is_written_by_sqlite(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> list[Any]:
        raise AssertionError("the dict path ran")

    expected = orjson.loads(pulling.page_json(pulling.pull(database, SCOPE, 0, 1000)))
    monkeypatch.setattr(pulling, "_with_data", refuse)
    assert orjson.loads(pull_sql.pull_json(database, SCOPE, 0, 1000)) == expected
    assert {"customer", "account", "office"} <= pull_sql.SQL_KINDS and "ticket" not in pull_sql.SQL_KINDS
