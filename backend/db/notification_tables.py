"""Customer notifications on the server: the message templates (data, not code) and the outbound queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class MessageTemplate(Base):
    """The words of one kind of message, with its placeholders ({type} {number} {due} for ticket_accepted)."""

    __tablename__ = "message_template"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="sms")
    body: Mapped[str]
    updated_at: Mapped[datetime]


class OutboundMessage(Base):
    """One message to hand to the gateway, keyed by the desk's request (its mutation id): a replayed push
    finds the ledger's answer and never adds a second row. `state` is queued → sending → sent / failed;
    a `sending` row whose lease ran out (the process stopped mid-send) is handed over again under the same
    key, which the gateway uses to drop a duplicate."""

    __tablename__ = "outbound_message"
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(64), unique=True)
    office_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


Index("ix_outbound_message_due", OutboundMessage.state, OutboundMessage.next_attempt_at)
