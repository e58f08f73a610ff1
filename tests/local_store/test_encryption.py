from __future__ import annotations

from pathlib import Path

import pytest

from local_store import Store, StoreLocked
from local_store.migrate import head_revision

from .conftest import ManualClock, customer_data, open_test_store, seed


def raw_bytes(path: Path) -> bytes:
    """A database file with its WAL and journal, as an attacker reading the disk gets them."""
    parts = [path.read_bytes()]
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            parts.append(side.read_bytes())
    return b"".join(parts)


def test_nothing_personal_is_readable_on_disk(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    store = open_test_store(path, key, clock)
    seed(store, customers=8)
    store.create_customer(office_id="office-1", name="司马相如", phone="13712345678", address="成都市锦江区")
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the check below must also cover the WAL
    secrets_on_disk = [b"SQLite format 3", "司马相如".encode(), b"13712345678", "成都市锦江区".encode()]
    for n in range(8):
        data = customer_data(n)
        secrets_on_disk += [data["name"].encode(), data["id_number"].encode(), data["phone"].encode()]
    raw = raw_bytes(path)
    assert len(raw) > 4096
    found = [needle for needle in secrets_on_disk if needle in raw]
    store.close()
    assert found == []
    assert "司马相如".encode() not in raw_bytes(path)


def test_wrong_key_is_store_locked(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    open_test_store(path, key, clock).close()
    with pytest.raises(StoreLocked) as raised:
        Store.open(path, bytes(32))
    assert "密钥" in raised.value.message("zh")
    assert "key" in raised.value.message("en")
    reopened = open_test_store(path, key, clock)
    reopened.close()


def test_identity_survives_reopening(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    first = open_test_store(path, key, clock)
    client_id = first.client_id
    first.close()
    again = Store.open(path, key)
    assert again.client_id == client_id
    assert again.desk_code == "D1"
    assert again.schema_version == int(head_revision())
    again.close()


def test_a_failed_statement_names_no_customer_data(store: Store) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as raised, store._write() as connection:
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('client_id', :phone)"), {"phone": "13712345678"})
    assert "13712345678" not in str(raised.value)
