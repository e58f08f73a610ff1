"""Sending text messages: one `SmsGateway` interface, chosen by settings; real gateways plug in here.

- `recording`: sends nothing, stores each message in `sms_message` (tests, the demo, offices without a provider);
- `http`: POSTs JSON to the provider's URL with a bearer token (ONEWINDOW_SMS_URL, ONEWINDOW_SMS_TOKEN).

`key`, when given, names the message once and for all (a notification's request id): a gateway that is handed
the same key twice delivers it once (the recording one checks; the HTTP one passes it as Idempotency-Key).
No gateway may write a phone number or a message text to a log, nor put one in an error it raises.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import httpx
from sqlalchemy import select

from backend.db.desk_tables import SmsMessage
from backend.db.engine import Database

if TYPE_CHECKING:
    from backend.settings import Settings


class SmsDeliveryError(Exception):
    """The gateway did not take the message. `transient`: worth trying again later (no connection, a timeout,
    the provider busy or failing); otherwise the provider refused it for good. `reason` is short and holds
    neither the number nor the text."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, *, reference: str, at: datetime, key: str | None = None) -> None:
        """Hand one message to the carrier; `reference` ties it to what it is about (a customer id, a
        notification); raises SmsDeliveryError when the message was not taken."""


class RecordingSmsGateway:
    """Sends nothing: stores each message in the database (for tests, the demo, and offices without a gateway)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def send(self, phone: str, text: str, *, reference: str, at: datetime, key: str | None = None) -> None:
        with self._database.write() as session:
            if key is not None and session.execute(
                select(SmsMessage.id).where(SmsMessage.reference == key).limit(1)
            ).first() is not None:
                return  # handed over before (the process stopped before it could say so): delivered once
            session.add(SmsMessage(reference=key or reference, phone=phone, text=text, sent_at=at))


class HttpSmsGateway:
    """A provider's HTTP API: POST {"to", "text", "reference", "id"} as JSON with `Authorization: Bearer <token>`
    and `Idempotency-Key: <id>`; any 2xx answer means the provider took the message."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise SystemExit("the http SMS gateway needs ONEWINDOW_SMS_URL (an http:// or https:// address)")
        if not token:
            raise SystemExit("the http SMS gateway needs ONEWINDOW_SMS_TOKEN")
        self._url = url
        self._token = token
        self._timeout = timeout

    def send(self, phone: str, text: str, *, reference: str, at: datetime, key: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {self._token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        body = {"to": phone, "text": text, "reference": reference, "id": key or reference, "at": at.isoformat()}
        try:
            response = httpx.post(self._url, json=body, headers=headers, timeout=self._timeout)
        except httpx.TimeoutException:
            raise SmsDeliveryError("短信网关超时", transient=True) from None
        except httpx.HTTPError as error:
            raise SmsDeliveryError(f"无法连接短信网关：{type(error).__name__}", transient=True) from None
        if response.is_success:
            return
        status = response.status_code
        transient = status >= 500 or status in (408, 425, 429)
        raise SmsDeliveryError(f"短信网关拒收：HTTP {status}", transient=transient)


def _recording(database: Database, _settings: Settings | None) -> SmsGateway:
    return RecordingSmsGateway(database)


def _http(_database: Database, settings: Settings | None) -> SmsGateway:
    if settings is None:
        raise SystemExit("the http SMS gateway needs its settings (ONEWINDOW_SMS_URL, ONEWINDOW_SMS_TOKEN)")
    return HttpSmsGateway(settings.sms_http_url or "", settings.sms_http_token or "", settings.sms_http_timeout)


GATEWAYS: dict[str, Callable[[Database, Settings | None], SmsGateway]] = {"recording": _recording, "http": _http}


def gateway_for(name: str, database: Database, settings: Settings | None = None) -> SmsGateway:
    try:
        factory = GATEWAYS[name]
    except KeyError:
        raise SystemExit(f"unknown SMS gateway {name!r}: choose one of {', '.join(sorted(GATEWAYS))}") from None
    return factory(database, settings)
