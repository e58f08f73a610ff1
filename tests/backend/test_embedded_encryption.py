"""The embedded backend's database is SQLCipher: no customer's name, ID number or phone is readable in the
file or its WAL; a plaintext database from an older version is encrypted in place and keeps its data; the
data layer never puts statement values into an error."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from backend.db.engine import encrypted_sqlite_url, open_database
from backend.db.migrate import upgrade
from backend.db.records import StaffRow
from backend.embedded import EmbeddedServer, start_embedded
from backend.seeding import create_user
from backend.settings import database_url
from domain.identity import resident_id_check_char
from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD
from tests.local_store.test_encryption import raw_bytes


def resident_id(serial: int) -> str:
    first17 = f"51010419850317{serial:03d}"
    return first17 + resident_id_check_char(first17)


CUSTOMERS = [("司马相如", "13712345678", resident_id(101)), ("卓文君", "13987654321", resident_id(202))]


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def embedded(tmp_path: Path, key: bytes) -> Iterator[tuple[EmbeddedServer, Path]]:
    path = tmp_path / "backend.db"
    server = start_embedded(path, key=key, seed_demo=False)
    yield server, path
    server.stop()


def test_embedded_database_is_encrypted_at_rest(embedded: tuple[EmbeddedServer, Path], key: bytes) -> None:
    server, path = embedded
    url = encrypted_sqlite_url(str(path), key)
    create_user(url, username="clerk_hall", role="clerk", office="county-a", password=PASSWORD)
    desk = Desk(server.url, "clerk_hall")
    try:
        pushed = [desk.new_customer(name=name, phone=phone, id_type="resident", id_number=id_number,
                                    address="城关镇解放路 18 号")
                  for name, phone, id_number in CUSTOMERS]
    finally:
        desk.close()
    assert [row["name"] for row in pushed] == [name for name, _phone, _id in CUSTOMERS]
    needles = [b"SQLite format 3", b"clerk_hall", "解放路".encode()]
    for name, phone, id_number in CUSTOMERS:
        needles += [name.encode(), phone.encode(), id_number.encode()]
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the check must cover the WAL too
    assert [needle for needle in needles if needle in raw_bytes(path)] == []
    server.stop()
    assert [needle for needle in needles if needle in raw_bytes(path)] == []


def test_wrong_key_does_not_open_it(embedded: tuple[EmbeddedServer, Path]) -> None:
    _server, path = embedded
    database = open_database(encrypted_sqlite_url(str(path), bytes(32)))
    try:
        with pytest.raises(Exception, match="not a database"), database.read() as session:
            session.execute(text("SELECT count(*) FROM customer"))
    finally:
        database.dispose()


def test_plaintext_database_from_an_older_version_is_encrypted_in_place(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "backend.db"
    plain_url = database_url(str(path))
    upgrade(plain_url)
    create_user(plain_url, username="王秀英柜员", role="clerk", office="county-a", password="long enough 1")
    assert "王秀英柜员".encode() in raw_bytes(path)
    server = start_embedded(path, key=key, seed_demo=False)
    try:
        assert "王秀英柜员".encode() not in raw_bytes(path)
        assert not path.with_name(path.name + ".encrypting").exists()
        database = open_database(encrypted_sqlite_url(str(path), key))
        try:
            with database.read() as session:
                names = session.execute(select(StaffRow.username)).scalars().all()
        finally:
            database.dispose()
        assert names == ["王秀英柜员"]
    finally:
        server.stop()


def test_sql_errors_carry_no_parameters(tmp_path: Path, key: bytes, caplog: pytest.LogCaptureFixture) -> None:
    url = encrypted_sqlite_url(str(tmp_path / "b.db"), key)
    upgrade(url)
    database = open_database(url)
    try:
        with pytest.raises(IntegrityError) as raised, database.write() as session:
            for _ in range(2):
                session.execute(text("INSERT INTO office (id, office_id, code, name, prefecture, version) "
                                     "VALUES ('o1', 'o1', 'o1', :name, '', 1)"), {"name": "13712345678"})
    finally:
        database.dispose()
    assert "13712345678" not in str(raised.value)
    assert "13712345678" not in caplog.text
