"""Outage events on the server (docs/outage.md): repair command enters, confirms, corrects and restores them;
the hotline asks which live event holds a caller.

The rules are domain.outage's: the area must be devices of the office's grid, a planned outage's window and
reason are checked and its missed notice period warned (stored on the event, never a refusal), and
confirming opens the emergency plan's tasks for the level the event's size calls for. Who is affected is
counted here in SQL (an office may hold a million accounts); the desk gets the counts with the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.audit import append_audit
from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.records import AccountRow, GridDeviceRow, OutageEventRow
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.store import row_to_wire
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load, refuse_existing
from backend.sync.mutations import build_record, update_merged
from domain import bounds
from domain.errors import DomainError
from domain.outage import plan as linkage
from domain.outage.events import (
    OutageKind,
    check_area,
    check_planned,
    event_on_path,
    load_notice_rules,
    notice_warning_text,
    notice_warnings,
    state_machine_of,
)
from domain.outage.topology import Device, DeviceKind, Grid
from domain.roles import may_command_outages
from domain.states import STATE_MACHINES, transition
from domain.sync import Mutation, MutationResult

router = APIRouter(prefix="/api/v1/outages", tags=["outages"])
LIVE_STATES = ("predicted", "active")  # an event callers are told about


def office_grid(session: Session, office_id: str) -> Grid:
    """The office's devices (no accounts: they are counted in SQL)."""
    rows = session.execute(select(GridDeviceRow).where(GridDeviceRow.office_id == office_id)).scalars()
    return Grid.build([Device(r.id, DeviceKind(r.device_kind), r.parent_id, r.name) for r in rows])


def affected_accounts(session: Session, office_id: str, grid: Grid, device_ids: list[str]) -> tuple[int, int]:
    """(accounts, important accounts) fed from the 台区 under the devices."""
    areas = sorted({t for d in device_ids for t in grid.transformers_under(d)})
    if not areas:
        return 0, 0
    accounts, important = session.execute(
        select(func.count(), func.count().filter(AccountRow.important.is_(True)))
        .where(AccountRow.office_id == office_id, AccountRow.transformer_id.in_(areas))
    ).one()
    return int(accounts), int(important)


def _invalid(error: DomainError, record: dict[str, Any] | None = None) -> Rejected:
    return Rejected("invalid_input", f"{error.message_zh} / {error.message_en}", record)


def _command(tx: Tx, record: dict[str, Any] | None = None) -> None:
    if not may_command_outages(tx.who.role, tx.who.department):
        raise Rejected("forbidden", "停电事件由调度或运检处理 / outage events are handled by dispatch or operations",
                       record)


def _audit(tx: Tx, action: str, row: Any, detail: dict[str, Any]) -> None:
    append_audit(tx.session, office_id=row.office_id, staff_id=tx.who.staff_id, action=action,
                 subject=row.id, detail=detail, at=tx.now, now=tx.now)


@handles("grid_device", "create")
def create_device(tx: Tx, mutation: Mutation) -> MutationResult:
    """The grid is imported by an admin, parents first; the office's grid with the new device must still be
    whole (domain.outage.topology)."""
    refuse_existing(tx, mutation, "设备已存在 / this grid device exists")
    record: Any = build_record(tx, mutation)
    grid = office_grid(tx.session, record.office_id)
    try:
        Grid.build([*grid.devices.values(),
                    Device(record.id, DeviceKind(record.device_kind), record.parent_id, record.name)])
    except DomainError as error:
        raise _invalid(error) from None
    row = tx.writer.insert(record)
    _audit(tx, "grid_device.create", row, {"kind": record.device_kind, "parent": record.parent_id})
    return applied(mutation, "grid_device", row)


@handles("outage_event", "create")
def create_event(tx: Tx, mutation: Mutation) -> MutationResult:
    _command(tx)
    refuse_existing(tx, mutation, "停电事件已存在 / this outage event exists")
    kind = mutation.fields.get("outage_kind")
    if kind not in {k.value for k in OutageKind}:
        raise Rejected("invalid_input", "停电类型无效 / unknown outage kind")
    initial = STATE_MACHINES[OutageKind(kind).state_machine].initial
    record: Any = build_record(tx, mutation, state=initial, created_by=tx.who.staff_id, created_at=tx.now,
                               announced_at=tx.now, notice_warning=None, accounts_affected=0, important_affected=0,
                               call_count=0, caller_count=0, level=None, tasks=[], confirmed_at=None, confirmed_by=None,
                               restored_at=None)
    grid = office_grid(tx.session, record.office_id)
    try:
        if kind == OutageKind.fault:
            check_area(grid, record.device_ids)
            bounds.check_text("outage_event.reason", record.reason)
        else:
            if record.ends_at is None:
                raise Rejected("invalid_input", "请填写计划停电的结束时间 / a planned outage needs its end")
            check_planned(grid, kind, record.device_ids, record.starts_at, record.ends_at, record.reason)
    except DomainError as error:
        raise _invalid(error) from None
    accounts, important = affected_accounts(tx.session, record.office_id, grid, record.device_ids)
    warnings = notice_warnings(OutageKind(kind), record.starts_at, tx.now, important > 0, load_notice_rules()) \
        if kind != OutageKind.fault else ()
    warning = notice_warning_text(warnings)
    row = tx.writer.insert(record.model_copy(update={
        "reason": record.reason.strip(), "accounts_affected": accounts, "important_affected": important,
        "notice_warning": warning}))
    _audit(tx, "outage_event.create", row, {"kind": kind, "devices": row.device_ids, "accounts": accounts,
                                            "warning": warnings[0].code if warnings else None})
    return applied(mutation, "outage_event", row)


@handles("outage_event", "update")
def update_event(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "outage_event", mutation.entity_id)
    _command(tx, row_to_wire("outage_event", row))
    reason = mutation.fields.get("reason")
    if "reason" in mutation.fields and (not isinstance(reason, str) or not reason.strip()):
        raise Rejected("invalid_input", "请填写停电原因 / give the reason", row_to_wire("outage_event", row))
    ends_at = mutation.fields.get("ends_at")
    if isinstance(ends_at, str):
        try:
            if datetime.fromisoformat(ends_at) <= row.starts_at:
                raise Rejected("invalid_input", "预计恢复时间须晚于停电开始 / restoration must come after the start",
                               row_to_wire("outage_event", row))
        except ValueError:
            raise Rejected("invalid_input", "时间无效 / invalid time", row_to_wire("outage_event", row)) from None
    result = update_merged(tx, mutation)
    _audit(tx, "outage_event.update", row, {"fields": sorted(mutation.fields)})
    return result


@handles("outage_event", "transition")
def transition_event(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "outage_event", mutation.entity_id)
    current = row_to_wire("outage_event", row)
    _command(tx, current)
    intent = mutation.transition
    if intent is None:
        raise Rejected("invalid_input", "缺少状态变更意图 / a transition needs from_state and to_state")
    if intent.from_state != row.state:
        raise Rejected("stale_state", f"状态已变为「{row.state}」/ the event is now {row.state}", current)
    machine = state_machine_of("outage_event", {"outage_kind": row.outage_kind})
    try:
        to_state = transition(machine, row.state, intent.to_state, tx.who.role, intent.reason)
    except DomainError as error:
        raise Rejected("invalid_transition", f"{error.message_zh} / {error.message_en}", current) from None
    changes: dict[str, Any] = {"state": to_state}
    if to_state == "active" and row.state != "restored":  # confirmed (or a planned outage begins): open the plan
        changes.update(_open_plan(tx, row))
    elif to_state == "active":  # re-opened: calls continue after restoration
        changes["restored_at"] = None
    elif to_state == "restored":
        changes["restored_at"] = tx.now
    tx.writer.update("outage_event", row, changes)
    _audit(tx, f"outage_event.{to_state}", row, {"from": intent.from_state, "level": row.level,
                                                 "reason": intent.reason})
    return applied(mutation, "outage_event", row)


def _open_plan(tx: Tx, row: Any) -> dict[str, Any]:
    plan = linkage.load_plan()
    grid = office_grid(tx.session, row.office_id)
    devices = [grid.devices[d] for d in row.device_ids if d in grid.devices]
    area_class = _area_class(tx.session, [d.id for d in devices])
    expected_hours = (row.ends_at - tx.now).total_seconds() / 3600 if row.ends_at else 0.0
    level = linkage.response_level(plan, row.accounts_affected, row.important_affected, max(0.0, expected_hours))
    tasks = linkage.open_tasks(plan, level, area_class, tx.now)
    return {
        "confirmed_at": tx.now, "confirmed_by": tx.who.staff_id, "level": level.code,
        "ends_at": row.ends_at or linkage.estimated_restoration(plan, area_class, tx.now),
        "tasks": [{"code": t.code, "department": t.department.value, "title_zh": t.title_zh,
                   "title_en": t.title_en, "due_at": t.due_at.isoformat()} for t in tasks],
    }


_AREA_ORDER = ("remote", "rural", "urban")  # the longest arrival limit of the area wins


def _area_class(session: Session, device_ids: list[str]) -> str:
    classes = set(session.execute(select(GridDeviceRow.area_class).where(GridDeviceRow.id.in_(device_ids))).scalars())
    return next((c for c in _AREA_ORDER if c in classes), "urban")


# ---- the screen pop: is this caller inside an outage? ---------------------------------------------


class LiveOutage(BaseModel):
    event: dict[str, Any] | None  # the outage_event record, or None outside every live event


@router.get("/lookup", response_model=LiveOutage)
def lookup(account_id: str = Query(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN),
           who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> LiveOutage:
    """The live event (研判中 or 停电中) whose area holds the account: the one on the lowest device when
    events nest, so the caller hears the most specific reason."""
    with ctx.database.read() as session:
        account = session.get(AccountRow, account_id)
        if account is None:
            raise ApiError(404, "not_found", "户号不存在 / no such account")
        if not who.may_see_office(account.office_id):
            raise OUT_OF_SCOPE
        events = list(session.execute(
            select(OutageEventRow).where(OutageEventRow.office_id == account.office_id,
                                         OutageEventRow.state.in_(LIVE_STATES))).scalars())
        if not events or account.transformer_id is None:
            return LiveOutage(event=None)
        grid = office_grid(session, account.office_id)
        if account.transformer_id not in grid.devices:
            return LiveOutage(event=None)
        found = event_on_path(grid.path_up(account.transformer_id), [(e.id, e.device_ids) for e in events])
        match = next((e for e in events if e.id == found), None)
        return LiveOutage(event=row_to_wire("outage_event", match) if match else None)

