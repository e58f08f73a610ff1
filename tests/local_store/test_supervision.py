"""督办 actions and coordination meetings in the desk's store (docs/coordination.md): each one row and its create
in one write; 办结 is a transition intent carrying the result; bad input stores nothing; and a store of the
previous revision upgrades with its outbox intact."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.errors import DomainError, InvalidInput
from domain.records import SupervisionAction
from local_store import Store
from local_store.engine import create_store_engine
from local_store.migrate import current_revision, head_revision, upgrade
from tests.harness.clocks import DESK_EPOCH, TickingClock

from .conftest import OFFICE

TODAY = date(2025, 3, 3)  # DESK_EPOCH's office day


@pytest.fixture
def desk(tmp_path: Path, key: bytes) -> Store:
    store = Store.open(tmp_path / "desk.db", key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    yield store  # type: ignore[misc]
    store.close()


def test_an_action_is_a_row_and_a_create_then_a_closing_intent_with_its_result(desk: Store) -> None:
    action = desk.create_action(office_id=OFFICE, title=" 清理超期积压 ", department="marketing",
                                due_on=TODAY + timedelta(days=3), source={"kind": "alert", "indicator": "overdue_backlog"},
                                ticket_ids=["t-1", "t-1", "t-2"], created_by="sup-1")
    assert isinstance(action, SupervisionAction) and action.title == "清理超期积压" and action.ticket_ids == ["t-1", "t-2"]
    assert desk.supervision_actions(OFFICE, department="marketing") == [action]
    assert desk.supervision_actions(OFFICE, department="design") == []
    with pytest.raises(InvalidInput):
        desk.close_action(action.id, "已办", role="department", department="design")  # not theirs
    with pytest.raises(InvalidInput):
        desk.close_action(action.id, "  ", role="department", department="marketing")  # no result
    closed = desk.close_action(action.id, "已清理 23 件", role="department", department="marketing")
    assert closed.state == "done" and closed.result == "已清理 23 件"
    create, transition = desk.pending_mutations()
    assert (create.entity, create.op, transition.op) == ("supervision_action", "create", "transition")
    assert transition.transition is not None and transition.transition.to_state == "done"
    assert transition.fields == {"result": "已清理 23 件"}
    with pytest.raises(DomainError):
        desk.close_action(action.id, "再办一次", role="department", department="marketing")  # done is final


@pytest.mark.parametrize("title, department, due, field", [
    ("", "marketing", TODAY, "title"),
    ("复盘", "canteen", TODAY, "department"),
    ("复盘", "marketing", TODAY - timedelta(days=1), "due_on"),
    ("复盘", "marketing", TODAY + timedelta(days=400), "due_on"),
])
def test_bad_input_stores_nothing(desk: Store, title: str, department: str, due: date, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        desk.create_action(office_id=OFFICE, title=title, department=department, due_on=due)
    assert refused.value.field == field
    assert desk.outbox_size() == 0 and desk.supervision_actions(OFFICE) == []


def test_a_meeting_and_the_actions_it_raised(desk: Store) -> None:
    meeting = desk.record_meeting(office_id=OFFICE, meeting_kind="weekly", held_on=TODAY, title="第10周例会",
                                  items=[{"kind": "stuck", "text": "GD001 设计审查超时", "ref": "GD001"}],
                                  decisions="设计本周清理")
    action = desk.create_action(office_id=OFFICE, title="设计审查清理", department="design", due_on=TODAY,
                                meeting_id=meeting.id)
    assert desk.meetings(OFFICE) == [meeting] and desk.supervision_action(action.id) == action
    with pytest.raises(InvalidInput):
        desk.record_meeting(office_id=OFFICE, meeting_kind="yearly", held_on=TODAY)
    with pytest.raises(InvalidInput):
        desk.create_action(office_id=OFFICE, title="x", department="design", due_on=TODAY, meeting_id="nope")
    assert desk.outbox_size() == 2


def test_a_store_of_revision_0007_upgrades_with_its_outbox(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "old.db"
    engine = create_store_engine(path, key)
    upgrade(engine, "0007")
    with engine.begin() as connection:
        tables = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
        assert "supervision_action" not in tables
    engine.dispose()
    old = Store.open(path, key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    old.close()  # the store is opened at head; rewind by hand to prove 0008 runs on a populated 0007 store
    engine = create_store_engine(path, key)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE supervision_action"))
        connection.execute(text("DROP TABLE meeting"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    engine.dispose()
    store = Store.open(path, key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
    try:
        note = store.append_audit("login", "staff:s1", {}, "s1")
        store.close()
        store = Store.open(path, key, clock=TickingClock(DESK_EPOCH), desk_code="D1")
        assert current_revision(create_store_engine(path, key)) == head_revision()
        action = store.create_action(office_id=OFFICE, title="复盘", department="metering", due_on=TODAY)
        assert [m.entity_id for m in store.pending_mutations()] == [note, action.id]
    finally:
        store.close()
