"""Issue 13 item 4: a replayed mutation id answers only its own sender, for the same body, in scope."""

from __future__ import annotations

from collections.abc import Callable

from tests.backend.desk import Desk

DeskFactory = Callable[[str], Desk]


def test_a_replay_from_another_office_gets_no_record(desk: DeskFactory) -> None:
    clerk_a, clerk_b = desk("clerk_a"), desk("clerk_b")
    mutation = clerk_a.mutation("customer", "create", fields={"name": "李四", "phone": "13900002222",
                                                             "area_class": "urban"})
    (first,) = clerk_a.push(mutation)
    assert first["status"] == "applied"
    # The whole mutation copied, the other desk's client id included: still no office-1 customer.
    (copied,) = clerk_b.push(mutation)
    assert copied["status"] == "rejected" and copied["record"] is None
    assert "13900002222" not in str(copied)
    # The same id under the other desk's own client id.
    (own,) = clerk_b.push({**mutation, "client_id": clerk_b.client_id})
    assert own["status"] == "rejected" and own["code"] == "duplicate_id" and own["record"] is None
    # Its own desk replaying gets the stored answer unchanged.
    (again,) = clerk_a.push(mutation)
    assert again == first


def test_a_reused_id_with_another_body_is_refused(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    mutation = clerk.mutation("customer", "create", fields={"name": "王五", "phone": "13900003333",
                                                           "area_class": "urban"})
    (first,) = clerk.push(mutation)
    assert first["status"] == "applied"
    changed = {**mutation, "fields": {**mutation["fields"], "name": "赵六"}}
    (second,) = clerk.push(changed)
    assert second["status"] == "rejected" and second["code"] == "duplicate_id"
    # Twins inside one batch: the first is applied, the differing second refused.
    fresh = clerk.mutation("customer", "create", fields={"name": "钱七", "phone": "13900004444",
                                                        "area_class": "urban"})
    twin = {**fresh, "fields": {**fresh["fields"], "name": "孙八"}}
    applied, refused = clerk.push(fresh, twin)
    assert applied["status"] == "applied"
    assert refused["status"] == "rejected" and refused["code"] == "duplicate_id"
