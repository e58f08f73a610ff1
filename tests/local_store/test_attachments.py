"""Attachments: metadata per ticket, one upload per file content, nothing in the outbox."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from domain.errors import InvalidInput
from local_store import Store

from .conftest import seed


def photo(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_queued_file_waits_until_uploaded(store: Store, tmp_path: Path) -> None:
    seed(store)
    content = b"\xff\xd8jpeg" * 1000
    sha = store.queue_attachment("tick-1", photo(tmp_path, "meter.jpg", content), created_by="s-1")
    assert sha == hashlib.sha256(content).hexdigest()
    (pending,) = store.pending_attachments()
    assert (pending.sha256, pending.path.name, pending.media_type, pending.size) == (sha, "meter.jpg", "image/jpeg",
                                                                                     len(content))
    (info,) = store.ticket_attachments("tick-1")
    assert (info.filename, info.uploaded, info.created_by) == ("meter.jpg", False, "s-1")
    assert store.outbox_size() == 0  # the bytes go through the attachment endpoints, not the outbox
    store.record_attachment_failure(sha, "offline")
    assert store.pending_attachments()[0].attempts == 1
    store.mark_attachment_uploaded(sha)
    store.mark_attachment_uploaded(sha)  # a repeated confirmation changes nothing
    assert store.pending_attachments() == []
    assert store.ticket_attachments("tick-1")[0].uploaded


def test_the_same_content_uploads_once_for_every_ticket(store: Store, tmp_path: Path) -> None:
    seed(store)
    first = store.queue_attachment("tick-1", photo(tmp_path, "a.pdf", b"%PDF same"))
    second = store.queue_attachment("tick-2", photo(tmp_path, "b.pdf", b"%PDF same"))
    assert first == second and len(store.pending_attachments()) == 1
    store.mark_attachment_uploaded(first)
    third = store.queue_attachment("tick-3", photo(tmp_path, "c.pdf", b"%PDF same"))
    assert third == first and store.pending_attachments() == []
    assert [a.uploaded for t in ("tick-1", "tick-2", "tick-3") for a in store.ticket_attachments(t)] == [True] * 3


@pytest.mark.parametrize(("ticket_id", "content", "field"), [("tick-1", b"", "path"), ("tick-1", None, "path"),
                                                             ("tick-none", b"x", "ticket_id")])
def test_a_bad_attachment_is_refused_and_stores_nothing(store: Store, tmp_path: Path, ticket_id: str,
                                                        content: bytes | None, field: str) -> None:
    seed(store)
    path = tmp_path / "scan.png" if content is None else photo(tmp_path, "scan.png", content)
    with pytest.raises(InvalidInput) as refused:
        store.queue_attachment(ticket_id, path)
    assert refused.value.field == field
    assert store.pending_attachments() == [] and store.ticket_attachments(ticket_id) == []
