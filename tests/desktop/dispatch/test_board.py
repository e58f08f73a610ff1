"""The dispatch board driven like a dispatcher: drag, keys, suggestions, batch review, conflicts, remote surveys."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from desktop.dispatch import DispatchBoard
from desktop.dispatch.proposal import ProposalModel
from domain import records
from domain.sync import MutationResult
from local_store import Store
from tests.desktop.dispatch.conftest import OFFICE, Said, Server, office_time, survey_rows, surveyor_data
from tests.desktop.support import OFFSCREEN_NOISE, settled

pytestmark = OFFSCREEN_NOISE


def survey(store: Store, assignment_id: str) -> records.SurveyAssignment:
    found = store.survey_assignment(assignment_id)
    assert found is not None and found.office_id == OFFICE
    return found


def drop(board: DispatchBoard, request_id: str, surveyor_id: str, hour: int, minute: int = 0) -> None:
    """Drop a queue row (its real drag payload) on the timeline at this surveyor and time."""
    row = board.queue_model.row_of(request_id)
    mime = board.queue_model.mimeData([board.queue_model.index(row, 0)]) if row >= 0 else QMimeData()
    if row < 0:  # a booked survey dragged between surveyors carries the same payload
        mime.setData("application/x-onewindow-survey", request_id.encode())
    point = board.timeline.point_for(surveyor_id, office_time(hour, minute))
    event = QDropEvent(point.toPointF(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    board.timeline.dropEvent(event)  # the widget's own drop handler (offscreen Qt starts no real drag)
    assert event.isAccepted()


def select_request(board: DispatchBoard, request_id: str) -> None:
    board.queue_view.setCurrentIndex(board.queue_model.index(board.queue_model.row_of(request_id), 0))


def booked(qtbot: QtBot, store: Store, assignment_id: str, surveyor_id: str) -> records.SurveyAssignment:
    qtbot.waitUntil(lambda: survey(store, assignment_id).surveyor_id == surveyor_id, timeout=5000)
    return survey(store, assignment_id)


def test_every_model_passes_the_model_tester(board: DispatchBoard, qtmodeltester: Any) -> None:
    qtmodeltester.check(board.queue_model)
    select_request(board, "sa-1")
    assert board.suggestion_model.rowCount() > 0
    qtmodeltester.check(board.suggestion_model)
    from domain.dispatch.batch import batch_assign

    day = board.day
    assert day is not None
    proposal = batch_assign([i.request for i in day.queue], day.surveyors, day.assignments, day.day,
                            now=office_time(7), time_limit_s=10)
    qtmodeltester.check(ProposalModel(proposal, {}, {}))


def test_the_queue_shows_what_a_dispatcher_decides_by(board: DispatchBoard) -> None:
    model = board.queue_model
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row == ["GD20250304000001", "低压居民", "城关", "低压", "2天0小时", "现场勘查"]
    queue = board.findChild(QTableView, "unassignedQueue")
    assert queue is not None and queue.accessibleName() == "待派工队列"
    assert board.objectName() == "dispatchBoard" and board.accessibleName()
    for name in ("surveyorTimeline", "suggestions", "batchAssign"):
        found = board.findChild(QWidget, name)
        assert found is not None and found.accessibleName(), name


def test_the_day_reads_iso_in_the_office_zone_with_a_calendar(board: DispatchBoard) -> None:
    assert board.date_edit.text() == "2025-03-04"  # 23:00 UTC on the 3rd is the 4th in the office
    assert board.date_edit.calendarPopup()
    view = board.queue_view
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance("GD20250304000001") + 8  # never cut
    model = board.queue_model
    tip = model.data(model.index(0, 4), Qt.ItemDataRole.ToolTipRole)
    assert tip is not None and "+00:00" not in tip and tip.startswith("2025-03-")


def test_selecting_a_request_suggests_qualified_surveyors_with_reasons(board: DispatchBoard) -> None:
    select_request(board, "sa-1")
    model = board.suggestion_model
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == ["李勘查", "赵勘查"]  # 王 is not qualified
    assert model.data(model.index(1, 1)).startswith("2025-03-05 ")  # 赵's day is full: tomorrow at the earliest
    assert "路程" in board.explanation.text() and "分" in board.explanation.text()
    view = board.suggestion_view  # the start time fits its column on one line (it wrapped in 100 px)
    start = view.fontMetrics().horizontalAdvance(model.data(model.index(1, 1)))
    assert view.columnWidth(1) >= start


def test_dropping_on_a_qualified_surveyor_books_the_survey(qtbot: QtBot, board: DispatchBoard, store: Store) -> None:
    drop(board, "sa-1", "sv-0", 10)
    record = booked(qtbot, store, "sa-1", "sv-0")
    assert record.state == "assigned" and record.start == office_time(10)
    queued = store.pending_mutations()  # queued in the outbox: works offline
    assert [(m.entity_id, m.op) for m in queued] == [("sa-1", "transition")]  # one write: the server books atomically
    assert queued[0].transition is not None and queued[0].transition.to_state == "assigned"
    fields = queued[0].fields
    assert fields["surveyor_id"] == "sv-0" and datetime.fromisoformat(fields["start"]) == office_time(10)
    assert datetime.fromisoformat(fields["end"]) == office_time(11)
    qtbot.waitUntil(lambda: board.queue_model.rowCount() == 1, timeout=5000)
    assert board.timeline.event_summary()["sv-0"] == ["sa-1"]


def test_dropping_on_an_unqualified_surveyor_is_refused_naming_the_rule(
    qtbot: QtBot, board: DispatchBoard, store: Store, said: Said
) -> None:
    drop(board, "sa-1", "sv-1", 10)
    assert said.warnings() and "资质" in said.warnings()[-1] and "王勘查" in said.warnings()[-1]
    settled(qtbot)
    assert survey(store, "sa-1").state == "unassigned" and store.pending_mutations() == []


def test_dropping_on_a_full_day_is_refused_naming_the_capacity_rule(
    board: DispatchBoard, store: Store, said: Said
) -> None:
    drop(board, "sa-1", "sv-2", 13)
    assert said.warnings() and "当日容量" in said.warnings()[-1]
    assert survey(store, "sa-1").state == "unassigned"


def test_keyboard_selects_a_surveyor_and_enter_books_the_earliest_slot(
    qtbot: QtBot, board: DispatchBoard, store: Store
) -> None:
    select_request(board, "sa-2")
    board.timeline.setFocus()
    qtbot.keyClick(board.timeline, Qt.Key.Key_Down)
    qtbot.keyClick(board.timeline, Qt.Key.Key_Up)
    current = board.timeline.current_surveyor()
    assert current is not None and current.id == "sv-0"
    qtbot.keyClick(board.timeline, Qt.Key.Key_Return)
    record = booked(qtbot, store, "sa-2", "sv-0")
    assert record.start == office_time(8, 40)  # shift 08:30 + 10 min drive of 5 km


def test_arrows_move_a_booking_later_and_to_another_surveyor(qtbot: QtBot, board: DispatchBoard, store: Store,
                                                             office: Server) -> None:
    drop(board, "sa-1", "sv-0", 10)
    booked(qtbot, store, "sa-1", "sv-0")
    qtbot.waitUntil(lambda: board.timeline.event_summary()["sv-0"] == ["sa-1"], timeout=5000)
    board.timeline.select_assignment("sa-1")
    board.timeline.setFocus()
    qtbot.keyClick(board.timeline, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: survey(store, "sa-1").start == office_time(10, 15), timeout=5000)
    office.send(("surveyor", {"id": "sv-3", "office_id": OFFICE, "version": 1, "name": "钱勘查",
                              "territories": ["城关"], "skills": ["low_voltage"], "daily_capacity": 4}))
    board.refresh()
    qtbot.waitUntil(lambda: "sv-3" in board.timeline.event_summary(), timeout=5000)
    drop(board, "sa-1", "sv-3", 11)  # dragged between surveyors
    booked(qtbot, store, "sa-1", "sv-3")


@pytest.mark.timeout(60)
def test_batch_assign_locks_the_covered_surveyors_and_one_step_accepts_the_proposal(
    qtbot: QtBot, board: DispatchBoard, store: Store, said: Said
) -> None:
    board.batch_button.click()
    assert board.locked == frozenset({"sv-0", "sv-1", "sv-2"})
    qtbot.waitUntil(lambda: board.proposal_dialog is not None, timeout=30000)
    dialog = board.proposal_dialog
    assert dialog is not None and dialog.model.rowCount() == 2  # both surveys to 李 (王 unqualified, 赵 full)
    drop(board, "sa-1", "sv-0", 15)
    assert "自动派工进行中" in said.warnings()[-1]  # manual edits wait for the review
    dialog.accept_all.click()
    qtbot.waitUntil(lambda: survey(store, "sa-1").state == "assigned" and survey(store, "sa-2").state == "assigned",
                    timeout=5000)
    assert {survey(store, n).surveyor_id for n in ("sa-1", "sa-2")} == {"sv-0"}
    assert board.locked == frozenset() and board.batch_button.isEnabled()


def test_a_rejected_booking_shows_both_versions_and_a_fix(qtbot: QtBot, board: DispatchBoard, store: Store) -> None:
    drop(board, "sa-1", "sv-0", 10)
    booked(qtbot, store, "sa-1", "sv-0")
    mutation = store.pending_mutations()[0]
    server_row = survey_rows(1)[2][1] | {"version": 2}
    store.apply_push_results([MutationResult(mutation_id=mutation.mutation_id, status="rejected", entity="survey_assignment",
                                             entity_id="sa-1", code="surveyor_on_leave", reason="勘查员当天请假",
                                             record=server_row)])
    board.refresh()
    qtbot.waitUntil(lambda: board.conflicts.list.count() == 1, timeout=5000)
    text = board.conflicts.list.item(0).text()
    assert "我的版本：李勘查" in text and "服务器版本" in text and "请假" in text and "建议：改派给" in text
    fix = board.conflicts.fixes()[0]
    assert fix is not None
    board.conflicts.fix_button.click()
    qtbot.waitUntil(lambda: store.conflicts() == [] and survey(store, "sa-1").surveyor_id == fix.surveyor_id,
                    timeout=5000)


def test_remote_survey_is_booked_as_video_recorded_and_converted(
    qtbot: QtBot, board: DispatchBoard, store: Store, tmp_path: Path, office: Server
) -> None:
    office.send(("surveyor", {"id": "sv-3", "office_id": OFFICE, "version": 1, "name": "钱勘查", "territories": ["城关"],
                              "skills": ["remote_video"], "daily_capacity": 4}))
    board.refresh()
    qtbot.waitUntil(lambda: "sv-3" in board.timeline.event_summary(), timeout=5000)
    select_request(board, "sa-1")
    assert board.book_video_for_selection()
    record = booked(qtbot, store, "sa-1", "sv-3")
    assert record.mode == "remote"
    photo = tmp_path / "meter.jpg"
    photo.write_bytes(b"jpeg")
    board.record_remote_outcome("sa-1", "表箱需更换", [photo])
    qtbot.waitUntil(lambda: any(m.entity == "note" for m in store.pending_mutations()), timeout=5000)
    note = next(m for m in store.pending_mutations() if m.entity == "note")
    assert "表箱需更换" in note.fields["body"] and "meter.jpg" in note.fields["body"]
    board.convert_to_on_site("sa-1")
    qtbot.waitUntil(lambda: survey(store, "sa-1").mode == "on_site" and survey(store, "sa-1").state == "unassigned",
                    timeout=5000)


def test_point_for_is_on_the_surveyors_row(board: DispatchBoard) -> None:
    point = board.timeline.point_for("sv-1", office_time(12))
    assert board.timeline.row_at(point.y()) == 1
    assert board.timeline.moment_at(point.x()) == office_time(12)
    assert isinstance(point, QPoint)


def test_taking_a_suggestion_books_the_earliest_start_at_the_moment_of_assignment(
    qtbot: QtBot, desk_loop: Any, context: Any, office: Server, store: Store, said: Said
) -> None:
    now = [office_time(7)]
    board = DispatchBoard(context, clock=lambda: now[0], batch_time_limit_s=10.0)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.day is not None and board.queue_model.rowCount() == 2, timeout=5000)
    select_request(board, "sa-2")
    top = board.suggestion_model.suggestion(0)
    assert top is not None and top.surveyor_id == "sv-0" and top.start == office_time(8, 40)
    now[0] = office_time(9)  # the dispatcher answered the phone; the suggested start has passed
    board.suggestion_view.activated.emit(board.suggestion_model.index(0, 0))
    record = booked(qtbot, store, "sa-2", "sv-0")
    assert record.start is not None and record.start >= office_time(9)
    assert not said.warnings() and board.refusal.isHidden()


def test_a_refusal_is_shown_on_the_board(board: DispatchBoard, store: Store, said: Said) -> None:
    drop(board, "sa-1", "sv-1", 10)
    assert not board.refusal.isHidden() and "资质" in board.refusal.text()
    assert board.refusal.text() == said.warnings()[-1]
    select_request(board, "sa-2")  # another survey: the old refusal goes
    assert board.refusal.isHidden()


def test_the_dispatcher_overrides_a_surveys_territory(qtbot: QtBot, board: DispatchBoard, store: Store,
                                                      office: Server) -> None:
    office.send(("surveyor", surveyor_data(3, skills=["low_voltage"], territories=["河口"])))
    board.refresh()  # the pull that brought the surveyor
    qtbot.waitUntil(lambda: board.day is not None and board.day.surveyor("sv-3") is not None, timeout=5000)
    select_request(board, "sa-1")
    choice = board.territory_choice
    assert [choice.itemText(i) for i in range(choice.count())] == ["城关", "河口"] and choice.currentText() == "城关"
    choice.setCurrentIndex(choice.findText("河口"))
    board.territory_button.click()
    qtbot.waitUntil(lambda: survey(store, "sa-1").territory == "河口", timeout=5000)
    (pending,) = store.pending_mutations()
    assert (pending.entity, pending.op, pending.fields) == ("survey_assignment", "update", {"territory": "河口"})
    model = board.suggestion_model
    qtbot.waitUntil(lambda: [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["钱勘查"],
                    timeout=5000)


def test_a_cancelled_tickets_survey_leaves_the_queue_when_pulled(qtbot: QtBot, board: DispatchBoard,
                                                                  office: Server) -> None:
    rows = dict(survey_rows(1, state="cancelled"))  # the server withdrew it with the ticket's cancellation
    office.send(("survey_assignment", {**rows["survey_assignment"], "version": 2}))
    board.refresh()
    qtbot.waitUntil(lambda: board.queue_model.rowCount() == 1, timeout=5000)
    assert board.queue_model.row_of("sa-1") < 0


def test_a_survey_without_territory_or_skill_yet_can_be_suggested(qtbot: QtBot, board: DispatchBoard,
                                                                   office: Server) -> None:
    rows = dict(survey_rows(4))  # as the server opens it when the intake address named no territory
    office.send(*survey_rows(4)[:2], ("survey_assignment", {**rows["survey_assignment"], "territory": None,
                                                            "required_skill": None}))
    board.refresh()
    qtbot.waitUntil(lambda: board.queue_model.row_of("sa-4") >= 0, timeout=5000)
    select_request(board, "sa-4")
    assert board.suggestion_model.rowCount() == 3  # the server checks neither rule on such a survey either


def test_taking_a_suggestion_while_the_clock_runs_is_not_refused_as_stale(
    qtbot: QtBot, desk_loop: Any, context: Any, office: Server, store: Store, said: Said
) -> None:
    """Inside the shift the earliest start is "now + the drive": judged against a later reading of the clock,
    it was always a few milliseconds too early (seen: refused twice with 路程衔接)."""
    ticks = [office_time(10)]

    def clock() -> datetime:  # a real clock moves between two readings
        ticks[0] += timedelta(milliseconds=5)
        return ticks[0]

    board = DispatchBoard(context, clock=clock, batch_time_limit_s=10.0)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.day is not None and board.queue_model.rowCount() == 2, timeout=5000)
    select_request(board, "sa-2")
    board.suggestion_view.activated.emit(board.suggestion_model.index(0, 0))
    record = booked(qtbot, store, "sa-2", "sv-0")
    assert record.start == office_time(10, 11)  # ten minutes' drive from now, on the next whole minute
    assert not said.warnings() and board.refusal.isHidden()
