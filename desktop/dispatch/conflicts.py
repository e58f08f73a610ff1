"""Bookings the server refused (someone else took the survey, the surveyor is on leave): both versions side by
side, from the store's conflicts inbox, with a suggested fix computed by domain.dispatch.suggest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from desktop.dispatch.data import DispatchDay
from desktop.display import datetime_text
from desktop.i18n import current_language
from domain.dispatch import suggest
from domain.errors import DomainError
from domain.states import state_label
from local_store import ConflictEntry

FIX_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ConflictFix:
    conflict_id: int
    request_id: str
    surveyor_id: str
    start: datetime


def _booking_text(data: dict[str, Any] | None, names: dict[str, str]) -> str:
    if not data:
        return "—"
    who = names.get(str(data.get("surveyor_id")), str(data.get("surveyor_id") or "—"))
    start = data.get("start")
    when = ""
    if start:
        when = " " + datetime_text(datetime.fromisoformat(str(start)))
    return f"{who}{when}（{_state_text(str(data.get('state') or ''))}）"


def _state_text(state: str) -> str:
    """The booking's state in the dispatcher's language (已派工, not `assigned`); an unknown one as it came."""
    try:
        return state_label("survey_assignment", state, current_language())
    except DomainError:
        return state


def suggested_fix(entry: ConflictEntry, day: DispatchDay, now: datetime) -> ConflictFix | None:
    """The best surveyor for the refused survey given the server's version of the day."""
    request = day.requests.get(entry.mutation.entity_id)
    if request is None:
        return None
    others = [a for a in day.assignments if a.request_id != request.id]
    result = suggest(request, day.surveyors, others, now=now, limit=1)
    if not result.suggestions:
        return None
    best = result.suggestions[0]
    return ConflictFix(entry.id, request.id, best.surveyor_id, best.start)


class ConflictPanel(QWidget):
    fixRequested = Signal(int, str, str, object)  # conflict id, request id, surveyor id, start

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchConflicts")
        self.list = QListWidget(self)
        self.list.setObjectName("dispatchConflictList")
        self.list.setAccessibleName(self.tr("被服务器拒绝的派工"))
        self.fix_button = QPushButton(self.tr("按建议改派"), self)
        self.fix_button.setObjectName("applyConflictFix")
        self.fix_button.setAccessibleName(self.tr("按建议改派"))
        self.fix_button.clicked.connect(self._fix_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("派工冲突"), self))
        layout.addWidget(self.list)
        layout.addWidget(self.fix_button)

    def show_conflicts(self, day: DispatchDay, now: datetime) -> None:
        self.list.clear()
        names = {s.id: s.name for s in day.surveyors}
        for entry in day.conflicts:
            fix = suggested_fix(entry, day, now)
            text = (self.tr("我的版本：") + _booking_text(entry.mine, names) + "\n"
                    + self.tr("服务器版本：") + _booking_text(entry.server, names) + "\n"
                    + self.tr("原因：") + (entry.reason or entry.code or ""))
            if fix is not None:
                text += "\n" + self.tr("建议：改派给 %1，%2 开始").replace("%1", names.get(fix.surveyor_id, fix.surveyor_id)) \
                    .replace("%2", datetime_text(fix.start))
            else:
                text += "\n" + self.tr("建议：保留服务器版本")
            item = QListWidgetItem(text, self.list)
            item.setData(FIX_ROLE, fix)
        self.setVisible(bool(day.conflicts))
        self.fix_button.setEnabled(bool(day.conflicts))

    def fixes(self) -> list[ConflictFix | None]:
        return [self.list.item(n).data(FIX_ROLE) for n in range(self.list.count())]

    def _fix_selected(self) -> None:
        item = self.list.currentItem() or self.list.item(0)
        fix = item.data(FIX_ROLE) if item is not None else None
        if fix is not None:
            self.fixRequested.emit(fix.conflict_id, fix.request_id, fix.surveyor_id, fix.start)
