"""Issue 13 item 14: SMS codes are limited per staff member and per client address, whichever customers."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from backend.seeding import create_user
from backend.settings import database_url
from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD, ServerProcess

DeskFactory = Callable[[str], Desk]
PER_STAFF, PER_ADDRESS = 10, 30  # backend.settings defaults


def _agents(server: ServerProcess, count: int) -> list[str]:
    """Fresh hotline agents of county-a: their counters start at zero whatever ran before."""
    names = [f"sms_{secrets.token_hex(4)}" for _ in range(count)]
    for name in names:
        create_user(database_url(server.db), username=name, role="hotline", office="county-a", password=PASSWORD)
    return names


def _send(agent: Desk, customer_id: str, address: str) -> int:
    return agent.client.post("/api/v1/verification/sms", json={"customer_id": customer_id},
                             headers={**agent.headers, "X-Forwarded-For": address}).status_code


def test_one_agent_and_one_address_cannot_text_a_street(server: ServerProcess, desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    creates = [clerk.mutation("customer", "create", fields={"name": "周九", "phone": f"1360000{n:04d}",
                                                             "area_class": "urban"}) for n in range(PER_ADDRESS + 2)]
    customers = [result["entity_id"] for result in clerk.push(*creates)]
    agents = [desk(name) for name in _agents(server, 4)]
    address = f"198.51.100.{secrets.randbelow(200) + 20}"
    first = [_send(agents[0], customer, address) for customer in customers[:PER_STAFF]]
    assert first == [200] * PER_STAFF
    assert _send(agents[0], customers[PER_STAFF], "203.0.113.5") == 429  # the agent's own limit, any address
    sent = PER_STAFF
    for agent in agents[1:3]:
        assert [_send(agent, customer, address) for customer in customers[sent:sent + PER_STAFF]] == [200] * PER_STAFF
        sent += PER_STAFF
    refused = agents[3].client.post("/api/v1/verification/sms", json={"customer_id": customers[sent]},
                                    headers={**agents[3].headers, "X-Forwarded-For": address})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "sms_limit"
    assert int(refused.headers["Retry-After"]) > 0
    assert _send(agents[3], customers[sent], "203.0.113.77") == 200  # the same agent elsewhere
