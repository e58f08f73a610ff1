"""ApiClient's coordination calls (dispatch locks, SMS codes, presence) against a real server process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from desktop.sync.client import ApiClient
from desktop.sync.errors import RequestRefused
from tests.backend.coordination import seed, set_clock, surveyor
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection
from tests.harness.databases import PASSWORD
from tests.harness.processes import ServerProcess, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with serving("sqlite", tmp_path_factory.mktemp("client-extras")) as (process,):
        set_clock(process, FIXED_NOW)
        yield process


def run(server: ServerProcess, body: Callable[[Callable[[str], Awaitable[ApiClient]]], Awaitable[Any]]) -> Any:
    """Run `body(sign_in)` on a fresh event loop; every client it signs in is closed afterwards."""
    async def main() -> Any:
        clients: list[ApiClient] = []

        async def sign_in(username: str) -> ApiClient:
            client = ApiClient(server.url)
            clients.append(client)
            await client.login(username, PASSWORD, f"desk-{len(clients)}")
            return client

        try:
            return await body(sign_in)
        finally:
            for client in clients:
                await client.aclose()

    return asyncio.run(main())


def test_dispatch_lock_and_unlock(server: ServerProcess) -> None:
    worker = surveyor()
    seed(server, worker)

    async def body(sign_in: Callable[[str], Awaitable[ApiClient]]) -> None:
        mine, theirs = await sign_in("dispatcher_a"), await sign_in("dispatcher_a")
        lock = await mine.dispatch_lock([worker.id], date(2026, 3, 3), minutes=10)
        assert lock["lock_id"] and lock["expires_at"].startswith("2026-03-02T01:10")
        with pytest.raises(RequestRefused) as refused:
            await theirs.dispatch_lock([worker.id], date(2026, 3, 3))
        assert refused.value.code == "locked"
        await mine.dispatch_unlock(lock["lock_id"])
        assert (await theirs.dispatch_lock([worker.id], date(2026, 3, 3)))["lock_id"]

    run(server, body)


def test_sms_code_round_trip(server: ServerProcess) -> None:
    clerk = Desk(server.url, "clerk_a")
    customer = clerk.new_customer(phone="13712345678")
    clerk.close()

    async def body(sign_in: Callable[[str], Awaitable[ApiClient]]) -> None:
        agent = await sign_in("hotline_a")
        sent = await agent.send_sms_code(customer["id"])
        assert sent["phone_masked"] == "137****5678"
        code = httpx.get(f"{server.url}/api/v1/test/sms", params={"customer_id": customer["id"]}).json()["code"]
        checked = await agent.check_sms_code(customer["id"], code)
        assert checked["outcome"] == "passed" and checked["verification"]["method"] == "sms_code"
        with pytest.raises(RequestRefused) as refused:
            await agent.send_sms_code("nobody")
        assert refused.value.status == 404

    run(server, body)


def test_presence_round_trip(server: ServerProcess) -> None:
    clerk = Desk(server.url, "clerk_a")
    ticket = create_connection(clerk)["record"]
    clerk.close()

    async def body(sign_in: Callable[[str], Awaitable[ApiClient]]) -> None:
        hall, phone = await sign_in("clerk_a"), await sign_in("hotline_a")
        await hall.presence(ticket["id"], "editing")
        assert await hall.who_is_here(ticket["id"]) == []
        (seen,) = await phone.who_is_here(ticket["id"])
        assert seen["activity"] == "editing" and seen["staff_id"] == hall.session.staff["id"]  # type: ignore[union-attr,index]

    run(server, body)
