"""补充材料/信息 in the desk's store: a request is a row and its create in one write, 已补齐 a transition intent
carrying its note; the server's rules are asked first, so bad input stores nothing; a store of the previous
revision upgrades with its outbox intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from domain.errors import DomainError, InvalidInput
from domain.records import InfoRequest
from local_store import Store
from local_store.engine import create_store_engine
from local_store.migrate import current_revision, head_revision
from tests.harness.clocks import DESK_EPOCH, TickingClock

from .conftest import OFFICE, page


@pytest.fixture
def desk(tmp_path: Path, key: bytes) -> Store:
    store = Store.open(tmp_path / "desk.db", key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    store.apply_pull_page(page([("ticket", ticket()), ("stage_task", stage("bill_check", "marketing")),
                                ("stage_task", stage("meter_check", "metering", state="done"))], cursor=3))
    yield store  # type: ignore[misc]
    store.close()


def ticket() -> dict[str, Any]:
    return {"id": "tick-1", "office_id": OFFICE, "version": 1, "number": "GD1", "type_code": "bill_dispute",
            "channel": "hall", "state": "in_progress", "accepted_at": "2025-03-01T01:00:00Z"}


def stage(code: str, department: str, state: str = "taken") -> dict[str, Any]:
    return {"id": f"task-{code}", "office_id": OFFICE, "version": 1, "ticket_id": "tick-1", "stage_code": code,
            "department": department, "state": state, "opened_at": "2025-03-01T01:00:00Z"}


def test_a_request_is_a_row_and_a_create_then_a_met_intent_with_its_note(desk: Store) -> None:
    asked = desk.request_info("task-bill_check", addressee="customer", materials=["bill_or_receipt", "bill_or_receipt"],
                              detail=" 近三个月 ", reason="电费单看不清", role="department", department="marketing",
                              requested_by="s-m")
    assert isinstance(asked, InfoRequest) and asked.materials == ["bill_or_receipt"] and asked.detail == "近三个月"
    assert (asked.department, asked.state, asked.ticket_id) == ("marketing", "open", "tick-1")
    assert desk.info_requests("tick-1") == [asked]
    with pytest.raises(InvalidInput):
        desk.meet_info_request(asked.id, role="department", department="metering")  # not theirs to mark
    met = desk.meet_info_request(asked.id, " 客户已送来 ", role="clerk", department=None)
    assert met.state == "met" and met.met_note == "客户已送来"
    create, transition = desk.pending_mutations()
    assert (create.entity, create.op, transition.op) == ("info_request", "create", "transition")
    assert create.fields["reason"] == "电费单看不清"
    assert transition.transition is not None and transition.transition.to_state == "met"
    assert transition.fields == {"met_note": "客户已送来"}
    with pytest.raises(DomainError):
        desk.meet_info_request(asked.id, role="clerk", department=None)  # met is final


@pytest.mark.parametrize("changes, field", [
    ({"department": "metering"}, "stage_task_id"),  # not the stage's department
    ({"role": "clerk", "department": None}, "stage_task_id"),
    ({"materials": ["passport"]}, "materials"),
    ({"materials": [], "detail": ""}, "materials"),
    ({"reason": ""}, "reason"),
    ({"addressee": "department", "to_department": "marketing", "materials": [], "detail": "x"}, "to_department"),
    ({"addressee": "department", "to_department": "design", "materials": [], "detail": ""}, "detail"),
    ({"stage_task_id": "task-meter_check", "department": "metering"}, "stage_task_id"),  # finished stage
])
def test_bad_input_stores_nothing(desk: Store, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"stage_task_id": "task-bill_check", "addressee": "customer", "materials": ["identity"],
                              "reason": "复印件不清", "role": "department", "department": "marketing"}
    values.update(changes)
    stage_task_id = values.pop("stage_task_id")
    with pytest.raises(InvalidInput) as refused:
        desk.request_info(stage_task_id, **values)
    assert refused.value.field == field
    assert desk.outbox_size() == 0 and desk.info_requests("tick-1") == []


def test_a_store_of_revision_0008_upgrades_with_its_outbox(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "old.db"
    old = Store.open(path, key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    note = old.append_audit("login", "staff:s1", {}, "s1")
    old.close()  # opened at head; rewind by hand to prove 0010 runs on a populated 0008 store
    engine = create_store_engine(path, key)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE info_request"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    engine.dispose()
    store = Store.open(path, key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    try:
        assert current_revision(create_store_engine(path, key)) == head_revision()  # 0010 and every later one
        store.apply_pull_page(page([("ticket", ticket()), ("stage_task", stage("bill_check", "marketing"))], cursor=2))
        asked = store.request_info("task-bill_check", addressee="customer", materials=["identity"], reason="补正",
                                   role="supervisor", department=None)
        assert [m.entity_id for m in store.pending_mutations()] == [note, asked.id]
    finally:
        store.close()
