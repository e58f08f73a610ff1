"""Suggested surveyors for the selected survey, best first, each with its reasons in the dispatcher's words
(domain.dispatch.suggest; points and weights are for tuning, not shown)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.display import datetime_text, plain_tooltip
from desktop.i18n import current_language
from domain.dispatch import Suggestion

Index = QModelIndex | QPersistentModelIndex
SURVEYOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SuggestionModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Suggestion] = []
        self._names: Mapping[str, str] = {}
        self._headers = (self.tr("勘查员"), self.tr("最早开始"), self.tr("推荐度"))

    def set_suggestions(self, suggestions: Sequence[Suggestion], names: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._rows = list(suggestions)
        self._names = dict(names)
        self.endResetModel()

    def suggestion(self, row: int) -> Suggestion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 3:
            return None
        suggestion = self._rows[index.row()]
        if role == SURVEYOR_ID_ROLE:
            return suggestion.surveyor_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(suggestion.reasons(current_language()))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == 0:
            return self._names.get(suggestion.surveyor_id, suggestion.surveyor_id)
        if index.column() == 1:
            return datetime_text(suggestion.start)
        return f"{suggestion.score:.0f}"  # out of 100 for a perfect fit
