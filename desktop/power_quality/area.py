"""电能质量: important customers' power quality for the account managers, 运检 and their supervisors (and the
prefecture's manager, read-only) — customers with their monitoring points and status, a point's trend with the
limit lines, its excursions (warnings with their evidence) and the office's open governance tickets, opened in
工单协同. The server's reading API is read off the UI thread; the last snapshot stays readable offline with its
time (docs/power-quality.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import ElidedLabel, cell_text, datetime_text, plain_tooltip
from desktop.efficiency import report
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.power_quality import data
from desktop.power_quality.monthly import MonthlyReport
from desktop.sync.errors import RequestRefused, SyncError
from desktop.tickets.labels import department_name, state_name
from domain.catalogue import load_catalogue
from domain.errors import DomainError

ID_ROLE = Qt.ItemDataRole.UserRole
WARNING_COLOUR = QColor("#c62828")
NORMAL_COLOUR = QColor("#2e7d32")
TICKET_KINDS = frozenset({"ticket", "stage_task"})
STALE_AFTER = timedelta(minutes=1)  # the area shown again after this reads the server again


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _short(moment: datetime | None) -> str:
    """12-08 08:40 in the office's zone (the year goes without saying on this screen)."""
    return datetime_text(moment)[5:]


def _parse(moment: Any) -> datetime | None:
    return datetime.fromisoformat(str(moment)) if moment else None


class PowerQualityArea(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("powerQuality")
        self.setAccessibleName(self.tr("电能质量"))
        self._context = context
        self._clock = clock or _utc_now
        self._catalogue = load_catalogue()
        self.snapshot: data.Snapshot | None = None
        self.governance: list[data.GovernanceTicket] = []
        self.chart: Any = None  # desktop.power_quality.chart.TrendChart, built when first shown (pyqtgraph)
        self._fetched_once = False
        self._generation = 0
        self._trend_generation = 0
        self._selected_point: str | None = None

        self.period = QComboBox(self)
        self.period.setObjectName("pqPeriod")
        self.period.setAccessibleName(self.tr("时段"))
        for key, text in (("day", self.tr("最近24小时")), ("week", self.tr("最近7天")), ("month", self.tr("最近30天")),
                          ("year", self.tr("最近一年"))):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(lambda _i: self.load_trend())
        self.figure = QComboBox(self)
        self.figure.setObjectName("pqFigure")
        self.figure.setAccessibleName(self.tr("指标"))
        for key, (name, _unit) in data.FIGURES.items():
            self.figure.addItem(QCoreApplication.translate("PowerQuality", name), key)
        self.figure.currentIndexChanged.connect(lambda _i: self._show_trend())
        for combo in (self.figure, self.period):  # the longest item (in English) must not widen the window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.figure.setMinimumContentsLength(20)  # room for 电压总谐波畸变率 THD
        self.period.setMinimumContentsLength(8)
        self.refresh_button = QPushButton(self.tr("刷新(&R)"), self)
        self.refresh_button.setObjectName("refreshPowerQuality")
        self.refresh_button.clicked.connect(self.refresh)
        self.report_month = QComboBox(self)
        self.report_month.setObjectName("pqReportMonth")
        self.report_month.setAccessibleName(self.tr("报告月份"))
        for month in data.recent_months(self._clock(), 12):
            self.report_month.addItem(month, month)
        self.report_button = QPushButton(self.tr("月度报告(&M)…"), self)
        self.report_button.setObjectName("pqMonthlyReport")
        self.report_button.setToolTip(self.tr("所选客户该月的电能质量报告（PDF）"))
        self.report_button.clicked.connect(self.choose_report)
        self.last_report: Path | None = None  # the report written last
        self.status = ElidedLabel(self)  # never widens the window; the whole text is in its tooltip
        self.status.setObjectName("pqSnapshotTime")
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.figure)
        bar.addWidget(self.period)
        bar.addWidget(self.refresh_button)
        bar.addSpacing(12)
        bar.addWidget(self.report_month)
        bar.addWidget(self.report_button)

        self.customers = QTreeWidget(self)
        self.customers.setObjectName("pqCustomers")
        self.customers.setAccessibleName(self.tr("重要客户与监测点"))
        self.customers.setHeaderLabels([self.tr("重要客户 / 监测点"), self.tr("电压等级"), self.tr("状态"),
                                        self.tr("最新数据")])
        self.customers.setRootIsDecorated(True)
        self.customers.header().setStretchLastSection(False)
        for column in (0, 1, 2, 3):  # names in full; a narrow pane scrolls sideways rather than eliding them
            self.customers.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.customers.currentItemChanged.connect(lambda _now, _before: self._point_chosen())

        self._chart_slot = QVBoxLayout()
        self._chart_slot.setContentsMargins(0, 0, 0, 0)
        chart_box = QWidget(self)
        chart_box.setLayout(self._chart_slot)
        chart_box.setMinimumHeight(240)

        self.excursions = self._table("pqExcursions", self.tr("越限记录"), [
            self.tr("状态"), self.tr("指标"), self.tr("最大值 / 限值"), self.tr("越限时段"), self.tr("依据"),
            self.tr("治理工单")])
        self.excursions.cellActivated.connect(self._excursion_chosen)  # a double-click, or Enter
        self.tickets = self._table("pqTickets", self.tr("治理工单"), [
            self.tr("工单号"), self.tr("概要"), self.tr("当前环节"), self.tr("部门"), self.tr("状态"), self.tr("时限")])
        self.tickets.cellActivated.connect(self._ticket_chosen)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pqTabs")
        self.tabs.addTab(self.excursions, self.tr("越限记录"))
        self.tabs.addTab(self.tickets, self.tr("治理工单"))

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(chart_box)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([520, 300])
        main = QSplitter(self)
        main.addWidget(self.customers)
        main.addWidget(right)
        main.setStretchFactor(0, 2)
        main.setStretchFactor(1, 5)
        main.setSizes([420, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(main, 1)

        self.watch = ChangeWatch(self, TICKET_KINDS, self._read_tickets, self._tickets_loaded)
        self.watch.start()
        self._load_cached()

    def _table(self, name: str, accessible: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setObjectName(name)
        table.setAccessibleName(accessible)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def shutdown(self) -> None:
        self.watch.stop()

    # ---- loading ----

    def _client(self) -> Any:
        return getattr(self._context.engine, "client", None)

    def _load_cached(self) -> None:
        store, key = self._context.store, data.cache_key(self._context.staff.id)
        Operation(self, lambda: data.Snapshot.from_json(store.get_meta(key))).success(self._cached_loaded).run()

    def _cached_loaded(self, snapshot: data.Snapshot | None) -> None:
        if snapshot is not None and self.snapshot is None:
            self.snapshot = snapshot
            self._show()

    def _save(self) -> None:
        if self.snapshot is None:
            return
        store, key, text = self._context.store, data.cache_key(self._context.staff.id), self.snapshot.to_json()
        Operation(self, lambda: store.set_meta(key, text)).run()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.chart is None:
            from desktop.power_quality.chart import TrendChart

            self.chart = TrendChart(self)
            self.chart.setObjectName("pqTrend")
            self.chart.setAccessibleName(self.tr("趋势与限值"))
            self._chart_slot.addWidget(self.chart)
            self._show_trend()
        snapshot = self.snapshot
        if not self._fetched_once or snapshot is None or snapshot.cached or (
                self._clock() - snapshot.fetched_at > STALE_AFTER):
            self.refresh()  # opened again later (or offline before): read again; a moment later: as it was

    def refresh(self) -> None:
        """Read the points and their warnings from the server, then the chosen point's trend."""
        client = self._client()
        if client is None:
            self._show_offline(None)
            return
        self._fetched_once = True
        self._generation += 1
        generation, now = self._generation, self._clock()
        self.refresh_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取…"))

        async def fetch() -> list[dict[str, Any]]:
            points: list[dict[str, Any]] = await client.power_quality_points()
            return points

        Operation(self, fetch).success(lambda points: self._fetched(points, now, generation)).failure(
            lambda error: self._fetch_failed(error, generation)).run()

    def _fetched(self, points: list[dict[str, Any]], now: datetime, generation: int) -> None:
        if generation != self._generation:
            return
        self.refresh_button.setEnabled(True)
        previous = self.snapshot
        self.snapshot = data.Snapshot(fetched_at=now, points=points)
        if previous is not None:  # the trends read before stay for offline reading
            self.snapshot.trends, self.snapshot.trends_at = previous.trends, previous.trends_at
        self._show()
        self._save()
        self.load_trend()

    def _fetch_failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self.refresh_button.setEnabled(True)
        if isinstance(error, RequestRefused):
            self.status.setText(error.message(current_language()))
            self.status.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
            return
        if isinstance(error, SyncError):
            self._show_offline(error)
            return
        self._show()
        report_failure(error)

    def _show_offline(self, error: BaseException | None) -> None:
        if self.snapshot is not None:
            self.snapshot.cached = True  # what is shown is no longer live
        why = error.message(current_language()) if isinstance(error, SyncError) else self.tr("未连接服务器")
        if self.snapshot is None:
            self.status.setText(self.tr("无法读取电能质量数据（%1），本机也没有保存过快照。").replace("%1", why))
            self.status.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
            return
        messages.warning(self.tr("电能质量：无法连接服务器，显示本机保存的快照。"))
        self._show()

    def load_trend(self) -> None:
        """The chosen point's trend over the chosen period; offline, the one kept in the snapshot."""
        point, period, client = self._selected_point, str(self.period.currentData()), self._client()
        if point is None or self.snapshot is None:
            self._show_trend()
            return
        if client is None or self.snapshot.cached:
            self._show_trend()
            return
        self._trend_generation += 1
        generation, now = self._trend_generation, self._clock()
        start, end = data.trend_period(now, period)

        async def fetch() -> dict[str, Any]:
            trend: dict[str, Any] = await client.power_quality_trend(point, start, end, data.TREND_BUCKETS)
            return trend

        def fetched(trend: dict[str, Any]) -> None:
            if generation != self._trend_generation or self.snapshot is None:
                return
            self.snapshot.keep_trend(point, period, trend, now)
            self._save()
            self._show_trend()

        def failed(error: BaseException) -> None:
            if generation != self._trend_generation:
                return
            if isinstance(error, SyncError) and not isinstance(error, RequestRefused):
                self._show_offline(error)
            else:
                report_failure(error)
            self._show_trend()

        Operation(self, fetch).success(fetched).failure(failed).run()

    def _read_tickets(self) -> Callable[[], list[data.GovernanceTicket]]:
        store, office = self._context.store, self._context.office_id
        return lambda: data.open_governance(store, office)

    def _tickets_loaded(self, found: list[data.GovernanceTicket]) -> None:
        before = {(g.ticket.id, g.ticket.state, tuple(s.id for s in g.current)) for g in self.governance}
        self.governance = found
        self._fill_tickets()
        after = {(g.ticket.id, g.ticket.state, tuple(s.id for s in g.current)) for g in found}
        if self._fetched_once and before != after and self.isVisible():
            self.refresh()  # a governance ticket moved: its warning may have closed on the server

    # ---- showing ----

    def _show(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        when = datetime_text(snapshot.fetched_at)
        if snapshot.cached:
            text = self.tr("离线：显示 %1 保存的快照").replace("%1", when)
            self.status.setStyleSheet("color: #b26a00;")
        else:
            warned = sum(1 for p in snapshot.points if data.point_status(p) == "warning")
            text = (self.tr("数据时间 %1 · 监测点 %2 个，越限预警 %3 个").replace("%1", when)
                    .replace("%2", str(len(snapshot.points))).replace("%3", str(warned)))
            self.status.setStyleSheet("")
        self.status.setText(text)
        self.status.setToolTip(plain_tooltip(text))
        self._fill_customers(snapshot)
        self._fill_excursions()
        self._show_trend()

    def status_text(self, status: str) -> str:
        return self.tr("越限预警") if status == "warning" else self.tr("正常")

    def _fill_customers(self, snapshot: data.Snapshot) -> None:
        chosen = self._selected_point
        self.customers.blockSignals(True)
        self.customers.clear()
        select: QTreeWidgetItem | None = None
        for customer_id, name, points in data.customers(snapshot.points):
            warned = sum(1 for p in points if data.point_status(p) == "warning")
            top = QTreeWidgetItem(self.customers, [cell_text(name), "", self.status_text(
                "warning" if warned else "normal"), ""])
            top.setData(0, ID_ROLE, f"customer:{customer_id}")
            top.setToolTip(0, plain_tooltip(name))
            top.setForeground(2, QBrush(WARNING_COLOUR if warned else NORMAL_COLOUR))
            for point in points:
                status = data.point_status(point)
                text = self.status_text(status)
                if status == "warning":
                    text += f" ({len(point['open_warnings'])})"
                item = QTreeWidgetItem(top, [cell_text(str(point["name"])), f"{float(point['nominal_kv']):g} kV", text,
                                             _short(_parse(point.get("last_interval")))])
                item.setToolTip(0, plain_tooltip(str(point["name"])))
                item.setData(0, ID_ROLE, str(point["id"]))
                item.setForeground(2, QBrush(WARNING_COLOUR if status == "warning" else NORMAL_COLOUR))
                if point["id"] == chosen or (chosen is None and select is None):
                    select = item
            top.setExpanded(True)
        self.customers.blockSignals(False)
        if select is not None:
            self.customers.setCurrentItem(select)
            self._selected_point = str(select.data(0, ID_ROLE))

    def _point_chosen(self) -> None:
        item = self.customers.currentItem()
        value = None if item is None else str(item.data(0, ID_ROLE))
        if value is None or value.startswith("customer:"):
            first = item.child(0) if item is not None else None
            if first is not None:
                self.customers.setCurrentItem(first)  # a customer shows its first point
            return
        if value == self._selected_point:
            return
        self._selected_point = value
        self._fill_excursions()
        self.load_trend()

    def select_point(self, point_id: str) -> None:
        for top in range(self.customers.topLevelItemCount()):
            parent = self.customers.topLevelItem(top)
            for row in range(parent.childCount() if parent is not None else 0):
                child = parent.child(row) if parent is not None else None
                if child is not None and child.data(0, ID_ROLE) == point_id:
                    self.customers.setCurrentItem(child)
                    return

    def _point_warnings(self) -> list[tuple[dict[str, Any], dict[str, Any], bool]]:
        """(point, warning, open) of the chosen point: open ones first, then those closed lately."""
        if self.snapshot is None:
            return []
        point = self.snapshot.point(self._selected_point or "")
        if point is None:
            return []
        return ([(point, w, True) for w in point.get("open_warnings", [])]
                + [(point, w, False) for w in point.get("closed_warnings", [])])

    def excursion_cells(self, point: dict[str, Any], warning: dict[str, Any], is_open: bool) -> list[str]:
        quantity = data.quantity_of_limit(str(warning.get("limit_id"))) or ""
        unit = data.UNITS.get(quantity, "")
        what = data.indicator_text(quantity, str(warning.get("what")),
                                   lambda text: QCoreApplication.translate("PowerQuality", text))
        cited = data.citation(str(warning.get("limit_id")))
        basis = "" if cited is None else (cited.standard + (self.tr("（合同限值）") if cited.contract else "")
                                          + (self.tr("（暂定）") if cited.provisional else ""))
        first, last = _parse(warning.get("first_start")), _parse(warning.get("last_start"))
        window = self.tr("%1 至 %2，%3/%4 个10分钟越限").replace("%1", _short(first)).replace(
            "%2", datetime_text(last)[-5:]).replace("%3", str(warning.get("count"))).replace(
            "%4", str(warning.get("within")))
        state = self.tr("预警中") if is_open else self.tr("已关闭 %1").replace(
            "%1", datetime_text(_parse(warning.get("closed_at"))))
        ticket = str(warning.get("ticket_number") or "") or self._ticket_number(warning.get("ticket_id"))
        return [state, what,
                f"{float(warning['worst_value']):g} / {float(warning['bound']):g} {unit}".strip(), window, basis,
                ticket]

    def _ticket_number(self, ticket_id: Any) -> str:
        if not ticket_id:
            return ""
        found = next((g.ticket for g in self.governance if g.ticket.id == ticket_id), None)
        return (found.number or found.provisional_number or "") if found is not None else self.tr("（已结束）")

    def _fill_excursions(self) -> None:
        rows = self._point_warnings()
        self.excursions.setRowCount(len(rows))
        for row, (point, warning, is_open) in enumerate(rows):
            for column, text in enumerate(self.excursion_cells(point, warning, is_open)):
                item = QTableWidgetItem(cell_text(text))
                item.setToolTip(plain_tooltip(text))
                item.setData(ID_ROLE, warning.get("ticket_id"))
                if column == 0:
                    item.setForeground(QBrush(WARNING_COLOUR if is_open else NORMAL_COLOUR))
                self.excursions.setItem(row, column, item)
        self.excursions.resizeColumnsToContents()

    def stage_text(self, governance: data.GovernanceTicket) -> tuple[str, str]:
        lang = current_language()
        if not governance.current:
            return "", ""
        task = governance.current[0]
        try:
            stages = self._catalogue.ticket_type(governance.ticket.type_code).workflow.stages
        except DomainError:  # a type the catalogue no longer has: the stage's code
            stages = ()
        stage = next((s for s in stages if s.code == task.stage_code), None)
        name = task.stage_code if stage is None else stage.name(lang)
        return (self.tr("%1（%2）").replace("%1", name).replace("%2", state_name("stage_task", task.state, lang)),
                department_name(task.department, lang))

    def _fill_tickets(self) -> None:
        lang = current_language()
        self.tickets.setRowCount(len(self.governance))
        for row, governance in enumerate(self.governance):
            ticket = governance.ticket
            stage, department = self.stage_text(governance)
            cells = [ticket.number or ticket.provisional_number or "", ticket.summary, stage, department,
                     state_name("ticket", ticket.state, lang), datetime_text(ticket.due_at)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(cell_text(text))
                item.setToolTip(plain_tooltip(text))
                item.setData(ID_ROLE, ticket.id)
                self.tickets.setItem(row, column, item)
        self.tickets.resizeColumnsToContents()
        self.tabs.setTabText(1, self.tr("治理工单（%1）").replace("%1", str(len(self.governance))))
        self._fill_excursions()  # the ticket numbers shown with the excursions

    def _show_trend(self) -> None:
        if self.chart is None:
            return
        figure = str(self.figure.currentData())
        name, unit = data.FIGURES[figure]
        title = QCoreApplication.translate("PowerQuality", name)
        if unit:
            title = self.tr("%1（%2）").replace("%1", title).replace("%2", unit)
        period = str(self.period.currentData())
        kept = None
        if self.snapshot is not None and self._selected_point is not None:
            kept = self.snapshot.trend(self._selected_point, period)
        if kept is None:
            start, end = data.trend_period(self._clock(), period)
            self.chart.show_series(title, [], [], [], (start, end))
            return
        trend, _read_at = kept
        starts = [datetime.fromisoformat(str(b["start"])) for b in trend.get("buckets", [])]
        series = [tuple(b.get("figures", {}).get(figure) or (None, None, None)) for b in trend.get("buckets", [])]
        lines = [data.LimitLine(line.value, self.limit_label(line, unit), line.provisional, line.contract)
                 for line in data.limit_lines(figure, list(trend.get("limits", [])))]
        self.chart.show_series(title, starts, series, lines,
                               (datetime.fromisoformat(str(trend["start"])), datetime.fromisoformat(str(trend["end"]))))

    def limit_label(self, line: data.LimitLine, unit: str) -> str:
        text = self.tr("限值 %1 · %2").replace("%1", f"{line.value:g}{unit}").replace("%2", line.label)
        if line.contract:
            text += self.tr("（合同限值）")
        if line.provisional:
            text += self.tr("（暂定）")
        return text

    def show_figure(self, figure: str) -> None:
        index = self.figure.findData(figure)
        if index >= 0:
            self.figure.setCurrentIndex(index)

    # ---- the monthly report (PDF) ----

    def selected_customer(self) -> tuple[str, str] | None:
        """(customer id, name) of the chosen point's customer."""
        point = self.snapshot.point(self._selected_point or "") if self.snapshot is not None else None
        return None if point is None else (str(point["customer_id"]), str(point.get("customer_name") or ""))

    def choose_report(self) -> None:
        chosen = self.selected_customer()
        if chosen is None:
            self._problem(self.tr("请先选择一个重要客户的监测点。"))
            return
        month = str(self.report_month.currentData())
        suggested = Path.home() / f"{self.tr('电能质量月度报告')}-{chosen[1]}-{month}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("保存电能质量月度报告"), str(suggested),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.export_report(chosen[0], month, Path(path))

    def export_report(self, customer_id: str, month: str, path: Path) -> None:
        """Read the customer's month from the server and write it as a PDF at `path`. Online only: a report
        states the month's figures as the server has them."""
        client = self._client()
        if client is None or (self.snapshot is not None and self.snapshot.cached):
            self._problem(self.tr("未连接服务器，月度报告须在线生成。"))
            return
        lang, now, pdf = current_language(), self._clock(), path.with_suffix(".pdf")

        async def fetch() -> dict[str, Any]:
            found: dict[str, Any] = await client.power_quality_month(customer_id, month)
            return found

        def write(found: dict[str, Any]) -> None:
            built = MonthlyReport(self).report(found, lang, now)
            self.status.setText(self.tr("正在写入月度报告…"))

            async def save() -> Path:  # a file, not the store: off the store thread
                return await asyncio.get_running_loop().run_in_executor(None, lambda: report.write_pdf(built, pdf))

            Operation(self, save).success(self._report_written).failure(self._refused).run()

        self.report_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取 %1 的数据…").replace("%1", month))
        Operation(self, fetch).success(write).failure(self._refused).run()

    def _report_written(self, path: Path) -> None:
        self.report_button.setEnabled(True)
        self.last_report = path
        self.status.setText(self.tr("已生成月度报告：%1").replace("%1", str(path)))
        messages.info(self.tr("电能质量月度报告已保存：%1").replace("%1", path.name))

    def _problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {WARNING_COLOUR.name()};")

    def _refused(self, error: BaseException) -> None:
        self.report_button.setEnabled(True)
        if isinstance(error, SyncError):
            self._problem(error.message(current_language()))
            return
        self._problem(self.tr("月度报告未能生成。"))
        report_failure(error)

    # ---- opening a governance ticket in 工单协同 ----

    def _excursion_chosen(self, row: int, _column: int) -> None:
        rows = self._point_warnings()
        if 0 <= row < len(rows):
            self.show_figure(data.figure_of_warning(rows[row][1]))
            ticket_id = rows[row][1].get("ticket_id")
            if ticket_id:
                self.open_ticket(str(ticket_id))

    def _ticket_chosen(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.governance):
            self.open_ticket(self.governance[row].ticket.id)

    def open_ticket(self, ticket_id: str) -> None:
        window = self.window()
        tickets = getattr(window, "areas", {}).get("tickets")
        if tickets is None or not hasattr(tickets, "open_ticket"):
            return
        window.show_area("tickets")  # type: ignore[attr-defined]
        tickets.open_ticket(ticket_id)
