"""One table per synced record kind, with the same column names as `domain.records`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, JsonValue


class _Row:
    """Columns every synced row has."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime | None]


class OfficeRow(_Row, Base):
    __tablename__ = "office"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str]
    prefecture: Mapped[str]


class StaffRow(_Row, Base):
    __tablename__ = "staff"
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str]
    role: Mapped[str] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)


class CustomerRow(_Row, Base):
    __tablename__ = "customer"
    name: Mapped[str]
    id_type: Mapped[str] = mapped_column(String(16), default="resident")
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(default="")
    customer_class: Mapped[str] = mapped_column(String(2), default="03")
    area_class: Mapped[str] = mapped_column(String(16), default="urban")
    created_at: Mapped[datetime | None]


class AccountRow(_Row, Base):
    __tablename__ = "account"
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    account_no: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(default="")
    meter_no: Mapped[str | None]
    segment: Mapped[str | None]
    temporary_supply: Mapped[bool] = mapped_column(default=False)
    arrears_cents: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    transformer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    important: Mapped[bool] = mapped_column(default=False)


class TicketRow(_Row, Base):
    __tablename__ = "ticket"
    # 故障研判 reads the repair calls of the last half hour every few seconds (backend/outage_prediction.py).
    __table_args__ = (Index("ix_ticket_type_accepted", "type_code", "accepted_at"),)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    provisional_number: Mapped[str | None] = mapped_column(String(64))
    progress_code: Mapped[str | None] = mapped_column(String(16), unique=True)  # domain.progress
    type_code: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    account_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32), default="accepted")
    summary: Mapped[str] = mapped_column(default="")
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    materials: Mapped[list[str]] = mapped_column(default=list)
    accepted_at: Mapped[datetime]
    accepted_by: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None]
    warn_at: Mapped[datetime | None]
    deadline_provisional: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None]
    linked_ticket_id: Mapped[str | None] = mapped_column(String(64))
    satisfaction: Mapped[int | None]


class StageTaskRow(_Row, Base):
    __tablename__ = "stage_task"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    stage_code: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32), default="open")
    assignee_id: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    warn_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str | None]


class InteractionRow(_Row, Base):
    __tablename__ = "interaction"
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    staff_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(default="")
    ticket_id: Mapped[str | None] = mapped_column(String(64), index=True)
    call_id: Mapped[str | None] = mapped_column(String(64))
    caller_number: Mapped[str | None] = mapped_column(String(32))
    outage_event_id: Mapped[str | None] = mapped_column(String(64), index=True)


class VerificationRow(_Row, Base):
    __tablename__ = "verification"
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(32))
    evidence_ref: Mapped[str | None]
    staff_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(8))


class NoteRow(_Row, Base):
    __tablename__ = "note"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    author_id: Mapped[str | None] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(16), default="internal")
    body: Mapped[str]
    at: Mapped[datetime]


class SurveyorRow(_Row, Base):
    __tablename__ = "surveyor"
    staff_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str]
    territories: Mapped[list[str]] = mapped_column(default=list)
    skills: Mapped[list[str]] = mapped_column(default=list)
    home_x_km: Mapped[float] = mapped_column(default=0.0)
    home_y_km: Mapped[float] = mapped_column(default=0.0)
    daily_capacity: Mapped[int] = mapped_column(default=6)
    shift_start: Mapped[time] = mapped_column(default=time(8, 30))
    shift_end: Mapped[time] = mapped_column(default=time(17, 30))
    work_days: Mapped[list[int]] = mapped_column(default=lambda: [0, 1, 2, 3, 4])
    leave: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue(), default=list)
    speed_kmh: Mapped[float] = mapped_column(default=30.0)


class SurveyAssignmentRow(_Row, Base):
    __tablename__ = "survey_assignment"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    stage_task_id: Mapped[str | None] = mapped_column(String(64))
    surveyor_id: Mapped[str | None] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16), default="on_site")
    state: Mapped[str] = mapped_column(String(32), default="unassigned")
    territory: Mapped[str | None]
    required_skill: Mapped[str | None]
    start: Mapped[datetime | None]
    end: Mapped[datetime | None]
    customer_id: Mapped[str | None] = mapped_column(String(64))
    location_x_km: Mapped[float | None]
    location_y_km: Mapped[float | None]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    due_at: Mapped[datetime | None]
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    outcome: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)


class EvaluationRow(_Row, Base):
    __tablename__ = "evaluation"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    evaluator: Mapped[str] = mapped_column(String(16))
    from_department: Mapped[str | None] = mapped_column(String(32))
    to_department: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(default="")
    by: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(16))  # migration 0014: "app" when rated in the customer app


class AttachmentRow(_Row, Base):
    """A file on a ticket; its bytes are in `attachment` / `attachment_chunk` by sha256 (ops_tables)."""

    __tablename__ = "ticket_attachment"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(96))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(64))
    uploaded: Mapped[bool] = mapped_column(default=False)


class NotificationRow(_Row, Base):
    """A customer notification and its delivery state (backend.notifications sends it)."""

    __tablename__ = "notification"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="sms")
    template: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    reason: Mapped[str | None]
    staff_id: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class MeetingRow(_Row, Base):
    """A coordination meeting (docs/coordination.md)."""

    __tablename__ = "meeting"
    meeting_kind: Mapped[str] = mapped_column(String(16), default="weekly")
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(default="")
    items: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue(), default=list)
    decisions: Mapped[str] = mapped_column(default="")
    chair_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class SupervisionActionRow(_Row, Base):
    """A 督办 action assigned to a department (docs/coordination.md)."""

    __tablename__ = "supervision_action"
    meeting_id: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str]
    detail: Mapped[str] = mapped_column(default="")
    department: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(32), default="open")
    source: Mapped[dict[str, Any]] = mapped_column(JsonValue(), default=dict)
    ticket_ids: Mapped[list[str]] = mapped_column(default=list)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    result: Mapped[str | None]
    reason: Mapped[str | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    reminded_at: Mapped[datetime | None]


class InfoRequestRow(_Row, Base):
    """补充材料/信息: a stage asks the customer or another department again (domain.info_requests)."""

    __tablename__ = "info_request"
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    stage_task_id: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32))
    addressee: Mapped[str] = mapped_column(String(16))
    to_department: Mapped[str | None] = mapped_column(String(32))
    materials: Mapped[list[str]] = mapped_column(default=list)
    detail: Mapped[str] = mapped_column(default="")
    reason: Mapped[str]
    state: Mapped[str] = mapped_column(String(16), default="open")
    requested_by: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    met_at: Mapped[datetime | None]
    met_by: Mapped[str | None] = mapped_column(String(64))
    met_note: Mapped[str | None]
    withdrawn_at: Mapped[datetime | None]  # migration 0014: withdrawn as asked by mistake
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_reason: Mapped[str | None]

class GridDeviceRow(_Row, Base):
    """A feeder, branch switch or 台区 (docs/outage.md)."""

    __tablename__ = "grid_device"
    device_kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str]
    area_class: Mapped[str] = mapped_column(String(16), default="urban")


class OutageEventRow(_Row, Base):
    """A planned or fault outage event (docs/outage.md)."""

    __tablename__ = "outage_event"
    outage_kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(32))
    device_ids: Mapped[list[str]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    announced_at: Mapped[datetime | None]
    notice_warning: Mapped[str | None]
    accounts_affected: Mapped[int] = mapped_column(default=0)
    important_affected: Mapped[int] = mapped_column(default=0)
    call_count: Mapped[int] = mapped_column(default=0)
    caller_count: Mapped[int] = mapped_column(default=0)
    level: Mapped[str | None] = mapped_column(String(8))
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue(), default=list)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    restored_at: Mapped[datetime | None]


class CalendarDayRow(_Row, Base):
    __tablename__ = "calendar_day"
    day: Mapped[date] = mapped_column(unique=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(default="")


ROW_TYPES: dict[str, type[_Row]] = {
    "office": OfficeRow,
    "staff": StaffRow,
    "customer": CustomerRow,
    "account": AccountRow,
    "ticket": TicketRow,
    "stage_task": StageTaskRow,
    "interaction": InteractionRow,
    "verification": VerificationRow,
    "note": NoteRow,
    "surveyor": SurveyorRow,
    "survey_assignment": SurveyAssignmentRow,
    "evaluation": EvaluationRow,
    "attachment": AttachmentRow,
    "calendar_day": CalendarDayRow,
    "notification": NotificationRow,
    "meeting": MeetingRow,
    "supervision_action": SupervisionActionRow,
    "info_request": InfoRequestRow,
    "grid_device": GridDeviceRow,
    "outage_event": OutageEventRow,
}

Index("ix_ticket_office_state", TicketRow.office_id, TicketRow.state)
# The late reminder looks for open actions past their due day.
Index("ix_supervision_action_state_due", SupervisionActionRow.state, SupervisionActionRow.due_on)
# The hotline's "is this caller inside an outage" reads an office's live events.
Index("ix_outage_event_office_state", OutageEventRow.office_id, OutageEventRow.state)
