"""The efficiency monitor's tables: additive facts, their duration histograms, observed state changes,
each ticket's last contribution (what the incremental upkeep subtracts), and the evaluation weights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Float, Identity, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, JsonValue
from domain.indicators import MEASURES

_KEY = ("office_id", "department", "stage_code", "type_code", "channel", "day")


class _FactKey:
    office_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department: Mapped[str] = mapped_column(String(32), primary_key=True)
    stage_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    type_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)


def _measure() -> Any:
    return mapped_column(BigInteger, default=0, server_default="0")


class EfficiencyFact(_FactKey, Base):
    """Sums per office × department × stage × ticket type × channel × day (domain.indicators.ticket_facts)."""

    __tablename__ = "efficiency_fact"
    accepted: Mapped[int] = _measure()
    closed: Mapped[int] = _measure()
    closed_first_time: Mapped[int] = _measure()
    closed_with_limit: Mapped[int] = _measure()
    closed_on_time: Mapped[int] = _measure()
    reopened: Mapped[int] = _measure()
    saved_minutes: Mapped[int] = _measure()
    rated: Mapped[int] = _measure()
    rating_sum: Mapped[int] = _measure()
    dissatisfied: Mapped[int] = _measure()
    app_rated: Mapped[int] = _measure()  # migration 0014: customer ratings given in the app
    trips_avoided: Mapped[int] = _measure()  # migration 0014: 客户少跑次数 (domain.indicators.trips_avoided)
    stages_done: Mapped[int] = _measure()
    stages_with_limit: Mapped[int] = _measure()
    stages_on_time: Mapped[int] = _measure()
    work_minutes: Mapped[int] = _measure()
    returned: Mapped[int] = _measure()
    taken: Mapped[int] = _measure()
    response_minutes: Mapped[int] = _measure()
    open_due: Mapped[int] = _measure()
    lead_rated: Mapped[int] = _measure()
    lead_sum: Mapped[int] = _measure()
    peer_rated: Mapped[int] = _measure()
    peer_sum: Mapped[int] = _measure()
    customer_rated: Mapped[int] = _measure()
    customer_sum: Mapped[int] = _measure()
    asked_again: Mapped[int] = _measure()  # added by migration 0010 (补充材料/信息)
    stages_shared: Mapped[int] = _measure()
    customer_requests: Mapped[int] = _measure()
    department_requests: Mapped[int] = _measure()


class EfficiencyHistogram(_FactKey, Base):
    """Completed stage tasks per working-time bucket (domain.indicators.duration_bucket), for the p90."""

    __tablename__ = "efficiency_hist"
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class EfficiencyEvent(Base):
    """A state change of a stage task (stage_task_id set) or of a ticket, as the server applied it."""

    __tablename__ = "efficiency_event"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    stage_task_id: Mapped[str | None] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    staff_id: Mapped[str | None] = mapped_column(String(64))


class EfficiencyTicket(Base):
    """A ticket's last observed states (stage task id → state, "" → the ticket's) and its contribution."""

    __tablename__ = "efficiency_ticket"
    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    states: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)
    facts: Mapped[list[Any]] = mapped_column(JsonValue(), default=list)


class EvaluationWeight(Base):
    """An office's weights of the multi-party score (主责 / 互评 / 客户); DOMAIN.md's 0.4 / 0.3 / 0.3 until set."""

    __tablename__ = "evaluation_weight"
    office_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead: Mapped[float] = mapped_column(Float)
    peer: Mapped[float] = mapped_column(Float)
    customer: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(64))


Index("ix_efficiency_fact_office_day", EfficiencyFact.office_id, EfficiencyFact.day)
assert tuple(c for c in MEASURES if c not in EfficiencyFact.__table__.c) == (), "a measure has no column"
FACT_KEY = _KEY


class AnomalyRuleRow(Base):
    """An office's anomaly rule (domain.anomalies); an office without rows uses DEFAULT_RULES, and a
    stored rule replaces the default of the same code."""

    __tablename__ = "anomaly_rule"
    office_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    indicator: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(64))


class EfficiencyAlert(Base):
    """An alert raised by a rule on a slice. `open_key` (rule|slice) is set while the alert is not
    resolved and unique per office, so a rule × slice has at most one alert open."""

    __tablename__ = "efficiency_alert"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    rule_code: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(64))
    slice: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)
    ticket_ids: Mapped[list[Any]] = mapped_column(JsonValue(), default=list)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open / acknowledged / resolved
    open_key: Mapped[str | None] = mapped_column(String(200))
    raised_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledge_note: Mapped[str | None]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolve_note: Mapped[str | None]


Index("uq_efficiency_alert_open", EfficiencyAlert.office_id, EfficiencyAlert.open_key, unique=True)
