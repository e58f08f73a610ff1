"""Everything a customer has done with us, on every channel, newest first, filterable by channel.

A hotline call's own record (the one the telephony system's screen pop creates) has no words of its own: its
content reads as the call, the caller's number masked as every screen masks a phone, the time it came in and
what came of it (the wrap-up and other records kept on the same call)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.display import cell_text, plain_tooltip, time_text
from desktop.frontdesk import labels
from desktop.i18n import current_language
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.masking import mask_phone
from domain.records import Interaction, Ticket, Verification
from local_store import TimelineEntry

Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractTableModel):
    AT, CHANNEL, KIND, SUMMARY = range(4)
    ChannelRole = Qt.ItemDataRole.UserRole + 1
    EntryRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, catalogue: Catalogue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._all: list[TimelineEntry] = []
        self._shown: list[TimelineEntry] = []
        self._channel: str | None = None
        self._on_call: dict[str, list[str]] = {}  # call id -> the words kept on that call, oldest first

    @property
    def channel_filter(self) -> str | None:
        return self._channel

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        self.beginResetModel()
        self._all = list(entries)
        self._on_call = _words_by_call(self._all)
        self._shown = self._filtered()
        self.endResetModel()

    def set_channel_filter(self, channel: str | None) -> None:
        """Show one channel's entries only (None: every channel)."""
        self.beginResetModel()
        self._channel = channel
        self._shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[TimelineEntry]:
        if self._channel is None:
            return list(self._all)
        return [entry for entry in self._all if _channel_of(entry) == self._channel]

    def all_entries(self) -> list[TimelineEntry]:
        """Every entry, whatever the channel filter."""
        return list(self._all)

    def entry(self, row: int) -> TimelineEntry | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        entry = self._shown[index.row()]
        if role == self.ChannelRole:
            return _channel_of(entry)
        if role == self.EntryRole:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self._text(entry, index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._text(entry, index.column()))  # a summary may look like HTML
        if role == Qt.ItemDataRole.DecorationRole and index.column() == self.CHANNEL:
            channel = _channel_of(entry)
            return labels.channel_icon(channel) if channel else None
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == self.CHANNEL:
            return labels.channel_name(_channel_of(entry))
        return None

    def _text(self, entry: TimelineEntry, column: int) -> str:
        if column == self.AT:
            return labels.local_time(entry.at)
        if column == self.CHANNEL:
            channel = _channel_of(entry)
            return labels.channel_name(channel) if channel else ""
        if column == self.KIND:
            return self._kind(entry)
        if column == self.SUMMARY:
            return self._summary(entry)
        return ""

    def _kind(self, entry: TimelineEntry) -> str:
        record = entry.record
        if isinstance(record, Ticket):
            return self.tr("工单")
        if isinstance(record, Verification):
            return self.tr("身份核验")
        if isinstance(record, Interaction):
            return labels.interaction_type_name(record.type)
        return entry.kind

    def _summary(self, entry: TimelineEntry) -> str:
        record = entry.record
        if isinstance(record, Ticket):
            try:
                type_name = self._catalogue.ticket_type(record.type_code).name(current_language())
            except DomainError:
                type_name = record.type_code
            number = record.number or record.provisional_number or ""
            state = labels.ticket_state_name(record.state, current_language())
            return " · ".join(part for part in (number, type_name, state, record.summary) if part)
        if isinstance(record, Verification):
            return f"{labels.verification_method_name(record.method)} · {labels.outcome_name(record.outcome)}"
        if isinstance(record, Interaction):
            if not record.summary and record.type == "call":
                return self._call_summary(record)
            return record.summary
        return ""

    def _call_summary(self, call: Interaction) -> str:
        """来电 139****5678 · 09:30 · 话后小结：报修（通话 02:41）"""
        number = mask_phone(call.caller_number) if call.caller_number else self.tr("未知号码")
        parts = [self.tr("来电 %1").replace("%1", number), time_text(call.at)]
        if call.call_id:
            parts.append("；".join(self._on_call.get(call.call_id, [])))
        return " · ".join(part for part in parts if part)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("时间"), self.tr("渠道"), self.tr("类别"), self.tr("内容"))
        return titles[section] if 0 <= section < len(titles) else None


def _words_by_call(entries: list[TimelineEntry]) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        record = entry.record
        if isinstance(record, Interaction) and record.call_id and record.summary:
            words.setdefault(record.call_id, []).append(record.summary)
    return words


def _channel_of(entry: TimelineEntry) -> str:
    channel = getattr(entry.record, "channel", "")
    return channel if isinstance(channel, str) else ""
