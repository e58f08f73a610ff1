"""The attachment pump with a real Store against a real backend process: metadata first, resumable bytes."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from pathlib import Path
from typing import Any

from desktop.sync.client import UPLOAD_CHUNK, ApiClient, UploadStatus
from local_store import Store
from tests.desktop.sync.test_engine import accept, new_office, signed_in_engine
from tests.e2e.harness import Backend


def _synced_flag(store: Store, attachment_id: str) -> tuple[bool, int]:
    record: Any = store._one("attachment", attachment_id)
    return record.uploaded, record.version


def test_an_interrupted_upload_resumes_where_the_server_stands(backend: Backend, tmp_path: Path) -> None:
    office, (user,) = new_office(backend, "clerk")
    content = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(2 * UPLOAD_CHUNK + 5000)
    sha = hashlib.sha256(content).hexdigest()
    scan = tmp_path / "scan.png"
    scan.write_bytes(content)

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user, live=False)
        ticket_id = accept(store, office)
        store.queue_attachment(ticket_id, scan, created_by="me")
        await engine.client.put_attachment_chunk(sha, 0, content[:UPLOAD_CHUNK], len(content), "image/png")
        offsets: list[int] = []
        put = engine.client.put_attachment_chunk

        async def recording(sha256: str, offset: int, chunk: bytes, size: int, media_type: str) -> UploadStatus:
            offsets.append(offset)
            return await put(sha256, offset, chunk, size, media_type)

        engine.client.put_attachment_chunk = recording  # type: ignore[method-assign]
        report = await engine.sync_once()
        assert offsets == [UPLOAD_CHUNK, 2 * UPLOAD_CHUNK]  # the first chunk was not sent again
        assert report.applied == 2 and store.outbox_size() == 0 and store.pending_attachments() == []
        (info,) = store.ticket_attachments(ticket_id)
        assert info.uploaded and _synced_flag(store, info.id) == (True, 2)  # the server's flag came back in the pull
        assert await engine.client.download_attachment(sha) == content
        await engine.client.aclose()
        store.close()

    asyncio.run(main())


def test_a_failed_upload_never_blocks_the_outbox_and_is_retried(backend: Backend, tmp_path: Path) -> None:
    office, (user,) = new_office(backend, "clerk")
    scan = tmp_path / "id.pdf"
    scan.write_bytes(b"%PDF-1.4 " + secrets.token_bytes(500))
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user, live=False)
        ticket_id = accept(store, office)
        store.queue_attachment(ticket_id, scan)
        moved = scan.rename(tmp_path / "elsewhere.pdf")  # the file went away before the pump ran
        await engine.sync_once()
        assert store.outbox_size() == 0  # the ticket and the attachment record went out all the same
        (pending,) = store.pending_attachments()
        assert pending.attempts == 1 and pending.last_error is not None
        (info,) = store.ticket_attachments(ticket_id)
        assert not info.uploaded and _synced_flag(store, info.id) == (False, 1)
        moved.rename(scan)  # back: the next round uploads it
        await engine.sync_once()
        assert store.pending_attachments() == [] and _synced_flag(store, info.id) == (True, 2)
        assert (await engine.client.attachment_status(sha)) == UploadStatus(len(scan.read_bytes()),
                                                                            len(scan.read_bytes()), True)
        await engine.client.aclose()
        store.close()

    asyncio.run(main())


def test_an_offline_server_leaves_the_file_pending(tmp_path: Path) -> None:
    scan = tmp_path / "a.png"
    scan.write_bytes(b"\x89PNG offline")

    class OneFile:
        def __init__(self) -> None:
            self.failures: list[str] = []

        def pending_attachments(self, limit: int = 100) -> list[Any]:
            from local_store.attachments import PendingAttachment
            return [PendingAttachment(hashlib.sha256(b"\x89PNG offline").hexdigest(), scan, "image/png", 12, 0, None)]

        def local_attachment_file(self, sha256: str) -> Path | None:
            return scan

        def record_attachment_failure(self, sha256: str, error: str) -> None:
            self.failures.append(error)

        def mark_attachment_uploaded(self, sha256: str) -> None:
            raise AssertionError("nothing was uploaded")

    async def main() -> None:
        from desktop.sync.uploads import upload_pending

        client = ApiClient("http://127.0.0.1:9")  # nothing listens on the discard port
        client._access = "token"  # skip the sign-in: the connection fails first
        store = OneFile()

        async def io(fn: Any, *args: Any) -> Any:
            return fn(*args)

        assert await upload_pending(store, client, io) == 0
        assert len(store.failures) == 1
        await client.aclose()

    asyncio.run(main())
