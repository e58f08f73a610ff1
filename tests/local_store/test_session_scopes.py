"""A shared desk shows only the signed-in session's offices: other offices' rows are dropped at sign-in
(their scope cursors with them), searches never return them, and the outbox stays until delivered.
A store whose key is lost can be moved aside with its unpushed count known."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.sync import Change, PullPage
from local_store import Store
from local_store.store import move_store_aside, recorded_outbox

from .conftest import SCOPE, ManualClock, account_data, customer_data, open_test_store, seed, ticket_data

OTHER = "office-2"
OTHER_SCOPE = f"office:{OTHER}"


def other_office_page(store: Store) -> None:
    rows: list[tuple[str, dict[str, Any]]] = [
        ("customer", customer_data(50, office_id=OTHER, name="诸葛孔明", phone="13911112222")),
        ("account", account_data(50, 50) | {"office_id": OTHER}),
        ("ticket", ticket_data(50, 50, office_id=OTHER)),
    ]
    store.apply_pull_page(PullPage(
        scope=OTHER_SCOPE, cursor=3, has_more=False,
        changes=[Change(seq=i + 1, entity=entity, id=data["id"], kind="upsert", version=1, data=data)
                 for i, (entity, data) in enumerate(rows)],
    ))


def test_another_office_signing_in_drops_the_earlier_office_but_not_its_outbox(
        tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    store = open_test_store(path, key, clock)
    # An admin session pulled two offices, and created a customer of office-2 that is not pushed yet.
    assert store.limit_to_scopes([SCOPE, OTHER_SCOPE]) == 0
    seed(store, customers=4)
    other_office_page(store)
    pending = store.create_customer(office_id=OTHER, name="诸葛瑾", phone="13933334444", address="南阳卧龙岗")
    assert [hit.name for hit in store.search_customers("诸葛")] == ["诸葛孔明", "诸葛瑾"]
    assert store.outbox_size() == 1
    store.close()

    store = open_test_store(path, key, clock)  # the next start: a clerk of office-1 signs in
    dropped = store.limit_to_scopes([SCOPE, "calendar"])
    assert dropped == 3  # office-2's customer, account and ticket
    assert store.search_customers("诸葛") == []  # the unpushed one is not shown to this clerk either
    assert store.search_customers("13911112222") == []
    assert [hit.name for hit in store.search_customers("王秀英")] == ["王秀英"]
    assert store.customer("cust-50") is None
    assert store.outbox_size() == 1  # still waiting to be delivered
    assert [m.entity_id for m in store.pending_mutations()] == [pending.id]
    assert store.cursor(OTHER_SCOPE) == 0 and store.cursor(SCOPE) > 0
    assert store.verify_scope_checksum(SCOPE) == store.scope_checksum(SCOPE)
    assert store.limit_to_scopes([SCOPE]) == 0  # the same office again: nothing to drop
    store.close()

    store = open_test_store(path, key, clock)  # office-2 signs in again: its rows come back with a pull
    store.limit_to_scopes([OTHER_SCOPE])
    assert [hit.name for hit in store.search_customers("诸葛")] == ["诸葛瑾"]  # its own pending row
    assert store.search_customers("王秀英") == []
    store.close()


def test_the_unpushed_count_is_recorded_beside_the_store_and_moves_aside_with_it(
        tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    store = open_test_store(path, key, clock)
    store.create_customer(office_id="office-1", name="司马相如", phone="13712345678", address="成都")
    store.create_customer(office_id="office-1", name="卓文君", phone="13787654321", address="成都")
    assert store.outbox_size() == 2
    store.close()
    record = recorded_outbox(path)
    assert record is not None and record[0] == 2
    moved = move_store_aside(path, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert moved.name == "desk.db.lost-20260102-030405"
    assert not path.exists() and moved.exists()
    assert recorded_outbox(moved) == record
    kept = open_test_store(moved, key, clock)  # the old data still opens with its key
    assert kept.outbox_size() == 2
    kept.close()


def test_a_role_that_sees_identities_otherwise_pulls_the_office_again(
        tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    """Rows pulled for department staff carry masked ID numbers; a clerk signing in next must not keep them
    (nor may department staff keep a clerk's full ones): the office is dropped and pulled again."""
    path = tmp_path / "desk.db"
    store = open_test_store(path, key, clock)
    store.limit_to_scopes([SCOPE], full_identity=False)  # department staff: the server masks what they pull
    seed(store, customers=3)
    pending = store.create_customer(office_id="office-1", name="李四", phone="13955556666", address="岚城镇")
    assert store.cursor(SCOPE) > 0
    assert store.limit_to_scopes([SCOPE], full_identity=False) == 0  # the same role again: kept
    assert store.cursor(SCOPE) > 0 and store.customer("cust-1") is not None
    store.close()

    store = open_test_store(path, key, clock)  # a hall clerk signs in on the same desk
    store.limit_to_scopes([SCOPE], full_identity=True)
    assert store.cursor(SCOPE) == 0  # the office is pulled again, this time whole
    assert store.customer("cust-1") is None
    assert store.customer(pending.id) is not None and store.outbox_size() == 1  # their unpushed change stays
    assert store.verify_scope_checksum(SCOPE) == store.scope_checksum(SCOPE)
    seed(store, customers=3)
    store.limit_to_scopes([SCOPE], full_identity=None)  # an offline clerk: nothing is decided
    assert store.cursor(SCOPE) > 0
    store.limit_to_scopes([SCOPE], full_identity=False)  # staff again: the clerk's whole rows go
    assert store.cursor(SCOPE) == 0 and store.customer("cust-1") is None
    store.close()
