"""Coordination meetings and 督办 actions on the server (docs/coordination.md): who records and who closes,
checked here with domain.roles and domain.supervision; and the late reminder, raised once per action.

A supervisor's desk creates meetings and actions (possibly offline); the server sets who made them, checks
the fields and that a meeting or ticket named is of the same office. The action's department closes it with
a result note (`open → done`); a supervisor cancels it with a reason. Every change is audited.

The reminder: `ActionReminders` (a background loop) finds open actions past their due day that were not
reminded yet and sets `reminded_at` in one `UPDATE ... WHERE reminded_at IS NULL` per action, so one server
process wins; the new version syncs to every desk of the office, whose notifier tells the department and the
supervisor. An audit row `supervision_action.late` names the office's supervisors.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from backend.audit import append_audit
from backend.background import BackgroundLoop
from backend.db.records import MeetingRow, StaffRow, SupervisionActionRow
from backend.store import Writer, row_to_wire
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load, refuse_existing
from backend.sync.mutations import build_record, update_merged
from backend.workflow_engine import check_intent
from domain import bounds, supervision
from domain.errors import DomainError
from domain.merge import not_editable
from domain.roles import may_close_action
from domain.sync import Mutation, MutationResult

if TYPE_CHECKING:
    from backend.context import AppContext

log = logging.getLogger(__name__)
# A desk-stated creation time is its own clock; the server takes it within these bounds (offline work).
_CREATED_PAST = timedelta(days=30)
_CREATED_FUTURE = timedelta(minutes=10)


def _created_at(tx: Tx, fields: dict[str, Any]) -> datetime:
    text = fields.get("created_at")
    try:
        stated = datetime.fromisoformat(text) if isinstance(text, str) else tx.now
    except ValueError:
        raise Rejected("invalid_input", "创建时间无效 / invalid creation time") from None
    if stated.tzinfo is None or not tx.now - _CREATED_PAST <= stated <= tx.now + _CREATED_FUTURE:
        return tx.now  # a desk clock far off: the server's time is the truth
    return stated


def _invalid(error: DomainError) -> Rejected:
    return Rejected("invalid_input", f"{error.message_zh} / {error.message_en}")


def _audit(tx: Tx, action: str, row: Any, detail: dict[str, Any]) -> None:
    append_audit(tx.session, office_id=row.office_id, staff_id=tx.who.staff_id, action=action,
                 subject=row.id, detail=detail, at=tx.now, now=tx.now)


@handles("meeting", "create")
def create_meeting(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "会议记录已存在 / this meeting exists")
    created = _created_at(tx, mutation.fields)
    record = build_record(tx, mutation, chair_id=tx.who.staff_id, created_at=created)
    try:
        supervision.check_meeting(record.meeting_kind, record.held_on,  # type: ignore[attr-defined]
                                  supervision.office_day(tx.now))
    except DomainError as error:
        raise _invalid(error) from None
    row = tx.writer.insert(record)
    _audit(tx, "meeting.create", row, {"kind": record.meeting_kind, "held_on": record.held_on.isoformat()})  # type: ignore[attr-defined]
    return applied(mutation, "meeting", row)


@handles("meeting", "update")
def update_meeting(tx: Tx, mutation: Mutation) -> MutationResult:
    result = update_merged(tx, mutation)  # items and decisions (domain.merge.EDITABLE_FIELDS)
    row = load(tx, "meeting", mutation.entity_id)
    _audit(tx, "meeting.update", row, {"fields": sorted(mutation.fields)})
    return result


@handles("supervision_action", "create")
def create_action(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "督办事项已存在 / this action exists")
    fields = mutation.fields
    created = _created_at(tx, fields)
    record = build_record(tx, mutation, created_by=tx.who.staff_id, created_at=created, state=supervision.OPEN,
                          result=None, reason=None, closed_at=None, closed_by=None, reminded_at=None)
    action: Any = record
    try:
        title = supervision.check_action(action.title, action.department, action.due_on, created)
    except DomainError as error:
        raise _invalid(error) from None
    if action.meeting_id is not None:
        meeting = tx.writer.get("meeting", action.meeting_id)
        if meeting is None or meeting.office_id != action.office_id:
            raise Rejected("not_found", "会议记录不存在 / no such meeting in this office")
    for ticket_id in action.ticket_ids:
        ticket = tx.writer.get("ticket", ticket_id)
        if ticket is not None and ticket.office_id != action.office_id:
            raise Rejected("cross_office", "不能引用其他营业单位的工单 / a ticket of another office")
    kind = action.source.get("kind") if isinstance(action.source, dict) else None
    if action.source and kind not in supervision.ACTION_SOURCES:
        raise Rejected("invalid_input", "督办来源无效 / unknown source of the action")
    row = tx.writer.insert(record.model_copy(update={"title": title}))
    _audit(tx, "supervision_action.create", row, {"department": action.department,
                                                   "due_on": action.due_on.isoformat(), "source": kind})
    return applied(mutation, "supervision_action", row)


@handles("supervision_action", "transition")
def transition_action(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "supervision_action", mutation.entity_id)
    if not may_close_action(tx.who.role, tx.who.department, row.department):
        raise Rejected("forbidden", "此督办属于其他部门 / this action belongs to another department",
                       row_to_wire("supervision_action", row))
    to_state = check_intent(tx, "supervision_action", row, mutation)
    refused = not_editable("supervision_action", mutation.fields)
    if refused:
        raise Rejected("not_editable", f"这些字段不能修改 / these fields cannot be edited: {', '.join(refused)}",
                       row_to_wire("supervision_action", row))
    changes: dict[str, Any] = {"state": to_state, "closed_at": tx.now, "closed_by": tx.who.staff_id}
    try:
        if to_state == supervision.DONE:
            result = mutation.fields.get("result")
            changes["result"] = supervision.check_result(result if isinstance(result, str) else None)
            bounds.check_text("supervision_action.result", changes["result"])
        else:
            reason = mutation.transition.reason if mutation.transition else None
            changes["reason"] = bounds.check_text("supervision_action.reason", (reason or "").strip())
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}",
                       row_to_wire("supervision_action", row)) from None
    late = supervision.is_late(row.state, row.due_on, tx.now)
    tx.writer.update("supervision_action", row, changes)
    _audit(tx, f"supervision_action.{to_state}", row, {"department": row.department, "late": late})
    return applied(mutation, "supervision_action", row)


# ---- the late reminder ----------------------------------------------------------------------------------


def remind_late(ctx: AppContext, limit: int = 200) -> int:
    """Mark every open action whose due day has passed (office days) as reminded; returns how many this
    process marked. An action due today is not late: it becomes late at the start of the next office day."""
    now = ctx.now()
    last_due = supervision.office_day(now) - timedelta(days=1)
    with ctx.database.read() as session:
        due = list(session.execute(
            select(SupervisionActionRow.id)
            .where(SupervisionActionRow.state == supervision.OPEN, SupervisionActionRow.due_on <= last_due,
                   SupervisionActionRow.reminded_at.is_(None))
            .order_by(SupervisionActionRow.due_on).limit(limit)
        ).scalars())
    marked = 0
    for action_id in due:
        try:
            marked += _remind(ctx, action_id, now)
        except Exception:  # another process may hold the row; it reminds or we retry next tick
            log.exception("reminder for action %s failed", action_id)
    return marked


def _remind(ctx: AppContext, action_id: str, now: datetime) -> int:
    with ctx.database.write() as session:
        claimed = session.execute(
            update(SupervisionActionRow)
            .where(SupervisionActionRow.id == action_id, SupervisionActionRow.reminded_at.is_(None),
                   SupervisionActionRow.state == supervision.OPEN)
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return 0
        row = session.get(SupervisionActionRow, action_id)
        assert row is not None
        session.refresh(row)
        writer = Writer(session, now)
        writer.update("supervision_action", row, {"reminded_at": now})  # a new version: desks pull the reminder
        writer.finish()
        supervisors = list(session.execute(
            select(StaffRow.id).where(StaffRow.office_id == row.office_id, StaffRow.role == "supervisor",
                                      StaffRow.active.is_(True))
        ).scalars())
        append_audit(session, office_id=row.office_id, staff_id=None, action="supervision_action.late",
                     subject=row.id, detail={"department": row.department, "due_on": row.due_on.isoformat(),
                                             "supervisors": supervisors}, at=now, now=now)
        return 1


class ActionReminders(BackgroundLoop):
    """One loop per process; `run_due()` is also called by the test clock endpoint."""

    name = "onewindow-supervision-reminders"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx

    def run_due(self) -> int:
        return remind_late(self._ctx)

    def step(self) -> int:
        return self.run_due()

    def interval(self) -> float:
        return max(self._ctx.settings.timers_poll_seconds, 1.0) * 30  # a day-granular rule: every 30 s is plenty


__all__ = ["ActionReminders", "MeetingRow", "remind_late"]
