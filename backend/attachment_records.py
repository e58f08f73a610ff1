"""Attachment metadata as synced records: desks push `attachment` / `create` before the bytes; the server
marks every record of a content `uploaded` (a version bump, so it syncs) once that content is complete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db.ops_tables import Attachment as AttachmentContent
from backend.db.records import AttachmentRow
from backend.store import Writer
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, refuse_existing, require_scope
from backend.sync.mutations import build_record
from domain.sync import Mutation, MutationResult


@handles("attachment", "create")
def create_attachment(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "附件记录已存在 / this attachment exists")
    fields = mutation.fields
    ticket = tx.writer.get("ticket", str(fields.get("ticket_id") or ""))
    if ticket is None:
        raise Rejected("not_found", "工单不存在 / no such ticket")
    require_scope(tx, ticket.office_id)
    media_type = str(fields.get("media_type") or "")
    if media_type not in tx.settings.attachment_types:
        raise Rejected("invalid_input", f"不支持的附件类型 / attachment type {media_type!r} is not allowed")
    size = fields.get("size")
    if isinstance(size, int) and size > tx.settings.attachment_max_bytes:
        raise Rejected("invalid_input", "附件过大 / the attachment is too large")
    # Locked: an upload completing meanwhile either sees this record or is seen by it (never neither).
    content = tx.session.execute(
        select(AttachmentContent).where(AttachmentContent.sha256 == str(fields.get("sha256") or "")).with_for_update()
    ).scalar_one_or_none()
    # Marked uploaded only where the content was proven by this office (it sent the bytes): knowing a
    # hash is not having the file.
    uploaded = (content is not None and content.complete and content.size == size
                and content.office_id == ticket.office_id)
    record = build_record(tx, mutation, office_id=ticket.office_id, created_by=tx.who.staff_id, uploaded=uploaded)
    row = tx.writer.insert(record)
    return applied(mutation, "attachment", row)


def mark_uploaded(session: Session, sha256: str, now: datetime, office_id: str) -> int:
    """Every record of this (complete) content in the office that proved it (sent its bytes) not yet
    marked: `uploaded`, version bumped, change logged."""
    rows = session.execute(
        select(AttachmentRow).where(AttachmentRow.sha256 == sha256, AttachmentRow.office_id == office_id,
                                    AttachmentRow.uploaded.is_(False)).with_for_update()
    ).scalars().all()
    if not rows:
        return 0
    writer = Writer(session, now)
    for row in rows:
        writer.update("attachment", row, {"uploaded": True})
    writer.finish()
    return len(rows)


def offices_holding(session: Session, sha256: str, *, uploaded: bool | None = None) -> set[str]:
    """The offices with a record (on one of their tickets) of this content; `uploaded=True`: only records
    whose office proved the content."""
    query = select(AttachmentRow.office_id).where(AttachmentRow.sha256 == sha256)
    if uploaded is not None:
        query = query.where(AttachmentRow.uploaded.is_(uploaded))
    return set(session.execute(query).scalars())
