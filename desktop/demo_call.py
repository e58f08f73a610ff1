"""模拟来电 (demo mode only): ring the embedded backend's hotline channel as the telephony system would, so
the screen pop reaches the desk by the real path (channel API -> server -> live event stream)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime

import httpx

from local_store import Store


def known_caller_number(store: Store, rng: random.Random) -> str | None:
    """A phone number of a customer the desk has, picked at random (None when none is found); every other
    time one from inside a live outage, when there is one, so the demo shows the card's outage notice."""
    candidates = store.customers_in_outages() if rng.random() < 0.5 else []
    if not candidates:
        candidates = [hit.customer_id for hit in store.search_customers("1" + rng.choice("35789"), limit=50)]
    rng.shuffle(candidates)
    for customer_id in candidates:
        customer = store.customer(customer_id)
        phone = customer.phone if customer is not None else None
        if phone and phone.isdigit():  # a masked phone (a role that never verifies) cannot ring
            return phone
    return None


def unknown_caller_number(rng: random.Random) -> str:
    return "139" + "".join(rng.choice("0123456789") for _ in range(8))


async def ring(base_url: str, channel_key: str, agent_username: str, caller_number: str, at: datetime) -> str:
    """Report a call for `agent_username` from `caller_number`; returns the call's id."""
    call_id = f"demo-{uuid.uuid4()}"
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as client:
        answer = await client.post(
            "/api/v1/channels/hotline/calls",
            headers={"X-Channel-Key": channel_key},
            json={"call_id": call_id, "caller_number": caller_number, "agent_username": agent_username,
                  "at": at.isoformat()},
        )
        answer.raise_for_status()
    return call_id
