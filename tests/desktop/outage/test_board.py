"""The 停电抢修 area over a real store: events listed largest first with their area, counts and plan tasks (those past
due marked while the power is off); repair command confirms a predicted fault, begins a planned outage, dismisses a
prediction with a reason (each queued for the server); a hotline agent sees the board but cannot act."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.outage import OutageBoard
from desktop.outage.plan_dialog import PlannedOutageDialog
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
               ("outage_event", _event("over", ["F1"], 900, state="restored")),
               ("outage_event", _event("plan", ["T1"], 10, outage_kind="planned", state="scheduled",
                                       starts_at=(NOW + timedelta(days=8)).isoformat(),
                                       ends_at=(NOW + timedelta(days=8, hours=6)).isoformat()))]
    opened.apply_pull_page(PullPage(scope=f"office:{OFFICE}", changes=[
        Change(seq=n + 1, entity=e, id=d["id"], kind="upsert", version=1, data=d) for n, (e, d) in enumerate(changes)],
        cursor=len(changes), has_more=False))
    try:
        yield opened
    finally:
        drain(qtbot, desk_loop)
        opened.close()


def board_for(qtbot: QtBot, store: Store, role: str, department: str | None = None, *,
              clock: TickingClock | None = None) -> OutageBoard:
    settings = Settings()
    staff = Staff(id="staff-1", office_id=OFFICE, username="u", display_name="李建华", role=role, department=department)
    context = DeskContext(store=store, staff=staff, settings=settings, actions=ActionRegistry(settings),
                          engine=EngineStub())
    board = OutageBoard(context, clock=clock or TickingClock(NOW))
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.model.rowCount() == 3)
    return board


def test_events_are_listed_largest_first_with_their_plan_tasks(qtbot: QtBot, store: Store, qtmodeltester) -> None:
    board = board_for(qtbot, store, "dispatcher")
    model = board.model
    qtmodeltester.check(model)
    assert [model.event_at(r).id for r in range(3)] == ["large", "small", "plan"]  # type: ignore[union-attr]
    assert model.data(model.index(0, 2)) == "10kV岚城1线" and model.data(model.index(0, 4)) == "400"
    assert model.data(model.index(0, 6)) == "5 次 / 4 户"
    assert model.data(model.index(0, 8)) == "0 分钟" and model.data(model.index(2, 8)) == "未开始"  # events by age
    assert board.selected().id == "large"  # type: ignore[union-attr]
    assert board.tasks.count() == 1 and board.tasks.item(0).text().startswith("运检：抢修队伍到达现场（时限 ")
    assert "已超时" not in board.tasks.item(0).text()
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
    for row in (1, 2):
        board.table.selectRow(row)
        assert not any(b.isEnabled() for b in (board.confirm_button, board.restore_button, board.cancel_button))


def test_a_plan_task_past_its_deadline_is_marked_late_while_the_power_is_off(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "dispatcher", clock=TickingClock(NOW + timedelta(minutes=52)))
    assert board.selected().id == "large"  # type: ignore[union-attr]
    item = board.tasks.item(0)
    assert board.model.data(board.model.index(0, 8)) == "52 分钟"
    assert item.text().endswith(" — 已超时 7 分钟")
    assert item.foreground().color().name() == "#c62828"


def test_repair_command_begins_a_planned_outage(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "dispatcher")
    board.table.selectRow(2)
    assert board.selected().id == "plan"  # type: ignore[union-attr]
    assert board.confirm_button.text() == "开始停电(&S)" and board.confirm_button.isEnabled()
    assert not board.restore_button.isEnabled() and board.cancel_button.isEnabled()
    board.confirm_button.click()  # its window is 8 days ahead: asked first
    box = board.active_box
    assert box is not None and "2025-03-11 09:00" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert store.outage_board(OFFICE)[2].state == "scheduled" and not store.pending_mutations()
    box = board.begin_selected()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: next(e for e in store.outage_board(OFFICE) if e.id == "plan").state == "active")
    (queued,) = [m for m in store.pending_mutations() if m.entity == "outage_event"]
    assert queued.transition is not None and (queued.transition.from_state, queued.transition.to_state) == (
        "scheduled", "active")


def test_a_false_prediction_is_dismissed_with_a_reason(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "department", "operations")
    board.table.selectRow(1)
    dialog = board.cancel_selected()
    assert dialog is not None and not dialog.ok_button.isEnabled()  # no reason yet
    dialog.reason.setPlainText("用户内部故障，非公网停电")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: [e.id for e in store.outage_board(OFFICE)] == ["large", "plan"])
    (queued,) = [m for m in store.pending_mutations() if m.entity == "outage_event"]
    assert queued.transition is not None and queued.transition.to_state == "cancelled"
    assert queued.transition.reason == "用户内部故障，非公网停电"


def test_dispatch_enters_a_planned_outage_and_sees_the_notice_period_before_saving(
        qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "dispatcher")
    assert board.plan_button.isVisible()
    board.plan_button.click()
    qtbot.waitUntil(lambda: isinstance(board.active_dialog, PlannedOutageDialog))
    dialog = board.active_dialog
    assert isinstance(dialog, PlannedOutageDialog)
    feeder = dialog.area.topLevelItem(0)
    assert feeder.text(0) == "10kV岚城1线" and feeder.child(0).text(0) == "岚城镇01号台区"
    assert not dialog.ok_button.isEnabled() and dialog.preview.text().startswith("请选择停电范围")
    feeder.child(0).setCheckState(0, Qt.CheckState.Checked)
    dialog.reason.setText("台区变压器增容改造")
    assert dialog.ok_button.isEnabled() and dialog.preview.text() == "停电户数 0，其中重要客户 0"  # 8 days ahead
    dialog.ends.setDateTime(dialog.starts.dateTime().addSecs(-3600))  # ends before it starts
    assert not dialog.ok_button.isEnabled() and dialog.preview.text() == "停电结束时间须晚于开始时间"
    dialog.starts.setDateTime(QDateTime(QDate(2025, 3, 5), QTime(8, 30)))  # two days' notice only
    dialog.ends.setDateTime(QDateTime(QDate(2025, 3, 5), QTime(16, 30)))
    assert dialog.ok_button.isEnabled() and "计划检修须提前 7 天" in dialog.preview.text()
    dialog.ok_button.click()  # a warning, not a refusal
    qtbot.waitUntil(lambda: board.model.rowCount() == 4)
    (created,) = [e for e in store.outage_board(OFFICE) if e.reason == "台区变压器增容改造"]
    assert created.state == "scheduled" and created.device_ids == ["T1"] and created.outage_kind == "planned"
    assert created.starts_at == datetime(2025, 3, 5, 0, 30, tzinfo=UTC) and created.notice_warning
    board.table.selectRow(next(r for r in range(4) if board.model.event_at(r).id == created.id))  # type: ignore[union-attr]
    assert board.summary.text().splitlines() == [
        "台区变压器增容改造", "计划 2025-03-05 08:30 至 2025-03-05 16:30，开始后启动预案",
        "计划检修须提前 7 天通知，现仅提前 1 天 23 小时"]
    (queued,) = [m for m in store.pending_mutations() if m.entity == "outage_event"]
    assert queued.op == "create" and queued.entity_id == created.id


def test_a_planned_outage_without_an_area_or_reason_stores_nothing(qtbot: QtBot, store: Store) -> None:
    board = board_for(qtbot, store, "dispatcher")
    board.plan_outage()
    qtbot.waitUntil(lambda: isinstance(board.active_dialog, PlannedOutageDialog))
    dialog = board.active_dialog
    assert isinstance(dialog, PlannedOutageDialog)
    dialog.area.topLevelItem(0).setCheckState(0, Qt.CheckState.Checked)
    assert not dialog.ok_button.isEnabled() and dialog.preview.text().startswith("请填写停电原因")
    dialog._try_accept()  # even forced, the form says why and stores nothing
    assert dialog.error.text().startswith("请填写停电原因") and not store.pending_mutations()
    assert board.model.rowCount() == 3
