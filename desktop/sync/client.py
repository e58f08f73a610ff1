"""The desk's HTTP client for docs/api.md: one long-lived httpx.AsyncClient, typed failures, token refresh."""

from __future__ import annotations

import asyncio
import hashlib
import json
import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from httpx_sse import aconnect_sse
from pydantic import ValidationError

from desktop.sync.errors import (
    AuthFailed,
    Offline,
    ProtocolTooOld,
    RequestRefused,
    ServerError,
    SessionExpired,
    SyncError,
    Throttled,
)
from desktop.sync.gc_pause import without_collection
from desktop.sync.messages import ChangedEvent, Event, ScreenPopEvent, Session, StreamOpened
from desktop.sync.store_thread import run_in_store
from desktop.sync.tokens import MemoryTokenStore, TokenStore
from domain.sync import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    PullPage,
    PushRequest,
    PushResponse,
    ScopeChecksum,
    read_pull_page,
)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# The server pings every 15 s; three missed pings mean the stream is dead.
EVENTS_READ_TIMEOUT = 45.0
# Well under the server's 4 MiB per chunk: a lost connection costs at most this much again.
UPLOAD_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UploadStatus:
    """How much of an attachment the server holds (HEAD /api/v1/attachments/{sha256})."""

    received: int
    size: int
    complete: bool


def _error_body(response: httpx.Response) -> tuple[str, str]:
    """(code, message) from the API's error JSON, tolerating anything else."""
    try:
        error = response.json().get("error", {})
        return str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, AttributeError):
        return "", response.text[:200]


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def raise_for_answer(response: httpx.Response) -> None:
    """Turn a non-2xx answer into the matching SyncError."""
    status = response.status_code
    if status < 400:
        return
    code, message = _error_body(response)
    if status == 426 or code == "protocol_too_old":
        raise ProtocolTooOld()
    if status == 429:
        raise Throttled(_retry_after(response))
    if status >= 500:
        raise ServerError(status, message)
    if status == 401:
        raise SessionExpired(code or "unauthenticated")
    raise RequestRefused(status, code or str(status), message)


def _read_page(response: httpx.Response) -> PullPage:
    try:
        return read_pull_page(response.content)
    except ValidationError as exc:
        raise ServerError(response.status_code, f"unreadable answer: {exc}") from exc


def tls_verification(ca_file: str) -> ssl.SSLContext | bool:
    """How the server's TLS certificate is checked: against `ca_file` (PEM, the settings' security/ca_file)
    when given, else against the system's certificate authorities. Never switched off."""
    return ssl.create_default_context(cafile=ca_file) if ca_file else True


class ApiClient:
    """Talks to one OneWindow server. Every expected failure surfaces as a `SyncError` subclass."""

    def __init__(
        self,
        base_url: str,
        *,
        token_store: TokenStore | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        protocol: int = PROTOCOL_VERSION,
        ca_file: str = "",
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            verify=tls_verification(ca_file),
            headers={PROTOCOL_HEADER: str(protocol)},
        )
        self._tokens: TokenStore = token_store if token_store is not None else MemoryTokenStore()
        self._session: Session | None = None
        self._access: str | None = None
        self._refresh_lock = asyncio.Lock()

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def base_url(self) -> str:
        return str(self._http.base_url)

    async def aclose(self) -> None:
        await self._http.aclose()

    # ---- transport ----

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise Offline(f"{type(exc).__name__}: {exc}") from exc

    async def _authed(
        self, method: str, url: str, *, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """Send with the bearer token; on 401 refresh once (serialised across tasks) and retry once."""
        if self._access is None:
            await self._refresh_unless_changed(None)
        used = self._access
        response = await self._send(method, url, headers={**(headers or {}), **self._bearer()}, **kwargs)
        if response.status_code == 401:
            await self._refresh_unless_changed(used)
            response = await self._send(method, url, headers={**(headers or {}), **self._bearer()}, **kwargs)
        raise_for_answer(response)
        return response

    def _bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access}"} if self._access else {}

    @staticmethod
    def _parse(model: Any, response: httpx.Response) -> Any:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise ServerError(response.status_code, f"unreadable answer: {exc}") from exc

    # ---- auth ----

    def _adopt(self, session: Session) -> Session:
        self._session = session
        self._access = session.access_token
        self._tokens.set_refresh_token(session.refresh_token)
        return session

    def _forget(self) -> None:
        self._session = None
        self._access = None
        self._tokens.set_refresh_token(None)

    async def login(self, username: str, password: str, client_id: str) -> Session:
        response = await self._send(
            "POST",
            "/api/v1/auth/login",
            json={"username": username, "password": password, "client_id": client_id},
        )
        if response.status_code in (400, 401, 403):
            code, message = _error_body(response)
            raise AuthFailed(code or str(response.status_code), message)
        raise_for_answer(response)
        return self._adopt(self._parse(Session, response))

    async def refresh(self) -> Session:
        """Rotate the refresh token for a new access token; SessionExpired means sign in again."""
        async with self._refresh_lock:
            return await self._refresh_locked()

    async def _refresh_unless_changed(self, used_access: str | None) -> None:
        async with self._refresh_lock:
            # Another task refreshed while we waited: reusing the old refresh token would revoke the family.
            if self._access is not None and self._access != used_access:
                return
            await self._refresh_locked()

    async def _refresh_locked(self) -> Session:
        token = self._tokens.get_refresh_token()
        if not token:
            raise SessionExpired("no_session")
        response = await self._send("POST", "/api/v1/auth/refresh", json={"refresh_token": token})
        if response.status_code in (400, 401, 403):
            code, _ = _error_body(response)
            self._forget()
            raise SessionExpired(code or "refresh_failed")
        raise_for_answer(response)
        return self._adopt(self._parse(Session, response))

    async def logout(self) -> None:
        """End the session on the server if reachable; local tokens are forgotten either way."""
        try:
            if self._access is not None:
                response = await self._send("POST", "/api/v1/auth/logout", headers=self._bearer())
                if response.status_code != 401:
                    raise_for_answer(response)
        except Offline:
            pass
        finally:
            self._forget()

    async def me(self) -> dict[str, Any]:
        response = await self._authed("GET", "/api/v1/auth/me")
        result: dict[str, Any] = response.json()
        return result

    async def health(self) -> dict[str, Any]:
        response = await self._send("GET", "/healthz")
        raise_for_answer(response)
        result: dict[str, Any] = response.json()
        return result

    # ---- sync ----

    async def push(self, request: PushRequest) -> PushResponse:
        response = await self._authed(
            "POST",
            "/api/v1/sync/push",
            content=request.model_dump_json().encode(),
            headers={"Content-Type": "application/json"},
        )
        result: PushResponse = self._parse(PushResponse, response)
        if len(result.results) != len(request.mutations):
            raise ServerError(response.status_code, "push answer does not match the batch")
        return result

    async def pull(self, scope: str, cursor: int, limit: int = 1000) -> PullPage:
        response = await self._authed(
            "GET", "/api/v1/sync/pull", params={"scope": scope, "cursor": cursor, "limit": limit}
        )
        # Parsed on the store thread, which applies the page next: on this (the GUI's) thread a 20,000-row page
        # held the loop for a tenth of a second, and the GIL against the store thread's inserts, each row of
        # which then waited for it. The collector is paused meanwhile (desktop.sync.gc_pause).
        page: PullPage = await run_in_store(without_collection, _read_page, response)
        return page

    async def checksum(self, scope: str) -> ScopeChecksum:
        response = await self._authed("GET", "/api/v1/sync/checksum", params={"scope": scope})
        result: ScopeChecksum = self._parse(ScopeChecksum, response)
        return result

    # ---- desk coordination (docs/api.md: dispatch locks, SMS verification, presence) ----

    async def _json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self._authed(method, url, **kwargs)
        return response.json() if response.content else None

    async def dispatch_lock(self, surveyor_ids: list[str], day: date, minutes: int = 5) -> dict[str, Any]:
        """Hold these surveyors' day for planning: `{lock_id, expires_at}`; RequestRefused `locked` if another desk does."""
        body = {"surveyor_ids": list(surveyor_ids), "day": day.isoformat(), "minutes": minutes}
        result: dict[str, Any] = await self._json("POST", "/api/v1/dispatch/locks", json=body)
        return result

    async def dispatch_unlock(self, lock_id: str) -> None:
        await self._authed("DELETE", f"/api/v1/dispatch/locks/{quote(lock_id, safe='')}")

    async def dispatch_locks(self, day: date) -> list[dict[str, Any]]:
        """Live locks on that day: `[{surveyor_id, day, staff_id, holder_name, expires_at, mine}]`."""
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/dispatch/locks",
                                                        params={"day": day.isoformat()})
        return result

    async def send_sms_code(self, customer_id: str) -> dict[str, Any]:
        """Text a verification code to the customer's phone on file: `{customer_id, phone_masked, expires_at}`."""
        result: dict[str, Any] = await self._json("POST", "/api/v1/verification/sms", json={"customer_id": customer_id})
        return result

    async def check_sms_code(self, customer_id: str, code: str) -> dict[str, Any]:
        """`{outcome, reason, attempts_left, verification}`; the verification record is synced as well."""
        result: dict[str, Any] = await self._json(
            "POST", "/api/v1/verification/sms/check", json={"customer_id": customer_id, "code": code}
        )
        return result

    async def presence(self, ticket_id: str, activity: str) -> None:
        """Heartbeat: this desk is `viewing` or `editing` the ticket."""
        await self._authed("POST", "/api/v1/presence", json={"ticket_id": ticket_id, "activity": activity})

    async def who_is_here(self, ticket_id: str) -> list[dict[str, Any]]:
        """Other sessions on this ticket in the last 30 s: `[{staff_id, display_name, activity, seen_at}]`."""
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/presence", params={"ticket_id": ticket_id})
        return result

    async def efficiency_overview(self, start: date, end: date, office: str | None = None) -> dict[str, Any]:
        """The efficiency monitor's indicators of the period, per office, roll-up and breakdowns (docs/efficiency.md)."""
        params = {"start": start.isoformat(), "end": end.isoformat(), **({"office": office} if office else {})}
        result: dict[str, Any] = await self._json("GET", "/api/v1/efficiency/overview", params=params)
        return result

    async def efficiency_series(self, start: date, end: date, office: str | None = None) -> list[dict[str, Any]]:
        """The overview of each trend point of the period (domain.indicators.trend_buckets), in one request."""
        params = {"start": start.isoformat(), "end": end.isoformat(), **({"office": office} if office else {})}
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/efficiency/series", params=params)
        return result

    async def efficiency_evaluations(self, month: str, office: str | None = None) -> list[dict[str, Any]]:
        """The multi-party evaluation of a month (YYYY-MM) per office: weights, department scores and ranks."""
        params = {"month": month, **({"office": office} if office else {})}
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/efficiency/evaluations", params=params)
        return result

    async def power_quality_points(self) -> list[dict[str, Any]]:
        """The monitoring points of the offices this session reads, with their warnings (docs/power-quality.md)."""
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/power-quality/points")
        return result

    async def power_quality_trend(self, point_id: str, start: datetime, end: datetime,
                                  buckets: int = 600) -> dict[str, Any]:
        """One point's period in at most `buckets` slices, with the limits that apply there."""
        params = {"start": start.isoformat(), "end": end.isoformat(), "buckets": str(buckets)}
        result: dict[str, Any] = await self._json(
            "GET", f"/api/v1/power-quality/points/{quote(point_id, safe='')}/trend", params=params)
        return result

    async def power_quality_month(self, customer_id: str, month: str) -> dict[str, Any]:
        """One important customer's month (YYYY-MM) of power quality, for its monthly report."""
        result: dict[str, Any] = await self._json(
            "GET", f"/api/v1/power-quality/customers/{quote(customer_id, safe='')}/month", params={"month": month})
        return result

    async def efficiency_process_map(self, type_code: str, start: date, end: date,
                                     office: str | None = None) -> dict[str, Any]:
        """The process map of a ticket type's tickets closed in the period (docs/efficiency.md)."""
        params = {"type": type_code, "start": start.isoformat(), "end": end.isoformat(),
                  **({"office": office} if office else {})}
        result: dict[str, Any] = await self._json("GET", "/api/v1/efficiency/process-map", params=params)
        return result

    async def efficiency_alerts(self, office: str | None = None, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Anomaly alerts of the offices this session reads, newest first (unresolved only unless asked)."""
        params = {"include_resolved": "true" if include_resolved else "false", **({"office": office} if office else {})}
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/efficiency/alerts", params=params)
        return result

    async def handle_efficiency_alert(self, alert_id: str, action: str, note: str) -> dict[str, Any]:
        """`action` "acknowledge" or "resolve", with the supervisor's note; the alert as it is now."""
        if action not in ("acknowledge", "resolve"):
            raise ValueError(f"unknown alert action {action!r}")
        result: dict[str, Any] = await self._json(
            "POST", f"/api/v1/efficiency/alerts/{quote(alert_id, safe='')}/{action}", json={"note": note})
        return result

    async def efficiency_rules(self, office: str | None = None) -> list[dict[str, Any]]:
        """The office's anomaly rules and tile targets (its own and the defaults it has not changed)."""
        params = {"office": office} if office else {}
        result: list[dict[str, Any]] = await self._json("GET", "/api/v1/efficiency/rules", params=params)
        return result

    async def set_efficiency_rule(self, code: str, rule: dict[str, Any]) -> dict[str, Any]:
        """Store one rule of the office (`{kind, indicator, params, enabled, office_id?}`); the rule as stored."""
        result: dict[str, Any] = await self._json(
            "PUT", f"/api/v1/efficiency/rules/{quote(code, safe='')}", json=rule)
        return result

    # ---- attachments (content-addressed, resumable) ----

    async def attachment_status(self, sha256: str) -> UploadStatus | None:
        """What the server holds of this content; None when it has nothing yet."""
        try:
            response = await self._authed("HEAD", f"/api/v1/attachments/{quote(sha256, safe='')}")
        except RequestRefused as refused:
            if refused.status == 404:
                return None
            raise
        headers = response.headers
        return UploadStatus(int(headers.get("X-Received", "0")), int(headers.get("X-Size", "0")),
                            headers.get("X-Complete") == "true")

    async def put_attachment_chunk(self, sha256: str, offset: int, chunk: bytes, size: int,
                                   media_type: str) -> UploadStatus:
        """Send the bytes at `offset` of a `size`-byte attachment; RequestRefused 409 names where to resume."""
        response = await self._authed(
            "PUT", f"/api/v1/attachments/{quote(sha256, safe='')}", params={"offset": offset}, content=chunk,
            headers={"X-Attachment-Size": str(size), "Content-Type": media_type},
        )
        answer = response.json()
        return UploadStatus(int(answer["received"]), int(answer["size"]), bool(answer["complete"]))

    async def upload_attachment(self, sha256: str, path: Path, media_type: str, *,
                                chunk_size: int = UPLOAD_CHUNK) -> UploadStatus:
        """Upload a file by its sha256, resuming from what the server already holds (HEAD, then PUT chunks)."""
        size = path.stat().st_size
        status = await self.attachment_status(sha256)
        offset = status.received if status is not None else 0
        if status is not None and status.complete:
            return status
        resumed = False
        while True:
            chunk = await asyncio.to_thread(_read_at, path, offset, chunk_size)
            try:
                status = await self.put_attachment_chunk(sha256, offset, chunk, size, media_type)
            except RequestRefused as refused:
                if refused.status != 409 or refused.code != "conflict" or resumed:
                    raise
                resumed = True  # another desk (or a lost answer) moved the server on: ask where, once
                again = await self.attachment_status(sha256)
                offset = again.received if again is not None else 0
                continue
            resumed = False
            if status.complete:
                return status
            if status.received <= offset:
                raise ServerError(200, "the attachment upload did not advance")
            offset = status.received

    async def download_attachment(self, sha256: str) -> bytes:
        """The complete content of an attachment of one's own office (RequestRefused 409 while incomplete)."""
        response = await self._authed("GET", f"/api/v1/attachments/{quote(sha256, safe='')}")
        if hashlib.sha256(response.content).hexdigest() != sha256:
            raise ServerError(response.status_code, "the downloaded attachment does not match its sha256")
        return response.content

    async def events(self, scopes: list[str]) -> AsyncIterator[Event]:
        """The live stream: `changed` and `screen_pop` events until the connection drops (→ Offline)."""
        params = [("scope", scope) for scope in scopes]
        timeout = httpx.Timeout(EVENTS_READ_TIMEOUT, connect=DEFAULT_TIMEOUT.connect)
        for attempt in range(2):
            if self._access is None:
                await self._refresh_unless_changed(None)
            used = self._access
            try:
                async with aconnect_sse(
                    self._http, "GET", "/api/v1/sync/events", params=params, headers=self._bearer(), timeout=timeout
                ) as source:
                    response = source.response
                    if response.status_code == 401 and attempt == 0:
                        await response.aread()
                        await self._refresh_unless_changed(used)
                        continue
                    if response.status_code >= 400:
                        await response.aread()
                        raise_for_answer(response)
                    yield StreamOpened()
                    async for sse in source.aiter_sse():
                        event = _event_from(sse.event, sse.data)
                        if event is not None:
                            yield event
                    raise Offline("event stream ended")
            except httpx.TransportError as exc:
                raise Offline(f"{type(exc).__name__}: {exc}") from exc
        raise SessionExpired("unauthenticated")


def _read_at(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as file:
        file.seek(offset)
        return file.read(size)


def _event_from(name: str, data: str) -> Event | None:
    try:
        payload: Mapping[str, Any] = json.loads(data) if data else {}
        if name == "changed":
            return ChangedEvent.model_validate(payload)
        if name == "screen_pop":
            return ScreenPopEvent.model_validate(payload)
    except (ValueError, ValidationError):
        return None
    return None


__all__ = ["ApiClient", "SyncError", "UploadStatus", "raise_for_answer"]
