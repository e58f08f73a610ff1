"""The server times a ticket by its own form's area class (the same promised_deadline as the desk)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.backend.desk import FIXED_NOW, Desk

DeskFactory = Callable[[str], Desk]


def file_repair(agent: Desk, area_class: str, customer_id: str | None = None) -> dict[str, Any]:
    fields = {"fault_address": "河西村三组", "area_class": area_class, "fault_type": "no_power",
              "contact_phone": "13800001111"}
    mutation = agent.mutation("ticket", "create", fields={
        "type_code": "repair", "channel": "hotline", "customer_id": customer_id, "summary": "停电",
        "fields": fields, "materials": [], "accepted_at": FIXED_NOW.isoformat(), "provisional_number": "P-hot-1",
    })
    (result,) = agent.push(mutation)
    assert result["status"] == "applied", result
    record: dict[str, Any] = result["record"]
    return record


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.mark.parametrize(("area_class", "minutes"), [("rural", 90), ("remote", 120), ("urban", 45)])
def test_an_anonymous_fault_call_is_timed_by_its_form(desk: DeskFactory, area_class: str, minutes: int) -> None:
    agent = desk("hotline_a")
    ticket = file_repair(agent, area_class)
    assert _at(ticket["due_at"]) == FIXED_NOW + timedelta(minutes=minutes)
    assert _at(ticket["warn_at"]) == FIXED_NOW + timedelta(minutes=minutes) * 0.8


def test_the_fault_place_wins_over_the_callers_home(desk: DeskFactory) -> None:
    agent = desk("hotline_a")
    customer = agent.new_customer(area_class="urban")  # lives in town, reports a fault at the village plot
    ticket = file_repair(agent, "rural", customer["id"])
    assert _at(ticket["due_at"]) == FIXED_NOW + timedelta(minutes=90)
