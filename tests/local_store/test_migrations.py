from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from domain.sync import Mutation
from local_store import Store
from local_store.engine import create_store_engine
from local_store.migrate import current_revision, head_revision, upgrade
from local_store.rows import iso_utc
from local_store.schema import metadata

from .conftest import OFFICE, ManualClock, open_test_store


def _first_revision_store_with_full_outbox(path: Path, key: bytes, size: int) -> list[Mutation]:
    engine = create_store_engine(path, key)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    created = datetime(2025, 3, 1, tzinfo=UTC)
    mutations = [
        Mutation(mutation_id=f"0195-{seq:06d}", client_id="desk-old", seq=seq, entity="ticket",
                 entity_id=f"tick-{seq}", op="create", created_at=created,
                 fields={"id": f"tick-{seq}", "office_id": OFFICE, "type_code": "repair", "channel": "hall",
                         "accepted_at": "2025-03-01T00:00:00Z", "provisional_number": f"P-OLD-{seq}"})
        for seq in range(1, size + 1)
    ]
    with engine.begin() as connection:
        for mutation in mutations:
            connection.execute(
                text("INSERT INTO outbox (seq, mutation_id, entity, entity_id, mutation, created_at) "
                     "VALUES (:seq, :id, 'ticket', :entity_id, :mutation, :created)"),
                {"seq": mutation.seq, "id": mutation.mutation_id, "entity_id": mutation.entity_id,
                 "mutation": mutation.model_dump_json(), "created": iso_utc(created)},
            )
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('client_id', 'desk-old'), "
                                f"('desk_code', 'OLD'), ('next_seq', '{size + 1}')"))
    engine.dispose()
    return mutations


def test_upgrade_from_the_first_revision_keeps_a_full_outbox(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "old.db"
    queued = _first_revision_store_with_full_outbox(path, key, size=1500)
    store = open_test_store(path, key, clock)
    assert head_revision() != "0001"
    assert store.schema_version == int(head_revision())
    assert store.outbox_size() == 1500
    assert store.pending_mutations(limit=2000) == queued
    assert store.client_id == "desk-old"
    with store._read() as connection:
        indexes = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='index'"))}
    assert "ix_ticket_state_due" in indexes  # revision 0002 ran
    note_seq = store.append_audit("login", "staff:s1", {}, "s1")
    assert store.pending_mutations(limit=2000)[-1].entity_id == note_seq
    assert store.pending_mutations(limit=2000)[-1].seq == 1501  # the sequence continues after the upgrade
    store.close()


def test_schema_module_matches_the_migrations(tmp_path: Path, key: bytes) -> None:
    engine = create_store_engine(tmp_path / "fresh.db", key)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, type_, parent: not (name or "").startswith("customer_fts")},
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_opening_twice_is_idempotent(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "desk.db"
    Store.open(path, key).close()
    store = Store.open(path, key)
    assert store.schema_version == int(head_revision())
    store.close()


def test_revision_0004_keeps_the_outbox_and_gives_old_rows_the_record_defaults(tmp_path: Path, key: bytes,
                                                                              clock: ManualClock) -> None:
    path = tmp_path / "v3.db"
    engine = create_store_engine(path, key)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO surveyor (id, office_id, version, name, territories, skills, home_x_km, home_y_km,"
            f" daily_capacity, server_version) VALUES ('sv-1', '{OFFICE}', 2, '李勘查', '[]', '[]', 1.0, 2.0, 5, 2)"))
        connection.execute(text(
            "INSERT INTO survey_assignment (id, office_id, version, ticket_id, mode, state, server_version)"
            f" VALUES ('sa-1', '{OFFICE}', 1, 'tick-1', 'on_site', 'unassigned', 1)"))
    engine.dispose()
    queued = _first_revision_store_with_full_outbox(tmp_path / "unused.db", key, size=1)  # a mutation to carry over
    with create_store_engine(path, key).begin() as connection:
        connection.execute(text("INSERT INTO outbox (seq, mutation_id, entity, entity_id, mutation, created_at) "
                                "VALUES (1, :id, 'ticket', 'tick-1', :mutation, '2025-03-01T00:00:00.000000Z')"),
                           {"id": queued[0].mutation_id, "mutation": queued[0].model_dump_json()})
    store = open_test_store(path, key, clock)
    assert store.schema_version == int(head_revision()) and store.pending_mutations() == queued
    (surveyor,) = store.surveyors(OFFICE)
    assert surveyor.work_days == [0, 1, 2, 3, 4] and surveyor.leave == [] and surveyor.speed_kmh == 30.0
    assignment = store.survey_assignment("sa-1")
    assert assignment is not None and assignment.duration_minutes == 60 and assignment.urgency == "normal"
    assert store.scope_checksum(f"office:{OFFICE}") == store.verify_scope_checksum(f"office:{OFFICE}")
    store.close()


def test_revision_0004_runs_again_on_a_store_rewound_by_hand(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "rewound.db"
    Store.open(path, key).close()
    engine = create_store_engine(path, key)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    engine.dispose()
    store = open_test_store(path, key, clock)
    assert store.schema_version == int(head_revision())
    store.close()
