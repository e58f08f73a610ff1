"""HTTP routes of /api/v1/auth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.records import StaffRow
from backend.store import row_to_wire
from domain import bounds

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def client_address(request: Request) -> str | None:
    """The caller's address: the socket's peer, or what a trusted proxy forwarded (uvicorn's
    --forwarded-allow-ips decides whom to trust; `onewindow-server serve --forwarded-allow-ips`)."""
    return request.client.host if request.client is not None else None


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(_Body):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")  # no control characters
    password: str = Field(min_length=1, max_length=256)
    client_id: str = Field(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN)


class RefreshBody(_Body):
    refresh_token: str = Field(min_length=1, max_length=256)


class PasswordBody(_Body):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class SessionOut(BaseModel):
    access_token: str
    refresh_token: str
    access_expires_at: str
    refresh_expires_at: str
    staff: dict[str, Any]
    scopes: list[str]
    # Where customers reach the progress page (docs/progress-lookup.md): the desk keeps it for its receipts.
    public_url: str | None = None


class MeOut(BaseModel):
    staff: dict[str, Any]
    scopes: list[str]


@router.post("/login", response_model=SessionOut)
def login(body: LoginBody, request: Request, ctx: AppContext = Depends(context)) -> dict[str, object]:
    answer = ctx.auth.login(body.username, body.password, body.client_id, client_address(request))
    return {**answer, "public_url": ctx.public_url(request)}


@router.post("/refresh", response_model=SessionOut)
def refresh(body: RefreshBody, request: Request, ctx: AppContext = Depends(context)) -> dict[str, object]:
    return {**ctx.auth.refresh(body.refresh_token), "public_url": ctx.public_url(request)}


@router.post("/logout", status_code=204, response_class=Response)
def logout(who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> Response:
    ctx.auth.logout(who)
    return Response(status_code=204)


@router.post("/password", status_code=204, response_class=Response)
def change_password(
    body: PasswordBody, request: Request, who: Principal = Depends(principal), ctx: AppContext = Depends(context)
) -> Response:
    ctx.auth.change_password(who, body.old_password, body.new_password, client_address(request))
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
def me(who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> dict[str, object]:
    with ctx.database.read() as session:
        staff = session.get(StaffRow, who.staff_id)
        assert staff is not None
        return {"staff": row_to_wire("staff", staff), "scopes": who.scopes}
