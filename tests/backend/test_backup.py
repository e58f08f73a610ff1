"""`onewindow-server backup` and `restore` (docs/operations.md), on SQLite and PostgreSQL: a backup taken while the
server runs, restored into an empty database, serves the same rows to a desk through a new server; a restore into a
database that holds data, a backup onto an existing file and a file that is no backup are refused with a sentence,
and nothing changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backend.cli import main
from tests.backend.desk import Desk
from tests.harness.databases import new_database
from tests.harness.processes import serving, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _client_programs(db_kind: str) -> None:
    if db_kind == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL's pg_dump and pg_restore are not installed here")


def _rows(url: str, office: str) -> dict[tuple[str, str], dict[str, object]]:
    desk = Desk(url, "clerk_a")
    try:
        rows, _ = desk.pull_all(f"office:{office}")
        return rows
    finally:
        desk.close()


def test_a_backup_taken_while_serving_restores_the_same_rows(db_kind: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / ("office.db.bak" if db_kind == "sqlite" else "office.dump")
    (tmp_path / "live").mkdir()
    with serving(db_kind, tmp_path / "live") as (server,):
        clerk = Desk(server.url, "clerk_a")
        try:
            customer = clerk.new_customer(name="备份客户")
            office = clerk.office
        finally:
            clerk.close()
        assert main(["backup", "--db", server.db, "--to", str(saved)]) == 0  # the server keeps running
        assert saved.stat().st_size > 0
        before = _rows(server.url, office)
        assert main(["backup", "--db", server.db, "--to", str(saved)]) == 2  # never over an existing file
        assert "exists" in capsys.readouterr().err
        assert main(["restore", "--db", server.db, "--from", str(saved)]) == 2  # the live database holds data
        assert "--replace" in capsys.readouterr().err
        assert _rows(server.url, office) == before  # untouched

    with new_database(db_kind, tmp_path) as fresh:
        assert main(["restore", "--db", fresh, "--from", str(saved)]) == 0
        assert "schema at revision" in capsys.readouterr().out
        restored = start_server(fresh, tmp_path)
        try:
            rows = _rows(restored.url, office)
        finally:
            restored.stop()
    assert rows[("customer", customer["id"])]["name"] == "备份客户"
    assert rows == before


def test_a_file_that_is_no_backup_is_refused(db_kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是备份", encoding="utf-8")
    with new_database(db_kind, tmp_path) as fresh:
        assert main(["restore", "--db", fresh, "--from", str(junk)]) == 2
        assert "not a" in capsys.readouterr().err
        assert main(["restore", "--db", fresh, "--from", str(tmp_path / "missing.bak")]) == 2
        assert "no backup" in capsys.readouterr().err
