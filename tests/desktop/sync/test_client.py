"""ApiClient against a tiny ASGI server that answers exactly the edge cases of docs/api.md."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from desktop.sync.client import ApiClient
from desktop.sync.errors import AuthFailed, Offline, ProtocolTooOld, ServerError, SessionExpired, Throttled
from desktop.sync.tokens import MemoryTokenStore
from domain.sync import PROTOCOL_HEADER


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": f"{code} / {code}"}}, status_code=status, headers=headers)


class FakeAuthServer:
    """Issues numbered tokens; refresh rotates and a reused refresh token is refused like the real server."""

    def __init__(self) -> None:
        self.generation = 0
        self.valid_access: set[str] = set()
        self.valid_refresh: set[str] = set()
        self.refresh_calls = 0
        self.seen_protocol: list[str | None] = []
        self.pull_answer: Callable[[], JSONResponse] | None = None
        self.app = Starlette(routes=[
            Route("/api/v1/auth/login", self.login, methods=["POST"]),
            Route("/api/v1/auth/refresh", self.refresh, methods=["POST"]),
            Route("/api/v1/sync/pull", self.pull, methods=["GET"]),
        ])

    def _session(self) -> dict[str, Any]:
        self.generation += 1
        access, refresh = f"a{self.generation}", f"r{self.generation}"
        self.valid_access = {access}
        self.valid_refresh = {refresh}
        return {"access_token": access, "refresh_token": refresh, "access_expires_at": "2030-01-01T00:00:00Z",
                "refresh_expires_at": "2030-01-02T00:00:00Z", "staff": {"username": "clerk1"},
                "scopes": ["office:o1", "calendar"]}

    async def login(self, request: Request) -> JSONResponse:
        body = await request.json()
        if body["password"] != "demo1234":
            return _error(401, "bad_credentials")
        return JSONResponse(self._session())

    async def refresh(self, request: Request) -> JSONResponse:
        self.refresh_calls += 1
        body = await request.json()
        await asyncio.sleep(0.01)  # let concurrent callers pile up
        if body["refresh_token"] not in self.valid_refresh:
            self.valid_refresh = set()
            return _error(401, "refresh_reused")
        return JSONResponse(self._session())

    async def pull(self, request: Request) -> JSONResponse:
        self.seen_protocol.append(request.headers.get(PROTOCOL_HEADER))
        if request.headers.get("authorization", "").removeprefix("Bearer ") not in self.valid_access:
            return _error(401, "token_expired")
        if self.pull_answer is not None:
            return self.pull_answer()
        scope = request.query_params["scope"]
        return JSONResponse({"scope": scope, "changes": [], "cursor": int(request.query_params["cursor"]),
                             "has_more": False})

    def expire_access(self) -> None:
        self.valid_access = set()


def run_with_client(server: FakeAuthServer, body: Callable[[ApiClient, MemoryTokenStore], Awaitable[None]]) -> None:
    async def main() -> None:
        tokens = MemoryTokenStore()
        client = ApiClient("http://desk.test", token_store=tokens, transport=httpx.ASGITransport(app=server.app))
        try:
            await body(client, tokens)
        finally:
            await client.aclose()

    asyncio.run(main())


def test_login_keeps_the_refresh_token_and_sends_the_protocol_header() -> None:
    server = FakeAuthServer()

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        session = await client.login("clerk1", "demo1234", "desk-1")
        assert session.scopes == ["office:o1", "calendar"]
        assert tokens.get_refresh_token() == "r1"
        await client.pull("office:o1", 0, 10)

    run_with_client(server, body)
    assert server.seen_protocol == ["1"]


def test_wrong_password_is_auth_failed_with_a_sentence_in_both_languages() -> None:
    server = FakeAuthServer()

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        with pytest.raises(AuthFailed) as caught:
            await client.login("clerk1", "nope", "desk-1")
        assert "密码" in caught.value.message("zh") and "password" in caught.value.message("en")
        assert tokens.get_refresh_token() is None

    run_with_client(server, body)


def test_expired_access_token_is_refreshed_once_and_the_request_retried() -> None:
    server = FakeAuthServer()

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        await client.login("clerk1", "demo1234", "desk-1")
        server.expire_access()
        page = await client.pull("office:o1", 5, 10)
        assert page.cursor == 5
        assert tokens.get_refresh_token() == "r2"

    run_with_client(server, body)
    assert server.refresh_calls == 1


def test_concurrent_401s_share_one_refresh_so_the_token_family_survives() -> None:
    server = FakeAuthServer()

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        await client.login("clerk1", "demo1234", "desk-1")
        server.expire_access()
        pages = await asyncio.gather(*(client.pull("office:o1", n, 10) for n in range(5)))
        assert [p.cursor for p in pages] == list(range(5))

    run_with_client(server, body)
    assert server.refresh_calls == 1


def test_a_refused_refresh_is_session_expired_and_forgets_the_token() -> None:
    server = FakeAuthServer()

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        await client.login("clerk1", "demo1234", "desk-1")
        server.expire_access()
        server.valid_refresh = set()  # e.g. revoked by a password change
        with pytest.raises(SessionExpired) as caught:
            await client.pull("office:o1", 0, 10)
        assert caught.value.code == "refresh_reused"
        assert tokens.get_refresh_token() is None

    run_with_client(server, body)


def test_a_new_process_resumes_from_the_stored_refresh_token() -> None:
    server = FakeAuthServer()
    server._session()  # the desk signed in during an earlier run and kept r1

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        tokens.set_refresh_token("r1")
        assert (await client.pull("office:o1", 3, 10)).cursor == 3
        assert client.session is not None and client.session.refresh_token == "r2"

    run_with_client(server, body)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (lambda: _error(429, "throttled", {"Retry-After": "7"}), Throttled),
        (lambda: _error(426, "protocol_too_old"), ProtocolTooOld),
        (lambda: _error(503, "unavailable"), ServerError),
        (lambda: JSONResponse({"not": "a page"}), ServerError),
    ],
)
def test_server_answers_become_typed_errors(answer: Callable[[], JSONResponse], expected: type[Exception]) -> None:
    server = FakeAuthServer()
    server.pull_answer = answer

    async def body(client: ApiClient, tokens: MemoryTokenStore) -> None:
        await client.login("clerk1", "demo1234", "desk-1")
        with pytest.raises(expected) as caught:
            await client.pull("office:o1", 0, 10)
        if isinstance(caught.value, Throttled):
            assert caught.value.retry_after == 7.0

    run_with_client(server, body)


def test_nobody_listening_is_offline() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before we connect: connection refused

    async def main() -> None:
        client = ApiClient(f"http://127.0.0.1:{port}")
        try:
            with pytest.raises(Offline) as caught:
                await client.login("clerk1", "demo1234", "desk-1")
            assert "离线" in caught.value.message("zh")
        finally:
            await client.aclose()

    asyncio.run(main())
