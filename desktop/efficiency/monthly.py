"""The monthly analysis pack for the 服务效率专题分析会: one office's month as a report (desktop/efficiency/report.py)
— the indicators against target and the month before, the on-time trend, the department ranking by the weighted
multi-party evaluation, and the anomaly alerts of the month with how they were handled. Words through Qt's
translation (context MonthlyPack); figures as the monitor reads them from the server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from desktop.display import datetime_text
from desktop.efficiency import data
from desktop.efficiency.process_map import BADGES
from desktop.efficiency.report import Chart, Figure, Report, Section, Table
from desktop.tickets.labels import department_name
from domain import supervision
from domain.catalogue import TicketType
from domain.errors import DomainError
from domain.records import SupervisionAction
from domain.states import state_label


def month_range(month: date, today: date) -> tuple[date, date]:
    """The calendar month `month` falls in, up to `today` while it is still running."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return first, min(after - timedelta(days=1), today)


def alerts_of_month(alerts: Sequence[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    """Alerts that were open at some moment of the month: raised by its end, not resolved before it began."""
    kept = []
    for alert in alerts:
        raised = data.today_in_office(datetime.fromisoformat(str(alert["raised_at"])))
        resolved = alert.get("resolved_at")
        ended = data.today_in_office(datetime.fromisoformat(str(resolved))) if resolved else None
        if raised <= last and (ended is None or ended >= first):
            kept.append(alert)
    return sorted(kept, key=lambda a: str(a["raised_at"]))


def actions_of_month(actions: Sequence[SupervisionAction], first: date, last: date) -> list[SupervisionAction]:
    """The 督办 the meeting follows: every one still open, and those raised or closed in the month."""
    def in_month(moment: datetime | None) -> bool:
        return moment is not None and first <= data.today_in_office(moment) <= last

    return [a for a in actions if a.state == supervision.OPEN or in_month(a.created_at) or in_month(a.closed_at)]


def busiest_types(snapshot: data.Snapshot, count: int) -> list[str]:
    """The ticket types that closed most tickets in the period, most first (ties by code)."""
    closed = [(int((row.get("indicators") or {}).get("closed") or 0), str(row.get("type_code")))
              for row in snapshot.overview.get("by_type", []) if row.get("type_code")]
    return [code for n, code in sorted(closed, key=lambda c: (-c[0], c[1])) if n > 0][:count]


class MonthlyPack(QObject):
    """Builds the pack; a QObject so that its words are translated in their own context."""

    def report(self, snapshot: data.Snapshot, alerts: Sequence[dict[str, Any]], office_name: str, lang: str,
               alert_cells: Callable[[dict[str, Any]], list[str]],
               maps: Sequence[tuple[TicketType, dict[str, Any]]] = (),
               actions: Sequence[SupervisionAction] = (), now: datetime | None = None) -> Report:
        """The pack for `snapshot` (a whole month of one office); `alert_cells` writes an alert's row as the
        monitor's alerts list does (indicator, slice, evidence, tickets, state, raised); `maps` are the process
        maps of the month's busiest types (the server's /efficiency/process-map answers); `actions` the office's
        督办 as synced, judged late at `now`."""
        first, last = snapshot.start, snapshot.end
        title = self.tr("服务效率月度分析 %1年%2月")
        title = title.replace("%1", str(first.year)).replace("%2", str(first.month))
        subtitle = (self.tr("%1 · 数据时间 %2 · 一窗通效能监控").replace("%1", office_name)
                    .replace("%2", datetime_text(snapshot.fetched_at)))
        return Report(title, subtitle, (
            self._indicators(snapshot),
            self._trend(snapshot),
            self._ranking(snapshot, lang),
            self._alerts(alerts_of_month(alerts, first, last), alert_cells),
            self._process(maps, lang),
            self._actions(actions_of_month(actions, first, last), lang, now or snapshot.fetched_at),
        ))

    def _indicators(self, snapshot: data.Snapshot) -> Section:
        current = snapshot.indicators(data.Slice()) or {}
        previous = data.slice_indicators(snapshot.previous, data.Slice()) or {}
        goals = data.tile_targets(snapshot.rules)
        rows = []
        for kpi in data.KPIS:
            value, before = current.get(kpi.key), previous.get(kpi.key)
            target = goals.get(kpi.key)
            met = target.met(float(value) if value is not None else None) if target is not None else None
            way = "≥" if target is not None and target.better == "up" else "≤"
            rows.append([
                QCoreApplication.translate("EfficiencyMonitor", kpi.title),
                Figure(value, kpi.kind),
                Figure(target.value, kpi.kind) if target is not None else self.tr("未设定"),
                "" if target is None else way,
                "—" if met is None else self.tr("达标") if met else self.tr("未达标"),
                Figure(before, kpi.kind) if kpi.key != "overdue_backlog" else self.tr("当前数"),
                Figure(data.change(value, before), kpi.kind) if kpi.key != "overdue_backlog" else "",
            ])
        headers = (self.tr("指标"), self.tr("本月"), self.tr("目标"), self.tr("方向"), self.tr("达标情况"),
                   self.tr("上月"), self.tr("变化"))
        return Section(self.tr("一、关键指标"), self.tr("关键指标"), Table(headers, ("text",) * 7, rows),
                       note=self.tr("目标为本单位设定的目标，未设定时沿用预警规则的阈值；超期积压为当前数。"))

    def _trend(self, snapshot: data.Snapshot) -> Section:
        days, rates = [], []
        for start, end, part in snapshot.daily:
            found = data.slice_indicators(part, data.Slice()) or {}
            rate = found.get("ticket_on_time_rate")
            days.append(start.strftime("%m-%d") if start == end else f"{start:%m-%d}~{end:%m-%d}")
            rates.append(rate if rate is not None else found.get("stage_on_time_rate"))
        rows = [[day, rate] for day, rate in zip(days, rates, strict=True)]
        return Section(
            self.tr("二、按时办结率走势"), self.tr("走势"),
            Table((self.tr("日期"), self.tr("按时办结率")), ("text", "rate"), rows),
            Chart("line", self.tr("按时办结率（%）"), tuple(days), ((self.tr("按时办结率"), tuple(rates)),)),
            note=self.tr("当天没有到期办结的工单时无数据（不是 0%）。"))

    def _ranking(self, snapshot: data.Snapshot, lang: str) -> Section:
        scores, rates, order = snapshot.department_scores(), snapshot.department_rates(), snapshot.department_order()
        rows = []
        for department in order:
            score = scores.get(department, {})
            # the month's mean rating of each kind: the evaluation API's lead / peer / customer
            rows.append([score.get("rank"), department_name(department, lang), score.get("score"),
                         score.get("lead"), score.get("peer"), score.get("customer"),
                         rates.get(department, {}).get("stage_on_time_rate")])
        weights = (snapshot.evaluation_office() or {}).get("weights") or {}
        note = self.tr("加权得分满分 5 分；权重：主责 %1 · 协作 %2 · 客户 %3。")
        for n, part in enumerate(("lead", "peer", "customer"), start=1):
            note = note.replace(f"%{n}", f"{float(weights.get(part, 0)):.2f}")
        headers = (self.tr("名次"), self.tr("部门"), self.tr("加权得分"), self.tr("主责评价"), self.tr("协作互评"),
                   self.tr("客户评价"), self.tr("环节按时率"))
        on_time = tuple(rates.get(d, {}).get("stage_on_time_rate") for d in order)
        chart = Chart("bar", self.tr("各部门环节按时率（%）"), tuple(department_name(d, lang) for d in order),
                      ((self.tr("环节按时率"), on_time),))
        return Section(self.tr("三、部门排名（多方评价）"), self.tr("部门排名"),
                       Table(headers, ("count", "text", "score", "rating", "rating", "rating", "rate"), rows),
                       chart, note=note)

    def _alerts(self, alerts: Sequence[dict[str, Any]], alert_cells: Callable[[dict[str, Any]], list[str]]
                ) -> Section:
        rows = []
        for alert in alerts:
            cells = alert_cells(alert)
            # the state cell carries the acknowledgement's note (as on screen); the resolution's comes last
            rows.append([*cells[:3], len(alert.get("ticket_ids") or []), *cells[4:], alert.get("resolve_note") or ""])
        headers = (self.tr("指标"), self.tr("切片"), self.tr("依据"), self.tr("工单数"), self.tr("状态"),
                   self.tr("发生时间"), self.tr("解除说明"))
        return Section(self.tr("四、异常预警"), self.tr("异常预警"),
                       Table(headers, ("text", "text", "text", "count", "text", "text", "text"), rows,
                             empty=self.tr("本月无异常预警")))

    def _process(self, maps: Sequence[tuple[TicketType, dict[str, Any]]], lang: str) -> Section:
        """Per stage of each mapped type: its share of the elapsed time, waiting, and the flags to act on."""
        rows: list[list[Any]] = []
        for ticket_type, found in maps:
            name = ticket_type.name(lang)

            def stage_name(code: str, workflow: Any = ticket_type.workflow) -> str:
                try:
                    return str(workflow.stage(code).name(lang))
                except DomainError:
                    return code

            for stage in (found.get("map") or {}).get("stages", []):
                flags = []
                for suggestion in stage.get("suggestions", []):
                    text = BADGES.get(str(suggestion["code"]), (str(suggestion["code"]), "", ""))[0]
                    other = suggestion.get("other_stage")
                    flags.append(QCoreApplication.translate("ProcessMapView", text)
                                 + (f"（{stage_name(str(other))}）" if other else ""))
                rows.append([name, stage_name(str(stage["stage"])), department_name(str(stage["department"]), lang),
                             stage.get("tickets"), stage.get("median_working_minutes"), stage.get("waiting_share"),
                             stage.get("share_of_elapsed"), self.tr("是") if stage.get("on_critical_path") else "",
                             "、".join(flags)])
        headers = (self.tr("业务类型"), self.tr("环节"), self.tr("部门"), self.tr("工单数"), self.tr("用时中位（分钟）"),
                   self.tr("等待占比"), self.tr("占历时"), self.tr("关键路径"), self.tr("建议"))
        return Section(self.tr("五、流程分析（本月办结工单最多的业务）"), self.tr("流程分析"),
                       Table(headers, ("text", "text", "text", "count", "minutes", "rate", "rate", "text", "text"),
                             rows, empty=self.tr("本月没有办结的工单")),
                       note=self.tr("按实际发生的环节事件统计（流程图）：可并行、可合并、等待占比高、返工多为数据给出的提示，取舍由分析会决定。"))

    def _actions(self, actions: Sequence[SupervisionAction], lang: str, now: datetime) -> Section:
        """Open ones first as the next meeting takes them up (late ones first), then those closed, last closed first."""
        rows: list[list[Any]] = []
        closed = sorted((a for a in actions if a.state != supervision.OPEN),
                        key=lambda a: a.closed_at or a.created_at, reverse=True)
        for action in [*supervision.agenda_order(actions, now), *closed]:
            late = supervision.days_late(action.state, action.due_on, now)
            rows.append([action.title, department_name(action.department, lang), action.due_on.isoformat(),
                         state_label("supervision_action", action.state, lang), late or None,
                         action.result or action.reason or ""])
        headers = (self.tr("督办事项"), self.tr("责任部门"), self.tr("截止日"), self.tr("状态"), self.tr("超期天数"),
                   self.tr("办理结果"))
        return Section(self.tr("六、督办事项"), self.tr("督办事项"),
                       Table(headers, ("text", "text", "text", "text", "count", "text"), rows,
                             empty=self.tr("本月无督办事项")),
                       note=self.tr("未办结的督办全部列出（超期的在前），以及本月提出或办结的。"))
