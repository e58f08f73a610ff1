"""Reviewing a batch proposal: every booking listed (untick to leave one out), the left-outs with reasons,
a summary in the dispatcher's words (how many booked, each surveyor's load, any past its due time; the
solver's objective stays out of sight); one step accepts them all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import current_language
from domain.dispatch import Assignment
from domain.sla import OFFICE_ZONE

Index = QModelIndex | QPersistentModelIndex


if TYPE_CHECKING:
    from domain.dispatch.batch import BatchProposal

class ProposalModel(QAbstractTableModel):
    """The proposed bookings; the first column is checkable so the dispatcher can adjust before accepting."""

    def __init__(self, proposal: BatchProposal, surveyor_names: Mapping[str, str], labels: Mapping[str, str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(proposal.assignments)
        self._keep = [True] * len(self._rows)
        self._names = dict(surveyor_names)
        self._labels = dict(labels)
        self._headers = (self.tr("工单"), self.tr("勘查员"), self.tr("开始"), self.tr("结束"))

    def kept(self) -> list[Assignment]:
        return [a for a, keep in zip(self._rows, self._keep, strict=True) if keep]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 4:
            return None
        booking = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if self._keep[index.row()] else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return self._labels.get(booking.request_id, booking.request_id)
        if column == 1:
            return self._names.get(booking.surveyor_id, booking.surveyor_id)
        moment = booking.start if column == 2 else booking.end
        return f"{moment.astimezone(OFFICE_ZONE):%H:%M}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self._keep[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class ProposalDialog(QDialog):
    accepted_bookings = Signal(object)  # list[Assignment] the dispatcher kept

    def __init__(self, proposal: BatchProposal, surveyor_names: Mapping[str, str], labels: Mapping[str, str],
                 parent: QWidget | None = None, *, due: Mapping[str, datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchProposal")
        self.setWindowTitle(self.tr("自动派工方案"))
        self.model = ProposalModel(proposal, surveyor_names, labels, self)
        table = QTableView(self)
        table.setObjectName("proposalTable")
        table.setAccessibleName(self.tr("方案中的派工"))
        table.setModel(self.model)
        self.summary = summary = QLabel(self)
        summary.setObjectName("proposalSummary")
        summary.setWordWrap(True)
        summary.setText(self._summary(proposal, surveyor_names, due or {}))
        left = QListWidget(self)
        left.setObjectName("proposalUnassigned")
        left.setAccessibleName(self.tr("未派工的勘查单及原因"))
        language = current_language()
        for item in proposal.unassigned:
            left.addItem(f"{labels.get(item.request_id, item.request_id)}：{item.reason(language)}")
        buttons = QDialogButtonBox(self)
        self.accept_all = QPushButton(self.tr("全部接受"), self)
        self.accept_all.setObjectName("acceptProposal")
        self.accept_all.setAccessibleName(self.tr("接受方案"))
        buttons.addButton(self.accept_all, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("放弃"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(QLabel(self.tr("取消勾选可调整方案，再点「全部接受」："), self))
        layout.addWidget(table)
        layout.addWidget(QLabel(self.tr("未派工："), self))
        layout.addWidget(left)
        layout.addWidget(buttons)
        self.table = table
        table.setFocus(Qt.FocusReason.OtherFocusReason)  # opens on the bookings: Space unticks one

    def _summary(self, proposal: BatchProposal, names: Mapping[str, str], due: Mapping[str, datetime]) -> str:
        """How many are booked and left, how the day is shared out, how many would finish past their due time."""
        text = self.tr("派工 %1 单，未派 %2 单").replace("%1", str(len(proposal.assignments))) \
            .replace("%2", str(len(proposal.unassigned)))
        loads = Counter(a.surveyor_id for a in proposal.assignments)
        for surveyor_id in names:
            loads.setdefault(surveyor_id, 0)
        if loads:
            fewest, most = min(loads.values()), max(loads.values())
            share = str(most) if most == fewest else f"{fewest}–{most}"
            text += self.tr("；每位勘查员 %1 单").replace("%1", share)
        late = sum(1 for a in proposal.assignments if a.request_id in due and a.end > due[a.request_id])
        if late:
            text += self.tr("；%1 单将超过办理时限").replace("%1", str(late))
        return text + self.tr("。")

    def _accept(self) -> None:
        self.accepted_bookings.emit(self.model.kept())
        self.accept()
