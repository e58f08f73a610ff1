"""The 流程图 view on its own (desktop/efficiency/process_map.py): what it says offline, when nothing closed, when
the server refuses, and a bounded map drawn from an answer — the journey test drives it against a real server."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import qasync
from pytestqt.qtbot import QtBot

from desktop.efficiency.process_map import ProcessMapView, columns
from desktop.sync.errors import RequestRefused
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = [OFFSCREEN_NOISE]
PERIOD = (date(2026, 11, 1), date(2026, 11, 30), None)


def stage(code: str, position: float, **extra: Any) -> dict[str, Any]:
    return {"stage": code, "department": "service", "position": position, "tickets": 5, "mean_working_minutes": 90.0,
            "median_working_minutes": 80.0, "waiting_observed": 5, "waiting_share": 0.6, "share_of_elapsed": 0.25,
            "critical_share": 1.0, "on_critical_path": True, "sent_back": 0, "sent_back_tickets": 0,
            "suggestions": [], **extra}


ANSWER: dict[str, Any] = {
    "start": "2026-11-01", "end": "2026-11-30", "type_code": "complaint", "offices": ["C1"], "basis": "closed_in_period",
    "limit": 5, "closed": 12, "truncated": True,
    "map": {
        "type_code": "complaint", "workflow": "handle_and_visit", "tickets": 5, "left_out": 0,
        "mean_elapsed_minutes": 2000.0, "median_elapsed_minutes": 2000.0,
        "variants": [
            {"steps": [[{"stage": "accept", "rounds": 1}], [{"stage": "handle", "rounds": 1}],
                       [{"stage": "return_visit", "rounds": 1}]], "count": 4, "share": 0.8,
             "mean_elapsed_minutes": 1900.0, "median_elapsed_minutes": 1900.0},
            {"steps": [[{"stage": "accept", "rounds": 1}], [{"stage": "handle", "rounds": 2}],
                       [{"stage": "return_visit", "rounds": 1}]], "count": 1, "share": 0.2,
             "mean_elapsed_minutes": 2400.0, "median_elapsed_minutes": 2400.0},
        ],
        "stages": [stage("accept", 0), stage("handle", 1, sent_back=1, sent_back_tickets=1,
                                             suggestions=[{"code": "rework", "other_stage": None, "value": 0.2}]),
                   stage("return_visit", 2, suggestions=[{"code": "waiting", "other_stage": None, "value": 0.6}])],
        "handoffs": [{"from_stage": "accept", "to_stage": "handle", "count": 5, "waiting_count": 5,
                      "mean_waiting_minutes": 30.0, "median_waiting_minutes": 30.0},
                     {"from_stage": "handle", "to_stage": "return_visit", "count": 5, "waiting_count": 0,
                      "mean_waiting_minutes": None, "median_waiting_minutes": None}],
        "rework": [{"kind": "returned", "stage": "handle", "back_to": "accept", "count": 1, "tickets": 1},
                   {"kind": "reopened", "stage": None, "back_to": None, "count": 2, "tickets": 1}],
        "thresholds": {},
    },
}


def test_offline_it_says_the_map_is_read_online(qtbot: QtBot) -> None:
    view = ProcessMapView(lambda: None)
    qtbot.addWidget(view)
    view.show()
    view.set_period(*PERIOD)
    assert "未连接服务器" in view.summary.text() and not view.loading


def test_a_bounded_map_is_drawn_and_says_it_was_bounded(qtbot: QtBot) -> None:
    view = ProcessMapView(lambda: None)
    qtbot.addWidget(view)
    view.choose_type("complaint")
    view._show(ANSWER)
    summary = view.summary.text()
    assert "按办结时间：5 件" in summary and "共办结 12 件，只画最近办结的 5 件" in summary and "重启 2 次" in summary
    graph = view.graph
    assert list(graph.boxes) == ["accept", "handle", "return_visit"]
    assert "占历时 25.0%" in graph.box_texts["handle"] and "受理" in graph.box_texts["accept"]
    assert graph.badges == {"accept": [], "handle": ["返工多"], "return_visit": ["等待占比高"]}
    assert graph.arrows == {("accept", "handle"): "5 件 · 等 30 分钟", ("handle", "return_visit"): "5 件"}
    assert graph.loops == ["handle→accept: 回退 1 次"]  # the ticket reopened is in the summary, not an arrow
    assert view.variants.rowCount() == 2
    assert view.variants.item(1, 0).text() == "受理 → 处理答复×2 → 回访"
    assert [view.variants.item(0, c).text() for c in (1, 2, 3)] == ["4", "80.0%", "31.7 小时"]


def test_nothing_closed_is_said_and_nothing_drawn(qtbot: QtBot) -> None:
    view = ProcessMapView(lambda: None)
    qtbot.addWidget(view)
    view.choose_type("complaint")
    empty = {**ANSWER, "truncated": False, "map": {**ANSWER["map"], "tickets": 0, "variants": [], "stages": [],
                                                   "handoffs": [], "rework": []}}
    view._show(empty)
    assert view.summary.text() == "该时段没有办结的「投诉」工单。"
    assert view.graph.boxes == {} and view.variants.rowCount() == 0


def test_a_refusal_is_shown_as_the_servers_sentence(qtbot: QtBot, desk_loop: qasync.QEventLoop) -> None:
    class Refusing:
        async def efficiency_process_map(self, *_args: Any) -> dict[str, Any]:
            await asyncio.sleep(0)
            raise RequestRefused(400, "invalid_input", "时段最长三年")

    view = ProcessMapView(lambda: Refusing())
    qtbot.addWidget(view)
    view.show()
    view.set_period(*PERIOD)
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)
    assert "无法读取流程图" in view.summary.text() and "时段最长三年" in view.summary.text()


def test_a_variant_reads_its_parallel_branches(qtbot: QtBot) -> None:
    view = ProcessMapView(lambda: None)
    qtbot.addWidget(view)
    view.choose_type("connection_hv_single")
    visits = [[{"stage": code, "rounds": 2 if code == "fees" else 1} for code in step] for step in (
        ["accept"], ["survey"], ["supply_plan"],
        ["design_review", "mid_inspection", "completion_inspection", "fees", "contract"], ["metering"])]
    assert view.variant_text({"steps": visits}) == (
        "受理 → 现场勘查 → 供电方案答复 → （设计审查 → 中间检查 → 竣工检验） ‖ 业务收费×2 ‖ 合同签订 → 装表接电")


def test_a_stage_stands_one_column_right_of_the_stage_that_mostly_handed_over_to_it() -> None:
    def handoff(source: str, target: str, count: int) -> dict[str, Any]:
        return {"from_stage": source, "to_stage": target, "count": count}

    stages = [stage(code, 0) for code in ("accept", "survey", "plan", "design", "fees", "check", "meter")]
    handoffs = [handoff("accept", "survey", 5), handoff("survey", "plan", 5), handoff("plan", "design", 5),
                handoff("plan", "fees", 5), handoff("design", "check", 5), handoff("check", "meter", 4),
                handoff("fees", "meter", 1), handoff("meter", "accept", 9)]  # a loop back is not a column
    assert columns(stages, handoffs) == [["accept"], ["survey"], ["plan"], ["design", "fees"], ["check"], ["meter"]]
    assert columns([stage("a", 0), stage("b", 1)], []) == [["a", "b"]]
