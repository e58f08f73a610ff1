"""Operational tables: audit log, SLA timers, screen pops, channel requests, attachments, test clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Identity, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class AuditEntry(Base):
    """Append-only: the application never updates or deletes these rows."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    office_id: Mapped[str | None] = mapped_column(String(64), index=True)
    staff_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]]
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]


class SlaTimer(Base):
    """A warning or overdue instant of a ticket or stage task; `fired_at` is claimed atomically."""

    __tablename__ = "sla_timer"
    id: Mapped[str] = mapped_column(String(96), primary_key=True)  # entity:id:kind
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # warning | overdue
    fire_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    cancelled: Mapped[bool] = mapped_column(default=False)


Index("ix_sla_timer_due", SlaTimer.fired_at, SlaTimer.fire_at)


class ScreenPop(Base):
    __tablename__ = "screen_pop"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ChannelRequest(Base):
    """An app request already taken, so a retry from the app returns the same ticket."""

    __tablename__ = "channel_request"
    request_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    response: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class Attachment(Base):
    __tablename__ = "attachment"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(96))
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AttachmentChunk(Base):
    __tablename__ = "attachment_chunk"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TestClock(Base):
    """The injected 'now' of a --test-clock server, shared by every process on the database."""

    __tablename__ = "test_clock"
    __test__ = False  # not a pytest class
    id: Mapped[int] = mapped_column(primary_key=True)
    now: Mapped[datetime]
