"""The ticket queue as a Qt table model: pages from the store in SQL order, rows refreshed in place.

Reads run in the store executor through `Operation`; one read is in flight at a time and a
newer filter or sort makes any older answer stale (a generation number), so a slow page
never lands in the wrong list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.tickets import labels
from desktop.tickets.progress import format_duration, task_sla, ticket_sla, worst
from desktop.tickets.store_reads import (
    QueueFilters,
    active_tasks_of,
    customer_names,
    queue_count,
    queue_page,
)
from domain import sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.masking import mask_customer_name
from domain.records import StageTask, Ticket
from local_store import Store

Index = QModelIndex | QPersistentModelIndex
SLA_COLOURS = {
    sla.SlaState.ON_TIME: QColor("#e8f5e9"),
    sla.SlaState.WARNING: QColor("#fff3cd"),
    sla.SlaState.OVERDUE: QColor("#f8d7da"),
}
TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SLA_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    customer_name: str | None
    tasks: tuple[StageTask, ...]  # the ticket's active stage tasks
    customer_id_type: str = "resident"  # an organisation's name shows whole (domain.masking)
    stop: sla.ClockStop | None = None  # its clock-stop stage is done (a repair's crew has arrived)


@dataclass(frozen=True)
class Column:
    key: str
    sort: str | None  # the store's sort name, None when the column cannot be sorted in SQL


COLUMNS: tuple[Column, ...] = (
    Column("number", "number"),
    Column("type", "type_code"),
    Column("state", "state"),
    Column("channel", "channel"),
    Column("customer", None),
    Column("stages", None),
    Column("accepted_at", "accepted_at"),
    Column("due", "due_at"),
)
SLA_COLUMN = 7


def load_rows(store: Store, filters: QueueFilters, sort: str, offset: int, limit: int) -> list[QueueRow]:
    """One page with what its rows show: the customer's name (masked when shown) and the active stages."""
    tickets = queue_page(store, filters, sort, offset, limit)
    names = customer_names(store, (t.customer_id for t in tickets))
    tasks = active_tasks_of(store, [t.id for t in tickets])
    catalogue = load_catalogue()
    stop_stages = sla.clock_stop_stages(catalogue)
    stopping = store.done_stage_tasks([t.id for t in tickets if ticket_rules.is_open(t)], stop_stages.values())
    rows = []
    for t in tickets:
        name, id_type = names.get(t.customer_id or "", (None, "resident"))
        stop = labels.clock_stop(t, stopping.get(t.id, ()), catalogue) if t.id in stopping else None
        rows.append(QueueRow(t, name, tuple(tasks.get(t.id, [])), id_type, stop))
    return rows


class TicketQueueModel(QAbstractTableModel):
    """Pages of `page_size` rows (100: a few screens, cheap to build); `loaded` fires when a page has landed."""

    loaded = Signal()
    totalChanged = Signal(int)

    def __init__(self, store: Store, *, clock: Callable[[], datetime], page_size: int = 100,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._page_size = page_size
        self._rows: list[QueueRow] = []
        self._total = 0
        self._filters: QueueFilters | None = None
        self._sort = "-accepted_at"
        self._generation = 0
        self._busy = False
        self._counting = False
        self._exhausted = False
        self._refresh_wanted = False
        self._now = clock()

    # ---- what the view asks ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        return self._headers()[section]

    def _headers(self) -> list[str]:
        return [self.tr("工单号"), self.tr("业务类型"), self.tr("状态"), self.tr("渠道"), self.tr("客户"),
                self.tr("当前环节"), self.tr("受理时间"), self.tr("承诺时限")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == TICKET_ID_ROLE:
            return row.ticket.id
        if role == SLA_ROLE:
            state = self.sla_of(row)
            return str(state) if state is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and key == "due":
            state = self.sla_of(row)
            return SLA_COLOURS.get(state) if state is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and key == "due" and row.ticket.due_at is not None:
            return labels.local_time(row.ticket.due_at)
        return None

    def _display(self, row: QueueRow, key: str) -> str:
        ticket = row.ticket
        lang = current_language()
        if key == "number":
            return ticket.number or ticket.provisional_number or ""
        if key == "type":
            return labels.ticket_type_name(ticket.type_code, lang)
        if key == "state":
            return labels.state_name("ticket", ticket.state, lang)
        if key == "channel":
            return labels.channel_name(ticket.channel, lang)
        if key == "customer":
            if row.customer_name is None:
                return self.tr("（匿名）")
            return mask_customer_name(row.customer_name, row.customer_id_type)
        if key == "stages":
            return "、".join(labels.department_name(t.department, lang) for t in row.tasks)
        if key == "accepted_at":
            return labels.local_time(ticket.accepted_at)
        if key == "due":
            return self._countdown(row)
        return ""

    def _countdown(self, row: QueueRow) -> str:
        due = row.ticket.due_at
        if due is None:
            return self.tr("待同步后确定")
        if not ticket_rules.is_open(row.ticket):
            return labels.local_time(due)
        if row.stop is not None:
            deadline = sla.Deadline(due_at=due, warn_at=row.ticket.warn_at or due,
                                    provisional=row.ticket.deadline_provisional)
            return labels.stopped_text(sla.ticket_clock(deadline, self._now, row.stop), current_language())
        left = due - self._now
        if left.total_seconds() < 0:
            return self.tr("超时 %1").replace("%1", format_duration(left, current_language()))
        return self.tr("剩余 %1").replace("%1", format_duration(left, current_language()))

    def sla_of(self, row: QueueRow) -> sla.SlaState | None:
        """The worse of the ticket's own deadline and its active stages' deadlines."""
        own = ticket_sla(row.ticket, self._now) if row.stop is None else None  # a stopped clock is no longer work
        return worst(own, *(task_sla(task, self._now) for task in row.tasks))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._busy and self._filters is not None and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._read(offset=len(self._rows), limit=self._page_size, mode="append")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        name = COLUMNS[column].sort
        wanted = f"-{name}" if order == Qt.SortOrder.DescendingOrder else str(name)
        if wanted != self._sort:
            self._sort = wanted
            if self._filters is not None:
                self._restart()

    # ---- what the area asks ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows the question has (known shortly after the first page)."""
        return max(self._total, len(self._rows))

    @property
    def filters(self) -> QueueFilters | None:
        return self._filters

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def busy(self) -> bool:
        """A page or the count is being read."""
        return self._busy or self._counting

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    def row_of(self, ticket_id: str) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.ticket.id == ticket_id), None)

    def set_filters(self, filters: QueueFilters) -> None:
        """A new question: the only time the model resets."""
        if filters != self._filters:
            self._filters = filters
            self._restart()

    def move_boundary(self, filters: QueueFilters) -> None:
        """The same question at a later moment (an SLA list as the clock moves): updated in place, no reset."""
        if self._filters is None:
            self.set_filters(filters)
            return
        self._filters = filters
        self.refresh()

    def refresh(self) -> None:
        """Re-read the loaded window (after `changes()`): rows update in place, no reset."""
        if self._filters is None:
            return
        if self._busy:
            self._refresh_wanted = True
            return
        self._read(offset=0, limit=max(len(self._rows), self._page_size), mode="refresh")

    def tick(self) -> None:
        """The clock moved: recolour the countdown column without asking the store."""
        self._now = self._clock()
        if self._rows:
            self.dataChanged.emit(self.index(0, SLA_COLUMN), self.index(len(self._rows) - 1, SLA_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, SLA_ROLE])

    # ---- reading --------------------------------------------------------------------------------

    def _restart(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self.endResetModel()
        self._busy = False
        self._exhausted = False
        self._refresh_wanted = False
        self._read(offset=0, limit=self._page_size, mode="append")

    def _read(self, *, offset: int, limit: int, mode: str) -> None:
        """Read rows first (what the view waits for), then count them in a second read."""
        filters, sort, generation = self._filters, self._sort, self._generation
        assert filters is not None
        store = self._store
        self._busy = True

        def landed(rows: list[QueueRow]) -> None:
            if generation != self._generation:
                return  # a newer question was asked meanwhile
            self._busy = False
            self._now = self._clock()
            if mode == "append":
                self._append(rows, offset)
            else:
                self._replace_window(rows)
            self._exhausted = len(rows) < limit
            self.loaded.emit()
            if offset == 0:
                self._count(generation)
            if self._refresh_wanted:
                self._refresh_wanted = False
                self.refresh()

        Operation(self, lambda: load_rows(store, filters, sort, offset, limit)).success(landed).failure(
            partial(self._failed, generation)).run()

    def _count(self, generation: int) -> None:
        filters, store = self._filters, self._store
        assert filters is not None
        self._counting = True

        def counted(total: int) -> None:
            if generation != self._generation:
                return
            self._counting = False
            # Always said: a restart zeroed `_total` silently, so an empty queue after a full one kept
            # the full one's "共 N 件" (seen on the supervisor's 超时 list after 预警).
            self._total = total
            self.totalChanged.emit(total)

        Operation(self, lambda: queue_count(store, filters)).success(counted).failure(
            partial(self._failed, generation)).run()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._busy = self._counting = False
        report_failure(error)

    def _append(self, rows: list[QueueRow], offset: int) -> None:
        if offset != len(self._rows) or not rows:
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def _replace_window(self, rows: list[QueueRow]) -> None:
        old = self._rows
        common = min(len(old), len(rows))
        changed = [i for i in range(common) if old[i] != rows[i]]
        if len(rows) < len(old):
            self.beginRemoveRows(QModelIndex(), len(rows), len(old) - 1)
            self._rows = old[: len(rows)]
            self.endRemoveRows()
        self._rows[:common] = rows[:common]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(COLUMNS) - 1))
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            self._rows.extend(rows[len(old):])
            self.endInsertRows()
