"""The customer's progress lookup (docs/progress-lookup.md): the public page the receipt's QR code opens,
`/p/{code}`, and the same content as JSON for the app channel, `/api/v1/channels/app/progress/{code}`.

Only the lookup code finds a ticket — never its number — and a wrong code, a malformed one and a code of no
ticket are answered alike, so the page says nothing about which numbers exist. Lookups are counted per client
address and overall, and wrong codes per address apart (counters in the database, as every limit here: each
replica sees the same counts); past a limit the answer is 429 with the seconds to wait.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from backend import progress_page, rules
from backend.auth_routes import client_address
from backend.channels import channel_key
from backend.context import AppContext, context
from backend.db.records import CustomerRow, InfoRequestRow, StageTaskRow, TicketRow
from backend.http_errors import ApiError
from backend.limits import spend, waiting
from domain import progress

page_router = APIRouter(include_in_schema=False)
app_router = APIRouter(prefix="/api/v1/channels/app", tags=["channels"], dependencies=[Depends(channel_key)])

_TICKET = ("type_code", "number", "state", "accepted_at", "due_at", "deadline_provisional")
_TASK = ("stage_code", "state", "due_at", "warn_at", "completed_at")
_REQUEST = ("addressee", "state", "materials", "detail", "requested_at")
_CUSTOMER = ("name", "id_type", "phone")


class _Limited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def _fields(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _count(ctx: AppContext, address: str | None, now: datetime) -> None:
    """One lookup against the limits; _Limited (nothing counted past a full counter) when one is spent."""
    settings = ctx.settings
    with ctx.database.write() as session:
        if address is not None:
            wait = waiting(session, f"progress:miss:{address}"[:64], now, settings.progress_misses_per_address,
                           settings.progress_miss_window)
            if wait:
                raise _Limited(wait)
            wait = spend(session, f"progress:ip:{address}"[:64], now, settings.progress_per_address,
                         settings.progress_window)
            if wait:
                raise _Limited(wait)
        wait = spend(session, "progress:all", now, settings.progress_overall, settings.progress_window)
    if wait:
        raise _Limited(wait)


def _missed(ctx: AppContext, address: str | None, now: datetime) -> None:
    if address is not None:
        with ctx.database.write() as session:
            spend(session, f"progress:miss:{address}"[:64], now, ctx.settings.progress_misses_per_address,
                  ctx.settings.progress_miss_window)


def look_up(ctx: AppContext, code: str | None, now: datetime) -> progress.Progress | None:
    """What the customer may see of the ticket with `code` (already normalised), or None."""
    if code is None:
        return None
    with ctx.database.read() as session:
        ticket = session.execute(select(TicketRow).where(TicketRow.progress_code == code)).scalar_one_or_none()
        if ticket is None:
            return None
        tasks = [_fields(t, _TASK) for t in session.execute(
            select(StageTaskRow).where(StageTaskRow.ticket_id == ticket.id)).scalars()]
        requests = [_fields(r, _REQUEST) for r in session.execute(
            select(InfoRequestRow).where(InfoRequestRow.ticket_id == ticket.id)).scalars()]
        customer = session.get(CustomerRow, ticket.customer_id) if ticket.customer_id else None
        return progress.build_progress(_fields(ticket, _TICKET), tasks, requests,
                                       _fields(customer, _CUSTOMER) if customer is not None else None,
                                       rules.catalogue(), now)


def _lookup_counted(ctx: AppContext, address: str | None, text: str) -> progress.Progress | None:
    now = ctx.now()
    _count(ctx, address, now)
    found = look_up(ctx, progress.normalize(text), now)
    if found is None:
        _missed(ctx, address, now)
    return found


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**progress_page.HEADERS, **(headers or {})})


@page_router.get(progress.PAGE_PATH, response_class=HTMLResponse)
def ask(request: Request, code: str | None = None, ctx: AppContext = Depends(context)) -> Response:
    """The page that asks for the code; a typed code goes on to its page (normalised: any case, dashes)."""
    base = ctx.public_url(request)
    if code is None:
        return _html(progress_page.ask_page(base, ctx.now()))
    normalized = progress.normalize(code)
    if normalized is None:
        return show(request, code, ctx)  # counted and answered as any wrong code
    return RedirectResponse(progress.page_url(base, normalized), status_code=303, headers=progress_page.HEADERS)


@page_router.get(progress.PAGE_PATH + "/{code}", response_class=HTMLResponse)
def show(request: Request, code: str, ctx: AppContext = Depends(context)) -> Response:
    try:
        found = _lookup_counted(ctx, client_address(request), code)
    except _Limited as limited:
        return _html(progress_page.too_many_page(limited.wait, ctx.now()), 429, {"Retry-After": str(limited.wait)})
    if found is None:
        return _html(progress_page.not_found_page(ctx.public_url(request), ctx.now()), 404)
    return _html(progress_page.progress_page(found, ctx.now()))


@app_router.get("/progress/{code}")
def app_progress(code: str, ctx: AppContext = Depends(context)) -> dict[str, Any]:
    """The same as the page, for the customer app. Its requests come from the app's own servers (one address for
    all its users, who sign in there): they count against the overall limit only."""
    try:
        found = _lookup_counted(ctx, None, code)
    except _Limited as limited:
        raise ApiError(429, "too_many_lookups", f"查询过于频繁，请 {limited.wait} 秒后再试 / too many lookups; retry in "
                       f"{limited.wait} s", headers={"Retry-After": str(limited.wait)}) from None
    if found is None:
        raise ApiError(404, "not_found", "未查到该查询码的办理记录 / no request with this lookup code")
    return found.as_json()
