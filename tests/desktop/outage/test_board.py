"""The 停电抢修 area over a real store: events listed largest first with their area, counts and plan tasks;
repair command confirms a predicted fault (queued for the server); a hotline agent sees the board but cannot."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.outage import OutageBoard
from desktop.settings import Settings
from domain.records import Staff
from domain.sync import Change, PullPage
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub, drain
from tests.harness.clocks import DESK_EPOCH, TickingClock

pytestmark = OFFSCREEN_NOISE
OFFICE = "office-1"
NOW = DESK_EPOCH


def _device(device_id: str, kind: str, parent: str | None, name: str) -> dict[str, Any]:
    return {"id": device_id, "office_id": OFFICE, "version": 1, "device_kind": kind, "parent_id": parent,
            "name": name, "area_class": "urban"}


def _event(event_id: str, devices: list[str], accounts: int, **overrides: Any) -> dict[str, Any]:
    return {"id": event_id, "office_id": OFFICE, "version": 1, "outage_kind": "fault", "state": "predicted",
            "device_ids": devices, "reason": f"{event_id}原因", "starts_at": NOW.isoformat(),
            "accounts_affected": accounts, "call_count": 5, "caller_count": 4, "created_at": NOW.isoformat(),
            **overrides}


@pytest.fixture
def store(tmp_path: Path, qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk.db", os.urandom(32), clock=TickingClock(DESK_EPOCH), desk_code="D1")
    tasks = [{"code": "arrive", "department": "operations", "title_zh": "抢修队伍到达现场", "title_en": "crew on site",
              "due_at": (NOW + timedelta(minutes=45)).isoformat()}]
    changes = [("grid_device", _device("F1", "feeder", None, "10kV岚城1线")),
               ("grid_device", _device("T1", "transformer", "F1", "岚城镇01号台区")),
               ("outage_event", _event("small", ["T1"], 40)),
               ("outage_event", _event("large", ["F1"], 400, state="active", level="IV", tasks=tasks)),
               ("outage_event", _event("over", ["F1"], 900, state="restored"))]
    opened.apply_pull_page(PullPage(scope=f"office:{OFFICE}", changes=[
        Change(seq=n + 1, entity=e, id=d["id"], kind="upsert", version=1, data=d) for n, (e, d) in enumerate(changes)],
        cursor=len(changes), has_more=False))
    try:
        yield opened
    finally:
        drain(qtbot, desk_loop)
        opened.close()


def board_for(qtbot: QtBot, store: Store, role: str, department: str | None = None) -> OutageBoard:
    settings = Settings()
    staff = Staff(id="staff-1", office_id=OFFICE, username="u", display_name="李建华", role=role, department=department)
    context = DeskContext(store=store, staff=staff, settings=settings, actions=ActionRegistry(settings),
                          engine=EngineStub())
    board = OutageBoard(context)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.model.rowCount() == 2)
    return board


def test_events_are_listed_largest_first_with_their_plan_tasks(qtbot: QtBot, store: Store, qtmodeltester) -> None:
    board = board_for(qtbot, store, "dispatcher")
    model = board.model
    qtmodeltester.check(model)
    assert [model.event_at(r).id for r in range(2)] == ["large", "small"]  # type: ignore[union-attr]
    assert model.data(model.index(0, 2)) == "10kV岚城1线" and model.data(model.index(0, 4)) == "400"
    assert model.data(model.index(0, 6)) == "5 次 / 4 户"
    assert board.selected().id == "large"  # type: ignore[union-attr]
    assert board.tasks.count() == 1 and board.tasks.item(0).text().startswith("运检：抢修队伍到达现场（时限 ")
    assert not board.confirm_button.isEnabled() and board.restore_button.isEnabled()


def test_repair_command_confirms_a_predicted_fault(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "department", "operations")
    board.table.selectRow(1)
    assert board.selected().id == "small"  # type: ignore[union-attr]
    assert board.confirm_button.isEnabled()
    board.confirm_button.click()
    qtbot.waitUntil(lambda: store.outage_board(OFFICE)[1].state == "active")
    (queued,) = [m for m in store.pending_mutations() if m.entity == "outage_event"]
    assert queued.transition is not None and queued.transition.to_state == "active"


def test_staff_outside_repair_command_follow_the_board_without_acting(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "department", "marketing")
    board.table.selectRow(1)
    assert not board.confirm_button.isEnabled() and not board.restore_button.isEnabled()
