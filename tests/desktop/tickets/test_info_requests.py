"""补充材料/信息 in the ticket detail over a real store: offered on a stage the signed-in department works, the
form says what is missing before anything is written, the request lands in the list, the history and the outbox,
and 已补齐 is offered to who receives what was asked; 撤回 (asked by mistake) to the asking department."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.tickets.detail import TicketDetail
from desktop.tickets.info_requests import InfoRequestDialog, MeetDialog, WithdrawDialog
from domain.catalogue import load_catalogue
from local_store import Store
from tests.desktop.support import settled
from tests.desktop.tickets.conftest import DeskClock, Server, make_context

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


def ask_button(detail: TicketDetail) -> QPushButton | None:
    found = detail.findChildren(QPushButton, "askInfoRequest")  # the one shown now (replaced ones await deletion)
    return next((b for b in found if not b.isHidden()), None)


def test_the_stage_asks_the_customer_and_the_clerk_marks_it_met(qtbot: QtBot, office: Server, store: Store,
                                                                marketing_context: DeskContext, open_detail) -> None:
    detail = open_detail(marketing_context, "tick-00001")
    detail.select_task("task-00001-accept")  # done: nothing more is asked on it
    assert ask_button(detail) is None
    detail.select_task("task-00001-survey")
    button = ask_button(detail)
    assert button is not None
    button.click()
    dialog = detail.info_requests.active_dialog
    assert isinstance(dialog, InfoRequestDialog)
    names = [dialog.materials.item(row).text() for row in range(dialog.materials.count())]
    assert len(names) == 3 and all(names)  # the type's materials and its optional one, by name
    dialog.ok_button.click()  # nothing chosen: the form says so and writes nothing
    assert "材料" in dialog.error.text() and store.outbox_size() == 0
    dialog.materials.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.detail.setPlainText("<b>原件</b>")
    dialog.ok_button.click()
    assert "原因" in dialog.error.text() and store.outbox_size() == 0
    dialog.reason.setText("产权证明复印件与现场地址不符")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: store.outbox_size() == 1, timeout=5000)
    settled(qtbot)
    qtbot.waitUntil(lambda: detail.bundle is not None and len(detail.bundle.requests) == 1, timeout=5000)
    (request,) = detail.bundle.requests
    assert (request.addressee, request.department, request.requested_by) == ("customer", "marketing", "s-mkt")
    assert detail.info_requests.table.rowCount() == 1
    assert "<b>原件</b>" in detail.info_requests.table.item(0, 3).text()  # typed text stays as typed
    history = [detail.history.item(row).text() for row in range(detail.history.count())]
    assert any("向客户索要补充材料" in line and "产权证明复印件与现场地址不符" in line and "（待同步）" in line
               for line in history)  # still in the outbox
    (mutation,) = store.pending_mutations()
    assert (mutation.entity, mutation.op) == ("info_request", "create")

    # marketing asked, the customer brings it to the window: the clerk marks it met (the stage's department may too).
    clerk = make_context(store, "s-clerk", "clerk", None)
    at_window = open_detail(clerk, "tick-00001")
    assert ask_button(at_window) is None  # a clerk does not ask on a department's stage
    at_window.info_requests.select(request.id)
    assert at_window.info_requests.meet_button.isEnabled()
    at_window.info_requests.meet_button.click()
    meet = at_window.info_requests.active_dialog
    assert isinstance(meet, MeetDialog)
    meet.note.setText("客户已送来原件")
    meet.ok_button.click()
    qtbot.waitUntil(lambda: store.outbox_size() == 2, timeout=5000)
    qtbot.waitUntil(lambda: at_window.bundle is not None and at_window.bundle.requests[0].state == "met",
                    timeout=5000)
    assert not at_window.info_requests.meet_button.isEnabled()
    assert "客户已送来原件" in at_window.info_requests.table.item(0, 5).text()


def test_a_request_asked_by_mistake_is_withdrawn_by_the_asking_department(
        qtbot: QtBot, office: Server, store: Store, marketing_context: DeskContext, open_detail) -> None:
    asked = store.request_info("task-00001-survey", addressee="customer", materials=["identity"], reason="复印件不清",
                               role="department", department="marketing", requested_by="s-mkt")
    clerk = make_context(store, "s-clerk", "clerk", None)
    at_window = open_detail(clerk, "tick-00001")
    at_window.info_requests.select(asked.id)
    assert not at_window.info_requests.withdraw_button.isEnabled()  # not the clerk's to withdraw
    detail = open_detail(marketing_context, "tick-00001")
    detail.info_requests.select(asked.id)
    assert detail.info_requests.withdraw_button.isEnabled()
    detail.info_requests.withdraw_button.click()
    dialog = detail.info_requests.active_dialog
    assert isinstance(dialog, WithdrawDialog)
    dialog.ok_button.click()  # no reason: the form says so and writes nothing
    assert "撤回原因" in dialog.error.text() and store.outbox_size() == 1
    dialog.reason.setText("客户受理时已交身份证")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: store.outbox_size() == 2, timeout=5000)
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.requests[0].state == "withdrawn",
                    timeout=5000)
    assert not detail.info_requests.withdraw_button.isEnabled() and not detail.info_requests.meet_button.isEnabled()
    assert "客户受理时已交身份证" in detail.info_requests.table.item(0, 5).text()
    assert "已撤回" in detail.info_requests.table.item(0, 5).text()
    history = [detail.history.item(row).text() for row in range(detail.history.count())]
    assert any("已撤回" in line and "客户受理时已交身份证" in line and "（待同步）" in line for line in history)
    last = store.pending_mutations()[-1]
    assert last.transition is not None and last.transition.to_state == "withdrawn"
