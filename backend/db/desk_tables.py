"""Coordination between desks, kept in the database so every replica agrees: dispatch locks, SMS codes, presence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Identity, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class DispatchLock(Base):
    """One surveyor's day held by one desk session; the primary key makes taking it atomic."""

    __tablename__ = "dispatch_lock"
    surveyor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    lock_id: Mapped[str] = mapped_column(String(64), index=True)
    office_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]


class SmsCode(Base):
    """The one live verification code per customer: only its sha256 is kept."""

    __tablename__ = "sms_code"
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    spent: Mapped[bool] = mapped_column(default=False)  # passed, or too many wrong tries
    # Sending is rate limited per customer: codes sent since window_started_at (an hour's window).
    window_started_at: Mapped[datetime | None]
    sends_in_window: Mapped[int] = mapped_column(default=0, server_default="0")


class SmsMessage(Base):
    """What the recording SMS gateway "sent": the stand-in for a real gateway, never written to a log."""

    __tablename__ = "sms_message"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    text: Mapped[str]
    sent_at: Mapped[datetime]


class Presence(Base):
    """The latest heartbeat of one desk session on one ticket."""

    __tablename__ = "presence"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(16))
    seen_at: Mapped[datetime]


Index("ix_presence_ticket_seen", Presence.ticket_id, Presence.seen_at)
