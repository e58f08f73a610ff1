"""The desk refuses what the server would refuse (domain.bounds), before anything is stored or queued."""

from __future__ import annotations

from typing import Any

import pytest

from domain.bounds import JSON_MAX_DEPTH, TEXT_LIMITS
from domain.errors import InvalidInput
from local_store import Store

from .conftest import OFFICE, seed
from .test_actions import REPAIR_FIELDS


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def test_the_desk_refuses_out_of_bounds_input_and_queues_nothing(store: Store) -> None:
    seed(store)
    ticket = store.accept_ticket(type_code="repair", channel="hotline", office_id=OFFICE, fields=REPAIR_FIELDS)
    queued = store.outbox_size()

    with pytest.raises(InvalidInput) as refused:
        store.add_note(ticket.id, "长" * (TEXT_LIMITS["note.body"] + 1))
    assert refused.value.field == "note.body" and str(TEXT_LIMITS["note.body"]) in refused.value.message_zh
    with pytest.raises(InvalidInput) as refused:
        store.update_fields("ticket", ticket.id, {"summary": "坏\ud800"})
    assert refused.value.field == "ticket.summary"
    with pytest.raises(InvalidInput) as refused:
        store.update_fields("ticket", ticket.id, {"fields": {**REPAIR_FIELDS, "x": nested(JSON_MAX_DEPTH + 1)}})
    assert refused.value.field == "ticket.fields"
    with pytest.raises(InvalidInput) as refused:
        store.append_audit("unmask", ticket.id, {"deep": nested(250)}, staff_id=None)
    assert refused.value.field == "audit.detail"

    assert store.outbox_size() == queued
    assert store.ticket(ticket.id) == ticket
    note = store.add_note(ticket.id, "长" * TEXT_LIMITS["note.body"])
    assert store.outbox_size() == queued + 1 and len(note.body) == TEXT_LIMITS["note.body"]
