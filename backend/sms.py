"""Sending text messages: one `SmsGateway` interface, chosen by settings; real gateways plug in here.

No gateway may write a phone number or a message text to a log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from backend.db.desk_tables import SmsMessage
from backend.db.engine import Database


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, *, reference: str, at: datetime) -> None:
        """Hand one message to the carrier; `reference` ties it to what it is about (a customer id)."""


class RecordingSmsGateway:
    """Sends nothing: stores each message in the database (for tests, the demo, and offices without a gateway)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def send(self, phone: str, text: str, *, reference: str, at: datetime) -> None:
        with self._database.write() as session:
            session.add(SmsMessage(reference=reference, phone=phone, text=text, sent_at=at))


GATEWAYS: dict[str, Callable[[Database], SmsGateway]] = {"recording": RecordingSmsGateway}


def gateway_for(name: str, database: Database) -> SmsGateway:
    try:
        return GATEWAYS[name](database)
    except KeyError:
        raise SystemExit(f"unknown SMS gateway {name!r}: choose one of {', '.join(sorted(GATEWAYS))}") from None
