"""One ticket: header with a live countdown, the workflow graph, stage tasks with their moves,
internal notes apart from replies to the customer, the history, its attachments, and who else has it
open (presence)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QMetaObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import ElidedLabel, plain_tooltip, text_counter
from desktop.i18n import current_language
from desktop.operations import Operation, changes, drop_connection, report_failure
from desktop.sync.errors import SyncError
from desktop.tickets import labels, store_reads
from desktop.tickets.attachments_panel import AttachmentsPanel
from desktop.tickets.history import HistoryEntry, ticket_history
from desktop.tickets.info_requests import InfoRequestsPanel, materials_of, may_ask_on
from desktop.tickets.presence import (
    HEARTBEAT_SECONDS,
    PresenceWords,
    choose_activity,
    colleagues_here,
    presence_text,
)
from desktop.tickets.progress import StageView, format_duration, stage_views, ticket_sla
from desktop.tickets.stage_graph import StageGraphView
from desktop.tickets.ticket_actions import TicketActions
from domain import progress, sla
from domain.bounds import text_limit
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.masking import mask_customer_name
from domain.records import Customer, InfoRequest, Note, Staff, StageTask, Ticket
from domain.workflow import Workflow
from local_store import Store

# The stage moves the keyboard reaches, by the action that runs them (desktop/actions.py).
STAGE_MOVE_ACTIONS = {"taken": "tickets.take", "done": "tickets.complete"}

COUNTDOWN_STYLES = {
    sla.SlaState.ON_TIME: "color: #2e7d32;",
    sla.SlaState.WARNING: "color: #b26a00; font-weight: bold;",
    sla.SlaState.OVERDUE: "color: #c62828; font-weight: bold;",
}


@dataclass(frozen=True)
class TicketBundle:
    """Everything the detail shows, read in one go off the GUI thread."""

    ticket: Ticket
    tasks: list[StageTask]
    customer: Customer | None
    notes: list[Note]
    history: list[HistoryEntry]
    staff: list[Staff]
    requests: list[InfoRequest]  # 补充材料/信息 asked on its stages


def load_bundle(store: Store, ticket_id: str, office_id: str, workflow_of: Callable[[Ticket], Workflow | None],
                lang: str, catalogue: Catalogue | None = None) -> TicketBundle | None:
    with store.snapshot():  # the ticket's state and its stages as of one moment: the actions offered depend on both
        ticket = store.ticket(ticket_id)
        if ticket is None:
            return None
        tasks = store.stage_tasks(ticket_id)
        customer = store.customer(ticket.customer_id) if ticket.customer_id else None
        notes = store_reads.ticket_notes(store, ticket_id)
        staff = store_reads.office_staff(store, office_id)
        requests = store.info_requests(ticket_id)
        pending = store_reads.pending_for(store, {ticket_id, *(t.id for t in tasks), *(r.id for r in requests)})
        interactions = store_reads.ticket_interactions(store, ticket_id)
        ratings = store.ticket_evaluations(ticket_id)
    workflow = workflow_of(ticket)
    names = {s.code: s.name(lang) for s in workflow.stages} if workflow is not None else {}
    materials = dict(materials_of(catalogue, ticket, lang)) if catalogue is not None else {}
    history = ticket_history(ticket, tasks, notes, interactions, pending,
                             {s.id: s for s in staff}, names, lang, requests, materials, ratings)
    return TicketBundle(ticket, tasks, customer, notes, history, staff, requests)


class TicketDetail(QWidget):
    def __init__(self, context: DeskContext, catalogue: Catalogue, clock: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketDetail")
        self.setAccessibleName(self.tr("工单详情"))
        self._context = context
        self._catalogue = catalogue
        self._clock = clock
        self.bundle: TicketBundle | None = None
        self.views: list[StageView] = []
        self._ticket_id: str | None = None
        self.moves = TicketActions(context, catalogue, self)
        self._listening: QMetaObject.Connection | None = changes().changed.connect(self._on_changes)
        self._height_shared = False  # the splitter's first division is made once it has a height

        self.number = ElidedLabel(self, elide=False)  # an identifier is never cut
        self.number.setObjectName("ticketNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = ElidedLabel(self, lines=3)  # what the customer said: plain, at most three lines
        self.summary.setObjectName("ticketSummary")
        self.countdown = QLabel(self)
        self.countdown.setObjectName("ticketCountdown")
        self.countdown.setAccessibleName(self.tr("承诺时限倒计时"))
        self.ticket_buttons = QHBoxLayout()
        header = QFormLayout()
        header.addRow(self.tr("工单"), self.number)
        # The customer's progress lookup code (domain.progress), told to a verified caller who lost the receipt.
        self.lookup_code = QLabel(self)
        self.lookup_code.setObjectName("ticketLookupCode")
        self.lookup_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addRow(self.tr("查询码"), self.lookup_code)
        self._header = header
        header.addRow(self.tr("概况"), self.summary)
        header.addRow(self.tr("承诺时限"), self.countdown)
        self.presence = ElidedLabel(self, lines=2)
        self.presence.setObjectName("ticketPresence")
        self.presence.setAccessibleName(self.tr("同时在处理此工单的同事"))
        self.presence.hide()
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_SECONDS * 1000)
        self._heartbeat.timeout.connect(self.beat)
        self._beat_task: asyncio.Task[Any] | None = None

        self.graph = StageGraphView(self)
        self.tasks = QTableWidget(0, 6, self)
        self.tasks.setObjectName("stageTasks")
        self.tasks.setAccessibleName(self.tr("环节任务"))
        self.tasks.setHorizontalHeaderLabels([self.tr("环节"), self.tr("部门"), self.tr("状态"), self.tr("经办人"),
                                              self.tr("时限"), self.tr("已等待")])
        self.tasks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tasks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tasks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tasks.itemSelectionChanged.connect(self._show_stage_buttons)
        # Every column as wide as its words (a deadline on one line), the stage's name takes the rest.
        self.tasks.setWordWrap(False)
        self.tasks.verticalHeader().hide()
        columns = self.tasks.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stage_buttons = QHBoxLayout()

        self.internal_notes = QListWidget(self)
        self.internal_notes.setObjectName("internalNotes")
        self.internal_notes.setAccessibleName(self.tr("内部备注"))
        self.customer_replies = QListWidget(self)
        self.customer_replies.setObjectName("customerReplies")
        self.customer_replies.setAccessibleName(self.tr("答复客户"))
        self.history = QListWidget(self)
        self.history.setObjectName("ticketHistory")
        self.history.setAccessibleName(self.tr("处理历史"))
        self.note_text = QPlainTextEdit(self)
        self.note_text.setObjectName("noteText")
        self.note_text.setAccessibleName(self.tr("备注或答复内容"))
        self.note_text.setTabChangesFocus(True)
        self.note_text.setMaximumHeight(70)
        self.save_internal = QPushButton(self.tr("保存内部备注"), self)
        self.save_internal.setObjectName("saveInternalNote")
        self.send_reply = QPushButton(self.tr("答复客户"), self)
        self.send_reply.setObjectName("sendCustomerReply")
        self.save_internal.clicked.connect(partial(self._add_note, False))
        self.send_reply.clicked.connect(partial(self._add_note, True))
        tabs = QTabWidget(self)
        tabs.setObjectName("ticketTabs")
        tabs.addTab(self.internal_notes, self.tr("内部备注"))
        tabs.addTab(self.customer_replies, self.tr("答复客户"))
        tabs.addTab(self.history, self.tr("历史"))
        self.attachments = AttachmentsPanel(context, tabs)
        tabs.addTab(self.attachments, self.tr("附件"))
        self.info_requests = InfoRequestsPanel(context, catalogue, tabs)
        tabs.addTab(self.info_requests, self.tr("补充材料/信息"))
        self.tabs = tabs
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_text, 1)
        self.note_counter = text_counter(self.note_text, text_limit("note.body"), self)
        note_row.addWidget(self.note_counter)
        note_row.addWidget(self.save_internal)
        note_row.addWidget(self.send_reply)

        # Graph, stage table and notes share the height: the graph takes what its rows need, the table
        # most of the rest (its rows are what a person works on), the notes the remainder; the clerk
        # can move the dividers.
        stages = QWidget(self)
        stages_layout = QVBoxLayout(stages)
        stages_layout.setContentsMargins(0, 0, 0, 0)
        stages_layout.addWidget(self.tasks, 1)
        stages_layout.addLayout(self.stage_buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("ticketDetailSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.graph)
        self.splitter.addWidget(stages)
        self.splitter.addWidget(tabs)
        for index, stretch in enumerate((0, 3, 2)):
            self.splitter.setStretchFactor(index, stretch)
        self.tasks.setMinimumHeight(self.tasks.horizontalHeader().sizeHint().height()
                                     + 3 * self.tasks.verticalHeader().defaultSectionSize())  # 3 rows at least
        tabs.setMinimumHeight(120)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.presence)
        layout.addLayout(self.ticket_buttons)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(note_row)
        self._set_enabled(False)

    # ---- loading --------------------------------------------------------------------------------

    @property
    def ticket_id(self) -> str | None:
        return self._ticket_id

    def show_ticket(self, ticket_id: str | None) -> None:
        if ticket_id != self._ticket_id:
            self._stop_presence()
        self._ticket_id = ticket_id
        self.attachments.show_ticket(ticket_id)
        if ticket_id is None:
            self.bundle = None
            self._set_enabled(False)
            return
        self.reload()
        if not self._heartbeat.isActive() and self._api() is not None:
            self._heartbeat.start()
            self.beat()

    def reload(self) -> None:
        ticket_id = self._ticket_id
        if ticket_id is None:
            return
        store, office, lang = self._context.store, self._context.office_id, current_language()
        catalogue = self._catalogue
        Operation(self, lambda: load_bundle(store, ticket_id, office, self.workflow_of, lang, catalogue)).success(
            partial(self._landed, ticket_id)).run()

    def shutdown(self) -> None:
        """Stop listening and stop the heartbeat; safe to call twice."""
        self._stop_presence()
        if self._listening is not None:
            drop_connection(self._listening)
            self._listening = None

    # ---- presence -------------------------------------------------------------------------------

    def _api(self) -> Any:
        """The signed-in ApiClient, or None on a desk without a sync engine (presence is then off)."""
        return getattr(self._context.engine, "client", None)

    def activity(self) -> str:
        dialog = self.moves.active_dialog
        return choose_activity(dialog_open=dialog is not None and dialog.isVisible(),
                               note_focused=self.note_text.hasFocus(),
                               note_drafted=bool(self.note_text.toPlainText().strip()))

    def beat(self) -> None:
        """Tell the server this desk is here, then show who else is (one request pair in flight at most)."""
        client, ticket_id = self._api(), self._ticket_id
        in_flight = self._beat_task is not None and not self._beat_task.done()
        if client is None or ticket_id is None or in_flight or not self._listening:
            return
        activity = self.activity()

        async def heartbeat() -> list[dict[str, Any]]:
            await client.presence(ticket_id, activity)
            here: list[dict[str, Any]] = await client.who_is_here(ticket_id)
            return here

        self._beat_task = Operation(self, heartbeat).success(partial(self._show_presence, ticket_id)).failure(
            self._presence_failed).run()

    def _show_presence(self, ticket_id: str, answer: list[dict[str, Any]]) -> None:
        if ticket_id != self._ticket_id:
            return
        staff = self.bundle.staff if self.bundle is not None else []
        words = PresenceWords(viewing=self.tr("也在查看：%1"), editing=self.tr("正在编辑：%1"),
                              with_department=self.tr("%1（%2）"), name_separator=self.tr("、"))
        lang = current_language()
        text = presence_text(colleagues_here(answer, staff, self._context.staff.id), words,
                             lambda code: labels.department_name(code, lang))
        self.presence.setText(text)
        self.presence.setVisible(bool(text))

    def _presence_failed(self, error: BaseException) -> None:
        self.presence.hide()  # offline, signed out, or a ticket the server does not know yet: nobody to show
        if not isinstance(error, SyncError):
            report_failure(error)

    def _stop_presence(self) -> None:
        self._heartbeat.stop()
        if self._beat_task is not None and not self._beat_task.done():
            self._beat_task.cancel()
        self._beat_task = None
        self.presence.clear()
        self.presence.hide()

    def _on_changes(self, kinds: frozenset[str]) -> None:
        if kinds & {"ticket", "stage_task", "note", "customer", "staff", "info_request", "evaluation"}:
            self.reload()
        if "attachment" in kinds:
            self.attachments.reload()

    def workflow_of(self, ticket: Ticket) -> Workflow | None:
        try:
            return self._catalogue.ticket_type(ticket.type_code).workflow
        except DomainError:
            return None

    def _landed(self, ticket_id: str, bundle: TicketBundle | None) -> None:
        if ticket_id != self._ticket_id:
            return  # another ticket was chosen meanwhile
        self.bundle = bundle
        if bundle is None:
            self._set_enabled(False)
            return
        self._set_enabled(True)
        self._show_header(bundle)
        self._show_stages(bundle)
        self._show_notes(bundle)
        lang = current_language()
        names = {v.code: v.name(lang) for v in self.views}
        self.info_requests.show_requests(bundle.ticket, bundle.requests,
                                         {t.id: names.get(t.stage_code, t.stage_code) for t in bundle.tasks})
        self._show_ticket_buttons(bundle.ticket, bundle.tasks)
        self.tick()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not self._height_shared:
            self._share_height()

    def _share_height(self) -> None:
        """The graph as tall as its stages need (at most a third), the rest to the stage table and the notes
        as the clerk last divided them (at first 3 : 2)."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if total <= 0:  # not laid out yet
            return
        graph = min(self.graph.maximumHeight(), max(self.graph.minimumHeight(), total // 3))
        rest = total - graph
        below = sizes[1] + sizes[2]
        share = sizes[1] / below if self._height_shared and below > 0 else 3 / 5
        table = round(rest * share)
        self.splitter.setSizes([graph, table, rest - table])
        self._height_shared = True

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.tasks, self.note_text, self.save_internal, self.send_reply):
            widget.setEnabled(enabled)
        if not enabled:
            self.number.setText(self.tr("（未选择工单）"))
            self.lookup_code.clear()
            self._header.setRowVisible(self.lookup_code, False)
            self.summary.clear()
            self.countdown.clear()
            self.graph.show_stages([])
            self.tasks.setRowCount(0)
            for notes in (self.internal_notes, self.customer_replies, self.history):
                notes.clear()
            self.info_requests.show_requests(None, [], {})
            _clear(self.ticket_buttons)
            _clear(self.stage_buttons)

    # ---- showing --------------------------------------------------------------------------------

    def _show_header(self, bundle: TicketBundle) -> None:
        ticket, lang = bundle.ticket, current_language()
        number = ticket.number or (self.tr("%1（临时号）").replace("%1", ticket.provisional_number or ""))
        self.number.setText(number)
        self.lookup_code.setText(progress.grouped(ticket.progress_code) if ticket.progress_code else "")
        self._header.setRowVisible(self.lookup_code, bool(ticket.progress_code))
        customer = mask_customer_name(bundle.customer.name, bundle.customer.id_type) if bundle.customer is not None else self.tr("匿名")
        parts = [labels.ticket_type_name(ticket.type_code, lang), customer, labels.channel_name(ticket.channel, lang),
                 labels.state_name("ticket", ticket.state, lang)]
        if ticket.summary:
            parts.append(ticket.summary)
        self.summary.setText(" · ".join(parts))

    def _show_stages(self, bundle: TicketBundle) -> None:
        self.views = stage_views(self.workflow_of(bundle.ticket), bundle.ticket, bundle.tasks, self._clock())
        self.graph.show_stages(self.views)
        self._share_height()
        staff = {s.id: s.display_name for s in bundle.staff}
        selected = self.selected_task()
        lang = current_language()
        names = {v.code: v.name(lang) for v in self.views}
        self.tasks.setRowCount(len(bundle.tasks))
        for row, task in enumerate(bundle.tasks):
            waited = next((v.waited for v in self.views if v.task is not None and v.task.id == task.id), None)
            cells = [names.get(task.stage_code, task.stage_code), labels.department_name(task.department, lang),
                     labels.state_name("stage_task", task.state, lang),
                     staff.get(task.assignee_id or "", task.assignee_id or ""),
                     labels.local_time(task.due_at), format_duration(waited, lang) if waited is not None else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, task.id)
                if column == 2 and task.reason:
                    item.setToolTip(plain_tooltip(task.reason))
                self.tasks.setItem(row, column, item)
        if selected is not None:
            self.select_task(selected.id)
        self._show_stage_buttons()

    def _show_notes(self, bundle: TicketBundle) -> None:
        staff = {s.id: s.display_name for s in bundle.staff}
        self.internal_notes.clear()
        self.customer_replies.clear()
        for note in bundle.notes:
            target = self.customer_replies if note.visibility == "customer" else self.internal_notes
            target.addItem(f"{labels.local_time(note.at)}  {staff.get(note.author_id or '', '')}  {note.body}")
        self.history.clear()
        for entry in bundle.history:
            mark = self.tr("（待同步）") if entry.pending else ""
            self.history.addItem(f"{labels.local_time(entry.at)}  {entry.who}  {entry.what}{mark}")

    def _show_ticket_buttons(self, ticket: Ticket, tasks: Sequence[StageTask] = ()) -> None:
        _clear(self.ticket_buttons)
        refusals = []
        for move in self.moves.ticket_moves(ticket, tasks):
            button = self._button(f"ticketAction_{move.target}", move.text, partial(self._ticket_move, move.target))
            if move.refusal:  # offered but not possible now: disabled, and it says why
                button.setEnabled(False)
                button.setToolTip(move.refusal)
                button.setAccessibleDescription(move.refusal)
                refusals.append(move.refusal)
            self.ticket_buttons.addWidget(button)
        if refusals:
            why = QLabel("；".join(dict.fromkeys(refusals)), self)  # moves refused alike: said once
            why.setObjectName("ticketMoveRefusal")
            why.setTextFormat(Qt.TextFormat.PlainText)
            why.setWordWrap(True)
            self.ticket_buttons.addWidget(why, 1)
        self.ticket_buttons.addStretch(1)

    def _show_stage_buttons(self) -> None:
        _clear(self.stage_buttons)
        task = self.selected_task()
        if task is None:
            return
        for move in self.moves.stage_moves(task):
            button = self._button(f"stageAction_{move.target}", move.text,
                                  partial(self._stage_move, move.target, task.id))
            action_id = STAGE_MOVE_ACTIONS.get(move.target)
            if action_id is not None:  # the keys that do the same (actions.py; rebindable in the settings)
                button.setToolTip(self._context.actions.with_shortcut(move.text, action_id))
            self.stage_buttons.addWidget(button)
        if may_ask_on(self._context, task):  # 补充材料/信息: the stage asks the customer or a department again
            ask = self._button("askInfoRequest", self.tr("补充材料/信息…"), partial(self._ask_info, task.id))
            self.stage_buttons.addWidget(ask)
        self.stage_buttons.addStretch(1)

    def run_stage_move(self, target: str) -> bool:
        """The keyboard's 接办/完成: the selected stage's move, if it is offered now (as its button)."""
        shown = (self.stage_buttons.itemAt(i).widget() for i in range(self.stage_buttons.count()))
        button = next((w for w in shown if isinstance(w, QPushButton) and w.objectName() == f"stageAction_{target}"),
                      None)  # the buttons shown now (replaced ones wait for deletion)
        if button is None or not button.isEnabled():
            return False
        button.click()
        return True

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def tick(self) -> None:
        """Redraw the countdown (called by the area's clock timer)."""
        if self.bundle is None:
            return
        ticket, now = self.bundle.ticket, self._clock()
        state = ticket_sla(ticket, now)
        if ticket.due_at is None:
            self.countdown.setText(self.tr("时限待同步后由系统计算"))
            self.countdown.setStyleSheet("")
            self.countdown.setProperty("slaState", "")
            return
        due = labels.local_time(ticket.due_at)
        stop = labels.clock_stop(ticket, self.bundle.tasks, self._catalogue)
        if state is not None and stop is not None:  # the clock-stop stage is done: no longer counting
            clock = sla.ticket_clock(sla.Deadline(ticket.due_at, ticket.warn_at or ticket.due_at, False), now, stop)
            state = None
            if clock.state is None:
                text = self.tr("%1（已停止计时）").replace("%1", due)
            elif clock.stopped_late:
                text = self.tr("%1（已停止计时，超时 %2）").replace("%1", due).replace(
                    "%2", labels.late_text(clock, current_language()))
            else:
                text = self.tr("%1（已停止计时，按时）").replace("%1", due)
        elif state is None:
            text = due
        elif state is sla.SlaState.OVERDUE:
            text = self.tr("%1（已超时 %2）").replace("%1", due).replace(
                "%2", format_duration(now - ticket.due_at, current_language()))
        else:
            text = self.tr("%1（剩余 %2）").replace("%1", due).replace(
                "%2", format_duration(ticket.due_at - now, current_language()))
        if ticket.deadline_provisional:
            text += self.tr("，节假日安排未公布，时限为暂定")
        self.countdown.setText(text)
        self.countdown.setStyleSheet(COUNTDOWN_STYLES.get(state, "") if state is not None else "")
        self.countdown.setProperty("slaState", str(state) if state is not None else "")
        self.views = stage_views(self.workflow_of(ticket), ticket, self.bundle.tasks, now)
        self.graph.show_stages(self.views)  # stage colours follow the clock too

    # ---- user actions ---------------------------------------------------------------------------

    def selected_task(self) -> StageTask | None:
        if self.bundle is None:
            return None
        rows = self.tasks.selectionModel().selectedRows() if self.tasks.selectionModel() else []
        if not rows:
            return None
        item = self.tasks.item(rows[0].row(), 0)
        task_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((t for t in self.bundle.tasks if t.id == task_id), None)

    def select_task(self, task_id: str) -> None:
        for row in range(self.tasks.rowCount()):
            item = self.tasks.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == task_id:
                self.tasks.selectRow(row)
                return

    def _stage_move(self, target: str, task_id: str) -> None:
        if self.bundle is None:
            return
        task = next((t for t in self.bundle.tasks if t.id == task_id), None)
        if task is None:
            return
        name = next((v.name(current_language()) for v in self.views if v.code == task.stage_code), task.stage_code)
        self.moves.run_stage_move(target, task, self.bundle.ticket, self.bundle.tasks, name, self.bundle.staff)
        self.beat()  # a task dialog may be open now: colleagues see "editing" without waiting for the timer

    def _ask_info(self, task_id: str) -> None:
        if self.bundle is None:
            return
        task = next((t for t in self.bundle.tasks if t.id == task_id), None)
        if task is None:
            return
        name = next((v.name(current_language()) for v in self.views if v.code == task.stage_code), task.stage_code)
        self.info_requests.ask(self.bundle.ticket, task, name)

    def _ticket_move(self, target: str) -> None:
        if self.bundle is not None:
            self.moves.run_ticket_move(target, self.bundle.ticket, self.bundle.tasks)

    def _add_note(self, customer_visible: bool) -> None:
        body = self.note_text.toPlainText().strip()
        if self.bundle is None or not body:
            return
        self.moves.add_note(self.bundle.ticket, body, customer_visible)
        self.note_text.clear()


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
