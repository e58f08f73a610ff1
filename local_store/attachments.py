"""Attachments waiting to upload: metadata per ticket, one queue row per file content (sha256).

The bytes never enter the outbox: the sync engine uploads each pending file through the backend's
attachment endpoints (content-addressed, resumable) and then marks it uploaded here.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uuid6

from domain.errors import InvalidInput
from local_store.base import StoreBase
from local_store.replay import driver
from local_store.rows import iso_utc

_READ_BLOCK = 1024 * 1024
_QUEUE = (
    "INSERT INTO attachment_queue (sha256, path, media_type, size, state, attempts, queued_at)"
    " VALUES (?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (sha256) DO NOTHING"
)
_METADATA = (
    "INSERT INTO attachment (id, office_id, ticket_id, sha256, filename, media_type, size, uploaded, created_at,"
    " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class PendingAttachment:
    sha256: str
    path: Path
    media_type: str
    size: int
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    ticket_id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    uploaded: bool
    created_at: datetime
    created_by: str | None


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while block := file.read(_READ_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


class AttachmentQueue(StoreBase):
    def queue_attachment(
        self, ticket_id: str, path: Path | str, *, created_by: str | None = None, media_type: str | None = None
    ) -> str:
        """Attach a file to a ticket and queue it for upload (once per content); returns its sha256."""
        path = Path(path)
        try:
            sha256, size = _digest(path)
        except OSError:
            raise InvalidInput(f"无法读取附件文件：{path.name}", f"cannot read the file {path.name!r}", field="path") from None
        if size == 0:
            raise InvalidInput(f"附件文件为空：{path.name}", f"the file {path.name!r} is empty", field="path")
        kind = media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        now = iso_utc(self._clock())
        with self._write() as connection:
            db = driver(connection)
            found = db.execute("SELECT office_id FROM ticket WHERE id = ?", (ticket_id,)).fetchone()
            if found is None:
                raise InvalidInput("找不到记录（ticket）", f"no ticket with id {ticket_id!r}", field="ticket_id")
            db.execute(_QUEUE, (sha256, str(path.resolve()), kind, size, now))
            (state,) = db.execute("SELECT state FROM attachment_queue WHERE sha256 = ?", (sha256,)).fetchone()
            db.execute(_METADATA, (str(uuid6.uuid7()), found[0], ticket_id, sha256, path.name, kind, size,
                                   1 if state == "uploaded" else 0, now, created_by))
        return sha256

    def pending_attachments(self, limit: int = 100) -> list[PendingAttachment]:
        """Files still to upload, oldest first."""
        with self._raw() as db:
            rows = db.execute(
                "SELECT sha256, path, media_type, size, attempts, last_error FROM attachment_queue"
                " WHERE state = 'pending' ORDER BY queued_at, sha256 LIMIT ?",
                (max(limit, 0),),
            ).fetchall()
        return [PendingAttachment(row[0], Path(row[1]), row[2], row[3], row[4], row[5]) for row in rows]

    def mark_attachment_uploaded(self, sha256: str) -> None:
        """The server holds the complete file: every ticket's copy of it counts as uploaded (idempotent)."""
        with self._write() as connection:
            db = driver(connection)
            db.execute(
                "UPDATE attachment_queue SET state = 'uploaded', uploaded_at = ?, last_error = NULL"
                " WHERE sha256 = ? AND state = 'pending'",
                (iso_utc(self._clock()), sha256),
            )
            db.execute("UPDATE attachment SET uploaded = 1 WHERE sha256 = ?", (sha256,))

    def record_attachment_failure(self, sha256: str, error: str) -> None:
        """Count a failed upload attempt (diagnostics); the file stays pending."""
        with self._write() as connection:
            driver(connection).execute(
                "UPDATE attachment_queue SET attempts = attempts + 1, last_error = ? WHERE sha256 = ?", (error, sha256)
            )

    def ticket_attachments(self, ticket_id: str) -> list[AttachmentInfo]:
        with self._raw() as db:
            rows = db.execute(
                "SELECT id, ticket_id, sha256, filename, media_type, size, uploaded, created_at, created_by"
                " FROM attachment WHERE ticket_id = ? ORDER BY created_at, id",
                (ticket_id,),
            ).fetchall()
        return [
            AttachmentInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]),
                           datetime.fromisoformat(row[7]), row[8])
            for row in rows
        ]
