"""Customer notifications: the desk's request arrives with its sync push, the server sends it once.

- Request: a `notification` create (a mutation like any other, so an offline desk queues it in its outbox).
  The handler checks the role (domain.roles.CONTACT_ROLES), the mobile number and the ticket, stores the
  notification row (state `queued`, synced back to the desks) and one `outbound_message` row keyed by the
  mutation id, with an audit entry — in the push's transaction, so the ledger makes a replayed push answer
  from the ledger and add nothing.
- Sending: `NotificationSender` (one loop per process) claims due rows with a conditional UPDATE (one
  process wins), renders the text from the ticket row *at send time* (so the server's GD number, never the
  desk's provisional P- number) with the template stored in `message_template`, and hands it to the
  configured gateway under the request id as idempotency key. Then, in one transaction: the outbound row,
  the notification's state (`sent` / `failed` with the reason), the ticket's history line, an audit entry.
  A transient gateway failure is tried again with doubling waits; a refusal or the last try fails it.
- A process that stops between hand-off and record leaves the row `sending`; once its lease runs out it is
  handed over again under the same key, which the gateway uses to drop the duplicate.
Never logged: phone numbers and message texts (only ids, states and short reasons).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from backend import rules
from backend.audit import append_audit
from backend.background import BackgroundLoop
from backend.db.base import table_of
from backend.db.notification_tables import MessageTemplate, OutboundMessage
from backend.db.power_quality_tables import PqPoint
from backend.db.records import NotificationRow, TicketRow
from backend.sms import SmsDeliveryError, SmsGateway
from backend.store import Writer
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, refuse_existing, require_scope
from backend.sync.mutations import build_record
from domain.errors import DomainError
from domain.notifications import (
    DESK_TEMPLATES,
    PQ_WARNING,
    TICKET_ACCEPTED,
    history_line,
    interaction_id,
    render,
    sms_mobile,
)
from domain.records import Interaction, Notification
from domain.roles import CONTACT_ROLES
from domain.sla import OFFICE_ZONE
from domain.sync import Mutation, MutationResult

if TYPE_CHECKING:
    from backend.context import AppContext

log = logging.getLogger(__name__)
_OUTBOUND = table_of(OutboundMessage)
_NOTICE_NAMESPACE = uuid.UUID("0b7e2c54-8d1a-4f63-9c2e-6a5d4b3f2e10")


# ---- the request (a mutation) ---------------------------------------------------------------------


@handles("notification", "create")
def request_notification(tx: Tx, mutation: Mutation) -> MutationResult:
    if tx.who.role not in {str(role) for role in CONTACT_ROLES}:
        raise Rejected("forbidden", "您的角色不能向客户发送通知 / your role may not send notifications to customers")
    refuse_existing(tx, mutation, "该通知已存在 / this notification exists")
    fields = mutation.fields
    template = str(fields.get("template") or TICKET_ACCEPTED)
    if template not in DESK_TEMPLATES:  # the others (a power-quality warning's) the server sends by itself
        raise Rejected("invalid_input", f"未知的通知模板 / unknown notification template: {template[:32]}")
    try:
        phone = sms_mobile(str(fields.get("phone") or ""))
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
    ticket = tx.writer.get("ticket", str(fields.get("ticket_id") or ""))
    if ticket is None:
        raise Rejected("not_found", "工单不存在 / no such ticket")
    require_scope(tx, ticket.office_id)
    record = build_record(
        tx, mutation, office_id=ticket.office_id, customer_id=ticket.customer_id, template=template, phone=phone,
        state="queued", reason=None, staff_id=tx.who.staff_id, sent_at=None, attempts=0,
    )
    row = tx.writer.insert(record)
    tx.session.connection().execute(insert(_OUTBOUND).values(
        request_id=mutation.mutation_id, notification_id=record.id, office_id=ticket.office_id, state="queued",
        attempts=0, next_attempt_at=tx.now, lease_until=None, last_error=None, created_at=tx.now, finished_at=None,
    ))
    append_audit(tx.session, office_id=ticket.office_id, staff_id=tx.who.staff_id, action="notification_requested",
                 subject=f"notification:{record.id}",
                 detail={"ticket_id": ticket.id, "template": template, "request_id": mutation.mutation_id},
                 at=tx.now, now=tx.now)
    return applied(mutation, "notification", row)


def queue_notice(writer: Writer, *, request_id: str, ticket: TicketRow, phone: str, template: str,
                 now: datetime) -> str:
    """A message the server sends by itself (no desk asked): the notification row and its outbound row, in the
    caller's transaction, keyed by `request_id` (derived from what it tells, so it is queued once), audited.
    `phone` is a checked mobile (domain.notifications.sms_mobile). Returns the notification's id."""
    notification_id = str(uuid.uuid5(_NOTICE_NAMESPACE, request_id))
    writer.insert(Notification(
        id=notification_id, office_id=ticket.office_id, customer_id=ticket.customer_id, ticket_id=ticket.id,
        template=template, phone=phone, state="queued", staff_id=None, requested_at=now,  # type: ignore[arg-type]
    ))
    writer.session.connection().execute(insert(_OUTBOUND).values(
        request_id=request_id, notification_id=notification_id, office_id=ticket.office_id, state="queued",
        attempts=0, next_attempt_at=now, lease_until=None, last_error=None, created_at=now, finished_at=None,
    ))
    append_audit(writer.session, office_id=ticket.office_id, staff_id=None, action="notification_requested",
                 subject=f"notification:{notification_id}",
                 detail={"ticket_id": ticket.id, "template": template, "request_id": request_id}, at=now, now=now)
    return notification_id


# ---- sending ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claim:
    request_id: str
    notification_id: str
    attempts: int  # this try's number, from 1


class NotificationSender(BackgroundLoop):
    """Hands queued messages to the gateway; `run_due()` is one pass (the loop and the tests call it)."""

    name = "onewindow-notifications"
    log_traceback = False  # a gateway's error text may carry the phone number

    def __init__(self, ctx: AppContext, gateway: SmsGateway) -> None:
        super().__init__()
        self._ctx = ctx
        self._gateway = gateway

    def run_due(self, limit: int = 50) -> int:
        """Send what is due now; returns how many messages reached an end (sent or failed) in this pass."""
        now = self._ctx.now()
        finished = 0
        for claim in self._claim(now, limit):
            try:
                finished += self._deliver(claim, now)
            except Exception as error:  # a defect must not stop the others; the lease hands it over again
                log.error("notification %s: delivery step failed (%s)", claim.notification_id, type(error).__name__)
        return finished

    def _claim(self, now: datetime, limit: int) -> list[_Claim]:
        settings = self._ctx.settings
        due = or_(
            and_(_OUTBOUND.c.state == "queued", _OUTBOUND.c.next_attempt_at <= now),
            and_(_OUTBOUND.c.state == "sending", _OUTBOUND.c.lease_until < now),
        )
        claims: list[_Claim] = []
        with self._ctx.database.write() as session:
            rows = session.execute(
                select(_OUTBOUND.c.request_id, _OUTBOUND.c.notification_id, _OUTBOUND.c.attempts, _OUTBOUND.c.state)
                .where(due).order_by(_OUTBOUND.c.next_attempt_at).limit(limit)
            ).all()
            for request_id, notification_id, attempts, state in rows:
                taken = session.execute(
                    update(_OUTBOUND)
                    .where(_OUTBOUND.c.request_id == request_id, _OUTBOUND.c.state == state,
                           _OUTBOUND.c.attempts == attempts)
                    .values(state="sending", attempts=attempts + 1, lease_until=now + settings.notification_lease)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claims.append(_Claim(request_id, notification_id, attempts + 1))
        return claims

    def _deliver(self, claim: _Claim, now: datetime) -> int:
        with self._ctx.database.read() as session:
            notification = session.get(NotificationRow, claim.notification_id)
            ticket = session.get(TicketRow, notification.ticket_id) if notification is not None else None
            template = (session.get(MessageTemplate, notification.template) if notification is not None else None)
            phone = notification.phone if notification is not None else ""
            body = template.body if template is not None else None
            extra = _pq_values(session, ticket) if notification is not None and ticket is not None and (
                notification.template == PQ_WARNING) else {}
        if notification is None or ticket is None:
            return self._finish(claim, now, "failed", "工单不存在")
        if body is None:
            return self._finish(claim, now, "failed", "没有该短信模板")
        if not ticket.number:  # the server numbers a ticket when its create arrives: wait for it, never send P-
            return self._again(claim, now, "工单尚无正式编号")
        values = {
            "type": rules.catalogue().ticket_type(ticket.type_code).name("zh"),
            "number": ticket.number,
            "due": ticket.due_at.astimezone(OFFICE_ZONE).strftime("%Y-%m-%d %H:%M") if ticket.due_at else "—",
            **extra,
        }
        try:
            text = render(notification.template, body, values)
        except DomainError:
            return self._finish(claim, now, "failed", "短信模板有误")
        try:
            self._gateway.send(phone, text, reference=notification.id, at=now, key=claim.request_id)
        except SmsDeliveryError as error:
            if error.transient:
                return self._again(claim, now, error.reason)
            return self._finish(claim, now, "failed", error.reason)
        except Exception as error:  # an unexpected gateway defect: treated as transient, named by type only
            log.error("notification %s: gateway error (%s)", claim.notification_id, type(error).__name__)
            return self._again(claim, now, "短信网关出错")
        return self._finish(claim, now, "sent", None)

    def _again(self, claim: _Claim, now: datetime, reason: str) -> int:
        """A transient failure: queued again after a doubling wait, or failed once the tries are used up."""
        settings = self._ctx.settings
        if claim.attempts >= settings.notification_max_attempts:
            return self._finish(claim, now, "failed", reason)
        wait = settings.notification_retry_base * (2 ** (claim.attempts - 1))
        with self._ctx.database.write() as session:
            taken = session.execute(
                update(_OUTBOUND)
                .where(_OUTBOUND.c.request_id == claim.request_id, _OUTBOUND.c.state == "sending",
                       _OUTBOUND.c.attempts == claim.attempts)
                .values(state="queued", next_attempt_at=now + wait, lease_until=None, last_error=reason[:200])
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return 0
            office = session.execute(select(_OUTBOUND.c.office_id).where(
                _OUTBOUND.c.request_id == claim.request_id)).scalar_one()
            append_audit(session, office_id=office, staff_id=None, action="notification_retry",
                         subject=f"notification:{claim.notification_id}",
                         detail={"request_id": claim.request_id, "attempts": claim.attempts, "reason": reason,
                                 "next_attempt_at": (now + wait).isoformat()},
                         at=now, now=now)
        log.info("notification %s: try %d not taken, next in %s", claim.notification_id, claim.attempts, wait)
        return 0

    def _finish(self, claim: _Claim, now: datetime, state: str, reason: str | None) -> int:
        """The end of a message, in one transaction: outbound row, notification state, history line, audit."""
        reason = reason[:200] if reason is not None else None
        with self._ctx.database.write() as session:
            taken = session.execute(
                update(_OUTBOUND)
                .where(_OUTBOUND.c.request_id == claim.request_id, _OUTBOUND.c.state == "sending",
                       _OUTBOUND.c.attempts == claim.attempts)
                .values(state=state, lease_until=None, last_error=reason, finished_at=now)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]  # another process took it over meanwhile
                return 0
            writer = Writer(session, now)
            row = writer.get("notification", claim.notification_id, lock=True)
            if row is not None:
                writer.update("notification", row, {"state": state, "reason": reason, "attempts": claim.attempts,
                                                    "sent_at": now if state == "sent" else None})
                _tell_history(writer, row, state, reason, now)
            writer.finish()
            office = row.office_id if row is not None else None
            append_audit(session, office_id=office, staff_id=None, action=f"notification_{state}",
                         subject=f"notification:{claim.notification_id}",
                         detail={"request_id": claim.request_id, "attempts": claim.attempts, "reason": reason,
                                 "ticket_id": row.ticket_id if row is not None else None},
                         at=now, now=now)
        log.info("notification %s: %s after %d tries", claim.notification_id, state, claim.attempts)
        return 1

    # ---- the loop ----------------------------------------------------------------------------------

    def step(self) -> int:
        return self.run_due()

    def interval(self) -> float:
        return self._ctx.settings.notification_poll_seconds


def _pq_values(session: Session, ticket: TicketRow) -> dict[str, str]:
    """A power-quality notice's words from its governance ticket: the point's name and the limit it cites."""
    fields = ticket.fields or {}
    point = session.get(PqPoint, str(fields.get("monitoring_point") or ""))
    return {"point": point.name if point is not None else str(fields.get("monitoring_point") or ""),
            "limit": str(fields.get("pq_limit") or "")}


def _tell_history(writer: Writer, notification: NotificationRow, state: str, reason: str | None,
                  now: datetime) -> None:
    """The ticket's history line says the SMS's state: the desk's line (queued with the request) is
    rewritten; a request that came without one gets it now."""
    summary = history_line(notification.phone, state, reason, notification.template)
    line_id = interaction_id(notification.id)
    existing = writer.get("interaction", line_id, lock=True)
    if existing is not None:
        writer.update("interaction", existing, {"summary": summary})
        return
    ticket = writer.get("ticket", notification.ticket_id)
    writer.insert(Interaction(
        id=line_id, office_id=notification.office_id, customer_id=notification.customer_id,
        channel=ticket.channel if ticket is not None else "hotline", type="ticket_step", at=now,
        staff_id=notification.staff_id, summary=summary, ticket_id=notification.ticket_id,
    ))
