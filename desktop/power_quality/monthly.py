"""The monthly power-quality report of one important customer (电能质量月度报告), for the customer: each monitoring
point's month judged the standard's way against every limit that applies there, with the standard and clause
cited; the excursions and warnings; GB/T 30137's sag counts; the governance work done. Built from the server's
month (`GET /power-quality/customers/{id}/month`) as a report (desktop/efficiency/report.py) and written as a
PDF with the CJK font the efficiency pack uses. Words through Qt's translation (context PowerQualityReport)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from desktop.display import datetime_text
from desktop.efficiency.report import Figure, Report, Section, Table
from desktop.power_quality import data
from desktop.tickets.labels import department_name, state_name


def _moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(str(text)) if text else None


def _number(value: Any, unit: str) -> str:
    return "—" if value is None else f"{float(value):.3g}{unit}"


class MonthlyReport(QObject):
    """Builds the report; a QObject so that its words are translated in their own context."""

    def report(self, month: dict[str, Any], lang: str, now: datetime) -> Report:
        first = _moment(month["start"])
        assert first is not None
        title = (self.tr("电能质量月度报告 %1年%2月").replace("%1", month["month"][:4])
                 .replace("%2", str(int(month["month"][5:]))))
        subtitle = (self.tr("客户：%1 · 供电单位：%2 · 限值版本 %3 · 生成于 %4").replace("%1", month["customer_name"])
                    .replace("%2", month.get("office_name") or "—").replace("%3", str(month["limits_version"]))
                    .replace("%4", datetime_text(now)))
        return Report(title, subtitle, (
            self._overview(month),
            self._compliance(month),
            self._excursions(month),
            self._sags(month),
            self._actions(month, lang),
        ))

    def _translate(self, text: str) -> str:
        return QCoreApplication.translate("PowerQuality", text)

    def _overview(self, month: dict[str, Any]) -> Section:
        rows = []
        failed_total = warnings_total = cleared_total = 0
        for point in month["points"]:
            failed = [c for c in point["compliance"] if not c["ok"]]
            cleared = sum(1 for w in point["warnings"] if w.get("closed_at"))
            failed_total, warnings_total = failed_total + len(failed), warnings_total + len(point["warnings"])
            cleared_total += cleared
            share = point["intervals"] / point["expected"] if point["expected"] else None
            verdict = self.tr("全部达标") if not failed else self.tr("%1 项未达标").replace("%1", str(len(failed)))
            rows.append([point["name"], f"{float(point['nominal_kv']):g} kV", point["expected"], point["intervals"],
                         Figure(share, "rate"), verdict if point["intervals"] else self.tr("无数据"),
                         self.tr("%1 次（已消除 %2 次）").replace("%1", str(len(point["warnings"])))
                         .replace("%2", str(cleared))])
        headers = (self.tr("监测点"), self.tr("电压等级"), self.tr("应有数据（10分钟）"), self.tr("实收数据"),
                   self.tr("数据完整率"), self.tr("指标结论"), self.tr("持续越限预警"))
        summary = (self.tr("本月监测点 %1 个，未达标指标 %2 项，持续越限预警 %3 次，其中已治理消除 %4 次。")
                   .replace("%1", str(len(month["points"]))).replace("%2", str(failed_total))
                   .replace("%3", str(warnings_total)).replace("%4", str(cleared_total)))
        return Section(self.tr("一、监测概况"), self.tr("监测概况"),
                       Table(headers, ("text", "text", "count", "count", "text", "text", "text"), rows,
                             empty=self.tr("该客户本月没有监测点")),
                       note=summary + self.tr("每个监测点按10分钟统计值评价；指标结论依据第二部分。"))

    def _compliance(self, month: dict[str, Any]) -> Section:
        rows = []
        for point in month["points"]:
            for check in point["compliance"]:
                quantity, unit = check["quantity"], data.UNITS.get(check["quantity"], "")
                cited = f"{check['standard']} {check['clause']}"
                if check["source"] == "contract":
                    cited += self.tr("（合同约定，严于国家标准）")
                if check["sure"] != "official":
                    cited += self.tr("（条款暂定）")
                basis = self.tr("95%概率值") if check["basis"] == "p95" else self.tr("每个统计值")
                bound = ("≥ " if check["what"] == "low" else "≤ ") + _number(check["bound"], unit)
                rows.append([point["name"], data.indicator_text(quantity, check["what"], self._translate), bound,
                             cited, basis, _number(check["p95"], unit), _number(check["worst"], unit),
                             Figure(check["within_share"], "rate"), self.tr("达标") if check["ok"] else self.tr("未达标")])
        headers = (self.tr("监测点"), self.tr("指标"), self.tr("限值"), self.tr("依据"), self.tr("评价方式"),
                   self.tr("95%概率值"), self.tr("最大值"), self.tr("合格率"), self.tr("结论"))
        return Section(self.tr("二、各项指标达标情况"), self.tr("达标情况"),
                       Table(headers, ("text",) * 9, rows, empty=self.tr("本月没有监测数据")),
                       note=self.tr("按国家标准评价：标明“95%概率值”的指标以本月统计值的95%概率大值（下限取5%）与限值比较，"
                                    "其余指标要求每个统计值都在限值内；谐波分次含有率取各时段最大的一次。"
                                    "合格率为在限值内的统计值所占比例。"))

    def _excursions(self, month: dict[str, Any]) -> Section:
        rows = []
        numbers = {a["ticket_id"]: a.get("number") or "" for a in month["actions"]}
        for point in month["points"]:
            for warning in point["warnings"]:
                quantity = data.quantity_of_limit(str(warning["limit_id"])) or ""
                unit = data.UNITS.get(quantity, "")
                first, last = _moment(warning.get("first_start")), _moment(warning.get("last_start"))
                closed = _moment(warning.get("closed_at"))
                rows.append([point["name"], data.indicator_text(quantity, str(warning["what"]), self._translate),
                             f"{_number(warning['worst_value'], unit)} / {_number(warning['bound'], unit)}",
                             f"{datetime_text(first)} — {datetime_text(last)}",
                             self.tr("%1/%2 个10分钟").replace("%1", str(warning["count"]))
                             .replace("%2", str(warning["within"])),
                             datetime_text(_moment(warning.get("opened_at"))),
                             self.tr("已消除 %1").replace("%1", datetime_text(closed)) if closed else self.tr("治理中"),
                             numbers.get(warning.get("ticket_id"), "")])
        headers = (self.tr("监测点"), self.tr("指标"), self.tr("最大值 / 限值"), self.tr("越限时段"),
                   self.tr("越限次数"), self.tr("预警时间"), self.tr("状态"), self.tr("治理工单"))
        return Section(self.tr("三、越限与预警"), self.tr("越限与预警"),
                       Table(headers, ("text",) * 8, rows, empty=self.tr("本月没有持续越限")),
                       note=self.tr("同一指标在最近若干个10分钟中多次越限（持续越限）即发出预警并启动治理；"
                                    "治理完成且效果验证通过后预警消除。"))

    def _sags(self, month: dict[str, Any]) -> Section:
        residual, durations = month["sag_residual_bands"], month["sag_duration_bands_ms"]
        rows = []
        for point in month["points"]:
            for sag in point["sags"]:
                r, d = int(sag["residual_band"]), int(sag["duration_band"])
                low = residual[r + 1] if r + 1 < len(residual) else 0
                rows.append([point["name"], f"{low:g}% — {residual[r]:g}%",
                             f"{durations[d]:g} — {durations[d + 1]:g} ms", sag["count"]])
        headers = (self.tr("监测点"), self.tr("残余电压"), self.tr("持续时间"), self.tr("次数"))
        return Section(self.tr("四、电压暂降统计（GB/T 30137-2013）"), self.tr("电压暂降"),
                       Table(headers, ("text", "text", "text", "count"), rows, empty=self.tr("本月无电压暂降")),
                       note=self.tr("按残余电压和持续时间分档计数；标准对暂降次数不设限值。"))

    def _actions(self, month: dict[str, Any], lang: str) -> Section:
        rows = []
        for action in month["actions"]:
            for stage in action["stages"]:
                rows.append([action.get("number") or "", stage["name_en"] if lang.startswith("en") else stage["name_zh"],
                             department_name(stage["department"], lang), state_name("stage_task", stage["state"], lang),
                             datetime_text(_moment(stage.get("completed_at"))), stage.get("outcome") or ""])
        headers = (self.tr("治理工单"), self.tr("环节"), self.tr("部门"), self.tr("状态"), self.tr("完成时间"),
                   self.tr("办理结果"))
        return Section(self.tr("五、治理措施"), self.tr("治理措施"),
                       Table(headers, ("text",) * 6, rows, empty=self.tr("本月没有治理工单")),
                       note=self.tr("监测诊断 → 原因分析 → 治理方案 → 实施 → 效果验证，由运检、营销部门办理。"))
