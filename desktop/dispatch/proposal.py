"""Reviewing a batch proposal: every booking listed (untick to leave one out), the left-outs with reasons,
the objective and its terms; one step accepts them all."""

from __future__ import annotations

from collections.abc import Mapping
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
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchProposal")
        self.setWindowTitle(self.tr("自动派工方案"))
        self.model = ProposalModel(proposal, surveyor_names, labels, self)
        table = QTableView(self)
        table.setObjectName("proposalTable")
        table.setAccessibleName(self.tr("方案中的派工"))
        table.setModel(self.model)
        summary = QLabel(self)
        terms = proposal.terms
        summary.setText(
            self.tr("派工 %1 单，未派 %2 单；目标值 %3（未派 %4，时限 %5，路程 %6，均衡 %7）")
            .replace("%1", str(len(proposal.assignments))).replace("%2", str(len(proposal.unassigned)))
            .replace("%3", str(proposal.objective)).replace("%4", str(terms.get("unassigned", 0)))
            .replace("%5", str(terms.get("lateness", 0))).replace("%6", str(terms.get("travel", 0)))
            .replace("%7", str(terms.get("imbalance", 0))))
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

    def _accept(self) -> None:
        self.accepted_bookings.emit(self.model.kept())
        self.accept()
