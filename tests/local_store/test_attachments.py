"""Attachments: a synced metadata record per ticket (queued with its outbox create), one upload per content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.errors import InvalidInput
from domain.records import ATTACHMENT_MAX_BYTES
from domain.sync import MutationResult
from local_store import Store
from local_store.engine import create_store_engine
from local_store.migrate import upgrade

from .conftest import OFFICE, SCOPE, ManualClock, open_test_store, page, seed


def photo(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_queued_file_is_a_record_in_the_outbox_and_waits_until_uploaded(store: Store, tmp_path: Path) -> None:
    seed(store)
    content = b"\xff\xd8jpeg" * 1000
    sha = store.queue_attachment("tick-1", photo(tmp_path, "meter.jpg", content), created_by="s-1")
    assert sha == hashlib.sha256(content).hexdigest()
    (pending,) = store.pending_attachments()
    assert (pending.sha256, pending.path.name, pending.media_type, pending.size) == (sha, "meter.jpg", "image/jpeg",
                                                                                     len(content))
    (info,) = store.ticket_attachments("tick-1")
    assert (info.filename, info.uploaded, info.created_by) == ("meter.jpg", False, "s-1")
    (create,) = store.pending_mutations()  # metadata first: the record travels in the outbox, the bytes do not
    assert (create.entity, create.op, create.entity_id) == ("attachment", "create", info.id)
    assert create.fields["sha256"] == sha and create.fields["uploaded"] is False and "data" not in create.fields
    store.record_attachment_failure(sha, "offline")
    assert store.pending_attachments()[0].attempts == 1
    store.mark_attachment_uploaded(sha)
    store.mark_attachment_uploaded(sha)  # a repeated confirmation changes nothing
    assert store.pending_attachments() == []
    assert store.ticket_attachments("tick-1")[0].uploaded
    assert store.outbox_size() == 1  # the synced flag is the server's to set


def test_the_server_record_replaces_the_pending_one(store: Store, tmp_path: Path) -> None:
    seed(store)
    store.queue_attachment("tick-1", photo(tmp_path, "plan.pdf", b"%PDF-1.4 plan"))
    (create,) = store.pending_mutations()
    server = {**create.fields, "version": 1, "created_by": "s-9"}
    store.apply_push_results([MutationResult(mutation_id=create.mutation_id, status="applied", entity="attachment",
                                             entity_id=create.entity_id, version=1, record=server)])
    assert store.outbox_size() == 0 and store.ticket_attachments("tick-1")[0].created_by == "s-9"
    store.apply_pull_page(page([("attachment", {**server, "version": 2, "uploaded": True})], cursor=100,
                               start_seq=100))
    assert store.ticket_attachments("tick-1")[0].uploaded  # uploaded by another desk: the server says so
    assert store.scope_checksum(SCOPE) == store.verify_scope_checksum(SCOPE)


def test_the_same_content_uploads_once_for_every_ticket(store: Store, tmp_path: Path) -> None:
    seed(store)
    first = store.queue_attachment("tick-1", photo(tmp_path, "a.pdf", b"%PDF same"))
    second = store.queue_attachment("tick-2", photo(tmp_path, "b.pdf", b"%PDF same"))
    assert first == second and len(store.pending_attachments()) == 1
    store.mark_attachment_uploaded(first)
    third = store.queue_attachment("tick-3", photo(tmp_path, "c.pdf", b"%PDF same"))
    assert third == first and store.pending_attachments() == []
    assert [a.uploaded for t in ("tick-1", "tick-2", "tick-3") for a in store.ticket_attachments(t)] == [True] * 3
    assert store.outbox_size() == 3  # one record per ticket


@pytest.mark.parametrize(("ticket_id", "name", "content", "field"), [
    ("tick-1", "scan.png", b"", "path"), ("tick-1", "scan.png", None, "path"), ("tick-none", "scan.png", b"x", "ticket_id"),
    ("tick-1", "notes.docx", b"PK word", "path"),
])
def test_a_bad_attachment_is_refused_and_stores_nothing(store: Store, tmp_path: Path, ticket_id: str, name: str,
                                                        content: bytes | None, field: str) -> None:
    seed(store)
    path = tmp_path / name if content is None else photo(tmp_path, name, content)
    with pytest.raises(InvalidInput) as refused:
        store.queue_attachment(ticket_id, path)
    assert refused.value.field == field
    assert store.pending_attachments() == [] and store.ticket_attachments(ticket_id) == []
    assert store.outbox_size() == 0


def test_a_file_over_the_servers_limit_is_refused(store: Store, tmp_path: Path) -> None:
    seed(store)
    big = tmp_path / "huge.pdf"
    with big.open("wb") as file:
        file.truncate(ATTACHMENT_MAX_BYTES + 1)  # sparse: no real disk used
    with pytest.raises(InvalidInput):
        store.queue_attachment("tick-1", big)
    assert store.outbox_size() == 0 and store.pending_attachments() == []


def test_row_queue_and_outbox_are_one_transaction(store: Store, tmp_path: Path) -> None:
    seed(store)
    with store._write() as connection:  # the queue insert fails after the record and the outbox row were written
        connection.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON attachment_queue "
                                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
    with pytest.raises(Exception, match="disk full"):
        store.queue_attachment("tick-1", photo(tmp_path, "meter.png", b"\x89PNG data"))
    assert store.ticket_attachments("tick-1") == [] and store.outbox_size() == 0


def test_the_queue_survives_a_restart(tmp_path: Path, key: bytes, clock: ManualClock) -> None:
    path = tmp_path / "desk.db"
    store = open_test_store(path, key, clock)
    seed(store)
    sha = store.queue_attachment("tick-1", photo(tmp_path, "meter.png", b"\x89PNG data"))
    store.close()
    again = open_test_store(path, key, clock)
    assert [p.sha256 for p in again.pending_attachments()] == [sha]
    assert [m.entity for m in again.pending_mutations()] == ["attachment"]
    assert again.local_attachment_file(sha) == (tmp_path / "meter.png").resolve()
    (tmp_path / "meter.png").write_bytes(b"changed since")
    assert again.local_attachment_file(sha) is None  # a changed file is not that content any more
    again.close()


def test_revision_0005_turns_old_attachment_rows_into_pending_creates(tmp_path: Path, key: bytes,
                                                                      clock: ManualClock) -> None:
    path = tmp_path / "v4.db"
    engine = create_store_engine(path, key)
    upgrade(engine, "0004")
    sha = "ab" * 32
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO attachment (id, office_id, ticket_id, sha256, filename, media_type, size, uploaded,"
            f" created_at, created_by) VALUES ('att-1', '{OFFICE}', 'tick-1', '{sha}', 'id.png', 'image/png', 9, 0,"
            " '2025-03-01T00:00:00.000000Z', 's-1')"))
        connection.execute(text("INSERT INTO attachment_queue (sha256, path, media_type, size, state, attempts,"
                                f" queued_at) VALUES ('{sha}', '/x/id.png', 'image/png', 9, 'pending', 0,"
                                " '2025-03-01T00:00:00.000000Z')"))
    engine.dispose()
    store = open_test_store(path, key, clock)
    (create,) = store.pending_mutations()
    assert (create.entity, create.op, create.entity_id, create.fields["sha256"]) == ("attachment", "create", "att-1",
                                                                                     sha)
    (info,) = store.ticket_attachments("tick-1")
    assert (info.filename, info.size, info.uploaded) == ("id.png", 9, False)
    assert [p.sha256 for p in store.pending_attachments()] == [sha]
    store.close()
