"""The tickets area: queues with counts on the left, the queue in the middle, the ticket on the right."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

import shiboken6
from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.i18n import current_language
from desktop.operations import Operation, changes, drop_connection
from desktop.supervision.notifier import ActionNotifier
from desktop.supervision.panel import SupervisionDialog
from desktop.supervision.watch import ActionNotice, follows
from desktop.tickets import labels
from desktop.tickets.coordination_dialog import CoordinationDialog
from desktop.tickets.department_scores import DepartmentScoresDialog
from desktop.tickets.detail import TicketDetail
from desktop.tickets.notifier import TicketNotifier
from desktop.tickets.queue_model import TICKET_ID_ROLE, TicketQueueModel
from desktop.tickets.queues import QUEUES, Narrowing, queue_filters
from desktop.tickets.store_reads import QueueFilters, queue_count
from desktop.tickets.watch import Notice
from domain.catalogue import Channel, load_catalogue
from domain.roles import sees_department_scores_alone
from domain.states import TICKET

QUEUE_ID_ROLE = Qt.ItemDataRole.UserRole
REFRESH_KINDS = frozenset({"ticket", "stage_task", "customer"})
CUSTOMER_CLASSES = {"01": ("高压", "high voltage"), "02": ("低压非居民", "low-voltage non-residential"),
                    "03": ("低压居民", "residential")}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TicketsArea(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] | None = None, tick_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.setObjectName("ticketsArea")
        self.setAccessibleName(self.tr("工单"))
        self._context = context
        self._clock = clock or _utc_now
        self._catalogue = load_catalogue()
        self._queue_id = "my_tasks" if context.staff.department else "office"
        self._narrowing = Narrowing()
        self._selected_ticket: str | None = None
        self.counts: dict[str, int] = {}

        self.queues = QListWidget(self)
        self.queues.setObjectName("ticketQueues")
        self.queues.setAccessibleName(self.tr("工单队列"))
        for spec in QUEUES:
            item = QListWidgetItem(self._queue_title(spec.title, None), self.queues)
            item.setData(QUEUE_ID_ROLE, spec.id)
        self.queues.setCurrentRow([q.id for q in QUEUES].index(self._queue_id))
        self.queues.currentItemChanged.connect(self._on_queue_chosen)
        self.notifications = QListWidget(self)
        self.notifications.setObjectName("ticketNotifications")
        self.notifications.setAccessibleName(self.tr("工单提醒"))
        self.notifications.itemActivated.connect(self._on_notification_activated)
        self.coordination_button = QPushButton(self.tr("协调清单…"), self)
        self.coordination_button.setObjectName("openCoordination")
        self.coordination_button.clicked.connect(self.open_coordination)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("队列"), left))
        left_layout.addWidget(self.queues, 2)
        left_layout.addWidget(QLabel(self.tr("提醒"), left))
        left_layout.addWidget(self.notifications, 1)
        left_layout.addWidget(self.coordination_button)
        # 我的督办 (a department's actions) or 督办跟踪 (a supervisor's): docs/coordination.md
        self.supervision_button = QPushButton(self.tr("督办跟踪…") if context.staff.department is None
                                              else self.tr("我的督办…"), self)
        self.supervision_button.setObjectName("openSupervision")
        self.supervision_button.clicked.connect(self.open_supervision)
        self.supervision_button.setVisible(follows(context.staff))
        left_layout.addWidget(self.supervision_button)
        # 本部门评价: where the department stands in the month's multi-party evaluation (the monitor's readers
        # see the ranking there)
        self.scores_button = QPushButton(self.tr("本部门评价…"), self)
        self.scores_button.setObjectName("openDepartmentScores")
        self.scores_button.clicked.connect(self.open_department_scores)
        self.scores_button.setVisible(sees_department_scores_alone(context.staff.role))
        left_layout.addWidget(self.scores_button)

        self.channel_filter = self._combo("channelFilter", self.tr("渠道"), self.tr("全部渠道"),
                                          [(c.value, c.label(current_language())) for c in Channel])
        self.type_filter = self._combo("typeFilter", self.tr("业务类型"), self.tr("全部类型"),
                                       [(t.code, t.name(current_language())) for t in self._catalogue.types])
        self.state_filter = self._combo("stateFilter", self.tr("状态"), self.tr("全部状态"),
                                        [(s, TICKET.label(s, current_language())) for s in TICKET.states])
        self.class_filter = self._combo("customerClassFilter", self.tr("客户类别"), self.tr("全部客户类别"),
                                        [(code, names[1] if current_language().startswith("en") else names[0])
                                         for code, names in CUSTOMER_CLASSES.items()])
        self.number_filter = QLineEdit(self)
        self.number_filter.setObjectName("numberFilter")
        self.number_filter.setAccessibleName(self.tr("按工单号查找"))
        self.number_filter.setPlaceholderText(self.tr("工单号"))
        self.number_filter.textChanged.connect(lambda _text: self._on_narrowing_changed())
        filter_bar = QHBoxLayout()
        for widget in (self.channel_filter, self.type_filter, self.state_filter, self.class_filter,
                       self.number_filter):
            filter_bar.addWidget(widget)

        self.model = TicketQueueModel(context.store, clock=self._clock, parent=self)
        self.table = QTableView(self)
        self.table.setObjectName("ticketQueue")
        self.table.setAccessibleName(self.tr("工单列表"))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(6, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # A ticket number is never cut: its column is as wide as the longest number a server or desk gives.
        self.table.setColumnWidth(0, self.table.fontMetrics().horizontalAdvance("GD00000000000000") + 24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._on_row_selected)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("queueTotal")
        self.model.totalChanged.connect(lambda total: self.total_label.setText(self.tr("共 %1 件").replace(
            "%1", str(total))))
        self.model.loaded.connect(self._reselect)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.addLayout(filter_bar)
        middle_layout.addWidget(self.table, 1)
        middle_layout.addWidget(self.total_label)

        self.detail = TicketDetail(context, self._catalogue, self._clock, self)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.notifier = TicketNotifier(context, self._catalogue, self._clock, interval_ms=tick_ms, parent=self)
        self.notifier.notified.connect(self._on_notice)
        self.coordination: CoordinationDialog | None = None
        self.supervision: SupervisionDialog | None = None
        self.department_scores: DepartmentScoresDialog | None = None
        self.action_notifier = ActionNotifier(context, self._clock, interval_ms=tick_ms, parent=self)
        self.action_notifier.notified.connect(self._on_action_notice)
        self.action_notifier.counted.connect(self._show_action_count)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self._listening = changes().changed.connect(self._on_changes)
        for action_id, target in (("tickets.take", "taken"), ("tickets.complete", "done")):
            context.actions.bind(action_id, partial(_keyboard_move, weakref.ref(self), target))

        self.model.set_filters(self._filters())
        self.refresh_counts()
        self.notifier.start()
        self.action_notifier.start()
        self.timer.start()

    # ---- queues and filters ---------------------------------------------------------------------

    def _combo(self, name: str, accessible: str, everything: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem(everything, None)
        for code, text in choices:
            combo.addItem(text, code)
        combo.currentIndexChanged.connect(lambda _index: self._on_narrowing_changed())
        return combo

    def _queue_title(self, source: str, count: int | None) -> str:
        title = self.tr(source)
        return title if count is None else f"{title}（{count}）"

    @property
    def queue_id(self) -> str:
        return self._queue_id

    def choose_queue(self, queue_id: str) -> None:
        self.queues.setCurrentRow([q.id for q in QUEUES].index(queue_id))

    def _filters(self, now: datetime | None = None) -> QueueFilters:
        return self._narrowing.apply(queue_filters(self._queue_id, self._context.staff, now or self._clock()))

    def _on_queue_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            # The list and the counts beside it read the same instant: a ticket crossing its deadline between
            # the two must not show "超时（0）" over a list of one.
            now = self._clock()
            self._queue_id = str(item.data(QUEUE_ID_ROLE))
            self.model.set_filters(self._filters(now))
            self.refresh_counts(now)

    def _on_narrowing_changed(self) -> None:
        self._narrowing = Narrowing(
            channel=self.channel_filter.currentData(), type_code=self.type_filter.currentData(),
            state=self.state_filter.currentData(), customer_class=self.class_filter.currentData(),
            number_prefix=self.number_filter.text().strip() or None)
        self.model.set_filters(self._filters())

    def refresh_counts(self, now: datetime | None = None) -> None:
        store, staff, now = self._context.store, self._context.staff, now or self._clock()

        def work() -> dict[str, int]:
            return {spec.id: queue_count(store, queue_filters(spec.id, staff, now)) for spec in QUEUES}

        Operation(self, work).success(self._show_counts).run()

    def _show_counts(self, counts: dict[str, int]) -> None:
        for row in range(self.queues.count()):
            item = self.queues.item(row)
            queue_id = str(item.data(QUEUE_ID_ROLE))
            spec = next(q for q in QUEUES if q.id == queue_id)
            item.setText(self._queue_title(spec.title, counts.get(queue_id)))
        self.counts = counts

    # ---- selection ------------------------------------------------------------------------------

    def _on_row_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        ticket_id = self.model.data(rows[0], TICKET_ID_ROLE) if rows else None
        if ticket_id is not None and ticket_id != self._selected_ticket:
            self._selected_ticket = ticket_id
            self.detail.show_ticket(ticket_id)

    def open_ticket(self, ticket_id: str) -> None:
        self._selected_ticket = ticket_id
        self.detail.show_ticket(ticket_id)
        self._reselect()

    def _reselect(self) -> None:
        """Keep the open ticket selected when rows move under it; when it has left the queue, no row is
        selected (the refreshed rows are rewritten in place: the old row index now holds another ticket,
        which must not look chosen while the detail still shows the open one)."""
        if self._selected_ticket is None:
            return
        row = self.model.row_of(self._selected_ticket)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()

    # ---- changes, clock, notices ----------------------------------------------------------------

    def _on_changes(self, kinds: frozenset[str]) -> None:
        if kinds & REFRESH_KINDS:
            self.model.move_boundary(self._filters())
            self.refresh_counts()

    def tick(self) -> None:
        now = self._clock()
        self.model.tick()
        self.detail.tick()
        self.notifier.check_clock()
        self.action_notifier.check_clock()
        if self._queue_id in ("warning", "overdue"):
            self.model.move_boundary(self._filters(now))
        self.refresh_counts(now)

    def _on_notice(self, notice: Notice) -> None:
        item = QListWidgetItem(f"{labels.local_time(self._clock())}  {self.notifier.text_of(notice)}")
        item.setData(Qt.ItemDataRole.UserRole, notice.task.ticket_id)
        self.notifications.insertItem(0, item)

    def _show_action_count(self, still_open: int, late: int) -> None:
        title = self.tr("督办跟踪") if self._context.staff.department is None else self.tr("我的督办")
        count = (self.tr("（%1）").replace("%1", str(still_open)) if not late
                 else self.tr("（%1，超期 %2）").replace("%1", str(still_open)).replace("%2", str(late)))
        self.supervision_button.setText(f"{title}{count}…")
        self.supervision_button.setStyleSheet("color: #c62828;" if late else "")

    def _on_action_notice(self, notice: ActionNotice) -> None:
        item = QListWidgetItem(f"{labels.local_time(self._clock())}  {self.action_notifier.text_of(notice)}")
        item.setData(Qt.ItemDataRole.UserRole, f"action:{notice.action.id}")
        self.notifications.insertItem(0, item)

    def _on_notification_activated(self, item: QListWidgetItem) -> None:
        ticket_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(ticket_id, str) and ticket_id.startswith("action:"):
            self.open_supervision().panel.select(ticket_id.removeprefix("action:"))
            return
        if ticket_id:
            self.open_ticket(str(ticket_id))

    def open_coordination(self) -> CoordinationDialog:
        if self.coordination is None:
            self.coordination = CoordinationDialog(self._context, self._catalogue, self._clock, self)
        self.coordination.show()
        self.coordination.raise_()
        return self.coordination

    def open_department_scores(self) -> DepartmentScoresDialog:
        if self.department_scores is None:
            self.department_scores = DepartmentScoresDialog(self._context, self._clock, self)
        self.department_scores.show()
        self.department_scores.raise_()
        self.department_scores.refresh()
        return self.department_scores

    def open_supervision(self) -> SupervisionDialog:
        if self.supervision is None:
            self.supervision = SupervisionDialog(self._context, self._clock, self)
            self.supervision.panel.ticket_chosen.connect(self.open_ticket)
        self.supervision.show()
        self.supervision.raise_()
        return self.supervision

    def keyboard_move(self, target: str) -> None:
        """接办/完成 from the keyboard: the selected stage's move, or a word on what to select first."""
        if not self.isVisible():
            return  # another area is in front
        if self.detail.run_stage_move(target):
            return
        messages.info(self.tr("没有可接办的环节：请先在环节列表中选中一个待办的环节。") if target == "taken"
                      else self.tr("没有可完成的环节：请先在环节列表中选中一个已接办的环节。"))

    def shutdown(self) -> None:
        """Stop the timers and listeners (the lead calls this when the area is dropped at sign-out)."""
        self.timer.stop()
        self.notifier.stop()
        self.action_notifier.stop()
        if self.supervision is not None:
            self.supervision.shutdown()
        drop_connection(self._listening)
        self.detail.shutdown()


def _keyboard_move(area: weakref.ref[TicketsArea], target: str) -> None:
    # The action outlives this area when the window rebuilds its areas.
    shown = area()
    if shown is not None and shiboken6.isValid(shown):
        shown.keyboard_move(target)
