"""The survey dispatch board (勘查派工): unassigned queue, surveyors' timeline, suggestions, batch auto-assign.

Every booking is checked with domain.dispatch's hard rules before it is written; a refusal names the rule
through the message bridge. Writes go to the store as survey_assignment transitions/updates (outbox: they
work offline). A batch run holds the server's dispatch lock on the surveyors it covers until its review is
accepted or cancelled (locks.py): another desk's run or drop on them is refused, naming who; offline the
lock is this desk's only, and the status line says so. Manual edits here wait for the review either way.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.dispatch.conflicts import ConflictPanel
from desktop.dispatch.data import DispatchData, DispatchDay
from desktop.dispatch.locks import DispatchLocks, LockedElsewhere
from desktop.dispatch.proposal import ProposalDialog
from desktop.dispatch.queue_model import UnassignedQueueModel
from desktop.dispatch.suggestion_model import SuggestionModel
from desktop.dispatch.timeline import SurveyorTimeline, TimelineLegend
from desktop.display import date_edit
from desktop.i18n import current_language
from desktop.operations import Operation, changes, report_failure, store_executor
from domain.calendar import WorkingCalendar
from domain.dispatch import Assignment, Surveyor, SurveyRequest, suggest, validate_assignment
from domain.errors import InvalidInput
from domain.sla import OFFICE_ZONE

DISPATCH_KINDS = frozenset({"survey_assignment", "surveyor"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


if TYPE_CHECKING:
    from domain.dispatch.batch import BatchProposal

class DispatchBoard(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = _utc_now, calendar: WorkingCalendar | None = None,
                 batch_time_limit_s: float = 2.0) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchBoard")
        self.setAccessibleName(self.tr("勘查派工"))
        self._context = context
        self._clock = clock
        self._time_limit = batch_time_limit_s
        self.data = DispatchData(context.store, context.office_id, clock=clock, calendar=calendar)
        self.day: DispatchDay | None = None
        self.locked: frozenset[str] = frozenset()  # surveyors covered by a batch run in progress
        self.proposal_dialog: ProposalDialog | None = None
        self.locks = DispatchLocks(context, self)
        self._build()
        self.locks.statusChanged.connect(self.lock_status.setText)
        changes().changed.connect(self._on_changes)
        self.refresh()

    def _build(self) -> None:
        self.date_edit = date_edit(self)  # 2026-12-07, with a calendar
        self.date_edit.setObjectName("dispatchDay")
        self.date_edit.setAccessibleName(self.tr("派工日期"))
        today = self._clock().astimezone(OFFICE_ZONE).date()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.batch_button = QPushButton(self.tr("批量自动派工"), self)
        self.batch_button.setObjectName("batchAssign")
        self.batch_button.setAccessibleName(self.tr("批量自动派工"))
        self.batch_button.clicked.connect(self.run_batch)
        self.remote_button = QPushButton(self.tr("预约视频勘查"), self)
        self.remote_button.setObjectName("bookVideo")
        self.remote_button.setAccessibleName(self.tr("预约视频勘查"))
        self.remote_button.clicked.connect(self.book_video_for_selection)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("日期："), self))
        top.addWidget(self.date_edit)
        self.lock_status = QLabel(self)
        self.lock_status.setObjectName("dispatchLockStatus")
        self.lock_status.setTextFormat(Qt.TextFormat.PlainText)  # names the holder
        self.lock_status.setAccessibleName(self.tr("派工锁状态"))
        top.addWidget(self.lock_status, 1)
        top.addWidget(self.remote_button)
        top.addWidget(self.batch_button)

        self.queue_model = UnassignedQueueModel(self._clock, self)
        self.queue_view = QTableView(self)
        self.queue_view.setObjectName("unassignedQueue")
        self.queue_view.setAccessibleName(self.tr("待派工队列"))
        self.queue_view.setModel(self.queue_model)
        # A ticket number is never cut (the dispatcher reads it to the surveyor).
        self.queue_view.setColumnWidth(0, self.queue_view.fontMetrics().horizontalAdvance("GD00000000000000") + 24)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.setDragEnabled(True)
        self.queue_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.queue_view.selectionModel().currentRowChanged.connect(self._on_queue_row)

        self.suggestion_model = SuggestionModel(self)
        self.suggestion_view = QTableView(self)
        self.suggestion_view.setObjectName("suggestions")
        self.suggestion_view.setAccessibleName(self.tr("推荐勘查员"))
        self.suggestion_view.setModel(self.suggestion_model)
        self.suggestion_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.suggestion_view.selectionModel().currentRowChanged.connect(self._on_suggestion_row)
        self.suggestion_view.activated.connect(self._take_suggestion)
        self.assign_button = QPushButton(self.tr("按建议派工"), self)
        self.assign_button.setObjectName("assignSuggestion")
        self.assign_button.setAccessibleName(self.tr("按选中的建议派工"))
        self.assign_button.setToolTip(self._context.actions.with_shortcut(self.tr("按选中的建议派工"), "dispatch.assign"))
        self.assign_button.clicked.connect(self.assign_selected_suggestion)
        self._context.actions.bind("dispatch.assign", partial(_assign_from_keyboard, weakref.ref(self)))
        self.territory_choice = QComboBox(self)
        self.territory_choice.setObjectName("territoryChoice")
        self.territory_choice.setAccessibleName(self.tr("辖区"))
        self.territory_button = QPushButton(self.tr("改辖区"), self)
        self.territory_button.setObjectName("setTerritory")
        self.territory_button.setAccessibleName(self.tr("改辖区"))
        self.territory_button.clicked.connect(self.set_territory_of_selection)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("suggestionExplanation")
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setAccessibleName(self.tr("推荐理由"))
        self.explanation.setWordWrap(True)
        # A refusal is said where the dispatcher is looking, not only in the status bar.
        self.refusal = QLabel(self)
        self.refusal.setObjectName("dispatchRefusal")
        self.refusal.setAccessibleName(self.tr("不能派工的原因"))
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #c62828;")
        self.refusal.hide()
        self._refusal_for: str | None = None  # the survey the refusal is about

        self.timeline = SurveyorTimeline(self, clock=self._clock)
        self.legend = TimelineLegend(self)
        self.timeline.dropped.connect(self.assign_at)
        self.timeline.moveRequested.connect(self.assign_at)
        self.timeline.assignHere.connect(self.assign_selected_to)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        self.conflicts = ConflictPanel(self)
        self.conflicts.fixRequested.connect(self._apply_conflict_fix)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("待派工"), left))
        left_layout.addWidget(self.queue_view, 3)
        left_layout.addWidget(QLabel(self.tr("推荐"), left))
        left_layout.addWidget(self.suggestion_view, 2)
        territory_row = QHBoxLayout()
        territory_row.addWidget(self.assign_button)
        territory_row.addWidget(self.territory_choice, 1)
        territory_row.addWidget(self.territory_button)
        left_layout.addLayout(territory_row)
        left_layout.addWidget(self.explanation)
        left_layout.addWidget(self.refusal)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.legend)
        right_layout.addWidget(scroll, 4)
        right_layout.addWidget(self.conflicts, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([480, 960])  # the queue and the suggestions need room for a number, a name and a time
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split)

    # ---- reading -------------------------------------------------------------------------------

    def selected_day(self) -> date:
        picked = self.date_edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def refresh(self) -> asyncio.Task[Any]:
        day = self.selected_day()
        return Operation(self, lambda: self.data.load_day(day)).success(self._show_day).run()

    def _on_changes(self, kinds: frozenset[str]) -> None:
        if kinds & DISPATCH_KINDS:
            self.refresh()

    def _show_day(self, day: DispatchDay) -> None:
        selected = self.selected_request()
        self.day = day
        self.queue_model.set_items(day.queue)
        self.timeline.set_day(day)
        self.conflicts.show_conflicts(day, self._clock())
        if selected is not None and (row := self.queue_model.row_of(selected.id)) >= 0:
            self.queue_view.selectRow(row)
        else:
            self.suggestion_model.set_suggestions([], {})
            self.explanation.clear()

    def selected_request(self) -> SurveyRequest | None:
        item = self.queue_model.item(self.queue_view.currentIndex().row())
        return item.request if item is not None else None

    def _names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.day.surveyors} if self.day else {}

    def _on_queue_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.queue_model.item(current.row())
        if item is None or item.request.id != self._refusal_for:  # the same survey again (a refresh): it stays
            self._clear_refusal()
        self._show_territories(item.request.territory if item is not None else None)
        if item is None or self.day is None:
            self.suggestion_model.set_suggestions([], {})
            return
        result = suggest(item.request, self.day.surveyors, self.day.assignments, now=self._clock(),
                         limit=len(self.day.surveyors))
        self.suggestion_model.set_suggestions(result.suggestions, self._names())
        self.suggestion_view.resizeColumnsToContents()  # a start time (2026-12-08 14:00) on one line
        self.explanation.clear()
        if result.suggestions:
            self.suggestion_view.selectRow(0)
        elif result.rejected and result.rejected[0].violations:
            first = result.rejected[0].violations[0]
            self.explanation.setText(self.tr("无可派勘查员：") + first.message(current_language()))

    def _show_territories(self, current: str | None) -> None:
        """The office's territories (those its surveyors cover), the selected survey's chosen."""
        names = sorted({t for s in (self.day.surveyors if self.day else ()) for t in s.territories})
        self.territory_choice.clear()
        self.territory_choice.addItems(names)
        self.territory_choice.setCurrentIndex(names.index(current) if current in names else -1)
        self.territory_button.setEnabled(current is not None and bool(names))

    def set_territory_of_selection(self) -> asyncio.Task[Any] | None:
        """The dispatcher overrides the territory the intake address gave (synced like any booking)."""
        request, territory = self.selected_request(), self.territory_choice.currentText()
        if request is None or not territory:
            self._refuse(self.tr("请先在待派工队列中选择勘查单"))
            return None
        return Operation(self, lambda: self.data.set_territory(request.id, territory),
                         changes={"survey_assignment"}).success(lambda _record: self._context.notify_local_change()) \
            .failure(self._refused).run()

    def _on_suggestion_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        suggestion = self.suggestion_model.suggestion(current.row())
        self.explanation.setText(suggestion.reasons(current_language()) if suggestion else "")

    # ---- booking -------------------------------------------------------------------------------

    def assign_at(self, request_id: str, surveyor_id: str, start: datetime, *, mode: str | None = None,
                  now: datetime | None = None) -> bool:
        """Book a survey for a surveyor at `start` if no hard rule forbids it; otherwise say which rule.
        `now` is the moment `start` was worked out for (a start "as soon as they can get there" is judged
        against the same moment, not one a few milliseconds later)."""
        if self.day is None:
            return False
        request = self.day.requests.get(request_id)
        surveyor = self.day.surveyor(surveyor_id)
        if request is None or surveyor is None:
            return False
        current = next((a for a in self.day.assignments if a.request_id == request_id), None)
        touched = {surveyor_id} | ({current.surveyor_id} if current else set())
        if touched & self.locked:
            self._refuse(self.tr("自动派工进行中，不能手动调整这些勘查员的日程"))
            return False
        try:
            validate_assignment(request, surveyor, self.day.assignments, start, now=now or self._clock())
        except InvalidInput as refused:
            self._refuse(refused.message(current_language()))
            return False
        booking = Assignment.of(request, surveyor_id, start)
        role, day = self._context.role, start.astimezone(OFFICE_ZONE).date()

        async def book() -> Any:  # another desk planning these surveyors refuses the drop (LockedElsewhere)
            held = await self.locks.for_drop(touched, day)
            try:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(store_executor, lambda: self.data.assign(booking, role, mode=mode))
            finally:
                await self.locks.drop_done(held)

        Operation(self, book, changes={"survey_assignment"}).success(lambda _record: self._booked(booking)) \
            .failure(self._refused).run()
        return True

    def _refuse(self, text: str) -> None:
        selected = self.selected_request()
        self._refusal_for = selected.id if selected is not None else None
        self.refusal.setText(text)
        self.refusal.show()
        messages.warning(text)

    def _clear_refusal(self) -> None:
        self._refusal_for = None
        self.refusal.clear()
        self.refusal.hide()

    def _booked(self, booking: Assignment) -> None:
        self._clear_refusal()
        self._context.notify_local_change()
        name = self._names().get(booking.surveyor_id, booking.surveyor_id)
        messages.info(self.tr("已派给 %1，%2 开始").replace("%1", name)
                      .replace("%2", f"{booking.start.astimezone(OFFICE_ZONE):%H:%M}"))

    def assign_selected_to(self, surveyor_id: str) -> bool:
        """Enter on a surveyor: the selected survey at that surveyor's earliest feasible start."""
        request = self.selected_request()
        if request is None or self.day is None:
            self._refuse(self.tr("请先在待派工队列中选择勘查单"))
            return False
        surveyor = self.day.surveyor(surveyor_id)
        if surveyor is None:
            return False
        now = self._clock()
        result = suggest(request, [surveyor], self.day.assignments, now=now)
        if not result.suggestions:
            blocking = result.rejected[0].violations if result.rejected else ()
            reason = blocking[0].message(current_language()) if blocking else ""
            self._refuse(self.tr("不能派给 %1：").replace("%1", surveyor.name) + reason)
            return False
        start = self._on_the_minute(request, surveyor, result.suggestions[0].start, now)
        return self.assign_at(request.id, surveyor_id, start, now=now)

    def _on_the_minute(self, request: SurveyRequest, surveyor: Surveyor, start: datetime, now: datetime) -> datetime:
        """The earliest start rounded up to a whole minute when that is still allowed (a booking reads 11:25,
        not 11:24:15.109), else the exact one."""
        rounded = start.replace(second=0, microsecond=0) + (timedelta(minutes=1) if start.second or start.microsecond
                                                             else timedelta())
        try:
            validate_assignment(request, surveyor, self.day.assignments if self.day else (), rounded, now=now)
        except InvalidInput:
            return start
        return rounded

    def _take_suggestion(self, index: QModelIndex) -> None:
        """Take a suggested surveyor: booked at their earliest feasible start now, not when it was suggested
        (a suggestion read a while ago may name a start that has passed)."""
        suggestion = self.suggestion_model.suggestion(index.row())
        if suggestion is not None and self.selected_request() is not None:
            self.assign_selected_to(suggestion.surveyor_id)

    def assign_selected_suggestion(self) -> bool:
        """The selected suggestion (the top one unless another is chosen), booked as when it is taken."""
        suggestion = self.suggestion_model.suggestion(self.suggestion_view.currentIndex().row())
        if suggestion is None or self.selected_request() is None:
            self._refuse(self.tr("请先在待派工队列中选择勘查单，再选一位推荐的勘查员"))
            return False
        return self.assign_selected_to(suggestion.surveyor_id)

    # ---- batch auto-assign -----------------------------------------------------------------------

    def run_batch(self) -> asyncio.Task[Any] | None:
        """Lock the covered surveyors (on the server when reachable), then solve; refused if another desk holds them."""
        if self.day is None or self.locked:
            return None
        day, snapshot, now = self.day, self.day, self._clock()
        self.locked = frozenset(s.id for s in snapshot.surveyors)
        self.timeline.set_locked(self.locked)
        self.batch_button.setEnabled(False)
        limit, covered = self._time_limit, self.locked

        async def solve() -> BatchProposal:
            from domain.dispatch.batch import batch_assign  # OR-Tools loads on first use, not at start-up

            await self.locks.hold(covered, day.day)
            loop = asyncio.get_running_loop()
            requests = [item.request for item in snapshot.queue]
            return await loop.run_in_executor(None, lambda: batch_assign(
                requests, snapshot.surveyors, snapshot.assignments, day.day, now=now, time_limit_s=limit))

        return Operation(self, solve).success(self._review).failure(self._batch_failed).run()

    def _batch_failed(self, error: BaseException) -> None:
        self._unlock()
        self._refused(error)

    def _refused(self, error: BaseException) -> None:
        """Another desk's lock, named; anything else through the one failure path."""
        if not isinstance(error, LockedElsewhere):
            report_failure(error)
            return
        if not error.holder:
            self._refuse(error.refusal.message(current_language()))
            return
        until = f"{error.until.astimezone(OFFICE_ZONE):%H:%M}" if error.until else "?"
        self._refuse(self.tr("%1 正在为这些勘查员派工（锁定至 %2），请稍后再试").replace("%1", error.holder)
                         .replace("%2", until))

    def _review(self, proposal: BatchProposal) -> None:
        labels = {item.request.id: item.ticket_number for item in (self.day.queue if self.day else ())}
        due = {request_id: request.due_at for request_id, request in (self.day.requests if self.day else {}).items()}
        dialog = ProposalDialog(proposal, self._names(), labels, self, due=due)
        dialog.accepted_bookings.connect(self._accept_bookings)
        dialog.finished.connect(lambda _code: self._unlock())
        self.proposal_dialog = dialog
        dialog.open()

    def _accept_bookings(self, bookings: list[Assignment]) -> None:
        role = self._context.role
        Operation(self, lambda: self.data.assign_all(bookings, role), changes={"survey_assignment"}) \
            .success(lambda count: self._batch_booked(count)).run()

    def _batch_booked(self, count: int) -> None:
        self._context.notify_local_change()
        messages.info(self.tr("已按方案派工 %1 单").replace("%1", str(count)))

    def _unlock(self) -> None:
        self.locks.release()
        self.locked = frozenset()
        self.timeline.set_locked(self.locked)
        self.batch_button.setEnabled(True)
        self.proposal_dialog = None

    def shutdown(self) -> None:
        """Sign-out drops the board: stop renewing the batch lock and let it go."""
        self.locks.shutdown()

    # ---- remote survey and conflicts -------------------------------------------------------------

    def book_video_for_selection(self) -> bool:
        """Book the selected survey as a video (remote) survey with the best qualified surveyor."""
        request = self.selected_request()
        if request is None or self.day is None:
            self._refuse(self.tr("请先在待派工队列中选择勘查单"))
            return False
        video = replace(request, mode="remote", required_skill="remote_video")
        now = self._clock()
        result = suggest(video, self.day.surveyors, self.day.assignments, now=now, limit=1)
        if not result.suggestions:
            self._refuse(self.tr("没有可预约视频勘查的勘查员"))
            return False
        best = result.suggestions[0]
        self.day.requests[request.id] = video
        return self.assign_at(request.id, best.surveyor_id, best.start, mode="remote", now=now)

    def _apply_conflict_fix(self, conflict_id: int, request_id: str, surveyor_id: str, start: datetime) -> None:
        store = self._context.store

        def settle() -> None:
            store.resolve_conflict(conflict_id, "keep_server")

        Operation(self, settle, changes={"survey_assignment"}) \
            .success(lambda _none: self._assign_after_fix(request_id, surveyor_id, start)).run()

    def _assign_after_fix(self, request_id: str, surveyor_id: str, start: datetime) -> None:
        self.assign_at(request_id, surveyor_id, start)

    def record_remote_outcome(self, assignment_id: str, outcome: str, photos: Iterable[Path]) -> asyncio.Task[Any]:
        """The video survey's result and its photos (named with their sha256) go on the ticket as a note."""
        author, paths = self._context.staff.id, list(photos)

        def save() -> Any:
            listed = [(path.name, hashlib.sha256(path.read_bytes()).hexdigest()) for path in paths]
            return self.data.record_remote_outcome(assignment_id, outcome, listed, author)

        return Operation(self, save, changes={"note"}).success(
            lambda _note: messages.info(self.tr("已记录远程勘查结果"))).run()

    def convert_to_on_site(self, assignment_id: str) -> asyncio.Task[Any]:
        """A remote survey that needs a visit goes back to the queue as an on-site survey."""
        role = self._context.role
        return Operation(self, lambda: self.data.convert_to_on_site(assignment_id, role),
                         changes={"survey_assignment"}).success(
            lambda _record: messages.info(self.tr("已转为现场勘查，回到待派工队列"))).run()


def _assign_from_keyboard(board: weakref.ref[DispatchBoard]) -> None:
    # The action outlives the board when the window rebuilds its areas; another area in front: not ours.
    shown = board()
    if shown is not None and shiboken6.isValid(shown) and shown.isVisible():
        shown.assign_selected_suggestion()
