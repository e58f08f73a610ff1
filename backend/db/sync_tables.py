"""The sync machinery: mutation ledger, client state, per-scope change log and counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class MutationLedger(Base):
    """Mutation id → the stored result; the primary key is what makes a replay apply once."""

    __tablename__ = "mutation_ledger"
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    staff_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any]]
    applied_at: Mapped[datetime]


class ClientState(Base):
    __tablename__ = "client_state"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[datetime | None]


class ScopeState(Base):
    """Per-scope counter, locked by each writing transaction so seq order is commit order."""

    __tablename__ = "scope_state"
    scope: Mapped[str] = mapped_column(String(96), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    checksum: Mapped[str] = mapped_column(String(16), default="0" * 16)  # hex of the 64-bit sum
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    horizon: Mapped[int] = mapped_column(BigInteger, default=0)  # removals at or below it are compacted


class ChangeLog(Base):
    """One row per entity per scope, replaced on each write: the log compacts itself."""

    __tablename__ = "change_log"
    scope: Mapped[str] = mapped_column(String(96), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]


Index("ix_change_log_scope_seq", ChangeLog.scope, ChangeLog.seq)


class TicketCounter(Base):
    __tablename__ = "ticket_counter"
    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # yyyymmdd in the office zone
    last: Mapped[int] = mapped_column(default=0)
