"""Response gzip only where it pays: never for a loopback peer (the embedded server, benchmarks)."""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class GzipUnlessLoopback:
    """Starlette's gzip at a moderate level; a loopback peer gets the bytes as they are."""

    def __init__(self, app: ASGIApp, minimum_size: int = 1024, level: int = 6) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=level)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] != "http" or (client is not None and client[0] in LOOPBACK):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
