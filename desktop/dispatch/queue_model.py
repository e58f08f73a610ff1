"""The unassigned queue as a Qt table model; rows drag out as survey ids onto the surveyor timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from desktop.dispatch.data import QueueItem
from desktop.dispatch.labels import countdown, customer_class_text, mode_text, skill_text
from desktop.display import datetime_text

Index = QModelIndex | QPersistentModelIndex
SURVEY_MIME = "application/x-onewindow-survey"
REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("ticket", "customer_class", "territory", "skill", "deadline", "mode")


class UnassignedQueueModel(QAbstractTableModel):
    def __init__(self, clock: Callable[[], datetime], parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._items: list[QueueItem] = []
        self._headers = (self.tr("工单"), self.tr("客户类别"), self.tr("辖区"), self.tr("资质要求"),
                         self.tr("剩余时限"), self.tr("方式"))

    def set_items(self, items: Sequence[QueueItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> QueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, request_id: str) -> int:
        return next((n for n, item in enumerate(self._items) if item.request.id == request_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items) or not 0 <= index.column() < len(COLUMNS):
            return None
        item = self._items[index.row()]
        column = COLUMNS[index.column()]
        if role == REQUEST_ID_ROLE:
            return item.request.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "deadline":
            return datetime_text(item.request.due_at)  # office time, like every screen
        return None

    def _text(self, item: QueueItem, column: str) -> str:
        request = item.request
        if column == "ticket":
            return item.ticket_number
        if column == "customer_class":
            return customer_class_text(item.customer_class)
        if column == "territory":
            return request.territory
        if column == "skill":
            return skill_text(request.required_skill)
        if column == "deadline":
            return countdown(request.due_at, self._clock())
        return mode_text(request.mode)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [SURVEY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(SURVEY_MIME, self._items[rows[0]].request.id.encode())
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction
