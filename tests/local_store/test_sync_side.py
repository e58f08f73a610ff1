from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import local_store.sync_side
from domain.sync import Change, MutationResult, PullPage, combine, format_checksum, row_hash
from local_store import Store
from local_store.schema import server_shadow

from .conftest import OFFICE, SCOPE, account_data, customer_data, page, seed, ticket_data

REPAIR_FIELDS = {"fault_kind": "no_power", "contact_phone": "13900001111"}


def _result(mutation_id: str, status: str, entity: str, entity_id: str, **extra: object) -> MutationResult:
    return MutationResult(mutation_id=mutation_id, status=status, entity=entity, entity_id=entity_id, **extra)  # type: ignore[arg-type]


def test_pull_page_and_cursor_move_together(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(store)
    assert store.cursor(SCOPE) == 12
    assert store.customer("cust-1") is not None and len(store.customer_accounts("cust-1")) == 1
    real = local_store.sync_side.SyncSide._apply_changes
    calls = 0

    def crash_on_second_entity(self: Store, db: object, entity: str, changes: list[Change], tally: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("killed mid-apply")
        real(self, db, entity, changes, tally)  # type: ignore[arg-type]

    monkeypatch.setattr(local_store.sync_side.SyncSide, "_apply_changes", crash_on_second_entity)
    renamed = customer_data(1, version=2, name="新名字")
    with pytest.raises(OSError):
        store.apply_pull_page(page([("customer", renamed), ("account", account_data(9, 1))], cursor=20, start_seq=13))
    assert store.cursor(SCOPE) == 12
    assert store.customer("cust-1").name == customer_data(1)["name"]  # type: ignore[union-attr]


def test_cursor_and_versions_never_go_backwards(store: Store) -> None:
    seed(store)
    store.apply_pull_page(page([("customer", customer_data(1, version=5, name="五版"))], cursor=30, start_seq=25))
    store.apply_pull_page(page([("customer", customer_data(1, version=3, name="旧页"))], cursor=20, start_seq=15))
    assert store.cursor(SCOPE) == 30
    assert store.customer("cust-1").name == "五版"  # type: ignore[union-attr]
    # Inside a newer page, an older version of a row still does not win.
    store.apply_pull_page(page([("customer", customer_data(1, version=4, name="四版"))], cursor=31, start_seq=31))
    assert store.customer("cust-1").name == "五版"  # type: ignore[union-attr]
    assert store.cursor(SCOPE) == 31


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 3), min_size=1, max_size=10), st.lists(st.integers(0, 9), max_size=6))
def test_redelivered_old_pages_never_undo_newer_ones(store: Store, touched: list[int], replays: list[int]) -> None:
    """Pages applied in order, with old pages delivered again at random points: cursor and rows only move forward."""
    store.reset_scope(SCOPE)
    pages = []
    expected: dict[int, int] = {}
    for i, n in enumerate(touched):
        expected[n] = expected.get(n, 0) + 1
        pages.append(page([("customer", customer_data(n, version=expected[n], name=f"v{expected[n]}"))],
                          cursor=i + 1, start_seq=i + 1))
    delivery = list(pages)
    for position in replays:
        index = position % len(pages)
        old = pages[index]
        # An old page comes again somewhere after its first delivery (lost response, retried request).
        delivery.insert(delivery.index(old) + 1 + position % 3, old)
    seen_cursor = 0
    for each in delivery:
        store.apply_pull_page(each)
        assert store.cursor(SCOPE) >= seen_cursor
        seen_cursor = store.cursor(SCOPE)
    assert store.cursor(SCOPE) == len(pages)
    for n, version in expected.items():
        customer = store.customer(f"cust-{n}")
        assert customer is not None and (customer.version, customer.name) == (version, f"v{version}")


def test_removal_and_deletion_drop_rows(store: Store) -> None:
    seed(store)
    removal = PullPage(
        scope=SCOPE,
        changes=[Change(seq=13, entity="ticket", id="tick-1", kind="remove", version=2),
                 Change(seq=14, entity="customer", id="cust-3", kind="delete", version=2)],
        cursor=14, has_more=False,
    )
    store.apply_pull_page(removal)
    assert store.ticket("tick-1") is None and store.customer("cust-3") is None
    assert store.search_customers(customer_data(3)["id_number"]) == []


def test_reset_scope_keeps_outbox_and_unpushed_rows(store: Store) -> None:
    seed(store)
    ticket = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS)
    store.update_fields("customer", "cust-2", {"address": "新地址100号"})
    before = store.pending_mutations()
    store.reset_scope(SCOPE)
    assert store.cursor(SCOPE) == 0
    assert store.customer("cust-1") is None and store.ticket("tick-1") is None
    assert store.pending_mutations() == before
    assert store.ticket(ticket.id) == ticket
    assert store.customer("cust-2").address == "新地址100号"  # type: ignore[union-attr]
    seed(store)  # pulling again from 0 restores the rows, the pending edit stays on top
    assert store.customer("cust-1") is not None
    assert store.customer("cust-2").address == "新地址100号"  # type: ignore[union-attr]


def test_applied_result_replaces_provisional_number_and_empties_outbox(store: Store) -> None:
    seed(store)
    ticket = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, customer_id="cust-1",
                                 fields=REPAIR_FIELDS)
    [mutation] = store.pending_mutations()
    record = mutation.fields | {"version": 1, "due_at": "2025-03-05T00:00:00Z"}
    record.pop("provisional_number")  # even if the server leaves it out, the desk keeps it
    store.apply_push_results([_result(mutation.mutation_id, "applied", "ticket", ticket.id, version=1,
                                      record=record, ticket_number="GD20250100")])
    stored = store.ticket(ticket.id)
    assert stored is not None
    assert (stored.number, stored.provisional_number, stored.version) == ("GD20250100", "P-D1-1", 1)
    assert stored.due_at == datetime(2025, 3, 5, tzinfo=UTC)
    assert store.outbox_size() == 0
    # A replayed response for a settled mutation changes nothing.
    store.apply_push_results([_result(mutation.mutation_id, "rejected", "ticket", ticket.id, code="dup")])
    assert store.conflicts() == [] and store.ticket(ticket.id) == stored
    with store._read() as connection:
        assert connection.execute(select(server_shadow)).all() == []


def test_rejection_lands_in_conflicts_and_does_not_block_later_results(store: Store) -> None:
    seed(store)
    store.update_fields("customer", "cust-1", {"phone": "13811112222"})
    note = store.add_note("tick-2", "第二条")
    first, second = store.pending_mutations()
    server_row = customer_data(1, version=2, phone="13633334444")
    store.apply_push_results([
        _result(first.mutation_id, "rejected", "customer", "cust-1", code="conflict",
                reason="电话已被他人修改", record=server_row),
        _result(second.mutation_id, "applied", "note", note.id, version=1,
                record=second.fields | {"version": 1}),
    ])
    assert store.outbox_size() == 0
    assert store.customer("cust-1").phone == "13633334444"  # type: ignore[union-attr]
    [entry] = store.conflicts()
    assert (entry.code, entry.reason, entry.mutation.mutation_id) == ("conflict", "电话已被他人修改", first.mutation_id)
    assert entry.mine is not None and entry.mine["phone"] == "13811112222"
    assert entry.server is not None and entry.server["phone"] == "13633334444"
    retried = store.resolve_conflict(entry.id, "retry_mine")
    assert retried is not None and retried.base == {"phone": "13633334444"} and retried.base_version == 2
    assert retried.seq > second.seq
    assert store.customer("cust-1").phone == "13811112222"  # type: ignore[union-attr]
    assert store.conflicts() == [] and len(store.conflicts(include_resolved=True)) == 1


def test_rejected_create_without_record_removes_the_local_row(store: Store) -> None:
    ticket = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS)
    [mutation] = store.pending_mutations()
    store.apply_push_results([_result(mutation.mutation_id, "rejected", "ticket", ticket.id, code="invalid_input",
                                      reason="业务类型已停用")])
    assert store.ticket(ticket.id) is None
    assert [c.code for c in store.conflicts()] == ["invalid_input"]
    store.resolve_conflict(store.conflicts()[0].id, "keep_server")
    assert store.conflicts() == [] and store.outbox_size() == 0


def test_pull_of_an_older_state_keeps_the_pending_transition_visible(store: Store) -> None:
    seed(store)
    store.transition("ticket", "tick-1", "in_progress", role="clerk")
    # Another desk edited the summary; the server has not seen our transition yet.
    store.apply_pull_page(page([("ticket", ticket_data(1, 1, version=2, summary="由他人补充"))], cursor=13,
                               start_seq=13))
    ticket = store.ticket("tick-1")
    assert ticket is not None
    assert (ticket.state, ticket.summary, ticket.version) == ("in_progress", "由他人补充", 2)
    [mutation] = store.pending_mutations()
    store.apply_push_results([_result(mutation.mutation_id, "applied", "ticket", "tick-1", version=3,
                                      record=ticket_data(1, 1, version=3, summary="由他人补充", state="in_progress"))])
    ticket = store.ticket("tick-1")
    assert ticket is not None and (ticket.state, ticket.version) == ("in_progress", 3)
    # A late page still carrying version 2 does not undo it.
    store.apply_pull_page(page([("ticket", ticket_data(1, 1, version=2))], cursor=14, start_seq=14))
    assert store.ticket("tick-1").state == "in_progress"  # type: ignore[union-attr]


def test_scope_checksum_matches_the_servers_formula(store: Store) -> None:
    seed(store)
    store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS)  # not on server
    total = 0
    for n in range(4):
        for entity, prefix in (("customer", "cust"), ("account", "acct"), ("ticket", "tick")):
            total = combine(total, row_hash(entity, f"{prefix}-{n}", 1))
    checksum = store.scope_checksum(SCOPE)
    assert (checksum.checksum, checksum.count, checksum.cursor) == (format_checksum(total), 12, 12)
    assert store.scope_checksum("calendar").count == 0
    with pytest.raises(ValueError):
        store.scope_checksum("nonsense")


def test_sync_bookkeeping(store: Store) -> None:
    assert store.last_synced(SCOPE) is None
    at = datetime(2025, 3, 3, 8, 30, tzinfo=UTC)
    store.mark_synced(SCOPE, at)
    assert store.last_synced(SCOPE) == at
    assert store.cursor(SCOPE) == 0
    store.set_meta("server_url", "http://127.0.0.1:8765")
    assert store.get_meta("server_url") == "http://127.0.0.1:8765"
    assert store.get_meta("missing") is None
    store.apply_pull_page(page([], cursor=7, checksum="00ff", count=0))
    assert store.server_checksum(SCOPE) == ("00ff", 0)
    assert store.last_synced(SCOPE) == at
