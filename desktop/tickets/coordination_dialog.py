"""The coordination lists on screen (daily / weekly / monthly) and their export to Excel or PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from desktop.display import date_edit
from desktop.i18n import current_language
from desktop.operations import Operation
from desktop.tickets import export
from desktop.tickets.coordination import CoordinationReport, Period, StuckItem, coordination_report
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.roles import may_supervise
from domain.supervision import check_range, office_day


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
        self.period.addItem(self.tr("自定义…"), "custom")
        self.period.currentIndexChanged.connect(lambda _i: self._on_period())
        # A custom range (docs/coordination.md): two days, both included, checked by domain.supervision.
        today = office_day(clock())
        self.range_start = date_edit(self)
        self.range_start.setObjectName("coordinationStart")
        self.range_start.setAccessibleName(self.tr("开始日期"))
        self.range_start.setDate(QDate(today.year, today.month, 1))
        self.range_end = date_edit(self)
        self.range_end.setObjectName("coordinationEnd")
        self.range_end.setAccessibleName(self.tr("结束日期"))
        self.range_end.setDate(QDate(today.year, today.month, today.day))
        self.range_apply = QPushButton(self.tr("查询"), self)
        self.range_apply.setObjectName("coordinationApply")
        self.range_apply.clicked.connect(self.load)
        self.range_error = QLabel(self)
        self.range_error.setObjectName("coordinationRangeError")
        self.range_error.setStyleSheet("color: #c62828;")
        # 记录会议 and 督办 (a supervisor's): the list becomes a meeting and actions for departments.
        supervising = may_supervise(context.role)
        self.record_meeting = QPushButton(self.tr("记录会议…"), self)
        self.record_meeting.setObjectName("recordMeeting")
        self.record_meeting.clicked.connect(self.open_meeting)
        self.supervise = QPushButton(self.tr("督办所选…"), self)
        self.supervise.setObjectName("superviseStuck")
        self.supervise.clicked.connect(self.supervise_selected)
        for button in (self.record_meeting, self.supervise):
            button.setVisible(supervising)
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
        for widget in (self.range_start, self.range_end, self.range_apply):
            top.addWidget(widget)
        top.addWidget(self.title, 1)
        top.addWidget(self.to_xlsx)
        top.addWidget(self.to_pdf)
        top.addWidget(self.record_meeting)
        top.addWidget(self.supervise)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.range_error)
        layout.addWidget(QLabel(self.tr("跨部门卡点"), self))
        layout.addWidget(self.stuck, 2)
        layout.addWidget(QLabel(self.tr("各部门超时统计"), self))
        layout.addWidget(self.departments, 1)
        self.resize(960, 600)
        self.period.setFocus(Qt.FocusReason.OtherFocusReason)  # opens on its first field
        self.stuck.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stuck.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.active_dialog: QDialog | None = None
        self._on_period()

    def _on_period(self) -> None:
        custom = self.period.currentData() == "custom"
        for widget in (self.range_start, self.range_end, self.range_apply):
            widget.setVisible(custom)
        self.load()

    def chosen_range(self) -> tuple[date, date]:
        first, last = self.range_start.date(), self.range_end.date()
        return date(first.year(), first.month(), first.day()), date(last.year(), last.month(), last.day())

    def load(self) -> None:
        store, catalogue, office = self._context.store, self._catalogue, self._context.office_id
        period: Period = self.period.currentData()
        now, lang = self._clock(), current_language()
        between = self.chosen_range() if period == "custom" else None
        if between is not None:
            try:
                check_range(*between)
            except DomainError as error:  # the list on screen stays as it was
                self.range_error.setText(error.message(lang))
                self.range_error.setVisible(True)
                return
        self.range_error.clear()
        self.range_error.setVisible(False)
        Operation(self, lambda: coordination_report(store, catalogue, office, period, now, lang, between)).success(
            self._show).run()

    def selected_stuck(self) -> StuckItem | None:
        rows = self.stuck.selectionModel().selectedRows()
        if self.report is None or not rows or rows[0].row() >= len(self.report.stuck):
            return None
        return self.report.stuck[rows[0].row()]

    def supervise_selected(self) -> QDialog | None:
        """督办 a stuck line: the department holding it, its ticket, due in three days."""
        from desktop.supervision.action_dialog import ActionDialog, ActionDraft

        item = self.selected_stuck()
        if item is None:
            messages.info(self.tr("请先在跨部门卡点中选择一项。"))
            return None
        draft = ActionDraft(
            title=self.tr("协调工单 %1「%2」环节").replace("%1", item.ticket_number).replace("%2", item.stage),
            detail=item.reason, department=item.department, source={"kind": "coordination", "ref": item.ticket_number},
            ticket_ids=[item.ticket_id] if item.ticket_id else [])
        dialog = ActionDialog(self._context, self._clock, draft, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def open_meeting(self) -> QDialog:
        from desktop.supervision.meeting_dialog import MeetingDialog

        dialog = MeetingDialog(self._context, self._clock, self.report, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.active_dialog = dialog
        dialog.open()
        return dialog

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
