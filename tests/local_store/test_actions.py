from __future__ import annotations

import pytest
from sqlalchemy import func, select

import local_store.replay
from domain.errors import InvalidInput, InvalidTransition
from domain.records import Ticket
from local_store import Store
from local_store.schema import ENTITY_TABLES, outbox

from .conftest import OFFICE, resident_id, seed

REPAIR_FIELDS = {"fault_kind": "no_power", "contact_phone": "139 0000 1111"}


def _count(store: Store, table_name: str) -> int:
    table = outbox if table_name == "outbox" else ENTITY_TABLES[table_name]
    with store._read() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_accept_ticket_stores_row_and_mutation_together(store: Store) -> None:
    seed(store)
    ticket = store.accept_ticket(
        type_code="repair", channel="hotline", office_id=OFFICE, customer_id="cust-1", fields=REPAIR_FIELDS
    )
    assert ticket.provisional_number == "P-D1-1"
    assert ticket.fields == {"fault_kind": "no_power", "contact_phone": "13900001111"}
    assert store.ticket(ticket.id) == ticket
    [mutation] = store.pending_mutations()
    assert (mutation.entity, mutation.entity_id, mutation.op, mutation.seq) == ("ticket", ticket.id, "create", 1)
    assert mutation.client_id == store.client_id
    assert mutation.fields["provisional_number"] == "P-D1-1"
    second = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS)
    assert second.provisional_number == "P-D1-2"
    assert [m.seq for m in store.pending_mutations()] == [1, 2]


def test_failure_mid_transaction_stores_neither(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(store)
    real_write = local_store.replay.write_visible

    def write_then_crash(*args: object, **kwargs: object) -> None:
        real_write(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk full")

    # The visible row is the last thing an action writes, after the counter and the outbox row.
    monkeypatch.setattr(local_store.replay, "write_visible", write_then_crash)
    tickets_before = _count(store, "ticket")
    with pytest.raises(OSError):
        store.accept_ticket(type_code="repair", channel="hotline", office_id=OFFICE, fields=REPAIR_FIELDS)
    assert _count(store, "ticket") == tickets_before
    assert store.outbox_size() == 0
    monkeypatch.undo()
    # The provisional counter rolled back with the rest: no gap in the numbers.
    ticket = store.accept_ticket(type_code="repair", channel="hotline", office_id=OFFICE, fields=REPAIR_FIELDS)
    assert ticket.provisional_number == "P-D1-1"


@pytest.mark.parametrize(
    ("kwargs", "field", "english"),
    [
        ({"type_code": "nope"}, "ticket_type", "unknown ticket type"),
        ({"channel": "app"}, "channel", "cannot be accepted"),
        ({"fields": {"contact_phone": "13900001111"}}, "fault_kind", "required"),
        ({"fields": REPAIR_FIELDS | {"fault_kind": "fire"}}, "fault_kind", "must be one of"),
        ({"fields": REPAIR_FIELDS | {"contact_phone": "12345"}}, "phone", "mobile"),
        ({"fields": REPAIR_FIELDS | {"households": "3"}}, "households", "whole number"),
        ({"fields": REPAIR_FIELDS | {"colour": "red"}}, "colour", "no field"),
        ({"materials": ["id_copy"]}, "materials", "does not belong"),
        ({"customer_id": "cust-404"}, "customer_id", "no customer"),
        ({"account_id": "acct-2", "customer_id": "cust-1"}, "account_id", "does not belong"),
    ],
)
def test_bad_ticket_input_is_explained_and_nothing_is_stored(
    store: Store, kwargs: dict, field: str, english: str
) -> None:
    seed(store)
    tickets_before = _count(store, "ticket")
    arguments = {"type_code": "repair", "channel": "hotline", "office_id": OFFICE, "fields": REPAIR_FIELDS} | kwargs
    with pytest.raises(InvalidInput) as raised:
        store.accept_ticket(**arguments)
    assert raised.value.field == field
    assert english in raised.value.message("en")
    assert raised.value.message("zh")
    assert _count(store, "ticket") == tickets_before
    assert store.outbox_size() == 0
    assert store.get_meta("provisional_counter") is None


def test_missing_required_material_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="身份证复印件"):
        store.accept_ticket(type_code="new_connection", channel="hall", office_id=OFFICE, materials=[])
    ticket = store.accept_ticket(
        type_code="new_connection", channel="hall", office_id=OFFICE, materials=["id_copy", "property_deed"]
    )
    assert ticket.materials == ["id_copy", "property_deed"]


def test_update_fields_carries_base_values_and_version(store: Store) -> None:
    seed(store)
    updated = store.update_fields("customer", "cust-2", {"address": "北京市东城区新地址1号"})
    assert updated.address == "北京市东城区新地址1号"  # type: ignore[attr-defined]
    [mutation] = store.pending_mutations()
    assert mutation.op == "update"
    assert mutation.fields == {"address": "北京市东城区新地址1号"}
    assert mutation.base == {"address": "北京市东城区和平里2号"}
    assert mutation.base_version == 1


def test_update_refuses_fields_a_desk_may_not_change(store: Store) -> None:
    seed(store)
    for changes in ({"state": "closed"}, {"number": "GD1"}, {"id_number": "x"}):
        entity = "customer" if "id_number" in changes else "ticket"
        entity_id = "cust-1" if entity == "customer" else "tick-1"
        with pytest.raises(InvalidInput, match="cannot be changed"):
            store.update_fields(entity, entity_id, changes)
    with pytest.raises(InvalidInput):
        store.update_fields("customer", "cust-1", {"phone": "not a phone"})
    assert store.outbox_size() == 0


def test_transition_is_optimistic_and_queued_as_an_intent(store: Store) -> None:
    seed(store)
    moved = store.transition("ticket", "tick-1", "in_progress", role="clerk")
    assert isinstance(moved, Ticket) and moved.state == "in_progress"
    [mutation] = store.pending_mutations()
    assert mutation.op == "transition" and mutation.transition is not None
    assert (mutation.transition.from_state, mutation.transition.to_state) == ("accepted", "in_progress")
    assert "state" not in mutation.fields
    with pytest.raises(InvalidTransition):
        store.transition("ticket", "tick-1", "accepted", role="clerk")
    assert store.outbox_size() == 1


def test_records_notes_interactions_verifications_and_audit(store: Store) -> None:
    seed(store)
    verification = store.record_verification(
        "cust-1", channel="hall", method="id_card_reader", outcome="passed", staff_id="s1"
    )
    interaction = store.record_interaction(office_id=OFFICE, channel="hall", type="visit", customer_id="cust-1")
    note = store.add_note("tick-1", "客户要求上午上门", author_id="s1")
    audit_id = store.append_audit("unmask", "customer:cust-1", {"field": "phone"}, "s1")
    entities = [(m.entity, m.op) for m in store.pending_mutations()]
    assert entities == [("verification", "create"), ("interaction", "create"), ("note", "create"), ("audit", "create")]
    assert store.pending_mutations()[-1].entity_id == audit_id
    assert store.pending_mutations()[-1].fields["action"] == "unmask"
    timeline = store.customer_timeline("cust-1")
    assert [entry.kind for entry in timeline[:2]] == ["interaction", "verification"]
    assert {entry.record.id for entry in timeline} >= {verification.id, interaction.id, "tick-1"}
    assert note.office_id == OFFICE
    with pytest.raises(InvalidInput):
        store.add_note("tick-1", "   ")
    with pytest.raises(InvalidInput):
        store.record_verification("cust-404", channel="hall", method="x", outcome="passed")
    with pytest.raises(InvalidInput):
        store.record_interaction(office_id=OFFICE, channel="fax", type="visit")
    assert store.outbox_size() == 4


def test_create_customer_validates_identity(store: Store) -> None:
    valid = resident_id(10)
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    with pytest.raises(InvalidInput, match="check character"):
        store.create_customer(office_id=OFFICE, name="张三", id_number=wrong_check)
    with pytest.raises(InvalidInput):
        store.create_customer(office_id=OFFICE, name="  ")
    customer = store.create_customer(office_id=OFFICE, name="张三", phone="+86 139-0000-2222")
    assert customer.phone == "13900002222"
    assert store.customer(customer.id) == customer


def test_transition_uses_the_domain_state_machine_by_default(tmp_path, key: bytes) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "real.db", key)
    seed(store)
    with pytest.raises(InvalidTransition) as raised:
        store.transition("ticket", "tick-1", "cancelled", role="clerk")  # needs a reason
    assert raised.value.field == "reason"
    cancelled = store.transition("ticket", "tick-1", "cancelled", role="clerk", reason="客户撤回申请")
    assert isinstance(cancelled, Ticket) and cancelled.state == "cancelled"
    [mutation] = store.pending_mutations()
    assert mutation.transition is not None and mutation.transition.reason == "客户撤回申请"
    store.close()


def test_actions_from_several_threads_keep_sequences_unique(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def accept(_: int) -> str:
        ticket = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS)
        assert ticket.provisional_number is not None
        return ticket.provisional_number

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = list(pool.map(accept, range(24)))
    assert sorted(numbers, key=lambda n: int(n.rsplit("-", 1)[1])) == [f"P-D1-{n}" for n in range(1, 25)]
    assert [m.seq for m in store.pending_mutations()] == list(range(1, 25))
