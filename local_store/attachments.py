"""Attachments: the synced metadata record per ticket, and the local queue of file contents still to upload.

Metadata row first: `queue_attachment` writes the `attachment` record and its outbox `create` in the same
transaction as the queue row, so the server learns of the file even before its bytes arrive. The bytes never
enter the outbox: the sync engine uploads each pending file (one queue row per sha256, however many tickets
carry it) through the backend's content-addressed, resumable endpoints and then marks it uploaded here.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uuid6

from domain.errors import InvalidInput
from domain.records import ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES, Attachment
from local_store.actions import DeskActions, _build
from local_store.replay import driver
from local_store.rows import iso_utc

_READ_BLOCK = 1024 * 1024
_QUEUE = (
    "INSERT INTO attachment_queue (sha256, path, media_type, size, state, attempts, queued_at)"
    " VALUES (?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (sha256) DO NOTHING"
)
# Uploaded when the server says so (the synced flag) or when this desk finished the upload itself.
_TICKET_ATTACHMENTS = (
    "SELECT a.id, a.ticket_id, a.sha256, a.filename, a.media_type, a.size,"
    " coalesce(a.uploaded, 0) OR coalesce(q.state = 'uploaded', 0), a.created_at, a.created_by"
    " FROM attachment a LEFT JOIN attachment_queue q ON q.sha256 = a.sha256"
    " WHERE a.ticket_id = ? ORDER BY a.created_at, a.id"
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


def attachment_media_type(path: Path) -> str:
    """The media type the desk sends for a file, by its name (what the server's allow-list speaks)."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def check_attachment_file(path: Path, media_type: str | None = None) -> tuple[str, int, str]:
    """(sha256, size, media type) of a file the server would take; InvalidInput (field "path") otherwise."""
    kind = media_type or attachment_media_type(path)
    if kind not in ATTACHMENT_MEDIA_TYPES:
        raise InvalidInput(f"只能添加图片（JPEG、PNG）或 PDF 文件：{path.name}",
                           f"only images (JPEG, PNG) and PDF files can be attached: {path.name!r}", field="path")
    try:
        sha256, size = _digest(path)
    except OSError:
        raise InvalidInput(f"无法读取附件文件：{path.name}", f"cannot read the file {path.name!r}", field="path") from None
    if size == 0:
        raise InvalidInput(f"附件文件为空：{path.name}", f"the file {path.name!r} is empty", field="path")
    if size > ATTACHMENT_MAX_BYTES:
        limit = ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"附件超过 {limit} MB：{path.name}", f"{path.name!r} is larger than {limit} MB",
                           field="path")
    return sha256, size, kind


class AttachmentQueue(DeskActions):
    def queue_attachment(
        self, ticket_id: str, path: Path | str, *, created_by: str | None = None, media_type: str | None = None
    ) -> str:
        """Attach a file to a ticket: the record and its outbox create, and the upload (once per content)."""
        path = Path(path)
        sha256, size, kind = check_attachment_file(path, media_type)
        now = self._clock()
        with self._write() as connection:
            ticket = self._require(connection, "ticket", ticket_id)
            record = _build(Attachment, {
                "id": str(uuid6.uuid7()), "office_id": ticket["office_id"], "ticket_id": ticket_id,
                "sha256": sha256, "filename": path.name[-255:], "media_type": kind, "size": size,
                "created_at": now, "created_by": created_by,
            })
            self._create(connection, record)
            driver(connection).execute(_QUEUE, (sha256, str(path.resolve()), kind, size, iso_utc(now)))
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
        """The server holds the complete file: every ticket's copy of it counts as uploaded (idempotent).

        The synced `uploaded` flag is the server's to set; it arrives with the next pull.
        """
        with self._write() as connection:
            driver(connection).execute(
                "UPDATE attachment_queue SET state = 'uploaded', uploaded_at = ?, last_error = NULL"
                " WHERE sha256 = ? AND state = 'pending'",
                (iso_utc(self._clock()), sha256),
            )

    def record_attachment_failure(self, sha256: str, error: str) -> None:
        """Count a failed upload attempt (diagnostics); the file stays pending."""
        with self._write() as connection:
            driver(connection).execute(
                "UPDATE attachment_queue SET attempts = attempts + 1, last_error = ? WHERE sha256 = ?", (error, sha256)
            )

    def ticket_attachments(self, ticket_id: str) -> list[AttachmentInfo]:
        with self._raw() as db:
            rows = db.execute(_TICKET_ATTACHMENTS, (ticket_id,)).fetchall()
        return [
            AttachmentInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]),
                           datetime.fromisoformat(row[7]), row[8])
            for row in rows
        ]

    def local_attachment_file(self, sha256: str) -> Path | None:
        """The file this desk queued with that content, when it is still there unchanged (no download needed)."""
        with self._raw() as db:
            found = db.execute("SELECT path FROM attachment_queue WHERE sha256 = ?", (sha256,)).fetchone()
        if found is None:
            return None
        path = Path(found[0])
        try:
            return path if _digest(path)[0] == sha256 else None
        except OSError:
            return None
