"""The attachment pump: after the outbox went out (metadata first), upload the files still pending.

Each file is content-addressed and resumable (ApiClient.upload_attachment). A failure is counted on the
file and retried next round; it never blocks the outbox, and the network going away ends the round quietly.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from desktop.sync.client import ApiClient
from desktop.sync.errors import Offline, ProtocolTooOld, ServerError, SessionExpired, SyncError, Throttled
from local_store.attachments import PendingAttachment

log = logging.getLogger(__name__)
T = TypeVar("T")
Io = Callable[..., Awaitable[Any]]


@runtime_checkable
class AttachmentStore(Protocol):
    def pending_attachments(self, limit: int = 100) -> list[PendingAttachment]: ...

    def mark_attachment_uploaded(self, sha256: str) -> None: ...

    def record_attachment_failure(self, sha256: str, error: str) -> None: ...

    def local_attachment_file(self, sha256: str) -> Path | None: ...


async def upload_pending(store: AttachmentStore, client: ApiClient, io: Io, *, limit: int = 100) -> int:
    """Upload what is pending, oldest first; returns how many files completed this round.

    `io` runs a blocking store call off the event loop. A lapsed session or a too-old protocol is the
    sync loop's to handle, so those propagate; every other failure is recorded on its file.
    """
    uploaded = 0
    for pending in await io(store.pending_attachments, limit):
        path = await io(store.local_attachment_file, pending.sha256)
        if path is None:  # moved, deleted or edited since it was attached: only the original bytes will do
            await io(store.record_attachment_failure, pending.sha256, f"file missing or changed: {pending.path}")
            continue
        try:
            await client.upload_attachment(pending.sha256, path, pending.media_type)
        except (SessionExpired, ProtocolTooOld):
            raise
        except (Offline, ServerError, Throttled) as exc:
            await io(store.record_attachment_failure, pending.sha256, str(exc))
            log.info("attachment upload paused: %s", exc)
            return uploaded  # the link is down or the server is struggling: the rest waits for the next round
        except (SyncError, OSError) as exc:
            await io(store.record_attachment_failure, pending.sha256, str(exc))
            log.warning("attachment %s not uploaded: %s", pending.sha256[:12], exc)
            continue
        await io(store.mark_attachment_uploaded, pending.sha256)
        uploaded += 1
    return uploaded
