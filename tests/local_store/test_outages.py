"""Outages on the desk (docs/outage.md): a customer's live event read from the synced grid and events, and a
call linked to it — queued for the server, refused (nothing stored) when the event is over."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidInput
from local_store import Store
from tests.local_store.conftest import OFFICE, account_data, customer_data, page


def device(device_id: str, kind: str, parent: str | None) -> dict[str, Any]:
    return {"id": device_id, "office_id": OFFICE, "version": 1, "device_kind": kind, "parent_id": parent,
            "name": f"设备{device_id}", "area_class": "rural"}


def event(event_id: str, devices: list[str], state: str = "active", **overrides: Any) -> dict[str, Any]:
    return {"id": event_id, "office_id": OFFICE, "version": 1, "outage_kind": "fault", "state": state,
            "device_ids": devices, "reason": f"{event_id}故障", "starts_at": "2025-03-02T01:00:00Z",
            "ends_at": "2025-03-02T05:00:00Z", "created_at": "2025-03-02T01:00:00Z", **overrides}


@pytest.fixture
def grid_store(store: Store) -> Store:
    """F ─┬─ B ── T1 (cust-0) ; F ── T2 (cust-1) ; cust-2 has no place."""
    accounts = [account_data(n, n) | {"transformer_id": t} for n, t in ((0, "T1"), (1, "T2"), (2, None))]
    changes = [("customer", customer_data(n)) for n in range(3)]
    changes += [("grid_device", device("F", "feeder", None)), ("grid_device", device("B", "branch", "F")),
                ("grid_device", device("T1", "transformer", "B")), ("grid_device", device("T2", "transformer", "F"))]
    changes += [("account", a) for a in accounts]
    changes += [("outage_event", event("branch", ["B"])), ("outage_event", event("old", ["F"], state="restored"))]
    store.apply_pull_page(page(changes, cursor=len(changes)))
    return store


def test_a_customer_inside_a_live_event_finds_it(grid_store: Store) -> None:
    found = grid_store.outage_for_customer("cust-0")
    assert found is not None and found.id == "branch" and found.reason == "branch故障"
    assert grid_store.outage_for_customer("cust-1") is None  # T2 hangs from the feeder; its event is over
    assert grid_store.outage_for_customer("cust-2") is None  # no place in the grid
    assert [e.id for e in grid_store.live_outages(OFFICE)] == ["branch"]


def test_the_lowest_of_nested_events_wins(grid_store: Store) -> None:
    grid_store.apply_pull_page(page([("outage_event", event("feeder", ["F"]))], cursor=20, start_seq=20))
    assert grid_store.outage_for_customer("cust-0").id == "branch"  # type: ignore[union-attr]
    assert grid_store.outage_for_customer("cust-1").id == "feeder"  # type: ignore[union-attr]


def test_a_call_linked_to_a_live_event_is_queued_and_an_over_one_refused(grid_store: Store) -> None:
    call = grid_store.link_call_to_outage(office_id=OFFICE, customer_id="cust-0", event_id="branch",
                                          staff_id="s1", call_id="call-7", caller_number="13900000000")
    assert call.outage_event_id == "branch" and call.type == "call" and call.summary == "branch故障"
    (queued,) = [m for m in grid_store.pending_mutations() if m.entity == "interaction"]
    assert queued.fields["outage_event_id"] == "branch"
    with pytest.raises(InvalidInput, match="ordinary repair"):
        grid_store.link_call_to_outage(office_id=OFFICE, customer_id="cust-1", event_id="old")
    with pytest.raises(InvalidInput):
        grid_store.link_call_to_outage(office_id=OFFICE, customer_id="cust-1", event_id="nowhere")
    assert len([m for m in grid_store.pending_mutations() if m.entity == "interaction"]) == 1


def test_customers_inside_live_outages_are_found_down_the_grid(grid_store: Store) -> None:
    assert grid_store.customers_in_outages() == ["cust-0"]  # under B (live); T2's feeder event is over
