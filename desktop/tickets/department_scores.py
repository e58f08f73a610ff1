"""本部门评价: the month's multi-party evaluation of the office's departments (主责评价, 协作互评, 客户评价, the
weighted score and the rank), shown to department staff so each department sees where it stands among the
others — the server's /efficiency/evaluations, which gives a department its own office only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import ElidedLabel, rated_text
from desktop.efficiency import data
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.sync.errors import SyncError
from desktop.tickets.labels import department_name


class DepartmentScoresDialog(QDialog):
    def __init__(self, context: DeskContext, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("departmentScores")
        self.setWindowTitle(self.tr("本部门评价"))
        self._context, self._clock = context, clock
        self._generation = 0
        self.departments: list[dict[str, Any]] = []
        today = data.today_in_office(clock())
        self.month = QComboBox(self)
        self.month.setObjectName("scoresMonth")
        self.month.setAccessibleName(self.tr("月份"))
        for first, _last in (data.this_month(today), data.last_month(today)):
            self.month.addItem(f"{first:%Y-%m}", f"{first:%Y-%m}")
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("scoresTable")
        self.table.setHorizontalHeaderLabels([self.tr("名次"), self.tr("部门"), self.tr("加权得分"),
                                              self.tr("主责评价"), self.tr("协作互评"), self.tr("客户评价")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.weights = QLabel(self)
        self.weights.setObjectName("scoresWeights")
        self.status = ElidedLabel(self)
        self.status.setObjectName("scoresStatus")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("月份"), self))
        bar.addWidget(self.month)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.weights)
        self.resize(720, 360)

    def refresh(self) -> None:
        client = getattr(self._context.engine, "client", None)
        if client is None:
            self._problem(self.tr("未连接服务器：评价结果在线查看。"))
            return
        self._generation += 1
        generation, month = self._generation, str(self.month.currentData())
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取…"))

        async def fetch() -> list[dict[str, Any]]:
            answer: list[dict[str, Any]] = await client.efficiency_evaluations(month)
            return answer

        Operation(self, fetch).success(lambda found: self._loaded(found, generation)).failure(
            lambda error: self._failed(error, generation)).run()

    def _loaded(self, offices: list[dict[str, Any]], generation: int) -> None:
        if generation != self._generation:
            return
        office = offices[0] if offices else {}
        self.departments = sorted(office.get("departments", []), key=lambda d: (
            d.get("rank") is None, d.get("rank") or 0, str(d.get("department"))))
        own, lang, locale = self._context.staff.department, current_language(), QLocale()
        bold = QFont(self.font())
        bold.setBold(True)
        self.table.setRowCount(len(self.departments))
        for row, line in enumerate(self.departments):
            cells = [str(line["rank"]) if line.get("rank") is not None else "—",
                     department_name(str(line.get("department")), lang), self._score(line.get("score")),
                     rated_text(line, "lead"), rated_text(line, "peer"), rated_text(line, "customer")]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.get("department") == own:
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        weights = office.get("weights") or {}
        self.weights.setText(self.tr("加权得分满分 5 分；权重：主责 %1 · 协作 %2 · 客户 %3").replace(
            "%1", locale.toString(float(weights.get("lead", 0)), "f", 2)).replace(
            "%2", locale.toString(float(weights.get("peer", 0)), "f", 2)).replace(
            "%3", locale.toString(float(weights.get("customer", 0)), "f", 2)))
        mine = next((d for d in self.departments if d.get("department") == own), None)
        if mine is None or mine.get("rank") is None:
            self.status.setText(self.tr("本部门本月尚无评价"))
        else:
            self.status.setText(self.tr("本部门第 %1 名，共 %2 个部门").replace("%1", str(mine["rank"])).replace(
                "%2", str(sum(1 for d in self.departments if d.get("rank") is not None))))

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        if isinstance(error, SyncError):
            self._problem(error.message(current_language()))
            return
        report_failure(error)

    def _problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;")

    def _score(self, value: Any) -> str:
        return "—" if value is None else self.tr("%1 分").replace("%1", QLocale().toString(float(value), "f", 2))
