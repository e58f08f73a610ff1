"""Customer notifications from the desk: the ticket-number SMS is requested here and sent by the server.

The request is a `notification` create in the outbox (so an offline desk queues it and it leaves with the
next sync), together with the ticket's history line that tells its state (待发送 until the server has sent
it; the server rewrites the line to 已发送 or 发送失败 and both rows come back by sync). The number is
checked before anything is written: a number that cannot take an SMS stores nothing.
"""

from __future__ import annotations

import uuid6
from sqlalchemy import select

from domain.notifications import TICKET_ACCEPTED, history_line, interaction_id, sms_mobile
from domain.records import Interaction, Notification
from local_store.actions import DeskActions, _build
from local_store.reading import ReadSide
from local_store.schema import ENTITY_TABLES

_notification = ENTITY_TABLES["notification"]


class Notifications(DeskActions, ReadSide):
    def request_sms(self, ticket_id: str, phone: str, *, staff_id: str | None,
                    template: str = TICKET_ACCEPTED) -> Notification:
        """Queue the ticket's SMS to `phone` (raises InvalidInput, storing nothing, if it cannot take one)."""
        mobile = sms_mobile(phone)
        with self._write() as connection:
            ticket = self._require(connection, "ticket", ticket_id)
            now = self._clock()
            notification = _build(Notification, {
                "id": str(uuid6.uuid7()), "office_id": ticket["office_id"], "ticket_id": ticket_id,
                "customer_id": ticket["customer_id"], "template": template, "phone": mobile, "state": "queued",
                "staff_id": staff_id, "requested_at": now,
            })
            line = _build(Interaction, {
                "id": interaction_id(notification.id), "office_id": ticket["office_id"],
                "customer_id": ticket["customer_id"], "channel": ticket["channel"], "type": "ticket_step",
                "at": now, "staff_id": staff_id, "summary": history_line(mobile, "queued"), "ticket_id": ticket_id,
            })
            self._create(connection, line)  # first: the server rewrites this line when it sends the message
            self._create(connection, notification)
            return notification

    def notification(self, notification_id: str) -> Notification | None:
        found = self._one("notification", notification_id)
        return found if isinstance(found, Notification) else None

    def ticket_notifications(self, ticket_id: str) -> list[Notification]:
        statement = (select(_notification).where(_notification.c.ticket_id == ticket_id)
                     .order_by(_notification.c.requested_at, _notification.c.id))
        return self._many("notification", statement)
