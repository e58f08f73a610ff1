"""A repair whose crew has arrived (its clock-stop stage 到达现场 done) no longer counts down on the
customer card and is not on the 超时 list, however late it is now: the card shows the stopped clock,
on time or late. A stage completed on this desk offline stops it at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.card_models import SLA_COLOURS, STOPPED_COLOUR, OpenTicketsModel
from desktop.operations import Operation
from desktop.tickets import stage_work
from desktop.tickets.ticket_actions import CHANGED_KINDS
from domain.records import Staff, StageTask
from domain.sla import SlaState
from domain.sync import Change, PullPage
from local_store import Store, TicketFilters
from tests.desktop.support import OFFSCREEN_NOISE, settled

from .conftest import NOW, OFFICE, SCOPE, ManualClock, open_card

pytestmark = OFFSCREEN_NOISE

DUE = NOW + timedelta(hours=2)  # tick-0, a repair accepted an hour ago (tests/desktop/frontdesk/conftest.py)


def _arrive(state: str, completed_at: Any = None) -> dict[str, Any]:
    return {"id": "task-arrive", "office_id": OFFICE, "version": 1, "ticket_id": "tick-0", "stage_code": "arrive",
            "department": "operations", "state": state, "opened_at": NOW.isoformat(),
            "completed_at": completed_at.isoformat() if completed_at is not None else None}


def _pull_task(store: Store, data: dict[str, Any]) -> None:
    """The server sends the stage task after the seeded rows (the next pull page)."""
    store.apply_pull_page(PullPage(scope=SCOPE, changes=[Change(seq=1000, entity="stage_task", id=data["id"],
                                                                kind="upsert", version=1, data=data)],
                                   cursor=1000, has_more=False))


def _row(model: OpenTicketsModel) -> int:
    return next(r for r in range(model.rowCount()) if model.data(model.index(r, 0), model.TicketIdRole) == "tick-0")


def _overdue_ids(store: Store, clock: ManualClock) -> set[str]:
    return {t.id for t in store.ticket_queue(TicketFilters(sla="overdue", sla_at=clock()), sort="number", limit=100)}


def test_a_repair_whose_crew_arrived_in_time_shows_a_stopped_clock(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                                   clock: ManualClock) -> None:
    _pull_task(store, _arrive("done", DUE - timedelta(minutes=61)))
    clock.advance(hours=5, minutes=25)  # 3 h 25 min past the promised time
    open_card(qtbot, desk)
    model = desk.card.tickets_model
    row = _row(model)
    assert model.data(model.index(row, model.REMAINING)) == "已停止计时（按时）"
    assert model.data(model.index(row, model.SLA)) == "已停止计时"
    assert model.data(model.index(row, 0), OpenTicketsModel.SlaStateRole) is None
    colour = model.data(model.index(row, model.REMAINING), Qt.ItemDataRole.BackgroundRole).color()
    assert colour == STOPPED_COLOUR and colour != SLA_COLOURS[SlaState.OVERDUE]
    assert "tick-0" not in _overdue_ids(store, clock)
    assert "tick-0" not in {t.id for t in store.ticket_queue(TicketFilters(sla="warning", sla_at=clock()),
                                                              sort="number", limit=100)}


def test_a_late_arrival_shows_by_how_much_it_was_late(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                      clock: ManualClock) -> None:
    _pull_task(store, _arrive("done", DUE + timedelta(minutes=16, seconds=20)))
    clock.advance(hours=6)
    open_card(qtbot, desk)
    model = desk.card.tickets_model
    assert model.data(model.index(_row(model), model.REMAINING)) == "已停止计时（超时17分）"
    assert "tick-0" not in _overdue_ids(store, clock)


def test_completing_the_arrival_offline_stops_the_clock_at_once(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                                clock: ManualClock) -> None:
    _pull_task(store, _arrive("taken"))
    clock.advance(hours=5)
    open_card(qtbot, desk)
    model = desk.card.tickets_model
    assert model.data(model.index(_row(model), model.REMAINING)) == "已超时3小时0分"  # still running: overdue
    assert "tick-0" in _overdue_ids(store, clock)
    (task,) = [t for t in store.stage_tasks("tick-0") if t.stage_code == "arrive"]
    crew = Staff(id="staff-9", office_id=OFFICE, username="crew1", display_name="抢修一班", role="department",
                 department="operations")
    done: list[StageTask] = []
    Operation(None, lambda: stage_work.complete_task(store, task, crew, {}), changes=CHANGED_KINDS) \
        .success(done.append).run()
    qtbot.waitUntil(lambda: model.rowCount() > 0
                    and model.data(model.index(_row(model), model.REMAINING)) == "已停止计时")
    settled(qtbot)
    assert done and done[0].state == "done" and done[0].completed_at is None  # the server records the instant
    assert model.data(model.index(_row(model), 0), OpenTicketsModel.SlaStateRole) is None
    assert "tick-0" not in _overdue_ids(store, clock)
