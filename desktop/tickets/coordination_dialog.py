"""The coordination lists on screen (daily / weekly / monthly) and their export to Excel or PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.i18n import current_language
from desktop.operations import Operation
from desktop.tickets import export
from desktop.tickets.coordination import CoordinationReport, Period, coordination_report
from domain.catalogue import Catalogue


class CoordinationDialog(QDialog):
    def __init__(self, context: DeskContext, catalogue: Catalogue, clock: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coordinationDialog")
        self.setWindowTitle(self.tr("跨部门协调清单"))
        self._context = context
        self._catalogue = catalogue
        self._clock = clock
        self.report: CoordinationReport | None = None
        self.period = QComboBox(self)
        self.period.setObjectName("coordinationPeriod")
        self.period.setAccessibleName(self.tr("周期"))
        self.period.addItem(self.tr("日清单"), "daily")
        self.period.addItem(self.tr("周清单"), "weekly")
        self.period.addItem(self.tr("月清单"), "monthly")
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.title = QLabel(self)
        self.title.setObjectName("coordinationTitle")
        self.stuck = QTableWidget(0, 0, self)
        self.stuck.setObjectName("stuckItems")
        self.stuck.setAccessibleName(self.tr("跨部门卡点"))
        self.departments = QTableWidget(0, 0, self)
        self.departments.setObjectName("departmentLines")
        self.departments.setAccessibleName(self.tr("各部门超时统计"))
        self.to_xlsx = QPushButton(self.tr("导出 Excel…"), self)
        self.to_xlsx.setObjectName("exportXlsx")
        self.to_pdf = QPushButton(self.tr("导出 PDF…"), self)
        self.to_pdf.setObjectName("exportPdf")
        self.to_xlsx.clicked.connect(lambda: self._ask_path("xlsx"))
        self.to_pdf.clicked.connect(lambda: self._ask_path("pdf"))
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.title, 1)
        top.addWidget(self.to_xlsx)
        top.addWidget(self.to_pdf)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("跨部门卡点"), self))
        layout.addWidget(self.stuck, 2)
        layout.addWidget(QLabel(self.tr("各部门超时统计"), self))
        layout.addWidget(self.departments, 1)
        self.resize(960, 600)
        self.period.setFocus(Qt.FocusReason.OtherFocusReason)  # opens on its first field
        self.load()

    def load(self) -> None:
        store, catalogue, office = self._context.store, self._catalogue, self._context.office_id
        period: Period = self.period.currentData()
        now, lang = self._clock(), current_language()
        Operation(self, lambda: coordination_report(store, catalogue, office, period, now, lang)).success(
            self._show).run()

    def _show(self, report: CoordinationReport) -> None:
        self.report = report
        self.title.setText(report.title())
        lang = report.lang
        _fill(self.stuck, export.column_titles("stuck", lang), export.stuck_rows(report.stuck, lang))
        _fill(self.departments, export.column_titles("departments", lang), export.department_rows(report.departments, lang))

    def _ask_path(self, kind: str) -> None:
        pattern = self.tr("Excel 工作簿 (*.xlsx)") if kind == "xlsx" else self.tr("PDF 文件 (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出协调清单"), f"coordination.{kind}", pattern)
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> None:
        report = self.report
        if report is None:
            return
        writer = export.write_xlsx if kind == "xlsx" else export.write_pdf
        Operation(self, lambda: writer(report, path)).success(
            lambda written: messages.info(self.tr("已导出：%1").replace("%1", str(written)))).run()


def _fill(table: QTableWidget, headers: tuple[str, ...], rows: Sequence[Sequence[object]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
