"""Limits: request body size and body read time (pure ASGI middleware: 413/408 with the JSON error,
streamed bodies counted), and counters per sender (SMS sends per staff member and per client address).

Counters live in the database (rows of `login_throttle`, keyed by a prefixed name), so every replica
sees the same counts; nothing here is per-process state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.db.auth_tables import LoginThrottle
from backend.db.base import table_of
from backend.http_errors import ApiError
from backend.sync.changes import dialect_insert

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def spend(session: Session, key: str, now: datetime, allowed: int, window: timedelta) -> int:
    """Count one event against `key` in a fixed window of `window`; 0 when counted, else the seconds to
    wait (nothing counted). The row's `failures` is the count and `last_failure_at` the window's start."""
    session.execute(dialect_insert(session)(table_of(LoginThrottle)).values(username=key, failures=0)
                    .on_conflict_do_nothing())
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    if row.last_failure_at is None or now - row.last_failure_at >= window:
        row.failures, row.last_failure_at = 0, now
    if row.failures >= allowed:
        return max(1, math.ceil((row.last_failure_at + window - now).total_seconds()))
    row.failures += 1
    return 0


def waiting(session: Session, key: str, now: datetime, allowed: int, window: timedelta) -> int:
    """The seconds to wait before `key` may count again (0: it may), without counting anything."""
    row = session.get(LoginThrottle, key)
    if row is None or row.last_failure_at is None or now - row.last_failure_at >= window or row.failures < allowed:
        return 0
    return max(1, math.ceil((row.last_failure_at + window - now).total_seconds()))


def charge_sms(session: Session, *, staff_id: str, address: str | None, now: datetime,
               per_staff: int, per_address: int, window: timedelta) -> None:
    """One code to send: refused (429) past `per_staff` per staff member or `per_address` per client
    address (loopback excepted) within `window` — one desk cannot text a street, whichever customers."""
    counters = [(f"sms:staff:{staff_id}", per_staff, "本账号", "this account")]
    if address is not None and address not in LOOPBACK:
        counters.append((f"sms:ip:{address}"[:64], per_address, "本地址", "this address"))
    for key, allowed, zh, en in counters:
        wait = spend(session, key, now, allowed, window)
        if wait:
            raise ApiError(429, "sms_limit", f"{zh}发送验证码过多，请 {wait} 秒后再试 / too many codes sent from {en}; "
                           f"retry in {wait} s", headers={"Retry-After": str(wait)})


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, exempt_prefix: str = "/api/v1/attachments/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_prefix = exempt_prefix  # attachment chunks carry their own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt_prefix):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _refuse(send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if not started:
                await _refuse(send)


async def _refuse(send: Send) -> None:
    await _answer(send, 413, "too_large", "请求内容过大 / the request body is too large")


async def _answer(send: Send, status: int, code: str, message: str, *, close: bool = False) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooSlow(Exception):
    pass


class BodyReadTimeout:
    """A request body must keep arriving: at most `idle_seconds` between its parts and `total_seconds` in
    all, or the request is answered 408 and its connection closed (a slow body holds a worker's memory
    and, for a push, nothing else). Once the body is complete, `receive` is passed through untouched (a
    streaming response listens on it for the desk going away)."""

    def __init__(self, app: ASGIApp, idle_seconds: float, total_seconds: float) -> None:
        self.app = app
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total_seconds
        done = timed_out = started = False

        async def timed_receive() -> Message:
            nonlocal done, timed_out
            if done:
                return await receive()
            wait = min(self.idle_seconds, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), timeout=max(wait, 0.001))
            except TimeoutError:
                timed_out = True
                raise _TooSlow from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                done = True
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if timed_out and not started:
                return  # the app's answer to a body it could not read (FastAPI says 400): ours is 408
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_TooSlow):
            await self.app(scope, timed_receive, watching_send)
        if timed_out and not started:
            await _answer(send, 408, "timeout", "请求内容发送过慢 / the request body arrived too slowly", close=True)


def header_timeout_protocol() -> type:
    """uvicorn's h11 protocol with a deadline for a request's line and headers: a connection that opens
    and trickles (or sends nothing) is closed after ONEWINDOW_HEADER_TIMEOUT seconds (default 10).
    uvicorn's keep-alive timeout only covers the idle time between requests, and any byte cancels it."""
    import os

    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self._header_timer is None:
                seconds = float(os.environ.get("ONEWINDOW_HEADER_TIMEOUT") or 10)
                self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._arm()  # a request has begun (or is awaited) and its headers are not all here yet
            else:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm()  # between requests uvicorn's keep-alive timeout applies

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutH11
