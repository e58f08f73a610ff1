"""流程图: the process map of one ticket type over the monitor's period (domain.process_map, read from
`GET /efficiency/process-map`). Stages are boxes left to right in the order the tickets went through them
(stages worked in parallel stacked in one column), arrows are handoffs labelled with their count and mean
waiting, rework loops are red dashed arrows back, each box shows its share of the elapsed time and the
suggestion badges; below, the variants table. Drawn on a QGraphicsScene: boxes and arrows need no axes."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.display import ElidedLabel, cell_text, plain_tooltip
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.sync.errors import RequestRefused, SyncError
from desktop.tickets.labels import department_name
from domain.catalogue import load_catalogue
from domain.catalogue_model import TicketType
from domain.errors import DomainError


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate under `context`; returns it unchanged."""
    return text


# suggestion code → (badge text, what it means, colour)
BADGES: dict[str, tuple[str, str, str]] = {
    "parallel": (QT_TRANSLATE_NOOP("ProcessMapView", "可并行"),
                 QT_TRANSLATE_NOOP("ProcessMapView", "与「%1」互不依赖，却在 %2 的工单里等它办完才开始"), "#1565c0"),
    "merge": (QT_TRANSLATE_NOOP("ProcessMapView", "可合并"),
              QT_TRANSLATE_NOOP("ProcessMapView", "同一部门从「%1」接手，本环节用时中位数仅占历时的 %2"), "#2e7d32"),
    "waiting": (QT_TRANSLATE_NOOP("ProcessMapView", "等待占比高"),
                QT_TRANSLATE_NOOP("ProcessMapView", "本环节 %2 的时间在等待接单"), "#ef6c00"),
    "rework": (QT_TRANSLATE_NOOP("ProcessMapView", "返工多"),
               QT_TRANSLATE_NOOP("ProcessMapView", "%2 的工单在本环节被回退"), "#c62828"),
}
REWORK_KINDS: dict[str, str] = {
    "returned": QT_TRANSLATE_NOOP("ProcessMapView", "回退 %1 次"),
    "visit_rework": QT_TRANSLATE_NOOP("ProcessMapView", "回访退回 %1 次"),
    "reopened": QT_TRANSLATE_NOOP("ProcessMapView", "重启 %1 次"),
}
BOX_W, BOX_H, COLUMN_GAP, ROW_GAP = 180.0, 86.0, 170.0, 84.0
MIN_SCALE = 0.65  # below this the box texts are too small to read: scroll instead
CRITICAL = QColor("#6a1b9a")
REWORK = QColor("#c62828")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProcessMapView", text)


def columns(stages: list[dict[str, Any]], handoffs: list[dict[str, Any]]) -> list[list[str]]:
    """Stage codes by column: one column right of the stage that most often handed work over to it (so a chain
    of stages reads left to right and stages opened by the same one stand in one column), a stage nobody handed
    over to in the first; within a column in map order. Only handoffs forward in map order count (no loops)."""
    codes = [str(stage["stage"]) for stage in stages]
    order = {code: index for index, code in enumerate(codes)}
    main: dict[str, tuple[int, str]] = {}
    for handoff in handoffs:
        source, target, count = str(handoff["from_stage"]), str(handoff["to_stage"]), int(handoff["count"])
        if source in order and target in order and order[source] < order[target] and \
                (target not in main or (count, source) > main[target]):
            main[target] = (count, source)
    column: dict[str, int] = {}
    for code in codes:  # a stage's main source comes earlier in map order: already placed
        column[code] = column[main[code][1]] + 1 if code in main else 0
    out: list[list[str]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    for code in codes:
        out[column[code]].append(code)
    return [c for c in out if c]


class ProcessMapGraph(QGraphicsView):
    """The drawing: `boxes` (stage → box), `arrows` (handoff → label), `loops` and `badges` for tests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("#ffffff")))
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.boxes: dict[str, QGraphicsRectItem] = {}
        self.box_texts: dict[str, str] = {}
        self.arrows: dict[tuple[str, str], str] = {}
        self.loops: list[str] = []
        self.badges: dict[str, list[str]] = {}

    def clear(self, note: str = "") -> None:
        self.scene().clear()
        self.boxes, self.box_texts, self.arrows, self.loops, self.badges = {}, {}, {}, [], {}
        if note:
            text = self.scene().addSimpleText(note)
            text.setBrush(QBrush(QColor("#616161")))
        self.scene().setSceneRect(self.scene().itemsBoundingRect())

    def draw(self, result: dict[str, Any], name: Callable[[str], str], duration: Callable[[float | None], str],
             percent: Callable[[float | None], str]) -> None:
        self.clear()
        scene = self.scene()
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        places: dict[str, QRectF] = {}
        for column, codes in enumerate(columns(result["stages"], result["handoffs"])):
            for row, code in enumerate(codes):
                places[code] = QRectF(20 + column * (BOX_W + COLUMN_GAP), 60 + row * (BOX_H + ROW_GAP), BOX_W, BOX_H)
        for stage in result["stages"]:
            code = str(stage["stage"])
            rect = places[code]
            box = scene.addRect(rect, QPen(CRITICAL if stage["on_critical_path"] else QColor("#9e9e9e"),
                                           2.6 if stage["on_critical_path"] else 1.2), QBrush(QColor("#f5f7fa")))
            box.setData(0, code)
            lines = [
                name(code),
                department_name(stage.get("department"), current_language()),
                self.tr("占历时 %1").replace("%1", percent(stage.get("share_of_elapsed"))),
                self.tr("均 %1 · %2 件").replace("%1", duration(stage.get("mean_working_minutes")))
                .replace("%2", QLocale().toString(int(stage["tickets"]))),
            ]
            for index, line in enumerate(lines):
                item = QGraphicsSimpleTextItem(_elide(line, self.fontMetrics(), BOX_W - 14), box)
                item.setFont(bold if index == 0 else font)
                item.setPos(rect.left() + 7, rect.top() + 5 + index * (BOX_H - 10) / 4)
            box.setToolTip(plain_tooltip("\n".join(lines + [
                self.tr("等待占比 %1").replace("%1", percent(stage.get("waiting_share"))),
                self.tr("关键路径上的工单 %1").replace("%1", percent(stage.get("critical_share")))])))
            self.boxes[code] = box
            self.box_texts[code] = "\n".join(lines)
            self._badges(code, stage.get("suggestions", []), rect, name, percent)
        drawn = [h for h in result["handoffs"] if str(h["from_stage"]) in places and str(h["to_stage"]) in places]
        incoming: dict[str, list[str]] = {}
        for handoff in sorted(drawn, key=lambda h: places[str(h["from_stage"])].top()):
            incoming.setdefault(str(handoff["to_stage"]), []).append(str(handoff["from_stage"]))
        for handoff in drawn:
            source, target = str(handoff["from_stage"]), str(handoff["to_stage"])
            label = self.tr("%1 件").replace("%1", QLocale().toString(int(handoff["count"])))
            if handoff.get("mean_waiting_minutes") is not None:
                label += " · " + self.tr("等 %1").replace("%1", duration(handoff["mean_waiting_minutes"]))
            sources = incoming[target]  # several arrows into one box arrive at their own heights
            rect = places[target]
            arrive = rect.top() + rect.height() * (sources.index(source) + 1) / (len(sources) + 1)
            self._arrow(places[source], rect, arrive, label)
            self.arrows[(source, target)] = label
        for loop in result["rework"]:
            stage, back_to = loop.get("stage"), loop.get("back_to")
            if stage is None or stage not in places:
                continue
            label = _tr(REWORK_KINDS.get(str(loop["kind"]), "%1")).replace("%1", QLocale().toString(int(loop["count"])))
            self._loop(places[str(stage)], places.get(str(back_to)) if back_to else None, label)
            self.loops.append(f"{stage}→{back_to or stage}: {label}")
        legend = scene.addSimpleText(self.tr("紫色粗框：多数工单的关键路径　箭头：交接件数与平均等待　红色虚线：返工"))
        legend.setBrush(QBrush(QColor("#616161")))
        legend.setPos(20, 4)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))
        self.fit()

    def fit(self) -> None:
        """Shrink a map wider or taller than the view to fit it, down to MIN_SCALE (then it scrolls); never enlarge."""
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        room = self.viewport().size()
        scale = min(1.0, room.width() / rect.width(), room.height() / rect.height())
        self.setTransform(QTransform.fromScale(max(scale, MIN_SCALE), max(scale, MIN_SCALE)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def _badges(self, code: str, suggestions: list[dict[str, Any]], rect: QRectF, name: Callable[[str], str],
                percent: Callable[[float | None], str]) -> None:
        x = rect.left()
        texts: list[str] = []
        for suggestion in suggestions:
            text, why, colour = BADGES.get(str(suggestion["code"]), (str(suggestion["code"]), "", "#616161"))
            shown = _tr(text)
            other = suggestion.get("other_stage")
            label = QGraphicsSimpleTextItem(shown)
            label.setBrush(QBrush(QColor("#ffffff")))
            width = label.boundingRect().width() + 10
            badge = self.scene().addRect(QRectF(x, rect.bottom() + 6, width, label.boundingRect().height() + 4),
                                         QPen(Qt.PenStyle.NoPen), QBrush(QColor(colour)))
            label.setParentItem(badge)
            label.setPos(x + 5, rect.bottom() + 8)
            badge.setToolTip(plain_tooltip(_tr(why).replace("%1", name(str(other)) if other else "")
                                           .replace("%2", percent(suggestion.get("value")))))
            x += width + 6
            texts.append(shown + (f"（{name(str(other))}）" if other else ""))
        self.badges[code] = texts

    def _arrow(self, source: QRectF, target: QRectF, arrive: float, label: str) -> None:
        """Forward: out of the source's right side, along its row, down or up a trunk in the gap before the target's
        column, into the target's left side at `arrive`; the label sits on that last leg. Otherwise straight."""
        colour = QColor("#455a64")
        if target.left() > source.right():
            start, end = QPointF(source.right(), source.center().y()), QPointF(target.left(), arrive)
            trunk = target.left() - 0.75 * COLUMN_GAP
            path = QPainterPath(start)
            path.lineTo(trunk, start.y())
            path.lineTo(trunk, end.y())
            path.lineTo(end)
            self.scene().addPath(path, QPen(colour, 1.4))
            self._head(QPointF(trunk, end.y()), end, colour)
            self._label(label, QPointF(target.left() - 10, end.y() - 10), QColor("#263238"), right=True)
            return
        if target.top() > source.bottom():
            start, end = QPointF(source.center().x(), source.bottom()), QPointF(target.center().x(), target.top())
        else:
            start, end = QPointF(source.center().x(), source.top()), QPointF(target.center().x(), target.bottom())
        path = QPainterPath(start)
        path.lineTo(end)
        self.scene().addPath(path, QPen(colour, 1.4))
        self._head(start, end, colour)
        self._label(label, QPointF((start.x() + end.x()) / 2, (start.y() + end.y()) / 2), QColor("#263238"))

    def _label(self, label: str, at: QPointF, colour: QColor, *, right: bool = False) -> None:
        """A label centred on `at` (or ending at it, `right`), on a white ground so lines under it do not cross
        the text."""
        text = QGraphicsSimpleTextItem(label)
        text.setBrush(QBrush(colour))
        size = text.boundingRect()
        left = at.x() - size.width() if right else at.x() - size.width() / 2
        ground = self.scene().addRect(QRectF(left - 2, at.y() - size.height() / 2, size.width() + 4, size.height()),
                                      QPen(Qt.PenStyle.NoPen), QBrush(QColor(255, 255, 255, 225)))
        ground.setZValue(2)
        text.setParentItem(ground)
        text.setPos(left, at.y() - size.height() / 2)

    def _loop(self, stage: QRectF, back_to: QRectF | None, label: str) -> None:
        """A dashed red arrow back: over the tops within a row; to another row, into the right side of the box it
        returns to (its badges hang under it, its outgoing arrows leave at mid-height)."""
        if back_to is None or back_to == stage:
            start, end = QPointF(stage.center().x() + 20, stage.top()), QPointF(stage.center().x() - 20, stage.top())
            controls = (start + QPointF(10, -40), end + QPointF(-10, -40))
        elif abs(back_to.top() - stage.top()) < 1:
            start, end = QPointF(stage.center().x() + 20, stage.top()), QPointF(back_to.center().x() + 20, back_to.top())
            top = stage.top() - 38
            controls = (QPointF(start.x(), top), QPointF(end.x(), top))
        elif back_to.top() > stage.top():  # down to a lower row: leave below, come back into its right side
            start = QPointF(stage.right() - 24, stage.bottom())
            end = QPointF(back_to.right(), back_to.bottom() - 14)
            controls = (QPointF(start.x(), end.y() + 40), QPointF(end.x() + 60, end.y() + 20))
        else:  # up to a higher row: out of the left side, into its right side (badges hang under the boxes)
            start, end = QPointF(stage.left(), stage.center().y() + 12), QPointF(back_to.right(), back_to.bottom() - 14)
            controls = (QPointF(stage.left() - 50, start.y()), QPointF(end.x() + 50, end.y()))
        path = QPainterPath(start)
        path.cubicTo(controls[0], controls[1], end)
        item = QGraphicsPathItem(path)
        item.setPen(QPen(REWORK, 1.4, Qt.PenStyle.DashLine))
        self.scene().addItem(item)
        self._head(path.pointAtPercent(0.97), end, REWORK)
        self._label(label, path.pointAtPercent(0.5), REWORK)

    def _head(self, start: QPointF, end: QPointF, colour: QColor) -> QGraphicsItem:
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = 8.0
        points = [end, end - QPointF(size * math.cos(angle - 0.4), size * math.sin(angle - 0.4)),
                  end - QPointF(size * math.cos(angle + 0.4), size * math.sin(angle + 0.4))]
        return self.scene().addPolygon(QPolygonF(points), QPen(colour), QBrush(colour))


def _elide(text: str, metrics: Any, width: float) -> str:
    return str(metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width)))


class ProcessMapView(QWidget):
    """The 流程图 tab of the monitor: a ticket type picker, the drawing, the variants and what was read."""

    def __init__(self, client: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("processMap")
        self.setAccessibleName(self.tr("流程图"))
        self._client = client
        self._catalogue = load_catalogue()
        self._lang = current_language()
        self._period: tuple[date, date, str | None] | None = None
        self._shown: tuple[str, date, date, str | None] | None = None
        self._generation = 0
        self.loading = False
        self.answer: dict[str, Any] | None = None

        self.type_picker = QComboBox(self)
        self.type_picker.setObjectName("processMapType")
        self.type_picker.setAccessibleName(self.tr("业务类型"))
        for ticket_type in self._catalogue.types:
            if len(ticket_type.workflow.stages) > 1:  # a one-step answer has no process to map
                self.type_picker.addItem(ticket_type.name(self._lang), ticket_type.code)
        self.type_picker.currentIndexChanged.connect(lambda _i: self.refresh())
        self.summary = ElidedLabel(self)
        self.summary.setObjectName("processMapSummary")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("业务类型"), self))
        bar.addWidget(self.type_picker)
        bar.addWidget(self.summary, 1)

        self.graph = ProcessMapGraph(self)
        self.graph.setObjectName("processMapGraph")
        self.graph.setAccessibleName(self.tr("流程图"))
        self.variants = QTableWidget(0, 4, self)
        self.variants.setObjectName("processMapVariants")
        self.variants.setAccessibleName(self.tr("流程变体"))
        self.variants.setHorizontalHeaderLabels([self.tr("变体（实际经过的环节）"), self.tr("件数"), self.tr("占比"),
                                                 self.tr("平均历时")])
        self.variants.verticalHeader().setVisible(False)
        self.variants.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.variants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.variants.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.graph)
        split.addWidget(self.variants)
        split.setSizes([750, 250])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    # ---- what to read ----

    def ticket_type(self) -> TicketType | None:
        code = self.type_picker.currentData()
        try:
            return self._catalogue.ticket_type(str(code)) if code else None
        except DomainError:
            return None

    def choose_type(self, code: str) -> None:
        """As a person picks the ticket type (reads its map)."""
        index = self.type_picker.findData(code)
        if index < 0:
            raise ValueError(f"no such ticket type in the picker: {code}")
        if index == self.type_picker.currentIndex():
            self.refresh()
        else:
            self.type_picker.setCurrentIndex(index)

    def set_period(self, start: date, end: date, office: str | None) -> None:
        """The monitor's period and office; read again now if shown (else when next shown)."""
        self._period = (start, end, office)
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._period is not None and self._wanted() != self._shown:
            self.refresh()

    def _wanted(self) -> tuple[str, date, date, str | None] | None:
        if self._period is None or self.type_picker.currentData() is None:
            return None
        start, end, office = self._period
        return str(self.type_picker.currentData()), start, end, office

    def refresh(self) -> None:
        wanted = self._wanted()
        client = self._client()
        if wanted is None:
            return
        if client is None:
            self._problem(self.tr("未连接服务器：流程图需要在线读取。"))
            return
        code, start, end, office = wanted
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("正在读取…"))

        async def fetch() -> dict[str, Any]:
            answer: dict[str, Any] = await client.efficiency_process_map(code, start, end, office)
            return answer

        Operation(self, fetch).success(lambda answer: self._loaded(answer, wanted, generation)).failure(
            lambda error: self._failed(error, generation)).run()

    def _loaded(self, answer: dict[str, Any], wanted: tuple[str, date, date, str | None], generation: int) -> None:
        if generation != self._generation:
            return  # an earlier read answering late
        self.loading = False
        self.answer = answer
        self._shown = wanted
        self._show(answer)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self.loading = False
        if isinstance(error, RequestRefused | SyncError):
            self._problem(self.tr("无法读取流程图（%1）。").replace("%1", error.message(current_language())))
            return
        self._problem(self.tr("无法读取流程图。"))
        report_failure(error)

    def _problem(self, text: str) -> None:
        self.loading = False
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #c62828;")

    # ---- showing ----

    def stage_name(self, code: str) -> str:
        ticket_type = self.ticket_type()
        if ticket_type is None:
            return code
        try:
            return ticket_type.workflow.stage(code).name(self._lang)
        except DomainError:
            return code

    def duration(self, minutes: float | None) -> str:
        """Working time as the monitor writes it: 分钟 under two hours, 小时 under two working days, else 工作日."""
        if minutes is None:
            return "—"
        locale = QLocale()
        if minutes < 120:
            return self.tr("%1 分钟").replace("%1", locale.toString(float(minutes), "f", 0))
        if minutes < 2 * 24 * 60:
            return self.tr("%1 小时").replace("%1", locale.toString(minutes / 60, "f", 1))
        return self.tr("%1 个工作日").replace("%1", locale.toString(minutes / (24 * 60), "f", 1))

    @staticmethod
    def percent(value: float | None) -> str:
        return "—" if value is None else QLocale().toString(float(value) * 100, "f", 1) + "%"

    def variant_text(self, variant: dict[str, Any]) -> str:
        """受理 → 现场勘查 ‖ 合同签订 → …: steps in order, a step's parallel branches joined by ‖; inside a step, a
        stage whose prerequisite (catalogue) is in the same step follows it in one branch, in brackets."""
        ticket_type = self.ticket_type()
        needs = {s.code: set(s.prerequisites) for s in ticket_type.workflow.stages} if ticket_type else {}
        steps = []
        for step in variant["steps"]:
            branches: list[list[dict[str, Any]]] = []
            for visit in step:
                after = [b for b in branches if any(v["stage"] in needs.get(str(visit["stage"]), set()) for v in b)]
                if after:
                    after[-1].append(visit)
                else:
                    branches.append([visit])
            texts = [" → ".join(self._visit(v) for v in branch) for branch in branches]
            if len(texts) > 1:
                texts = [f"（{t}）" if len(b) > 1 else t for t, b in zip(texts, branches, strict=True)]
            steps.append(" ‖ ".join(texts))
        return " → ".join(steps)

    def _visit(self, visit: dict[str, Any]) -> str:
        rounds = int(visit["rounds"])
        return self.stage_name(str(visit["stage"])) + (f"×{rounds}" if rounds > 1 else "")

    def _show(self, answer: dict[str, Any]) -> None:
        result = answer["map"]
        ticket_type = self.ticket_type()
        name = ticket_type.name(self._lang) if ticket_type is not None else str(answer["type_code"])
        locale = QLocale()
        if not result["tickets"]:
            self.summary.setText(self.tr("该时段没有办结的「%1」工单。").replace("%1", name))
            self.summary.setStyleSheet("color: palette(dark);")
            self.graph.clear(self.tr("没有可画的流程。"))
            self.variants.setRowCount(0)
            return
        rework = {kind: sum(int(r["count"]) for r in result["rework"] if r["kind"] == kind)
                  for kind in ("returned", "visit_rework", "reopened")}
        parts = [
            self.tr("按办结时间：%1 件").replace("%1", locale.toString(int(result["tickets"]))),
            self.tr("变体 %1 个").replace("%1", locale.toString(len(result["variants"]))),
            self.tr("平均历时 %1").replace("%1", self.duration(result.get("mean_elapsed_minutes"))),
            self.tr("回退 %1 次").replace("%1", locale.toString(rework["returned"])),
            self.tr("回访退回 %1 次").replace("%1", locale.toString(rework["visit_rework"])),
            self.tr("重启 %1 次").replace("%1", locale.toString(rework["reopened"])),
        ]
        if answer.get("truncated"):
            parts.append(self.tr("共办结 %1 件，只画最近办结的 %2 件").replace(
                "%1", locale.toString(int(answer["closed"]))).replace("%2", locale.toString(int(result["tickets"]))))
        self.summary.setStyleSheet("")
        self.summary.setText(" · ".join(parts))
        self.graph.draw(result, self.stage_name, self.duration, self.percent)
        self.variants.setRowCount(len(result["variants"]))
        for row, variant in enumerate(result["variants"]):
            cells = [cell_text(self.variant_text(variant)), locale.toString(int(variant["count"])),
                     self.percent(variant["share"]), self.duration(variant["mean_elapsed_minutes"])]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(plain_tooltip(self.variant_text(variant)))
                self.variants.setItem(row, column, item)
