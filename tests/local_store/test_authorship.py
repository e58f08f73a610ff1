"""Each queued change names its author (docs/authorship.md): stamped in the transaction that queues it,
kept across the schema upgrade, and the outbox hands a session only what that person may deliver."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from domain.sync import Mutation
from local_store import Store
from local_store.engine import create_store_engine
from local_store.migrate import upgrade
from local_store.rows import iso_utc

from .conftest import OFFICE, ManualClock, open_test_store


def _authors(store: Store, author: str | None = None) -> list[str | None]:
    return [m.author for m in store.pending_mutations(author=author)]


def test_each_change_names_who_was_signed_in_when_it_was_saved(store: Store) -> None:
    store.sign_in_author("staff-a", "张* (clerk1)")
    store.create_customer(office_id=OFFICE, name="张伟")
    store.create_customer(office_id=OFFICE, name="王芳")
    store.sign_out_author()
    store.sign_in_author("staff-b", "李* (clerk2)")
    store.create_customer(office_id=OFFICE, name="李娜")
    store.sign_out_author()
    store.create_customer(office_id=OFFICE, name="无人")  # a store tool, nobody signed in

    assert _authors(store) == ["staff-a", "staff-a", "staff-b", None]
    with store._raw() as db:  # the column the outbox is filtered by says the same as each mutation
        assert [a for (a,) in db.execute("SELECT author FROM outbox ORDER BY seq")] == _authors(store)
    assert _authors(store, "staff-b") == ["staff-b", None]
    assert store.deliverable_size("staff-b") == 2 and store.deliverable_size("staff-a") == 3
    assert store.waiting_authors("staff-b") == [("张* (clerk1)", 2)]
    assert store.waiting_authors("staff-a") == [("李* (clerk2)", 1)]
    assert store.waiting_authors(None) == [("张* (clerk1)", 2), ("李* (clerk2)", 1)]


def test_a_change_of_a_row_another_person_changed_first_waits_with_theirs(store: Store) -> None:
    store.sign_in_author("staff-a", "A")
    customer = store.create_customer(office_id=OFFICE, name="张伟")
    store.sign_in_author("staff-b", "B")
    store.update_fields("customer", customer.id, {"address": "和平里1号"})  # would overtake A's create
    other = store.create_customer(office_id=OFFICE, name="李娜")

    assert [m.entity_id for m in store.pending_mutations(author="staff-b")] == [other.id]
    assert store.deliverable_size("staff-b") == 1
    assert [(m.entity_id, m.op) for m in store.pending_mutations(author="staff-a")] == [(customer.id, "create")]


def test_a_change_naming_a_row_another_person_created_waits_and_so_do_its_own_later_changes(store: Store) -> None:
    store.sign_in_author("staff-a", "A")
    customer = store.create_customer(office_id=OFFICE, name="张伟")  # offline, not pushed
    store.sign_in_author("staff-b", "B")
    ticket = store.accept_ticket(type_code="new_connection", channel="hall", office_id=OFFICE,
                                 customer_id=customer.id, materials=["id_copy"])  # names A's customer
    store.transition("ticket", ticket.id, "in_progress", "clerk")  # a later change of the held ticket
    note = store.add_note(ticket.id, "补充材料")  # names the held ticket
    other = store.create_customer(office_id=OFFICE, name="李娜")

    assert [m.entity_id for m in store.pending_mutations(author="staff-b")] == [other.id]
    assert store.deliverable_size("staff-b") == 1
    assert store.pending_mutations(limit=1, author="staff-b")[0].entity_id == other.id
    # Once A's change has gone (A's own session pushed it), B's wait no longer.
    with store._raw() as db:
        db.execute("DELETE FROM outbox WHERE author = 'staff-a'")
    assert [m.entity_id for m in store.pending_mutations(author="staff-b")] == [ticket.id, ticket.id, note.id,
                                                                                 other.id]


def test_revision_0006_keeps_the_queued_changes_and_names_the_authors_they_carry(
    tmp_path: Path, key: bytes, clock: ManualClock
) -> None:
    path = tmp_path / "v5.db"
    engine = create_store_engine(path, key)
    upgrade(engine, "0005")
    created = datetime(2026, 3, 1, tzinfo=UTC)
    queued = [
        Mutation(mutation_id=f"0196-{seq:06d}", client_id="desk-old", seq=seq, entity="customer",
                 entity_id=f"cust-{seq}", op="create", created_at=created, author=author,
                 fields={"id": f"cust-{seq}", "office_id": OFFICE, "name": "张伟"})
        for seq, author in ((1, None), (2, "staff-a"))
    ]
    with engine.begin() as connection:
        for mutation in queued:
            connection.execute(
                text("INSERT INTO outbox (seq, mutation_id, entity, entity_id, mutation, created_at) "
                     "VALUES (:seq, :id, 'customer', :entity_id, :mutation, :created)"),
                {"seq": mutation.seq, "id": mutation.mutation_id, "entity_id": mutation.entity_id,
                 "mutation": mutation.model_dump_json(), "created": iso_utc(created)},
            )
    engine.dispose()

    store = open_test_store(path, key, clock)
    try:
        assert store.schema_version >= 6 and store.pending_mutations() == queued
        # Unattributed (older version): any session delivers it, as before; staff-a's waits for staff-a.
        assert [m.seq for m in store.pending_mutations(author="staff-b")] == [1]
        assert store.waiting_authors("staff-b") == [("staff-a", 1)]  # no label known: the staff id
    finally:
        store.close()
