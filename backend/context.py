"""What every request handler needs, hung on `app.state.ctx`; nothing here is per-replica state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Depends, Header, Request

from backend.auth import AuthService, Principal
from backend.db.engine import Database
from backend.group_commit import GroupCommit
from backend.http_errors import FORBIDDEN, UNAUTHENTICATED, ApiError
from backend.permissions import allowed
from backend.settings import Clock, Settings
from domain.sync import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION


@dataclass
class AppContext:
    settings: Settings
    database: Database
    clock: Clock
    auth: AuthService
    # The process's push writer (backend.sync.push starts it on the first push; the app stops it).
    writer: GroupCommit[Any, Any] | None = None

    def now(self) -> datetime:
        return self.clock()

    def public_url(self, request: Request) -> str:
        """Where customers reach this server (the progress page): the configured public address, else the address
        this request came to (the embedded and demo servers, reached on loopback)."""
        return self.settings.public_url or str(request.base_url).rstrip("/")


async def context(request: Request) -> AppContext:  # async: no thread hop for a lookup
    ctx: AppContext = request.app.state.ctx
    return ctx


def principal(request: Request, ctx: AppContext = Depends(context)) -> Principal:
    """The signed-in staff member, refused unless the role × endpoint table allows this route."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UNAUTHENTICATED
    who = ctx.auth.principal(token.strip())
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    if not allowed(request.method, path, who.role):
        raise FORBIDDEN
    return who


async def protocol(x_onewindow_protocol: str | None = Header(default=None)) -> int:
    """The sync protocol the desk speaks; older than the minimum is refused with 426."""
    if x_onewindow_protocol is None:
        return PROTOCOL_VERSION
    try:
        version = int(x_onewindow_protocol)
    except ValueError:
        raise ApiError(400, "invalid_input", "协议版本无效 / invalid protocol version") from None
    if version < MIN_PROTOCOL_VERSION:
        raise ApiError(
            426,
            "protocol_too_old",
            f"客户端版本过旧，请升级 / this desk speaks protocol {version}, the server needs {MIN_PROTOCOL_VERSION}+: please upgrade",
        )
    return version
