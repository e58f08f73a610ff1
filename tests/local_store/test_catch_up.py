"""A long pull (pages that say more follow) is applied on a connection of its own, with a bigger page cache and a
WAL allowed to grow; each page stays one transaction with its cursor, and the connection ends with the pull."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.sync import Change, PullPage
from local_store import Store
from local_store.replay import driver

from .conftest import SCOPE, ManualClock, customer_data, open_test_store, page

PER_PAGE = 40


def _page(number: int, *, has_more: bool) -> PullPage:
    first = number * PER_PAGE
    changes = [("customer", customer_data(n)) for n in range(first, first + PER_PAGE)]
    return page(changes, cursor=first + PER_PAGE, start_seq=first + 1).model_copy(update={"has_more": has_more})


def _consistent(store: Store) -> None:
    assert store.scope_checksum(SCOPE) == store.verify_scope_checksum(SCOPE)
    with store._write() as connection:
        driver(connection).execute("INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")


def test_a_long_pull_lands_page_by_page_and_ends_with_a_short_wal(store: Store, tmp_path: Path) -> None:
    for number in range(3):
        store.apply_pull_page(_page(number, has_more=True))
        assert store.cursor(SCOPE) == (number + 1) * PER_PAGE
        assert store._catch_up is not None
    store.apply_pull_page(_page(3, has_more=False))
    assert store._catch_up is None  # closed with the last page
    assert store.cursor(SCOPE) == 4 * PER_PAGE and store.scope_checksum(SCOPE).count == 4 * PER_PAGE
    assert [hit.customer_id for hit in store.search_customers("和平里155号")] == ["cust-155"]
    _consistent(store)
    wal = next(tmp_path.glob("*.db-wal"), None)
    assert wal is None or wal.stat().st_size < 1 << 20


def test_a_failing_page_rolls_back_alone_and_the_pull_resumes(store: Store) -> None:
    store.apply_pull_page(_page(0, has_more=True))
    broken = _page(1, has_more=True)
    broken.changes.append(Change(seq=10_000, entity="customer", id="cust-bad", kind="upsert", version=1,
                                 data={"id": "cust-bad", "office_id": "office-1", "version": 1, "name": None}))
    with pytest.raises(Exception, match="NOT NULL"):
        store.apply_pull_page(broken)
    assert store._catch_up is None
    assert store.cursor(SCOPE) == PER_PAGE and store.customer("cust-41") is None  # nothing of the page stayed
    for number in (1, 2):
        store.apply_pull_page(_page(number, has_more=number < 2))
    assert store.cursor(SCOPE) == 3 * PER_PAGE
    _consistent(store)


def test_a_desk_restarted_mid_pull_resumes_from_its_cursor(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "restarted.db"
    first = open_test_store(path, key, ManualClock())
    first.apply_pull_page(_page(0, has_more=True))
    first.apply_pull_page(_page(1, has_more=True))
    first.close()  # the catch-up connection dies with the process; what was committed stays
    again = open_test_store(path, key, ManualClock())
    try:
        assert again.cursor(SCOPE) == 2 * PER_PAGE
        again.apply_pull_page(_page(2, has_more=False))
        assert again.scope_checksum(SCOPE).count == 3 * PER_PAGE
        _consistent(again)
    finally:
        again.close()


def test_closing_the_store_mid_pull_closes_the_pull_connection(tmp_path: Path, key: bytes) -> None:
    store = open_test_store(tmp_path / "closed.db", key, ManualClock())
    store.apply_pull_page(_page(0, has_more=True))
    assert store._catch_up is not None
    store.close()
    assert store._catch_up is None


def _indexes(store: Store) -> dict[str, str]:
    with store._read() as connection:
        rows = driver(connection).execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    return dict(rows)


def test_a_long_pull_into_empty_tables_builds_their_indexes_once_at_its_last_page(store: Store) -> None:
    before = _indexes(store)
    assert "ix_customer_name" in before and "ix_customer_phone" in before
    store.apply_pull_page(_page(0, has_more=True))
    during = _indexes(store)
    assert "ix_customer_name" not in during and "ix_ticket_customer_id" not in during  # empty tables: deferred
    store.apply_pull_page(_page(1, has_more=False))
    assert _indexes(store) == before  # the same definitions, built again
    with store._read() as connection:
        assert driver(connection).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = driver(connection).execute(
            "EXPLAIN QUERY PLAN SELECT id FROM customer WHERE phone = ?", ("13900000000",)).fetchall()
    assert "ix_customer_phone" in str(plan)
    _consistent(store)


def test_a_long_pull_keeps_the_indexes_of_tables_that_already_hold_rows(store: Store) -> None:
    store.apply_pull_page(page([("customer", customer_data(9_000))], cursor=1))
    before = _indexes(store)
    store.apply_pull_page(_page(0, has_more=True).model_copy(update={"cursor": 2_000}))
    during = _indexes(store)
    assert "ix_customer_name" in during and "ix_customer_id_number" in during
    assert "ix_ticket_customer_id" not in during  # the ticket table is still empty
    store.apply_pull_page(_page(1, has_more=False).model_copy(update={"cursor": 3_000}))
    assert _indexes(store) == before


def test_indexes_left_by_a_pull_that_never_ended_are_built_when_the_store_opens(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "interrupted.db"
    first = open_test_store(path, key, ManualClock())
    expected = _indexes(first)
    first.apply_pull_page(_page(0, has_more=True))
    assert "ix_customer_name" not in _indexes(first)
    first.close()
    again = open_test_store(path, key, ManualClock())
    try:
        assert _indexes(again) == expected
        assert again.cursor(SCOPE) == PER_PAGE  # the page it committed stayed
        again.apply_pull_page(_page(1, has_more=False))
        _consistent(again)
    finally:
        again.close()
