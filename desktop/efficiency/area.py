"""效能监控: the supervisor's (and the prefecture manager's) service-efficiency monitor — KPI tiles with their
target and the change on the previous period, the on-time trend, the department ranking, a period, office
and slice picker, a drill-down from any number to the tickets behind it, and the server's anomaly alerts
(acknowledged or resolved with a note; the tile of an indicator in alert is marked). The last snapshot is kept in
the desk's store and shown offline with its time (docs/efficiency-desk.md)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.display import (
    ElidedLabel,
    cell_text,
    date_edit,
    date_text,
    datetime_text,
    plain_label,
    plain_tooltip,
    rated_text,
)
from desktop.efficiency import data, monthly, report
from desktop.efficiency.process_map import ProcessMapView
from desktop.efficiency.targets import TargetsDialog
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.sync.errors import RequestRefused, SyncError
from desktop.tickets.labels import channel_name, department_name, state_name, ticket_type_name
from domain.catalogue import TicketType, load_catalogue
from domain.errors import DomainError
from domain.records import Ticket
from domain.roles import Department, may_handle_alerts, may_supervise

DRILL_ROLE = Qt.ItemDataRole.UserRole
PACK_MAPS = 3  # the monthly pack maps the processes of the month's busiest ticket types
TILES_PER_ROW = 6  # eleven tiles in two rows


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class KpiTile(QFrame):
    """One indicator: its figure, its target and its change on the previous period; double-click drills."""

    activated = Signal(str)

    def __init__(self, kpi: data.Kpi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi = kpi
        self.setObjectName(f"kpi_{kpi.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#kpi_{kpi.key} {{ background: palette(base); border: 1px solid palette(mid); "
                           "border-radius: 4px; }")
        self.title = plain_label(QCoreApplication.translate("EfficiencyMonitor", kpi.title), self)
        self.title.setStyleSheet("color: palette(dark);")
        self.value = plain_label("—", self)
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.target = plain_label("", self)
        self.target.setObjectName("target")
        self.trend = plain_label("", self)
        self.trend.setObjectName("trend")
        self.note = plain_label("", self)  # what the figure holds (the app's ratings, trips per ticket)
        self.note.setObjectName("note")
        self.note.setStyleSheet("color: palette(dark);")
        self.note.setVisible(False)
        self.alert = plain_label(QCoreApplication.translate("EfficiencyMonitor", "⚠ 预警中"), self)
        self.alert.setObjectName("alertMark")
        self.alert.setStyleSheet("color: #c62828; font-weight: 600;")
        self.alert.setVisible(False)
        self.in_alert = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        for widget in (self.title, self.value, self.note, self.target, self.trend, self.alert):
            layout.addWidget(widget)
        self.setToolTip(QCoreApplication.translate("EfficiencyMonitor", "双击查看背后的工单"))
        self.setAccessibleName(self.title.text())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.kpi.key)
        event.accept()

    def set_alert(self, on: bool) -> None:
        """Mark the tile while its indicator has an unresolved alert (red border and a note)."""
        if on == self.in_alert:
            return
        self.in_alert = on
        border = "2px solid #c62828" if on else "1px solid palette(mid)"
        self.setStyleSheet(f"#kpi_{self.kpi.key} {{ background: palette(base); border: {border}; "
                           "border-radius: 4px; }")
        self.alert.setVisible(on)


class EfficiencyMonitor(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *, clock: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("efficiencyMonitor")
        self.setAccessibleName(self.tr("效能监控"))
        self._context = context
        self._clock = clock or _utc_now
        self._catalogue = load_catalogue()
        self.snapshot: data.Snapshot | None = None
        self.last_pack: tuple[Path, Path] | None = None  # the monthly pack written last (workbook, PDF)
        self._loading = False
        self._fetched_once = False
        self._generation = 0
        lang = current_language()

        # -- pickers --
        today = data.today_in_office(self._clock())
        self.period = QComboBox(self)
        self.period.setObjectName("periodPicker")
        self.period.setAccessibleName(self.tr("时段"))
        self.period.addItem(self.tr("本月"), "this_month")
        self.period.addItem(self.tr("上月"), "last_month")
        self.period.addItem(self.tr("自定义时段"), "custom")
        self.start_edit = date_edit(self)
        self.start_edit.setObjectName("periodStart")
        self.start_edit.setAccessibleName(self.tr("开始日期"))
        self.end_edit = date_edit(self)
        self.end_edit.setObjectName("periodEnd")
        self.end_edit.setAccessibleName(self.tr("结束日期"))
        first, last = data.this_month(today)
        self.start_edit.setDate(_qdate(first))
        self.end_edit.setDate(_qdate(last))
        self.start_edit.setMaximumDate(_qdate(today))
        self.end_edit.setMaximumDate(_qdate(today))
        self._set_custom_enabled(False)
        self.period.currentIndexChanged.connect(self._on_period_kind)
        self.start_edit.dateChanged.connect(lambda _d: self._on_custom_dates())
        self.end_edit.dateChanged.connect(lambda _d: self._on_custom_dates())

        self.office = QComboBox(self)
        self.office.setObjectName("officePicker")
        self.office.setAccessibleName(self.tr("营业单位"))
        self.office.addItem(self.tr("全部单位（汇总）"), None)
        self.office.setVisible(False)  # shown when the server gives more than one office (a manager)
        self.office.currentIndexChanged.connect(lambda _i: self.refresh())

        self.slice_kind = QComboBox(self)
        self.slice_kind.setObjectName("sliceKind")
        self.slice_kind.setAccessibleName(self.tr("切片"))
        self.slice_kind.addItem(self.tr("全部业务"), "all")
        self.slice_kind.addItem(self.tr("按业务类型"), "type")
        self.slice_kind.addItem(self.tr("按部门"), "department")
        self.slice_value = QComboBox(self)
        self.slice_value.setObjectName("sliceValue")
        self.slice_value.setAccessibleName(self.tr("切片取值"))
        self.slice_value.setMinimumContentsLength(10)
        self.slice_value.setEnabled(False)
        self.slice_kind.currentIndexChanged.connect(self._on_slice_kind)
        self.slice_value.currentIndexChanged.connect(lambda _i: self._show())

        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.refresh_button.setObjectName("refreshEfficiency")
        self.refresh_button.clicked.connect(self.refresh)
        self.targets_button = QPushButton(self.tr("设定目标…"), self)
        self.targets_button.setObjectName("setTargets")
        self.targets_button.setToolTip(self.tr("设定本单位各指标的目标值"))
        self.targets_button.clicked.connect(self.edit_targets)
        self.targets_button.setVisible(may_handle_alerts(str(getattr(context.staff, "role", ""))))
        self.targets_button.setEnabled(False)  # until one office's rules are read from the server
        self.pack_button = QPushButton(self.tr("月度分析包…"), self)
        self.pack_button.setObjectName("monthlyPack")
        self.pack_button.setToolTip(self.tr("导出服务效率专题分析会的月度分析包（Excel 与 PDF）"))
        self.pack_button.clicked.connect(self.choose_pack)
        self.status = ElidedLabel(self)  # never widens the window; the whole text is in its tooltip
        self.status.setObjectName("snapshotTime")

        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("时段"), self), self.period, self.start_edit, QLabel("—", self), self.end_edit,
                       self.office, QLabel(self.tr("切片"), self), self.slice_kind, self.slice_value,
                       self.refresh_button, self.targets_button, self.pack_button):
            bar.addWidget(widget)
        bar.addWidget(self.status, 1)

        # -- tiles --
        self.tiles: dict[str, KpiTile] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for index, kpi in enumerate(data.KPIS):
            tile = KpiTile(kpi, self)
            tile.activated.connect(self.drill_kpi)
            self.tiles[kpi.key] = tile
            grid.addWidget(tile, index // TILES_PER_ROW, index % TILES_PER_ROW)

        # -- anomaly alerts (read while the area is open; docs/efficiency-desk.md) --
        self.alerts: list[dict[str, Any]] = []
        self.alerts_table = QTableWidget(0, 6, self)
        self.alerts_table.setObjectName("efficiencyAlerts")
        self.alerts_table.setAccessibleName(self.tr("异常预警"))
        self.alerts_table.setHorizontalHeaderLabels([
            self.tr("指标"), self.tr("切片"), self.tr("依据"), self.tr("工单"), self.tr("状态"), self.tr("发生时间")])
        self.alerts_table.verticalHeader().setVisible(False)
        self.alerts_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alerts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alerts_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.alerts_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.alerts_table.horizontalHeader().setStretchLastSection(True)
        self.alerts_table.setMaximumHeight(self.alerts_table.fontMetrics().height() * 8)
        self.alerts_table.setToolTip(self.tr("双击查看预警背后的工单"))
        self.alerts_table.cellDoubleClicked.connect(lambda row, _column: self.open_alert(row))
        self.alert_note = QLineEdit(self)
        self.alert_note.setObjectName("alertNote")
        self.alert_note.setAccessibleName(self.tr("处理说明"))
        self.alert_note.setPlaceholderText(self.tr("处理说明（确认或解除时必填）"))
        self.alert_note.setMaxLength(1000)
        self.acknowledge_button = QPushButton(self.tr("确认"), self)
        self.acknowledge_button.setObjectName("acknowledgeAlert")
        self.acknowledge_button.clicked.connect(lambda: self.handle_selected_alert("acknowledge"))
        self.resolve_button = QPushButton(self.tr("解除"), self)
        self.resolve_button.setObjectName("resolveAlert")
        self.resolve_button.clicked.connect(lambda: self.handle_selected_alert("resolve"))
        self.alert_status = ElidedLabel(self)
        self.alert_status.setObjectName("alertStatus")
        may_handle = may_handle_alerts(str(getattr(context.staff, "role", "")))
        for control in (self.alert_note, self.acknowledge_button, self.resolve_button):
            control.setVisible(may_handle)  # the prefecture manager reads alerts, handles none
        alert_bar = QHBoxLayout()
        alert_bar.addWidget(QLabel(self.tr("异常预警"), self))
        alert_bar.addWidget(self.alert_note, 1)
        alert_bar.addWidget(self.acknowledge_button)
        alert_bar.addWidget(self.resolve_button)
        # 督办: the selected alert as an action for a department (docs/coordination.md)
        self.supervise_button = QPushButton(self.tr("督办…"), self)
        self.supervise_button.setObjectName("superviseAlert")
        self.supervise_button.clicked.connect(self.supervise_selected_alert)
        self.supervise_button.setVisible(may_supervise(str(getattr(context.staff, "role", ""))))
        alert_bar.addWidget(self.supervise_button)
        alert_bar.addWidget(self.alert_status, 1)
        self._alert_timer = QTimer(self)
        self._alert_timer.setInterval(data.ALERT_POLL_MS)
        self._alert_timer.timeout.connect(self.refresh_alerts)
        self._alerts_generation = 0

        # -- charts and ranking --
        # The charts (and pyqtgraph with them) come when the area is first shown, not at sign-in.
        self.trend_chart: Any = None
        self.department_chart: Any = None
        self.trend_days: list[tuple[date, date]] = []
        self.department_order: list[str] = []
        trend_box = QWidget(self)
        self._trend_slot = QVBoxLayout(trend_box)
        self._trend_slot.setContentsMargins(0, 0, 0, 0)
        department_box = QWidget(self)
        self._department_slot = QVBoxLayout(department_box)
        self._department_slot.setContentsMargins(0, 0, 0, 0)
        self.ranking = QTableWidget(0, 7, self)
        self.ranking.setObjectName("departmentRankingTable")
        self.ranking.setAccessibleName(self.tr("部门排名表"))
        self.ranking.setHorizontalHeaderLabels([
            self.tr("名次"), self.tr("部门"), self.tr("加权得分"), self.tr("主责评价"), self.tr("协作互评"),
            self.tr("客户评价"), self.tr("环节按时率")])
        self.ranking.verticalHeader().setVisible(False)
        self.ranking.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ranking.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ranking.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.ranking.cellDoubleClicked.connect(self._ranking_row_chosen)
        self.weights_label = plain_label("", self)
        self.weights_label.setObjectName("evaluationWeights")
        self.offices_table = QTableWidget(0, 6, self)
        self.offices_table.setObjectName("officeComparison")
        self.offices_table.setAccessibleName(self.tr("各单位对比"))
        self.offices_table.setHorizontalHeaderLabels([
            self.tr("营业单位"), self.tr("受理"), self.tr("按时办结率"), self.tr("超期积压"), self.tr("一次办结率"),
            self.tr("客户评价均分")])
        self.offices_table.verticalHeader().setVisible(False)
        self.offices_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.offices_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.offices_table.setVisible(False)
        self.offices_table.setMaximumHeight(self.offices_table.fontMetrics().height() * 9)

        ranking_box = QWidget(self)
        ranking_layout = QVBoxLayout(ranking_box)
        ranking_layout.setContentsMargins(0, 0, 0, 0)
        ranking_layout.addWidget(department_box, 3)
        ranking_layout.addWidget(self.ranking, 2)
        ranking_layout.addWidget(self.weights_label)
        charts = QSplitter(self)
        charts.addWidget(trend_box)
        charts.addWidget(ranking_box)
        charts.setSizes([1000, 1000])  # half each: the ranking table must not squeeze the trend

        # The tiles, alerts and office comparison go with the 概览 tab: the process map needs the room.
        self.overview_top = QWidget(self)
        top = QVBoxLayout(self.overview_top)
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(grid)
        top.addLayout(alert_bar)
        top.addWidget(self.alerts_table)
        top.addWidget(self.offices_table)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.overview_top)
        # 概览 (trend and ranking) and 流程图 (the process map of one ticket type over the same period)
        self.process_map = ProcessMapView(self._client, self)
        self.views = QTabWidget(self)
        self.views.setObjectName("efficiencyViews")
        self.views.addTab(charts, self.tr("概览"))
        self.views.addTab(self.process_map, self.tr("流程图"))
        self.views.currentChanged.connect(lambda index: self.overview_top.setVisible(index == 0))
        layout.addWidget(self.views, 1)
        self._lang = lang
        self._load_cached()

    # ---- pickers ----

    def _set_custom_enabled(self, on: bool) -> None:
        self.start_edit.setEnabled(on)
        self.end_edit.setEnabled(on)

    def _on_period_kind(self, _index: int) -> None:
        kind = self.period.currentData()
        today = data.today_in_office(self._clock())
        custom = kind == "custom"
        self._set_custom_enabled(custom)
        if not custom:
            first, last = data.this_month(today) if kind == "this_month" else data.last_month(today)
            for edit, day in ((self.start_edit, first), (self.end_edit, last)):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        self.refresh()

    def _on_custom_dates(self) -> None:
        if self.period.currentData() == "custom":
            self.refresh()

    def chosen_period(self) -> tuple[date, date]:
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    def choose_period(self, kind: str, start: date | None = None, end: date | None = None) -> None:
        """As a person picks it: 本月, 上月, or a custom range (its two dates)."""
        if kind == "custom" and start is not None and end is not None:
            for edit, day in ((self.start_edit, start), (self.end_edit, end)):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        index = self.period.findData(kind)
        if index == self.period.currentIndex():
            self.refresh()  # the same choice again (new dates): read it
        else:
            self.period.setCurrentIndex(index)  # reads it

    def _on_slice_kind(self, _index: int) -> None:
        kind = self.slice_kind.currentData()
        self.slice_value.blockSignals(True)
        self.slice_value.clear()
        if kind == "type":
            for ticket_type in self._catalogue.types:
                self.slice_value.addItem(ticket_type.name(self._lang), ticket_type.code)
        elif kind == "department":
            for department in Department:
                self.slice_value.addItem(department.label(self._lang), department.value)
        self.slice_value.setEnabled(kind != "all")
        self.slice_value.blockSignals(False)
        self._show()

    def current_slice(self) -> data.Slice:
        kind = self.slice_kind.currentData()
        if kind == "all":
            return data.Slice()
        return data.Slice(kind, self.slice_value.currentData())

    def open_process_map(self, type_code: str | None = None) -> ProcessMapView:
        """As a person opens the 流程图 tab (and picks a ticket type): the map of the monitor's period."""
        self.views.setCurrentWidget(self.process_map)
        if type_code is not None:
            self.process_map.choose_type(type_code)
        return self.process_map

    # ---- loading ----

    def _cache_key(self) -> str:
        return data.cache_key(self._context.staff.id)

    def _load_cached(self) -> None:
        store, key = self._context.store, self._cache_key()
        Operation(self, lambda: data.Snapshot.from_json(store.get_meta(key))).success(self._cached_loaded).run()

    def _cached_loaded(self, snapshot: data.Snapshot | None) -> None:
        if snapshot is not None and self.snapshot is None:
            self.snapshot = snapshot
            self._show()

    def _client(self) -> Any:
        return getattr(self._context.engine, "client", None)

    def _ensure_charts(self) -> None:
        if self.trend_chart is not None:
            return
        from desktop.efficiency.charts import DepartmentBars, TrendChart

        self.trend_chart = TrendChart(self.tr("按时办结率走势（%）"), self)
        self.trend_chart.setObjectName("onTimeTrend")
        self.trend_chart.setAccessibleName(self.tr("按时办结率走势"))
        self.trend_chart.activated.connect(self.drill_trend_point)
        self._trend_slot.addWidget(self.trend_chart)
        self.department_chart = DepartmentBars(self.tr("部门排名：环节按时率与多方评价得分"), self)
        self.department_chart.setObjectName("departmentRanking")
        self.department_chart.setAccessibleName(self.tr("部门排名"))
        self.department_chart.activated.connect(self.drill_department_index)
        self._department_slot.addWidget(self.department_chart)
        self._show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ensure_charts()
        self._alert_timer.start()
        if not self._fetched_once:
            self.refresh()
        else:
            self.refresh_alerts()

    def hideEvent(self, event: QHideEvent) -> None:
        self._alert_timer.stop()  # alerts are polled only while the area is open
        super().hideEvent(event)

    def refresh(self) -> None:
        """Ask the server for the chosen period (the trend and the previous period with it)."""
        start, end = self.chosen_period()
        if start > end:
            self.status.setText(self.tr("开始日期晚于结束日期，请重新选择。"))
            self.status.setStyleSheet("color: #c62828;")
            return
        self.process_map.set_period(start, end, self.office.currentData())
        client = self._client()
        if client is None:
            self._show_offline(None)
            return
        self._fetched_once = True
        self._loading = True
        self._generation += 1
        generation = self._generation
        self.refresh_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取…"))
        office, now = self.office.currentData(), self._clock()

        async def fetch() -> data.Snapshot:
            return await data.fetch_snapshot(client, start, end, office, now)

        self.refresh_alerts()
        # Only the latest read lands: an earlier one answering late must not replace it.
        Operation(self, fetch).success(lambda snapshot: self._fetched(snapshot, generation)).failure(
            lambda error: self._fetch_failed(error, generation)).run()

    def _fetched(self, snapshot: data.Snapshot, generation: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.snapshot = snapshot
        self._show()
        store, key, text = self._context.store, self._cache_key(), snapshot.to_json()
        Operation(self, lambda: store.set_meta(key, text)).run()

    def _fetch_failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.refresh_button.setEnabled(True)
        if isinstance(error, RequestRefused):  # e.g. a period longer than the server allows: not offline
            self._show()
            self.status.setText(error.message(current_language()))
            self.status.setStyleSheet("color: #c62828;")
            return
        if isinstance(error, SyncError):
            self._show_offline(error)
            return
        self._show()
        report_failure(error)

    def _show_offline(self, error: BaseException | None) -> None:
        if self.snapshot is not None and not self.snapshot.cached:
            self.snapshot.cached = True  # what is shown is no longer live
        why = error.message(current_language()) if isinstance(error, SyncError) else self.tr("未连接服务器")
        if self.snapshot is None:
            self.status.setText(self.tr("无法读取效能数据（%1），本机也没有保存过快照。").replace("%1", why))
            self.status.setStyleSheet("color: #c62828;")
            return
        messages.warning(self.tr("效能监控：无法连接服务器，显示本机保存的快照。"))
        self._show()

    # ---- showing ----

    def _show(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        self._show_status(snapshot)
        self._fill_offices(snapshot)
        self.targets_button.setEnabled(bool(snapshot.rules) and not snapshot.cached)
        where = self.current_slice()
        current = snapshot.indicators(where) or {}
        previous = data.slice_indicators(snapshot.previous, where) or {}
        for kpi in data.KPIS:
            self._show_tile(self.tiles[kpi.key], current.get(kpi.key), previous, where)
            self._show_note(self.tiles[kpi.key], current)
        self._show_trend(snapshot, where)
        self._show_departments(snapshot)

    def _show_status(self, snapshot: data.Snapshot) -> None:
        period = f"{date_text(snapshot.start)} — {date_text(snapshot.end)}"
        when = datetime_text(snapshot.fetched_at)
        if snapshot.cached:
            text = self.tr("离线快照：%1 读取（%2）").replace("%1", when).replace("%2", period)
            self.status.setStyleSheet("color: #b26a00;")
        else:
            text = self.tr("数据时间：%1（%2）").replace("%1", when).replace("%2", period)
            self.status.setStyleSheet("")
        if (snapshot.start, snapshot.end) != self.chosen_period():
            text += self.tr("；所选时段尚未读取")
        self.status.setText(text)

    def _fill_offices(self, snapshot: data.Snapshot) -> None:
        offices = snapshot.offices()
        several = len(offices) > 1 or self.office.count() > 1
        self.office.setVisible(several)
        self.offices_table.setVisible(len(offices) > 1)
        if several and self.office.count() == 1:
            self.office.blockSignals(True)
            for office in offices:
                self.office.addItem(str(office.get("name") or office.get("code")), office.get("office_id"))
            self.office.blockSignals(False)
        self.offices_table.setRowCount(len(offices))
        for row, office in enumerate(offices):
            values = office.get("indicators", {})
            cells = [str(office.get("name") or office.get("code")), self.number(values.get("accepted"), "count"),
                     self.number(values.get("ticket_on_time_rate"), "rate"),
                     self.number(values.get("overdue_backlog"), "count"),
                     self.number(values.get("first_time_resolution_rate"), "rate"),
                     self.number(values.get("mean_customer_rating"), "rating")]
            for column, text in enumerate(cells):
                self.offices_table.setItem(row, column, QTableWidgetItem(text))

    def number(self, value: Any, kind: str) -> str:
        """A figure as the desk writes it in Chinese: 86.4%, 1,234 件, 4.35 分, 2.5 个工作日, 45 分钟."""
        if value is None:
            return "—"
        locale = QLocale()
        if kind == "rate":
            return locale.toString(float(value) * 100, "f", 1) + "%"
        if kind == "count":
            return self.tr("%1 件").replace("%1", locale.toString(int(value)))
        if kind == "rating":
            return self.tr("%1 分").replace("%1", locale.toString(float(value), "f", 2))
        if kind == "days":
            return self.tr("%1 个工作日").replace("%1", locale.toString(float(value), "f", 1))
        if kind == "per_thousand":
            return self.tr("每千件 %1 件").replace("%1", locale.toString(float(value), "f", 1))
        if kind == "trips":
            return self.tr("%1 次").replace("%1", locale.toString(int(value)))
        minutes = float(value)
        if minutes < 120:
            return self.tr("%1 分钟").replace("%1", locale.toString(minutes, "f", 0))
        return self.tr("%1 小时").replace("%1", locale.toString(minutes / 60, "f", 1))

    def _delta_text(self, kind: str, delta: float) -> str:
        locale = QLocale()
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        size = abs(delta)
        if kind == "rate":
            return self.tr("%1 个百分点").replace("%1", sign + locale.toString(size * 100, "f", 1))
        if kind == "count":
            return self.tr("%1 件").replace("%1", sign + locale.toString(int(size)))
        if kind == "rating":
            return self.tr("%1 分").replace("%1", sign + locale.toString(size, "f", 2))
        if kind == "days":
            return self.tr("%1 个工作日").replace("%1", sign + locale.toString(size, "f", 1))
        if kind == "per_thousand":
            return self.tr("每千件 %1 件").replace("%1", sign + locale.toString(size, "f", 1))
        if kind == "trips":
            return self.tr("%1 次").replace("%1", sign + locale.toString(int(size)))
        return self.tr("%1 分钟").replace("%1", sign + locale.toString(size, "f", 0))

    def _show_target(self, tile: KpiTile, value: Any) -> None:
        """The office's target (domain.anomalies.targets) and whether the figure shown meets it."""
        snapshot = self.snapshot
        if snapshot is not None and not snapshot.rules and len(snapshot.offices()) > 1:
            tile.target.setText(self.tr("目标：各单位自定"))
            tile.target.setStyleSheet("color: palette(dark);")
            return
        target = data.tile_targets(snapshot.rules if snapshot is not None else []).get(tile.kpi.key)
        if target is None:
            tile.target.setText(self.tr("目标：未设定"))
            tile.target.setStyleSheet("color: palette(dark);")
            return
        text = self.tr("目标：%1 %2").replace("%1", "≥" if target.better == "up" else "≤") \
            .replace("%2", self.number(target.value, tile.kpi.kind))
        met = target.met(float(value) if value is not None else None)
        if met is not None:
            text += self.tr("（已达标）") if met else self.tr("（未达标）")
        tile.target.setText(text)
        tile.target.setStyleSheet("color: #c62828;" if met is False else "color: palette(dark);")

    def _show_note(self, tile: KpiTile, values: dict[str, Any]) -> None:
        """满意度 names its sources (how many of the ratings the customers gave in the app, the rest from return
        visits); 客户少跑次数 says how many trips per ticket accepted."""
        text = ""
        if tile.kpi.key == "mean_customer_rating" and values.get("mean_customer_rating") is not None:
            text = self.tr("含 App 评价 %n 条", "", int(values.get("app_ratings") or 0))
        elif tile.kpi.key == "trips_avoided" and values.get("trips_avoided_per_ticket") is not None:
            text = self.tr("每件受理少跑 %1 次").replace(
                "%1", QLocale().toString(float(values["trips_avoided_per_ticket"]), "f", 2))
        tile.note.setText(text)
        tile.note.setVisible(bool(text))

    def _show_tile(self, tile: KpiTile, value: Any, previous_slice: dict[str, Any], where: data.Slice) -> None:
        kpi = tile.kpi
        tile.value.setText(self.number(value, kpi.kind))
        if kpi.key == "overdue_backlog" and where.kind != "all":
            tile.value.setToolTip(self.tr("服务器只按营业单位统计超期积压，不按切片"))
        self._show_target(tile, value)
        if kpi.key == "overdue_backlog":
            tile.trend.setText(self.tr("当前数，无上期可比"))
            tile.trend.setStyleSheet("color: palette(dark);")
            return
        measured_before = bool(previous_slice.get("accepted") or previous_slice.get("closed"))
        # A figure against a period that measured nothing is no trend (working days saved would read +x).
        delta = data.change(value, previous_slice.get(kpi.key)) if measured_before else None
        if delta is None:
            tile.trend.setText(self.tr("较上期：无可比数据"))
            tile.trend.setStyleSheet("color: palette(dark);")
            return
        better = data.is_better(delta, kpi.better)
        arrow = "▲" if delta > 0 else "▼" if delta < 0 else "＝"
        tile.trend.setText(self.tr("较上期 %1 %2").replace("%1", arrow).replace("%2", self._delta_text(kpi.kind, delta)))
        colour = {True: "#2e7d32", False: "#c62828", None: "palette(dark)"}[better]
        tile.trend.setStyleSheet(f"color: {colour};")

    def _show_trend(self, snapshot: data.Snapshot, where: data.Slice) -> None:
        labels, values = [], []
        for first, last, part in snapshot.daily:
            labels.append(first.strftime("%m-%d") if first == last else f"{first:%m-%d}~")
            found = data.slice_indicators(part, where) or {}
            rate = found.get("ticket_on_time_rate")
            values.append(rate if rate is not None else found.get("stage_on_time_rate"))
        self.trend_days = [(first, last) for first, last, _part in snapshot.daily]
        if self.trend_chart is not None:
            self.trend_chart.show_points(labels, values)

    def _show_departments(self, snapshot: data.Snapshot) -> None:
        scores, rates, order = snapshot.department_scores(), snapshot.department_rates(), snapshot.department_order()
        self.department_order = order
        names = [department_name(d, self._lang) for d in order]
        on_time = [rates.get(d, {}).get("stage_on_time_rate") for d in order]
        weighted = [scores.get(d, {}).get("score") for d in order]
        if self.department_chart is not None:
            self.department_chart.show_bars(names, on_time, weighted,
                                            (self.tr("环节按时率（%）"), self.tr("加权得分（满分5分，×20）")))
        self.ranking.setRowCount(len(order))
        for row, department in enumerate(order):
            score = scores.get(department, {})
            cells = [str(score["rank"]) if score.get("rank") is not None else "—", names[row],
                     self.number(score.get("score"), "rating"), rated_text(score, "lead"), rated_text(score, "peer"),
                     rated_text(score, "customer"), self.number(on_time[row], "rate")]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(DRILL_ROLE, department)
                self.ranking.setItem(row, column, item)
        ranked = snapshot.evaluation_office()
        weights = None if ranked is None else ranked.get("weights")
        if len(snapshot.evaluations) > 1 and ranked is None:
            self.weights_label.setText(self.tr("多方评价按营业单位排名：在上方选择一个营业单位即可查看其部门排名。"))
        elif weights:
            locale = QLocale()
            self.weights_label.setText(self.tr("%1 月多方评价权重：主责 %2 · 协作 %3 · 客户 %4").replace(
                "%1", snapshot.end.strftime("%Y-%m")).replace("%2", locale.toString(float(weights["lead"]), "f", 2))
                .replace("%3", locale.toString(float(weights["peer"]), "f", 2))
                .replace("%4", locale.toString(float(weights["customer"]), "f", 2)))

    # ---- drill-down ----

    def _drill_office(self) -> str:
        """The office whose tickets this desk holds: the chosen one, else the signed-in person's own."""
        return str(self.office.currentData() or self._context.office_id)

    def drill_kpi(self, key: str) -> DrillDialog | None:
        kpi = next(k for k in data.KPIS if k.key == key)
        where = self.current_slice()
        start, end = (self.snapshot.start, self.snapshot.end) if self.snapshot is not None else self.chosen_period()
        title = self.tr("%1 背后的工单").replace("%1", self.tile_title(kpi))
        return self._open_drill(title, kpi.drill, start, end,
                                where.value if where.kind == "type" else None,
                                where.value if where.kind == "department" else None)

    def tile_title(self, kpi: data.Kpi) -> str:
        return QCoreApplication.translate("EfficiencyMonitor", kpi.title)

    def drill_trend_point(self, index: int) -> DrillDialog | None:
        first, last = self.trend_days[index]
        where = self.current_slice()
        span = date_text(first) if first == last else f"{date_text(first)} — {date_text(last)}"
        return self._open_drill(self.tr("%1 办结的工单").replace("%1", span), "closed", first, last,
                                where.value if where.kind == "type" else None,
                                where.value if where.kind == "department" else None)

    def _ranking_row_chosen(self, row: int, _column: int) -> None:
        item = self.ranking.item(row, 1)
        if item is not None:
            self._drill_department(str(item.data(DRILL_ROLE)))

    def drill_department_index(self, index: int) -> DrillDialog | None:
        return self._drill_department(self.department_order[index])

    def _drill_department(self, department: str) -> DrillDialog | None:
        start, end = (self.snapshot.start, self.snapshot.end) if self.snapshot is not None else self.chosen_period()
        title = self.tr("%1 在本时段经手的工单").replace("%1", department_name(department, self._lang))
        return self._open_drill(title, "worked", start, end, None, department)

    def _open_drill(self, title: str, drill: str, start: date, end: date, type_code: str | None,
                    department: str | None) -> DrillDialog:
        dialog = DrillDialog(title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.ticket_chosen.connect(self._open_ticket)
        store, office, now = self._context.store, self._drill_office(), self._clock()
        Operation(dialog, lambda: data.drill_tickets(store, office, drill, start, end, now, type_code, department)
                  ).success(dialog.show_tickets).run()
        dialog.open()
        return dialog

    # ---- anomaly alerts ----

    def refresh_alerts(self) -> None:
        """Read the unresolved alerts of the office picked (every office readable for 全部单位)."""
        client = self._client()
        if client is None:
            return
        self._alerts_generation += 1
        generation, office = self._alerts_generation, self.office.currentData()

        async def fetch() -> list[dict[str, Any]]:
            answer: list[dict[str, Any]] = await client.efficiency_alerts(office)
            return answer

        Operation(self, fetch).success(lambda alerts: self._alerts_loaded(alerts, generation)).failure(
            lambda error: self._alerts_failed(error, generation)).run()

    def _alerts_loaded(self, alerts: list[dict[str, Any]], generation: int) -> None:
        if generation != self._alerts_generation:
            return
        self.alerts = alerts
        self._fill_alerts()

    def _alerts_failed(self, error: BaseException, generation: int) -> None:
        if generation != self._alerts_generation:
            return
        if isinstance(error, SyncError):  # offline: the list shown stays, marked as such
            self.alert_status.setText(self.tr("预警未能刷新：%1").replace("%1", error.message(current_language())))
            self.alert_status.setStyleSheet("color: #b26a00;")
            return
        report_failure(error)

    def alert_evidence(self, alert: dict[str, Any]) -> str:
        """The evidence in a line: values against the threshold or target."""
        e, locale = alert.get("evidence") or {}, QLocale()
        if alert.get("indicator") in ("ticket_on_time_rate", "stage_on_time_rate"):
            rates = "、".join(self.number(v.get("rate"), "rate") for v in e.get("values", []))
            return (self.tr("连续 %1 天低于目标 %2：%3").replace("%1", locale.toString(int(e.get("days", 0))))
                    .replace("%2", self.number(e.get("target"), "rate")).replace("%3", rates))
        if alert.get("indicator") == "overdue_backlog":
            return (self.tr("积压 %1 件，上限 %2 件").replace("%1", locale.toString(int(e.get("value", 0))))
                    .replace("%2", locale.toString(int(e.get("limit", 0)))))
        return (self.tr("近 %1 天中位 %2，%3 周基线 %4，MAD %5，阈值 %6（分钟）")
                .replace("%1", locale.toString(int(e.get("recent_days", 0))))
                .replace("%2", locale.toString(float(e.get("value", 0)), "f", 0))
                .replace("%3", locale.toString(int(e.get("baseline_weeks", 0))))
                .replace("%4", locale.toString(float(e.get("baseline_median", 0)), "f", 0))
                .replace("%5", locale.toString(float(e.get("mad", 0)), "f", 1))
                .replace("%6", locale.toString(float(e.get("threshold", 0)), "f", 0)))

    def _stage_name(self, code: str) -> str:
        for ticket_type in self._catalogue.types:
            for stage in ticket_type.workflow.stages:
                if stage.code == code:
                    return str(stage.name_en if self._lang.startswith("en") else stage.name_zh)
        return code

    def _alert_slice(self, alert: dict[str, Any]) -> str:
        """「部门 · 环节」, with the office first when several are shown; 全单位 for an office-wide alert."""
        where = alert.get("slice") or {}
        parts = []
        if where.get("department"):
            parts.append(department_name(str(where["department"]), self._lang))
        if where.get("stage_code"):
            parts.append(self._stage_name(str(where["stage_code"])))
        offices = self.snapshot.offices() if self.snapshot is not None else []
        if len(offices) > 1:  # the manager's 全部单位: say whose
            office_id = str(alert.get("office_id", ""))
            name = next((str(o.get("name")) for o in offices if o.get("office_id") == office_id), office_id)
            parts.insert(0, name)
        return " · ".join(parts) if parts else self.tr("全单位")

    def alert_cells(self, alert: dict[str, Any]) -> list[str]:
        """An alert as the list shows it: indicator, slice, evidence, tickets, state (with its note), raised."""
        states = {"open": self.tr("待处理"), "acknowledged": self.tr("已确认"), "resolved": self.tr("已解除")}
        name = data.ALERT_INDICATORS.get(str(alert.get("indicator")), str(alert.get("indicator")))
        note = alert.get("acknowledge_note")
        state = states.get(str(alert.get("state")), str(alert.get("state")))
        raised = datetime.fromisoformat(str(alert["raised_at"]))
        return [QCoreApplication.translate("EfficiencyMonitor", name), self._alert_slice(alert),
                self.alert_evidence(alert), QLocale().toString(len(alert.get("ticket_ids") or [])),
                f"{state}：{note}" if note else state, datetime_text(raised)]

    def _fill_alerts(self) -> None:
        self.alerts_table.setRowCount(len(self.alerts))
        for row, alert in enumerate(self.alerts):
            cells = self.alert_cells(alert)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(DRILL_ROLE, alert["id"])
                if column == 2:
                    item.setToolTip(plain_tooltip(text))
                self.alerts_table.setItem(row, column, item)
        marked = data.tiles_in_alert(self.alerts)
        for key, tile in self.tiles.items():
            tile.set_alert(key in marked)
        self.alert_status.setStyleSheet("")
        self.alert_status.setText(self.tr("%1 条未解除的预警").replace("%1", QLocale().toString(len(self.alerts)))
                                  if self.alerts else self.tr("无异常预警"))

    def selected_alert(self) -> dict[str, Any] | None:
        row = self.alerts_table.currentRow()
        return self.alerts[row] if 0 <= row < len(self.alerts) else None

    def supervise_selected_alert(self) -> QDialog | None:
        """新建督办 prefilled from the selected alert: indicator and slice, its evidence, its tickets."""
        from desktop.supervision.action_dialog import ActionDialog, draft_from_alert

        alert = self.selected_alert()
        if alert is None:
            self._alert_problem(self.tr("请先在列表中选择一条预警。"))
            return None
        name = data.ALERT_INDICATORS.get(str(alert.get("indicator")), str(alert.get("indicator")))
        draft = draft_from_alert(alert, QCoreApplication.translate("EfficiencyMonitor", name),
                                 self._alert_slice(alert), self.alert_evidence(alert))
        dialog = ActionDialog(self._context, self._clock, draft, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def supervised(action: Any) -> None:
            self.alert_status.setText(self.tr("已督办：%1").replace("%1", action.title))
            self.alert_status.setStyleSheet("")

        dialog.saved.connect(supervised)
        dialog.open()
        return dialog

    def handle_selected_alert(self, action: str) -> None:
        """Acknowledge or resolve the selected alert with the note typed; the server keeps both (audited)."""
        alert, note, client = self.selected_alert(), self.alert_note.text().strip(), self._client()
        if alert is None:
            self._alert_problem(self.tr("请先在列表中选择一条预警。"))
            return
        if not note:
            self._alert_problem(self.tr("请填写处理说明。"))
            return
        if client is None:
            self._alert_problem(self.tr("未连接服务器，预警须在线处理。"))
            return
        alert_id = str(alert["id"])

        async def send() -> dict[str, Any]:
            answer: dict[str, Any] = await client.handle_efficiency_alert(alert_id, action, note)
            return answer

        self.acknowledge_button.setEnabled(False)
        self.resolve_button.setEnabled(False)
        Operation(self, send).success(self._alert_handled).failure(self._alert_refused).run()

    def edit_targets(self) -> TargetsDialog | None:
        """设定目标: the office's targets, stored on the server (online only); the tiles show them on the next read."""
        snapshot, client = self.snapshot, self._client()
        if snapshot is None or not snapshot.rules:
            return None
        dialog = TargetsDialog(snapshot.rules, self.number, self)
        office = snapshot.office

        def save() -> None:
            changes = dialog.changes(office)
            if not changes:
                return
            if client is None:
                self._problem(self.tr("未连接服务器，目标须在线设定。"))
                return

            async def send() -> int:
                for code, body in changes:
                    await client.set_efficiency_rule(code, body)
                return len(changes)

            Operation(self, send).success(self._targets_saved).failure(self._refused).run()

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def _targets_saved(self, count: int) -> None:
        self.status.setText(self.tr("已保存 %1 项目标。").replace("%1", QLocale().toString(count)))
        self.status.setStyleSheet("")
        self.refresh()

    def _problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;")

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, SyncError):
            self._problem(error.message(current_language()))
            return
        report_failure(error)

    # ---- the monthly analysis pack ----

    def choose_pack(self) -> None:
        """Ask which month (the month of the period shown) and where; write the workbook and the PDF side by side."""
        start, _end = self.chosen_period()
        first, _last = monthly.month_range(start, data.today_in_office(self._clock()))
        name = self.tr("服务效率月度分析")
        suggested = Path.home() / f"{name}-{first:%Y-%m}.xlsx"
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("保存月度分析包"), str(suggested),
                                                      self.tr("Excel 工作簿 (*.xlsx)"))
        if chosen:
            self.export_pack(first, Path(chosen))

    def export_pack(self, month: date, path: Path) -> asyncio.Task[Any] | None:
        """Read `month` of the office picked from the server (all of it, with every alert of the month) and write
        `path` (.xlsx) and the same name as .pdf. Online only: a pack is a month's figures as the server has them."""
        client = self._client()
        if client is None:
            self._problem(self.tr("未连接服务器，月度分析包须在线生成。"))
            return None
        office = self.office.currentData()
        if office is None and self.snapshot is not None and len(self.snapshot.offices()) > 1:
            self._problem(self.tr("请先选择一个营业单位：月度分析包按单位生成。"))
            return None
        first, last = monthly.month_range(month, data.today_in_office(self._clock()))
        now, lang = self._clock(), current_language()
        xlsx, pdf = path.with_suffix(".xlsx"), path.with_suffix(".pdf")

        catalogue = self._catalogue

        async def fetch() -> tuple[data.Snapshot, list[dict[str, Any]], list[tuple[TicketType, dict[str, Any]]]]:
            snapshot = await data.fetch_snapshot(client, first, last, office, now)
            alerts: list[dict[str, Any]] = await client.efficiency_alerts(office, include_resolved=True)
            maps = []
            for code in monthly.busiest_types(snapshot, PACK_MAPS):
                try:
                    ticket_type = catalogue.ticket_type(code)
                except DomainError:
                    continue  # a type this desk's catalogue does not know: no map for it
                maps.append((ticket_type, await client.efficiency_process_map(code, first, last, office)))
            return snapshot, alerts, maps

        Fetched = tuple[data.Snapshot, list[dict[str, Any]], list[tuple[TicketType, dict[str, Any]]]]
        store = self._context.store

        def with_actions(found: Fetched) -> None:
            offices = found[0].offices()
            office_id = str(offices[0].get("office_id")) if len(offices) == 1 else None
            if office_id is None:
                write(found, [])
                return
            # the 督办 actions are synced rows: the desk's own copy of the office
            Operation(self, lambda: store.supervision_actions(office_id)).success(
                lambda actions: write(found, actions)).failure(self._refused).run()

        def write(found: Fetched, actions: list[Any]) -> None:
            snapshot, alerts, maps = found
            offices = snapshot.offices()
            name = str(offices[0].get("name") or offices[0].get("code")) if len(offices) == 1 else ""
            built = monthly.MonthlyPack(self).report(snapshot, alerts, name, lang, self.alert_cells, maps, actions,
                                                     now)
            self.status.setText(self.tr("正在写入月度分析包…"))

            async def save() -> tuple[Path, Path]:  # files, not the store: off the store thread
                def both() -> tuple[Path, Path]:
                    return report.write_xlsx(built, xlsx), report.write_pdf(built, pdf)
                return await asyncio.get_running_loop().run_in_executor(None, both)

            Operation(self, save).success(self._pack_written).failure(self._refused).run()

        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取 %1 的数据…").replace("%1", f"{first:%Y-%m}"))
        return Operation(self, fetch).success(with_actions).failure(self._refused).run()

    def _pack_written(self, paths: tuple[Path, Path]) -> None:
        self.last_pack = paths
        self.status.setStyleSheet("")
        self.status.setText(self.tr("已导出月度分析包：%1、%2").replace("%1", paths[0].name).replace("%2", paths[1].name))
        messages.info(self.tr("月度分析包已保存到 %1").replace("%1", str(paths[0].parent)))

    def _alert_problem(self, text: str) -> None:
        self.alert_status.setText(text)
        self.alert_status.setStyleSheet("color: #c62828;")

    def _alert_handled(self, _alert: dict[str, Any]) -> None:
        self.acknowledge_button.setEnabled(True)
        self.resolve_button.setEnabled(True)
        self.alert_note.clear()
        self.refresh_alerts()

    def _alert_refused(self, error: BaseException) -> None:
        self.acknowledge_button.setEnabled(True)
        self.resolve_button.setEnabled(True)
        if isinstance(error, SyncError):
            self._alert_problem(error.message(current_language()))
            self.refresh_alerts()
            return
        report_failure(error)

    def open_alert(self, row: int) -> DrillDialog | None:
        """The tickets an alert names (from the desk's synced copy of the office)."""
        if not 0 <= row < len(self.alerts):
            return None
        alert = self.alerts[row]
        name = data.ALERT_INDICATORS.get(str(alert.get("indicator")), str(alert.get("indicator")))
        title = self.tr("预警背后的工单：%1（%2）").replace(
            "%1", QCoreApplication.translate("EfficiencyMonitor", name)).replace("%2", self._alert_slice(alert))
        dialog = DrillDialog(title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.ticket_chosen.connect(self._open_ticket)
        store, ids = self._context.store, [str(i) for i in alert.get("ticket_ids") or []]
        Operation(dialog, lambda: data.alert_tickets(store, ids)).success(dialog.show_tickets).run()
        dialog.open()
        return dialog

    def _open_ticket(self, ticket_id: str) -> None:
        window = self.window()
        tickets = getattr(window, "areas", {}).get("tickets")
        if tickets is None or not hasattr(tickets, "open_ticket"):
            return
        window.show_area("tickets")  # type: ignore[attr-defined]
        tickets.open_ticket(ticket_id)


class DrillDialog(QDialog):
    """The tickets behind a number, from the desk's synced copy of the office (newest first)."""

    ticket_chosen = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("efficiencyDrill")
        self.setWindowTitle(title)
        self.resize(900, 480)
        self.note = plain_label(self.tr("正在查找…"), self)
        self.note.setObjectName("drillNote")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("drillTickets")
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels([self.tr("工单号"), self.tr("业务类型"), self.tr("渠道"), self.tr("状态"),
                                              self.tr("受理时间"), self.tr("摘要")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(self._chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.tickets: list[Ticket] = []

    def show_tickets(self, tickets: list[Ticket]) -> None:
        lang = current_language()
        self.tickets = tickets
        self.table.setRowCount(len(tickets))
        for row, ticket in enumerate(tickets):
            cells = [ticket.number or ticket.provisional_number or "", ticket_type_name(ticket.type_code, lang),
                     channel_name(str(ticket.channel), lang), state_name("ticket", ticket.state, lang),
                     datetime_text(ticket.accepted_at), cell_text(ticket.summary)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(DRILL_ROLE, ticket.id)
                self.table.setItem(row, column, item)
        limit = QLocale().toString(data.DRILL_LIMIT)
        self.note.setText(self.tr(
            "共 %1 件（本机已同步的本单位工单，最多显示 %2 件；服务器暂不提供指标背后的工单清单）。双击一行在「工单协同」中打开。")
            .replace("%1", QLocale().toString(len(tickets))).replace("%2", limit))

    def _chosen(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.ticket_chosen.emit(str(item.data(DRILL_ROLE)))
            self.accept()
