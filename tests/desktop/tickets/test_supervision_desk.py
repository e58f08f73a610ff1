"""督办 on the desk against a real store (docs/coordination.md): the coordination list over a custom range
(refused with a clear sentence when backwards or too long), a 督办 raised from a stuck line, a meeting whose
list opens with the open actions and that raises its own, 我的督办 closed with a result by the department,
and the notices each person gets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from desktop.supervision.action_dialog import ActionDialog
from desktop.supervision.meeting_dialog import MeetingDialog
from desktop.supervision.panel import ActionsPanel, ResultDialog, SupervisionDialog
from desktop.supervision.watch import ActionSnapshot, action_notices
from desktop.tickets.coordination_dialog import CoordinationDialog
from domain.catalogue import load_catalogue
from domain.records import Staff, SupervisionAction
from local_store import Store
from tests.desktop.tickets import test_coordination
from tests.desktop.tickets.conftest import START, DeskClock, Server, make_context, staff_data

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
TODAY = date(2025, 3, 3)  # START's office day
busy_office = test_coordination.busy_office  # the fixture: a busy office's stages


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_a_custom_range_is_checked_before_the_list_is_read(qtbot: QtBot, store: Store, busy_office: Server) -> None:
    context = make_context(store, "s-sup", "supervisor", None)
    dialog = CoordinationDialog(context, load_catalogue(), lambda: START + timedelta(days=1))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=5000)
    dialog.period.setCurrentIndex(dialog.period.findData("custom"))
    assert dialog.range_start.isVisibleTo(dialog) and dialog.range_end.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.period == "custom", timeout=5000)

    before = dialog.report
    dialog.range_start.setDate(_qdate(TODAY + timedelta(days=2)))
    dialog.range_end.setDate(_qdate(TODAY))
    dialog.range_apply.click()
    assert dialog.range_error.text() == "开始日期不能晚于结束日期" and dialog.report is before
    dialog.range_start.setDate(_qdate(date(2023, 1, 1)))
    dialog.range_apply.click()
    assert "366" in dialog.range_error.text() and dialog.report is before

    dialog.range_start.setDate(_qdate(TODAY - timedelta(days=5)))
    dialog.range_end.setDate(_qdate(TODAY))
    dialog.range_apply.click()
    qtbot.waitUntil(lambda: dialog.report is not before, timeout=5000)
    assert dialog.range_error.text() == ""
    report = dialog.report
    assert report is not None and report.start.date() == TODAY - timedelta(days=5)
    assert report.end.date() == TODAY + timedelta(days=1)  # the last day included
    assert "自定义" in dialog.title.text()


def test_a_stuck_line_becomes_a_department_action(qtbot: QtBot, store: Store, busy_office: Server) -> None:
    context = make_context(store, "s-sup", "supervisor", None)
    dialog = CoordinationDialog(context, load_catalogue(), lambda: START + timedelta(days=1))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.stuck.rowCount() > 0, timeout=5000)
    assert dialog.record_meeting.isVisibleTo(dialog) and dialog.supervise.isVisibleTo(dialog)
    assert dialog.report is not None
    line = dialog.report.stuck[0]
    dialog.stuck.selectRow(0)
    form = dialog.supervise_selected()
    assert isinstance(form, ActionDialog)
    assert form.department.currentData() == line.department and line.ticket_number in form.title_edit.text()
    form.title_edit.clear()
    form.ok_button.click()  # no title: said on the form, nothing stored
    assert form.error.text() == "请填写督办事项" and store.outbox_size() == 0
    form.title_edit.setText("计量环节三天未动，今日内派员")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        form.ok_button.click()
    action = saved.args[0]
    assert isinstance(action, SupervisionAction)
    assert (action.department, action.ticket_ids, action.source["kind"]) == (line.department, [line.ticket_id],
                                                                              "coordination")
    assert store.supervision_actions(context.office_id) == [action]
    assert [(m.entity, m.op) for m in store.pending_mutations()] == [("supervision_action", "create")]

    # On the tracking list: the ticket's number, and the ticket opens from it.
    panel = ActionsPanel(context, lambda: START + timedelta(days=1))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.loading and panel.table.rowCount() == 1, timeout=5000)
    assert panel.table.item(0, 6).text() == line.ticket_number  # type: ignore[union-attr]
    panel.select(action.id)
    assert panel.tickets_button.isEnabled()
    menu = panel.tickets_menu()
    assert menu is not None and [a.text() for a in menu.actions()] == [line.ticket_number]
    with qtbot.waitSignal(panel.ticket_chosen, timeout=5000) as opened:
        menu.actions()[0].trigger()
    assert opened.args == [line.ticket_id]
    menu.close()

    # The clerk's desk offers neither.
    clerk = CoordinationDialog(make_context(store, "s-clerk", "clerk", None), load_catalogue(), lambda: START)
    qtbot.addWidget(clerk)
    assert not clerk.record_meeting.isVisibleTo(clerk) and not clerk.supervise.isVisibleTo(clerk)


def test_a_meeting_opens_with_the_open_actions_and_raises_its_own(qtbot: QtBot, store: Store,
                                                                  busy_office: Server, desk_clock: DeskClock) -> None:
    context = make_context(store, "s-sup", "supervisor", None)
    older = store.create_action(office_id=context.office_id, title="上周遗留：设计审查积压", department="design",
                                due_on=TODAY, created_by="s-sup")
    desk_clock.advance(days=2)  # the older action is now two days late
    coordination = CoordinationDialog(context, load_catalogue(), desk_clock)
    qtbot.addWidget(coordination)
    qtbot.waitUntil(lambda: coordination.report is not None, timeout=5000)
    meeting = coordination.open_meeting()
    assert isinstance(meeting, MeetingDialog)
    qtbot.waitUntil(lambda: not meeting.loading, timeout=5000)
    assert coordination.report is not None
    assert [item.kind for item in meeting.items] == ["action"] + ["stuck"] * len(coordination.report.stuck)
    assert meeting.items[0].ref == older.id and "超期 2 天" in meeting.agenda.item(0, 1).text()  # type: ignore[union-attr]

    meeting.agenda.selectRow(0)
    assert meeting.raise_for_selected() is None and meeting.error.text() == "该项已在督办中。"
    meeting.agenda.selectRow(1)
    form = meeting.raise_for_selected()
    assert isinstance(form, ActionDialog)
    form.ok_button.click()
    qtbot.waitUntil(lambda: len(meeting.new_actions) == 1, timeout=5000)
    assert store.supervision_actions(context.office_id) == [older]  # held until the meeting is saved
    meeting.decisions.setPlainText("计量本周内清理；设计积压下周复查")
    meeting.save_button.click()
    qtbot.waitUntil(lambda: meeting.saved_meeting is not None, timeout=5000)
    saved = meeting.saved_meeting
    assert saved is not None and saved.meeting_kind == "daily" and saved.decisions.startswith("计量本周内清理")
    assert [item["kind"] for item in saved.items][0] == "action"
    raised = [a for a in store.supervision_actions(context.office_id) if a.meeting_id == saved.id]
    assert len(raised) == 1 and raised[0].department == meeting.items[1].department
    assert [(m.entity, m.op) for m in store.pending_mutations()][-2:] == [("meeting", "create"),
                                                                          ("supervision_action", "create")]

    # 会议记录: the meeting with its decisions and the action it raised, beside 督办跟踪.
    history = SupervisionDialog(context, desk_clock)
    qtbot.addWidget(history)
    assert history.meetings is not None and history.tabs.count() == 2
    qtbot.waitUntil(lambda: not history.meetings.loading and history.meetings.select(saved.id), timeout=5000)  # type: ignore[union-attr]
    text = history.meetings.detail.toPlainText()
    assert "计量本周内清理；设计积压下周复查" in text and raised[0].title in text
    assert history.meetings.table.item(0, 4).text() == "1 项（未办结 1）"  # type: ignore[union-attr]
    history.shutdown()


def test_my_actions_are_my_departments_and_i_close_them_with_a_result(qtbot: QtBot, store: Store,
                                                                       server: Server) -> None:
    server.send(("staff", staff_data("s-sup", "supervisor")), ("staff", staff_data("s-mkt", "department", "marketing")))
    mine = store.create_action(office_id="office-t", title="清理营销积压", department="marketing", due_on=TODAY,
                               created_by="s-sup")
    store.create_action(office_id="office-t", title="设计复盘", department="design", due_on=TODAY, created_by="s-sup")
    context = make_context(store, "s-mkt", "department", "marketing")
    panel = ActionsPanel(context, lambda: START)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.loading and panel.table.rowCount() == 1, timeout=5000)
    assert panel.heading.text() == "我的督办" and not panel.new_button.isVisibleTo(panel)
    plain = SupervisionDialog(context, lambda: START)
    qtbot.addWidget(plain)
    assert plain.meetings is None  # a department has no meetings tab
    plain.shutdown()
    assert not panel.close_button.isEnabled()  # nothing selected
    panel.select(mine.id)
    assert panel.close_button.isEnabled() and not panel.cancel_button.isVisibleTo(panel)
    dialog = panel.close_selected()
    assert isinstance(dialog, ResultDialog) and not dialog.ok_button.isEnabled()
    dialog.result_edit.setPlainText("已清理 12 件，余 0 件")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: (store.supervision_action(mine.id) or mine).state == "done", timeout=5000)
    qtbot.waitUntil(lambda: not panel.loading and panel.table.rowCount() == 0, timeout=5000)  # 未办结 only
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    qtbot.waitUntil(lambda: not panel.loading and panel.table.rowCount() == 1, timeout=5000)
    assert panel.table.item(0, 3).text().startswith("已办结")  # type: ignore[union-attr]
    assert panel.table.item(0, 4).text() == "已清理 12 件，余 0 件"  # type: ignore[union-attr]
    panel.select(mine.id)
    history = panel.history.text().splitlines()
    assert history[0].startswith("s-sup 于 2025-03-03 09:00 督办，要求 2025-03-03 前办结")
    assert history[-1] == "已办结，待上传：已清理 12 件，余 0 件"  # the server says who and when
    assert context.engine.pushes_asked >= 1  # type: ignore[union-attr]


def _action(**fields: object) -> SupervisionAction:
    base: dict[str, object] = {"id": "a-1", "office_id": "office-t", "title": "清理积压", "department": "marketing",
                               "due_on": TODAY, "created_by": "s-sup", "created_at": START}
    base.update(fields)
    return SupervisionAction.model_validate(base)


def test_notices_new_late_and_closed() -> None:
    department = Staff.model_validate(staff_data("s-mkt", "department", "marketing"))
    boss = Staff.model_validate(staff_data("s-sup", "supervisor"))
    empty = ActionSnapshot(START, {})
    landed = ActionSnapshot(START, {"a-1": _action()})
    assert [n.kind for n in action_notices(empty, landed, department)] == ["assigned"]
    assert action_notices(empty, landed, boss) == []  # the supervisor made it
    assert action_notices(None, landed, department) == []  # the first read is the baseline
    next_day = ActionSnapshot(START + timedelta(days=1), landed.actions)
    assert [n.kind for n in action_notices(landed, next_day, department)] == ["late"]
    assert action_notices(next_day, next_day, department) == []  # said once
    assert [n.kind for n in action_notices(None, next_day, department)] == ["late"]  # a desk opened late hears it
    reminded = ActionSnapshot(START, {"a-1": _action(reminded_at=START)})  # the server's reminder, before the desk's clock
    assert [n.kind for n in action_notices(landed, reminded, department)] == ["late"]
    unsynced = ActionSnapshot(START, {}, before_first_sync=True)  # read before the first pull
    assert action_notices(unsynced, landed, department) == []  # the office's state, not news
    closed = ActionSnapshot(START, {"a-1": _action(state="done", result="已办", closed_by="s-mkt")})
    assert [n.kind for n in action_notices(landed, closed, boss)] == ["closed"]
    assert action_notices(landed, closed, department) == []


def test_typed_markup_in_a_督办_is_shown_as_typed(qtbot: QtBot, store: Store, server: Server) -> None:
    """A title, a requirement or a coordination line's reason is typed text: never rendered as rich text (a
    tooltip or label that guesses rich text would render <b> or load an <img>)."""
    server.send(("staff", staff_data("s-sup", "supervisor")))
    typed = "<b>加粗</b><img src='x.png'> & 电压 < 198V"
    action = store.create_action(office_id="office-t", title=typed, department="marketing", due_on=TODAY,
                                 detail=typed, created_by="s-sup")
    context = make_context(store, "s-sup", "supervisor", None)
    panel = ActionsPanel(context, lambda: START)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.loading and panel.table.rowCount() == 1, timeout=5000)
    tip = panel.table.item(0, 0).toolTip()  # type: ignore[union-attr]
    assert "&lt;b&gt;" in tip and "<b>" not in tip and "<img" not in tip
    panel.select(action.id)
    assert panel.history.textFormat() == Qt.TextFormat.PlainText
    meeting = MeetingDialog(context, lambda: START, None)  # the open action heads the new meeting's agenda
    qtbot.addWidget(meeting)
    qtbot.waitUntil(lambda: meeting.agenda.rowCount() >= 1, timeout=5000)
    agenda_tip = meeting.agenda.item(0, 1).toolTip()  # type: ignore[union-attr]
    assert "&lt;img" in agenda_tip and "<img" not in agenda_tip
    form = ActionDialog(context, lambda: START)
    qtbot.addWidget(form)
    assert form.origin.textFormat() == Qt.TextFormat.PlainText
