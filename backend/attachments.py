"""Attachments: sha256-addressed, uploaded in chunks that can resume; bytes live in the database.

The metadata per ticket is a synced record (backend.attachment_records); completing an upload marks it.

PUT /api/v1/attachments/{sha256}?offset=N with the chunk as the body, the total size in
`X-Attachment-Size` and the type in `Content-Type`; HEAD tells how much arrived
(`X-Received`); GET downloads a complete attachment.

Access follows the records the caller may read, never who uploaded first:
- an unfinished upload belongs to nobody: a fresh start (offset 0) from another office takes it
  over, and a content whose bytes did not match its hash is dropped;
- the office that completes the upload has proven it holds the file; its records become `uploaded`.
  Another office whose record names the same hash proves it the same way, by sending the whole file
  (in one request: the server keeps no per-office progress of such a proof) — knowing a hash is not
  having the file;
- HEAD and GET answer 404 alike unless the caller's offices hold a record of the content (GET: one
  marked `uploaded`), so neither tells a stranger whether a hash is stored.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool

from backend.attachment_records import mark_uploaded, offices_holding
from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.ops_tables import Attachment, AttachmentChunk
from backend.http_errors import ApiError

router = APIRouter(prefix="/api/v1/attachments", tags=["attachments"])
CHUNK_MAX = 4 * 1024 * 1024
_SHA256 = r"^[0-9a-f]{64}$"
_NOT_FOUND = ApiError(404, "not_found", "附件不存在 / no such attachment")


def _status(row: Attachment) -> dict[str, object]:
    return {"sha256": row.sha256, "size": row.size, "received": row.received, "complete": row.complete}


async def _read_chunk(request: Request) -> bytes:
    data = bytearray()
    async for part in request.stream():
        data.extend(part)
        if len(data) > CHUNK_MAX:
            raise ApiError(413, "too_large", f"分块过大 / a chunk may carry at most {CHUNK_MAX} bytes")
    return bytes(data)


@router.put("/{sha256}")
async def upload_chunk(
    request: Request,
    sha256: str = Path(pattern=_SHA256),
    offset: int = Query(default=0, ge=0, le=2**62),
    x_attachment_size: int = Header(ge=1, le=2**62),
    content_type: str = Header(default="application/octet-stream", max_length=96),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> dict[str, object]:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ctx.settings.attachment_types:
        raise ApiError(415, "unsupported_media_type", f"不支持的附件类型 / attachment type {kind!r} is not allowed")
    if x_attachment_size > ctx.settings.attachment_max_bytes:
        raise ApiError(413, "too_large", "附件过大 / the attachment is too large")
    chunk = await _read_chunk(request)
    return await run_in_threadpool(_store_chunk, ctx, who, sha256, offset, x_attachment_size, kind, chunk)


def _store_chunk(
    ctx: AppContext, who: Principal, sha256: str, offset: int, size: int, kind: str, chunk: bytes
) -> dict[str, object]:
    status, mismatch = _write_chunk(ctx, who, sha256, offset, size, kind, chunk)
    if mismatch:  # the chunks were dropped (committed): the desk uploads again from 0
        raise ApiError(409, "hash_mismatch", f"内容与校验值不符，请重传 / content does not match its sha256: {status}")
    return status


def _write_chunk(
    ctx: AppContext, who: Principal, sha256: str, offset: int, size: int, kind: str, chunk: bytes
) -> tuple[dict[str, object], bool]:
    now = ctx.now()
    with ctx.database.write() as session:
        row = session.execute(select(Attachment).where(Attachment.sha256 == sha256).with_for_update()).scalar_one_or_none()
        if row is None:
            row = Attachment(
                sha256=sha256, office_id=who.office_id, size=size, content_type=kind, received=0,
                complete=False, created_by=who.staff_id, created_at=now,
            )
            session.add(row)
        elif row.complete:
            if not who.may_see_office(row.office_id):
                # Another office's content: this office proves it holds the file by sending all of it.
                if offset != 0 or len(chunk) != row.size or hashlib.sha256(chunk).hexdigest() != sha256:
                    raise ApiError(409, "whole_upload_needed",
                                   "请一次上传完整文件 / send the whole file in one request")
                mark_uploaded(session, sha256, now, who.office_id)
                return {**_status(row), "received": row.size}, False
            mark_uploaded(session, sha256, now, row.office_id)  # records pushed after the bytes arrived
            return _status(row), False
        elif offset == 0 and (row.received == 0 or row.size != size or not who.may_see_office(row.office_id)):
            # A fresh start from another office (or of another size) takes an unfinished upload over:
            # nobody owns a hash by starting it. Desks of one office resume each other's uploads.
            session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == sha256))
            row.office_id, row.created_by, row.created_at = who.office_id, who.staff_id, now
            row.size, row.content_type, row.received = size, kind, 0
        if row.size != size or offset != row.received or offset + len(chunk) > size:
            raise ApiError(409, "conflict", f"应从 {row.received} 字节续传 / resume at byte {row.received} of {row.size}")
        if chunk:
            session.add(AttachmentChunk(sha256=sha256, offset=offset, data=chunk))
            row.received = offset + len(chunk)
        if row.received == row.size:
            session.flush()
            digest = hashlib.sha256()
            for part in session.execute(
                select(AttachmentChunk.data).where(AttachmentChunk.sha256 == sha256).order_by(AttachmentChunk.offset)
            ).scalars():
                digest.update(part)
            if digest.hexdigest() != sha256:
                session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == sha256))
                row.received = 0
                return _status(row), True
            row.complete = True
            row.office_id, row.created_by = who.office_id, who.staff_id  # the office that proved it
            mark_uploaded(session, sha256, now, who.office_id)
        return _status(row), False


def _find(ctx: AppContext, who: Principal, sha256: str, *, to_read: bool) -> Attachment:
    """The content, if the caller's offices hold a record of it — and, once it is complete, one whose
    office proved it (a record marked `uploaded`); otherwise 404, whether or not it is stored."""
    with ctx.database.read() as session:
        row = session.get(Attachment, sha256)
        holders = offices_holding(session, sha256) if row is not None else set()
        proven = offices_holding(session, sha256, uploaded=True) if row is not None else set()
    mine = proven if to_read or (row is not None and row.complete) else holders
    if row is None or not any(who.may_see_office(office) for office in mine):
        raise _NOT_FOUND
    return row


@router.head("/{sha256}")
def attachment_status(
    sha256: str = Path(pattern=_SHA256), who: Principal = Depends(principal), ctx: AppContext = Depends(context)
) -> Response:
    row = _find(ctx, who, sha256, to_read=False)
    return Response(
        status_code=200,
        headers={"X-Received": str(row.received), "X-Size": str(row.size), "X-Complete": str(row.complete).lower()},
    )


@router.get("/{sha256}", response_class=Response)
def download(
    sha256: str = Path(pattern=_SHA256), who: Principal = Depends(principal), ctx: AppContext = Depends(context)
) -> Response:
    row = _find(ctx, who, sha256, to_read=True)
    if not row.complete:
        raise ApiError(409, "incomplete", "附件尚未上传完成 / the attachment is not complete yet")
    with ctx.database.read() as session:
        data = b"".join(
            session.execute(
                select(AttachmentChunk.data).where(AttachmentChunk.sha256 == sha256).order_by(AttachmentChunk.offset)
            ).scalars()
        )
    return Response(content=data, media_type=row.content_type)


