"""The outage board's list: live and scheduled events, the largest first, as a Qt table model."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.display import datetime_text
from domain.records import OutageEvent

Index = QModelIndex | QPersistentModelIndex
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("kind", "state", "area", "reason", "accounts", "important", "calls", "starts", "age", "restoration", "level")
AREA_COLUMN = COLUMNS.index("area")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class OutageEventsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, clock: Callable[[], datetime] = _utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._events: list[OutageEvent] = []
        self._names: Mapping[str, str] = {}
        self._headers = (self.tr("类型"), self.tr("状态"), self.tr("停电范围"), self.tr("原因"), self.tr("停电户数"),
                         self.tr("重要客户"), self.tr("来电"), self.tr("开始"), self.tr("持续"), self.tr("预计恢复"),
                         self.tr("响应级别"))
        self._kinds = {"planned": self.tr("计划停电"), "temporary": self.tr("临时检修"), "fault": self.tr("故障停电")}
        self._states = {"predicted": self.tr("研判中"), "scheduled": self.tr("已计划"), "active": self.tr("停电中")}

    def set_events(self, events: Sequence[OutageEvent], names: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self._names = dict(names)
        self.endResetModel()

    def refresh_ages(self) -> None:
        """The clock moved: the 持续 column follows."""
        if self._events:
            column = COLUMNS.index("age")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._events) - 1, column))

    def event_at(self, row: int) -> OutageEvent | None:
        return self._events[row] if 0 <= row < len(self._events) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events) or not 0 <= index.column() < len(COLUMNS):
            return None
        event = self._events[index.row()]
        if role == EVENT_ID_ROLE:
            return event.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(event, COLUMNS[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()] in ("reason", "area"):
            return self._text(event, COLUMNS[index.column()])  # plain text: a tooltip of a string is not rich text
        return None

    def _text(self, event: OutageEvent, column: str) -> str:
        if column == "kind":
            return self._kinds.get(event.outage_kind, event.outage_kind)
        if column == "state":
            return self._states.get(event.state, event.state)
        if column == "area":
            return "、".join(self._names.get(d, d) for d in event.device_ids)
        if column == "reason":
            return event.reason
        if column == "accounts":
            return str(event.accounts_affected)
        if column == "important":
            return str(event.important_affected)
        if column == "calls":
            return self.tr("%1 次 / %2 户").replace("%1", str(event.call_count)).replace("%2", str(event.caller_count))
        if column == "starts":
            return datetime_text(event.starts_at)
        if column == "age":
            if event.state == "scheduled":
                return self.tr("未开始")
            minutes = max(0, int((self._clock() - event.starts_at).total_seconds() // 60))
            hours, minutes = divmod(minutes, 60)
            return self.tr("%1 小时 %2 分").replace("%1", str(hours)).replace("%2", str(minutes)) if hours \
                else self.tr("%1 分钟").replace("%1", str(minutes))
        if column == "restoration":
            return datetime_text(event.ends_at) if event.ends_at else self.tr("待定")
        return event.level or ""
