"""Power quality of important customers (docs/power-quality.md): monitoring points, their 10-minute
intervals (server-side only: a year of one point is 52,560 rows) and the warnings raised from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base
from domain import power_quality as pq


class PqPoint(Base):
    """A monitoring point of an important customer: where it measures, and the contract's own limits."""

    __tablename__ = "pq_point"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    nominal_kv: Mapped[float] = mapped_column(Float)
    phases: Mapped[int] = mapped_column(SmallInteger)
    small_system: Mapped[bool] = mapped_column(default=False)
    contract: Mapped[dict[str, Any]]  # {"harmonics.thd_max": 3.0, ...}: tighter than the standards, checked
    account_manager_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class PqInterval(Base):
    """One 10-minute aggregate of one point, kept as first received (a re-sent interval is not stored twice)."""

    __tablename__ = "pq_interval"
    point_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    start: Mapped[datetime] = mapped_column(primary_key=True)
    dev_a: Mapped[float | None] = mapped_column(Float)  # voltage deviation per phase, % of nominal
    dev_b: Mapped[float | None] = mapped_column(Float)
    dev_c: Mapped[float | None] = mapped_column(Float)
    thd: Mapped[float | None] = mapped_column(Float)
    harmonics: Mapped[dict[str, Any] | None]  # {"5": 3.1, ...}
    unbalance: Mapped[float | None] = mapped_column(Float)
    pst: Mapped[float | None] = mapped_column(Float)
    plt: Mapped[float | None] = mapped_column(Float)
    frequency_deviation: Mapped[float | None] = mapped_column(Float)
    sags: Mapped[list[Any] | None] = mapped_column(JSON)  # [[residual %, duration ms], ...]
    received_at: Mapped[datetime]


class PqWarning(Base):
    """A limit a point kept breaking (domain.power_quality.persisting). `open_key` is the point and limit
    while the warning is open, and NULL once closed: at most one open warning per point and limit, whichever
    server process evaluates first."""

    __tablename__ = "pq_warning"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    point_id: Mapped[str] = mapped_column(String(64))
    limit_id: Mapped[str] = mapped_column(String(96))
    open_key: Mapped[str | None] = mapped_column(String(170), unique=True)
    what: Mapped[str] = mapped_column(String(16))
    worst_value: Mapped[float] = mapped_column(Float)
    bound: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)
    within: Mapped[int] = mapped_column(Integer)
    first_start: Mapped[datetime]
    last_start: Mapped[datetime]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    ticket_id: Mapped[str | None] = mapped_column(String(64))  # the 主动服务 governance ticket it opened


Index("ix_pq_warning_point", PqWarning.point_id, PqWarning.opened_at)


def interval_of(row: PqInterval | Any) -> pq.Interval:
    """A stored interval (an entity, or a plain row of the table's columns) as the domain reads it."""
    phases = tuple(v for v in (row.dev_a, row.dev_b, row.dev_c) if v is not None)
    return pq.Interval(row.point_id, row.start, phases, row.thd, {int(k): v for k, v in (row.harmonics or {}).items()},
                       row.unbalance, row.pst, row.plt, row.frequency_deviation,
                       tuple(pq.Sag(float(r), int(d)) for r, d in (row.sags or [])))


def point_of(row: PqPoint) -> pq.MonitoringPoint:
    return pq.MonitoringPoint(row.id, row.customer_id, row.nominal_kv, 1 if row.phases == 1 else 3, row.small_system,
                              dict(row.contract))
