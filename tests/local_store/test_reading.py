from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput
from local_store import Store, TicketFilters

from .conftest import OFFICE, page, seed, ticket_data


def _seed_queue(store: Store) -> None:
    seed(store, customers=2)
    tickets = [
        ticket_data(10 + n, n % 2, state=["accepted", "in_progress", "closed"][n % 3],
                    type_code=["repair", "complaint"][n % 2], number=f"GD2025{n:04d}")
        for n in range(30)
    ]
    store.apply_pull_page(page([("ticket", t) for t in tickets], cursor=100, start_seq=50))


def test_queue_sorts_filters_and_pages_in_sql(store: Store) -> None:
    _seed_queue(store)
    everything = store.ticket_queue(TicketFilters(office_id=OFFICE), sort="number", limit=1000)
    assert len(everything) == store.ticket_count(TicketFilters(office_id=OFFICE)) == 32
    numbers = [t.number for t in everything]
    assert numbers == sorted(numbers)
    open_repairs = TicketFilters(states=("accepted", "in_progress"), type_codes=("repair",))
    rows = store.ticket_queue(open_repairs, sort="-due_at", limit=1000)
    assert rows and all(t.state in ("accepted", "in_progress") and t.type_code == "repair" for t in rows)
    assert len(rows) == store.ticket_count(open_repairs)
    due = [t.due_at for t in rows]
    assert due == sorted(due, reverse=True)
    first_page = store.ticket_queue(open_repairs, sort="-due_at", offset=0, limit=5)
    second_page = store.ticket_queue(open_repairs, sort="-due_at", offset=5, limit=5)
    assert [t.id for t in first_page + second_page] == [t.id for t in rows[:10]]
    overdue = TicketFilters(due_before=datetime(2025, 3, 12, tzinfo=UTC))
    assert all(t.due_at is not None and t.due_at < datetime(2025, 3, 12, tzinfo=UTC)
               for t in store.ticket_queue(overdue, limit=1000))
    assert store.ticket_count(TicketFilters(number_prefix="gd2025001")) == 10
    assert store.ticket_count(TicketFilters(customer_id="cust-1")) == 16
    with pytest.raises(InvalidInput):
        store.ticket_queue(sort="summary; DROP TABLE ticket")


def test_customer_card_reads(store: Store) -> None:
    seed(store, customers=3)
    assert store.customer("cust-404") is None
    assert [a.account_no for a in store.customer_accounts("cust-2")] == ["3300000002"]
    assert [t.id for t in store.customer_tickets("cust-2")] == ["tick-2"]
    assert store.ticket_by_number(" gd20250002 ") is not None
    assert store.ticket_by_number("GD0") is None
    assert store.stage_tasks("tick-2") == []


def test_a_snapshot_reads_one_state_while_a_sync_lands(store: Store) -> None:
    seed(store, customers=1)
    with store.snapshot():
        assert store.ticket("tick-0").state == "accepted"  # type: ignore[union-attr]
        store.apply_pull_page(page([("ticket", ticket_data(0, 0, version=2, state="in_progress"))], cursor=9,
                                   start_seq=9))
        with store.snapshot():  # a nested one joins the outer
            assert store.ticket("tick-0").state == "accepted"  # type: ignore[union-attr]
        assert store.ticket("tick-0").version == 1  # type: ignore[union-attr]
    assert store.ticket("tick-0").state == "in_progress"  # type: ignore[union-attr]
