"""The synced entities as they travel on the wire: one model per kind, shared by desk and backend.

A record is the full current state of one row in a scope. Both sides store the same
field names; `version` is the server's row version (it only grows) and is never changed
by a desk.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from domain import bounds
from domain.errors import InvalidInput

Channel = Literal["hall", "hotline", "app", "wechat", "proactive"]
CustomerClass = Literal["01", "02", "03"]  # 高压 / 低压非居民 / 低压居民
AreaClass = Literal["urban", "rural", "remote"]


_Check = Callable[[str, Any], object]
# Names of people and organisations: not blank, no control characters (domain.bounds.check_name).
_NAME_FIELDS = frozenset({"customer.name", "surveyor.name", "staff.display_name", "office.name"})
# Fields that name a staff member although their name does not end in `_id` (an `_id` field with a
# TEXT_LIMITS entry, such as an external system's `call_id`, is free text instead).
ID_FIELDS = frozenset({"accepted_by", "by", "created_by", "closed_by", "requested_by", "met_by", "confirmed_by",
                       "withdrawn_by"})
_PLANS: dict[type[BaseModel], tuple[tuple[str, str, _Check], ...]] = {}


def _check_list_length(field: str, values: Any) -> None:
    if len(values) > bounds.LIST_MAX_ITEMS:
        raise InvalidInput(
            f"{field}：超过 {bounds.LIST_MAX_ITEMS} 项",
            f"{field}: more than {bounds.LIST_MAX_ITEMS} items",
            field=field,
        )


def _check_each_text(field: str, values: Any) -> None:
    _check_list_length(field, values)
    for value in values:
        if isinstance(value, str):
            bounds.check_text(field, value)


def _check_each_id(field: str, values: Any) -> None:
    """A list of ids (`ticket_ids`): as many as a list may hold, each an id."""
    _check_list_length(field, values)
    for value in values:
        bounds.check_id(field, value)


def _check_for(prefix: str, name: str, annotation: Any) -> _Check | None:
    """The bounds check of one field, chosen by its type: ids, names, text, free-form JSON, moments."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    origin = get_origin(annotation)
    field = f"{prefix}.{name}"
    if annotation is str:
        if (name == "id" or name.endswith("_id") or name in ID_FIELDS) and field not in bounds.TEXT_LIMITS:
            return bounds.check_id
        if field in _NAME_FIELDS:
            return bounds.check_name
        return bounds.check_text
    if annotation is dict or origin is dict:
        return bounds.check_json
    if origin is list and get_args(annotation) == (str,):
        return _check_each_id if name.endswith("_ids") else _check_each_text
    if origin is list and get_origin(get_args(annotation)[0]) is dict:
        return bounds.check_json
    if annotation in (datetime, date):
        return bounds.check_moment
    return None


def _plan(model: type[BaseModel], prefix: str) -> tuple[tuple[str, str, _Check], ...]:
    plan = _PLANS.get(model)
    if plan is None:
        plan = tuple(
            (name, f"{prefix}.{name}", check)
            for name, info in model.model_fields.items()
            if (check := _check_for(prefix, name, info.annotation)) is not None
        )
        _PLANS[model] = plan
    return plan


def check_bounds(model: BaseModel, prefix: str) -> None:
    """Every field of `model` within domain.bounds; raises InvalidInput naming the first field that is not."""
    for name, field, check in _plan(type(model), prefix):
        value = getattr(model, name)
        if value is not None:
            check(field, value)


# Validation context for rows read back from a store: input bounds are not applied to them (see Record).
STORED: dict[str, bool] = {"stored": True}


def is_stored(info: ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, dict) and bool(context.get("stored"))


class Record(BaseModel):
    """Common shape of every synced row."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: ClassVar[str] = ""
    id: str
    office_id: str
    version: int = Field(default=0, ge=0, le=bounds.JSON_INT_MAX)
    updated_at: datetime | None = None

    @model_validator(mode="after")
    def _within_bounds(self, info: ValidationInfo) -> Record:
        """Text lengths, id formats, free-form JSON and times within domain.bounds (desk and server alike).

        The bounds judge input. A row already stored (validated with `STORED`) is read as it is: a legacy
        row written before a limit existed, or under a larger one, must still open, never fail to read."""
        if not is_stored(info):
            check_bounds(self, self.kind)
        return self


class Office(Record):
    kind: ClassVar[str] = "office"
    code: str
    name: str
    prefecture: str


class Staff(Record):
    kind: ClassVar[str] = "staff"
    username: str
    display_name: str
    role: str
    department: str | None = None
    active: bool = True


class Customer(Record):
    kind: ClassVar[str] = "customer"
    name: str
    id_type: Literal["resident", "credit_code", "other"] = "resident"
    id_number: str | None = None
    phone: str | None = None
    address: str = ""
    customer_class: CustomerClass = "03"
    area_class: AreaClass = "urban"
    created_at: datetime | None = None


class Account(Record):
    """An electricity account (户号) at one premises; a customer may hold several."""

    kind: ClassVar[str] = "account"
    customer_id: str
    account_no: str
    address: str = ""
    meter_no: str | None = None
    segment: str | None = None  # meter-reading segment
    temporary_supply: bool = False
    arrears_cents: int = Field(default=0, ge=bounds.JSON_INT_MIN, le=bounds.JSON_INT_MAX)
    status: Literal["active", "suspended", "closed"] = "active"
    transformer_id: str | None = None  # the 台区 (a grid_device) the premises is fed from (docs/outage.md)
    important: bool = False  # an important customer (hospital, water works, data centre): listed first in an outage


class Ticket(Record):
    kind: ClassVar[str] = "ticket"
    number: str | None = None  # assigned by the server
    provisional_number: str | None = None  # P-<desk>-<n>, kept searchable
    progress_code: str | None = None  # the customer's lookup code (domain.progress), made by the accepting desk
    type_code: str
    channel: Channel
    customer_id: str | None = None  # None for an anonymous complaint or report
    account_id: str | None = None
    state: str = "accepted"
    summary: str = ""
    fields: dict[str, Any] = Field(default_factory=dict)
    materials: list[str] = Field(default_factory=list)
    accepted_at: datetime
    accepted_by: str | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    deadline_provisional: bool = False
    closed_at: datetime | None = None
    linked_ticket_id: str | None = None  # 催办 or repeat complaint points at its ticket
    satisfaction: int | None = Field(default=None, ge=1, le=5)  # 1..5 from the return visit


class StageTask(Record):
    """One department's task inside a ticket's workflow."""

    kind: ClassVar[str] = "stage_task"
    ticket_id: str
    stage_code: str
    department: str
    state: str = "open"
    assignee_id: str | None = None
    opened_at: datetime
    due_at: datetime | None = None
    warn_at: datetime | None = None
    completed_at: datetime | None = None
    result: dict[str, Any] = Field(default_factory=dict)
    reason: str | None = None


class Interaction(Record):
    """A contact with the customer on any channel: hall visit, call, app request, field visit."""

    kind: ClassVar[str] = "interaction"
    customer_id: str | None = None
    channel: Channel
    type: Literal["visit", "call", "app_request", "ticket_step", "field_visit"]
    at: datetime
    staff_id: str | None = None
    summary: str = ""
    ticket_id: str | None = None
    call_id: str | None = None
    caller_number: str | None = None
    outage_event_id: str | None = None  # a fault call linked to a live outage instead of a new repair ticket


class Verification(Record):
    """The outcome of an identity check: first-class, synced, audited."""

    kind: ClassVar[str] = "verification"
    customer_id: str
    channel: Channel
    method: str  # id_card_reader, id_number_name, account_name_id_tail, sms_code, app_real_name
    evidence_ref: str | None = None
    staff_id: str | None = None
    at: datetime
    outcome: Literal["passed", "failed"]


class Note(Record):
    kind: ClassVar[str] = "note"
    ticket_id: str
    author_id: str | None = None
    visibility: Literal["internal", "customer"] = "internal"
    body: str
    at: datetime


class LeavePeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: datetime
    end: datetime
    reason: str = ""

    @model_validator(mode="after")
    def _within_bounds(self, info: ValidationInfo) -> LeavePeriod:
        if not is_stored(info):
            check_bounds(self, "leave")
        return self


class Surveyor(Record):
    kind: ClassVar[str] = "surveyor"
    staff_id: str | None = None
    name: str
    territories: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    home_x_km: float = 0.0
    home_y_km: float = 0.0
    daily_capacity: int = Field(default=6, ge=0, le=1000)
    # The roster: the same shift on each working weekday (Monday = 0) of the office calendar.
    shift_start: time = time(8, 30)
    shift_end: time = time(17, 30)
    work_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    leave: list[LeavePeriod] = Field(default_factory=list)
    speed_kmh: float = 30.0


class SurveyAssignment(Record):
    kind: ClassVar[str] = "survey_assignment"
    ticket_id: str
    stage_task_id: str | None = None
    surveyor_id: str | None = None
    mode: Literal["on_site", "remote"] = "on_site"
    state: str = "unassigned"
    territory: str | None = None
    required_skill: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    customer_id: str | None = None
    location_x_km: float | None = None
    location_y_km: float | None = None
    duration_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    due_at: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    urgency: Literal["normal", "urgent", "emergency"] = "normal"
    outcome: dict[str, Any] = Field(default_factory=dict)  # the surveyor's result, or the remote survey's


class Evaluation(Record):
    """One rating of a cross-department ticket: 主责评价 (lead rates a collaborator), 协作互评
    (collaborators rate each other or the lead), 客户评价 (the customer rates the service)."""

    kind: ClassVar[str] = "evaluation"
    ticket_id: str
    evaluator: Literal["lead", "peer", "customer"]
    from_department: str | None = None
    to_department: str | None = None
    score: int = Field(ge=1, le=5)
    comment: str = ""
    by: str | None = None
    at: datetime
    channel: Literal["app"] | None = None  # "app": the customer rated in the app (set by the server); None: by staff


# What the server takes as an attachment (backend.settings defaults to these; desks check before queueing).
ATTACHMENT_MAX_BYTES = 64 * 1024 * 1024
ATTACHMENT_MEDIA_TYPES: frozenset[str] = frozenset({"image/jpeg", "image/png", "application/pdf"})


class Attachment(Record):
    """A file on a ticket (a scan, a photo, a signed form): the metadata row travels first, the bytes
    follow by sha256 through the attachment endpoints; the server sets `uploaded` once they are complete."""

    kind: ClassVar[str] = "attachment"
    ticket_id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    filename: str = Field(min_length=1, max_length=255)
    media_type: str
    size: int = Field(ge=1, le=bounds.JSON_INT_MAX)
    created_at: datetime
    created_by: str | None = None
    uploaded: bool = False


# ---- customer notifications (docs/notifications.md) ----
NotificationState = Literal["queued", "sent", "failed"]


class Notification(Record):
    """A message to the customer about a ticket: 受理告知 (the ticket number by SMS after a phone request), which
    the desk requests (state `queued`), or the server's own notice of a power-quality warning. The server
    renders the text from the ticket at send time, hands it to the SMS gateway once, and sets `sent` or
    `failed` with the reason."""

    kind: ClassVar[str] = "notification"
    ticket_id: str
    customer_id: str | None = None
    channel: Literal["sms"] = "sms"
    template: Literal["ticket_accepted", "pq_warning"] = "ticket_accepted"  # domain.notifications.PLACEHOLDERS
    phone: str
    state: NotificationState = "queued"
    reason: str | None = None  # why it failed, in the customer service's words
    staff_id: str | None = None  # who asked for it
    requested_at: datetime
    sent_at: datetime | None = None
    attempts: int = Field(default=0, ge=0, le=1000)


# ---- coordination meetings and their 督办 actions (docs/coordination.md) ----
MeetingKind = Literal["daily", "weekly", "monthly"]


class Meeting(Record):
    """A coordination meeting (日常协商 / 周例会 / 月调度): what was on the list, what was decided. Its 督办
    actions are `SupervisionAction` rows naming it. `items` are the list's lines as the chair took them:
    {"kind": "action" | "stuck" | "alert" | "note", "text": ..., "ref": id or ticket number}."""

    kind: ClassVar[str] = "meeting"
    meeting_kind: MeetingKind = "weekly"
    held_on: date
    title: str = ""
    items: list[dict[str, Any]] = Field(default_factory=list)
    decisions: str = ""
    chair_id: str | None = None  # set by the server: who recorded it
    created_at: datetime


ActionState = Literal["open", "done", "cancelled"]


class SupervisionAction(Record):
    """A 督办: work a supervisor assigns to a department with a due day, followed to closure. The department
    closes it with a result note (done); the supervisor may cancel it with a reason. `source` says where it
    came from (an anomaly alert: indicator, slice, tickets; a coordination list line; a meeting)."""

    kind: ClassVar[str] = "supervision_action"
    meeting_id: str | None = None
    title: str
    detail: str = ""
    department: str
    due_on: date
    state: str = "open"
    source: dict[str, Any] = Field(default_factory=dict)
    ticket_ids: list[str] = Field(default_factory=list)
    created_by: str | None = None  # set by the server
    created_at: datetime
    result: str | None = None  # the department's note when it closes the action
    reason: str | None = None  # why it was cancelled
    closed_at: datetime | None = None
    closed_by: str | None = None
    reminded_at: datetime | None = None  # the server's late reminder (it fires once per action)


# ---- 补充材料/信息: a stage asks the customer or another department again (domain.info_requests) ----
InfoAddressee = Literal["customer", "department"]


class InfoRequest(Record):
    """A request for more materials or information, recorded by the department working a stage: to the
    customer (`materials`: catalogue material codes, and/or `detail` in words) or to another department
    (`to_department`, `detail`), with a `reason`. `open` until what was asked arrives (`met`) or it is withdrawn
    as asked by mistake (`withdrawn`, with `withdrawn_reason`; the indicators then ignore it). The server sets the
    office, the asking department (the stage's), who asked, who marked it met and who withdrew it."""

    kind: ClassVar[str] = "info_request"
    ticket_id: str
    stage_task_id: str
    department: str  # the stage's department: who asks
    addressee: InfoAddressee
    to_department: str | None = None
    materials: list[str] = Field(default_factory=list)
    detail: str = ""
    reason: str
    state: str = "open"
    requested_by: str | None = None  # set by the server
    requested_at: datetime
    met_at: datetime | None = None
    met_by: str | None = None
    met_note: str | None = None
    withdrawn_at: datetime | None = None  # set by the server
    withdrawn_by: str | None = None  # set by the server
    withdrawn_reason: str | None = None
# ---- the grid and outage events (docs/outage.md) ----
DeviceKind = Literal["feeder", "branch", "transformer"]
OutageKind = Literal["planned", "temporary", "fault"]


class GridDevice(Record):
    """A device of the grid a service desk needs: a feeder (线路), a branch switch (分支开关) or a transformer
    area (台区); accounts name their 台区 (`Account.transformer_id`). Checked whole by domain.outage.topology."""

    kind: ClassVar[str] = "grid_device"
    device_kind: DeviceKind
    parent_id: str | None = None
    name: str
    area_class: AreaClass = "urban"  # the crew's arrival limit inside this device's area


class OutageEvent(Record):
    """An outage: a planned one entered by dispatch, or a fault proposed by call clustering and confirmed by
    repair command. The server sets the affected counts, the notice warning, the response level and the
    plan's tasks (each {"code", "department", "title_zh", "title_en", "due_at"}) when it is confirmed."""

    kind: ClassVar[str] = "outage_event"
    outage_kind: OutageKind
    state: str
    device_ids: list[str] = Field(default_factory=list)
    reason: str = ""
    starts_at: datetime
    ends_at: datetime | None = None  # the planned end, or the estimated restoration told to callers
    announced_at: datetime | None = None
    notice_warning: str | None = None  # the notice period missed, in zh / en (a warning, not a refusal)
    accounts_affected: int = Field(default=0, ge=0, le=bounds.JSON_INT_MAX)
    important_affected: int = Field(default=0, ge=0, le=bounds.JSON_INT_MAX)
    call_count: int = Field(default=0, ge=0, le=bounds.JSON_INT_MAX)  # calls linked to it (server-counted)
    caller_count: int = Field(default=0, ge=0, le=bounds.JSON_INT_MAX)  # different customers among them
    level: str | None = None
    tasks: list[dict[str, Any]] = Field(default_factory=list)
    created_by: str | None = None
    created_at: datetime
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None
    restored_at: datetime | None = None


class CalendarDay(Record):
    """One exception to the weekday rule: a public holiday or a make-up working day (调休)."""

    kind: ClassVar[str] = "calendar_day"
    day: date
    working: bool
    name: str = ""


RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls
    for cls in (
        Office,
        Staff,
        Customer,
        Account,
        Ticket,
        StageTask,
        Interaction,
        Verification,
        Note,
        Surveyor,
        SurveyAssignment,
        Evaluation,
        Attachment,
        CalendarDay,
        Notification,
        Meeting,
        SupervisionAction,
        InfoRequest,
        GridDevice,
        OutageEvent,
    )
}


def record_from_wire(kind: str, data: dict[str, Any]) -> Record:
    """Build the typed record for `kind` from a wire dict; raises ValueError on unknown kinds."""
    try:
        model = RECORD_TYPES[kind]
    except KeyError:
        raise ValueError(f"unknown entity kind {kind!r}") from None
    return model.model_validate(data)
