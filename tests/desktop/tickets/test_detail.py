"""The ticket detail over a real store: the stage graph, stage moves into the outbox, notes, the return visit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsPathItem, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.tickets.detail import TicketDetail
from desktop.tickets.progress import StageStatus
from desktop.tickets.task_dialogs import CompleteDialog, ReasonDialog, ReturnVisitDialog
from domain.catalogue import load_catalogue
from domain.sync import Mutation
from local_store import Store
from tests.desktop.support import settled
from tests.desktop.tickets.conftest import (
    START,
    CountingEngine,
    DeskClock,
    Server,
    connection_ticket_rows,
    iso,
    make_context,
    staff_data,
    task_data,
    ticket_data,
)

# Showing a dialog on the offscreen platform logs this one harmless Qt warning.
pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def open_detail(qtbot: QtBot, desk_clock: DeskClock) -> Iterator[object]:
    opened: list[TicketDetail] = []

    def show(context: DeskContext, ticket_id: str) -> TicketDetail:
        detail = TicketDetail(context, load_catalogue(), desk_clock)
        qtbot.addWidget(detail)
        opened.append(detail)
        detail.show_ticket(ticket_id)
        qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
        return detail

    yield show
    for detail in opened:
        detail.shutdown()


def settle(qtbot: QtBot, detail: TicketDetail, store: Store, count: int) -> list[Mutation]:
    """Wait until `count` mutations are queued and the detail shows the result."""
    qtbot.waitUntil(lambda: store.outbox_size() >= count, timeout=5000)
    settled(qtbot)
    qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
    return store.pending_mutations()


def click(detail: TicketDetail, name: str) -> None:
    button = detail.findChild(QPushButton, name)
    assert button is not None, f"no button {name}"
    button.click()


def test_graph_shows_parallel_open_stages_and_what_waits(qtbot: QtBot, office: Server,
                                                         marketing_context: DeskContext, open_detail) -> None:
    detail = open_detail(marketing_context, "tick-00001")
    boxes = detail.graph.boxes
    assert boxes["accept"].status is StageStatus.DONE
    assert boxes["survey"].status is StageStatus.OPEN and boxes["contract"].status is StageStatus.OPEN
    assert boxes["survey"].x() == boxes["contract"].x() and boxes["survey"].y() != boxes["contract"].y()
    assert boxes["metering"].status is StageStatus.BLOCKED and boxes["metering"].x() > boxes["survey"].x()
    arrows = [item for item in detail.graph.scene().items() if isinstance(item, QGraphicsPathItem)]
    assert len(arrows) == 6  # accept→survey, accept→contract, survey→metering, contract→metering, metering→2
    metering = next(v for v in detail.views if v.code == "metering")
    assert metering.waiting_on == ("marketing",) and metering.waited == timedelta(hours=1)
    assert "等营销 1小时0分" in boxes["metering"].childItems()[2].text()
    assert detail.number.text() == "GD20250303000001"
    assert "张*" in detail.summary.text() and "张伟" not in detail.summary.text()
    assert detail.lookup_code.isHidden()  # a ticket from before the progress lookup has no code: no empty row


def test_the_header_shows_the_customers_lookup_code(qtbot: QtBot, server: Server, office: Server,
                                                     marketing_context: DeskContext, open_detail) -> None:
    server.send(*connection_ticket_rows(2, progress_code="K7QM3XPAR9TD"))
    detail = open_detail(marketing_context, "tick-00002")
    assert detail.lookup_code.text() == "K7QM-3XPA-R9TD" and not detail.lookup_code.isHidden()


def test_take_and_complete_write_outbox_transitions(qtbot: QtBot, office: Server, store: Store,
                                                    marketing_context: DeskContext, open_detail) -> None:
    detail = open_detail(marketing_context, "tick-00001")
    detail.select_task("task-00001-survey")
    click(detail, "stageAction_taken")
    pending = settle(qtbot, detail, store, 1)
    assert [(m.entity_id, m.op) for m in pending] == [("task-00001-survey", "transition")]
    assert pending[0].transition is not None and pending[0].transition.from_state == "open"
    # taking names the assignee in the same mutation: the server applies both or neither
    assert pending[0].transition.to_state == "taken" and pending[0].fields == {"assignee_id": "s-mkt"}
    qtbot.waitUntil(lambda: next(t for t in detail.bundle.tasks if t.stage_code == "survey").state == "taken")

    detail.select_task("task-00001-survey")
    click(detail, "stageAction_done")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog) and not dialog.ok_button.isEnabled()
    assert dialog.peer_score is None  # marketing leads a connection: nobody to rate
    dialog.outcome.setPlainText("现场具备装表条件")
    dialog.ok_button.click()
    pending = settle(qtbot, detail, store, 2)
    assert pending[1].op == "transition" and pending[1].fields == {"result": {"outcome": "现场具备装表条件"}}
    assert pending[1].transition is not None and (pending[1].transition.from_state, pending[1].transition.to_state) \
        == ("taken", "done")
    assert isinstance(marketing_context.engine, CountingEngine) and marketing_context.engine.pushes_asked == 2
    qtbot.waitUntil(lambda: detail.graph.boxes["survey"].status is StageStatus.DONE, timeout=5000)
    assert detail.graph.boxes["contract"].status is StageStatus.OPEN  # its parallel sibling is untouched


def test_return_needs_a_reason_and_carries_it(qtbot: QtBot, office: Server, store: Store,
                                              marketing_context: DeskContext, open_detail) -> None:
    office.send(("stage_task", task_data(1, "contract", "marketing", state="taken", assignee_id="s-mkt",
                                         version=2)))
    detail = open_detail(marketing_context, "tick-00001")
    detail.select_task("task-00001-contract")
    offered = {b.objectName() for b in detail.findChildren(QPushButton) if b.objectName().startswith("stageAction_")}
    assert offered == {"stageAction_done", "stageAction_returned", "stageAction_transferred",
                       "stageAction_escalated"}
    click(detail, "stageAction_returned")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, ReasonDialog) and not dialog.ok_button.isEnabled()
    dialog.reason.setPlainText("客户资料不全，请补充产权证明")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    [mutation] = settle(qtbot, detail, store, 1)
    assert mutation.transition is not None
    assert (mutation.transition.to_state, mutation.transition.reason) == ("returned", "客户资料不全，请补充产权证明")
    qtbot.waitUntil(lambda: any("（待同步）" in detail.history.item(i).text() for i in range(detail.history.count())),
                    timeout=5000)


def test_other_departments_stages_offer_no_moves(qtbot: QtBot, office: Server, store: Store, open_detail) -> None:
    metering = make_context(store, "s-meter", "department", "metering")
    detail = open_detail(metering, "tick-00001")
    detail.select_task("task-00001-survey")
    assert not [b for b in detail.findChildren(QPushButton) if b.objectName().startswith("stageAction_")]


def test_internal_notes_and_customer_replies_are_kept_apart(qtbot: QtBot, office: Server, store: Store,
                                                            marketing_context: DeskContext, open_detail) -> None:
    detail = open_detail(marketing_context, "tick-00001")
    detail.note_text.setPlainText("勘查人员周三上午到场")
    detail.save_internal.click()
    qtbot.waitUntil(lambda: detail.internal_notes.count() == 1, timeout=5000)
    detail.note_text.setPlainText("您好，工作人员将于周三上午上门勘查。")
    detail.send_reply.click()
    qtbot.waitUntil(lambda: detail.customer_replies.count() == 1, timeout=5000)
    assert "周三上午到场" in detail.internal_notes.item(0).text()
    assert "上门勘查" in detail.customer_replies.item(0).text()
    notes = [m.fields for m in store.pending_mutations() if m.entity == "note"]
    assert [(n["visibility"], n["author_id"]) for n in notes] == [("internal", "s-mkt"), ("customer", "s-mkt")]


def test_return_visit_records_satisfaction_and_the_leads_ratings(qtbot: QtBot, server: Server, store: Store,
                                                                 open_detail) -> None:
    done: dict[str, Any] = {"state": "done", "completed_at": iso(START - timedelta(minutes=10)), "due": None,
                            "warn": None}
    server.send(
        ("staff", staff_data("s-svc", "department", "service")),
        ("ticket", ticket_data(7, type_code="repair", channel="hotline", customer=None, state="in_progress")),
        ("stage_task", task_data(7, "accept_dispatch", "dispatch", **done)),
        ("stage_task", task_data(7, "arrive", "operations", **done)),
        ("stage_task", task_data(7, "repaired", "operations", **done)),
        ("stage_task", task_data(7, "return_visit", "service", state="taken", assignee_id="s-svc")),
    )
    service = make_context(store, "s-svc", "department", "service")
    detail = open_detail(service, "tick-00007")
    detail.select_task("task-00007-return_visit")
    click(detail, "stageAction_done")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, ReturnVisitDialog) and list(dialog.ratings) == ["dispatch"]
    dialog.ok_button.click()  # no satisfaction yet: refused with a sentence, nothing written
    assert dialog.isVisible() and dialog.error.text() == "请填写客户满意度" and store.outbox_size() == 0
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("resolved"))
    dialog.satisfaction.setValue(4)
    dialog.ratings["dispatch"].setValue(3)
    dialog.ok_button.click()
    pending = settle(qtbot, detail, store, 5)
    transition, customer_rating, satisfaction, lead_rating, note = pending
    visit = transition.fields["result"]["return_visit"]
    assert (visit["outcome"], visit["satisfaction"], visit["lead_department"], visit["lead_ratings"]) == \
        ("resolved", 4, "operations", {"dispatch": 3})
    assert transition.transition is not None and transition.transition.to_state == "done"
    assert (satisfaction.entity, satisfaction.fields) == ("ticket", {"satisfaction": 4})
    # 客户评价 and 主责评价 are first-class evaluation records, synced like everything else.
    assert (customer_rating.entity, customer_rating.op) == ("evaluation", "create")
    assert (customer_rating.fields["evaluator"], customer_rating.fields["score"]) == ("customer", 4)
    assert (lead_rating.fields["evaluator"], lead_rating.fields["from_department"],
            lead_rating.fields["to_department"], lead_rating.fields["score"]) == ("lead", "operations", "dispatch", 3)
    assert note.entity == "note" and note.fields["body"] == "回访：问题已解决；客户满意度 4 分；主责评价：调度 3"
    assert store.ticket("tick-00007").satisfaction == 4  # type: ignore[union-attr]


def test_closing_a_complaint_at_the_window_asks_for_the_visit(qtbot: QtBot, server: Server, store: Store,
                                                              open_detail) -> None:
    server.send(("staff", staff_data("s-clerk", "clerk")),
                ("ticket", ticket_data(8, type_code="complaint", state="awaiting_visit", customer=None)))
    clerk = make_context(store, "s-clerk", "clerk", None)
    detail = open_detail(clerk, "tick-00008")
    click(detail, "ticketAction_closed")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, ReturnVisitDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("unreachable"))
    dialog.ok_button.click()
    pending = settle(qtbot, detail, store, 2)
    assert [m.entity for m in pending] == ["note", "ticket"]
    assert pending[1].transition is not None and pending[1].transition.to_state == "closed"
    assert store.ticket("tick-00008").satisfaction is None  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.state == "closed", timeout=5000)
    assert detail.findChild(QPushButton, "ticketAction_reopened") is not None


def test_stage_tasks_are_chosen_from_the_keyboard(qtbot: QtBot, office: Server, marketing_context: DeskContext,
                                                  open_detail) -> None:
    detail = open_detail(marketing_context, "tick-00001")
    detail.tasks.setCurrentCell(0, 0)
    qtbot.keyClick(detail.tasks, Qt.Key.Key_Down)
    chosen = detail.selected_task()
    assert chosen is not None and detail.tasks.item(1, 0).data(Qt.ItemDataRole.UserRole) == chosen.id
    assert detail.findChild(QPushButton, "stageAction_taken") is not None  # the moves follow the selection
