"""A ticket's workflow drawn as its graph: stages as boxes by topological depth, arrows for prerequisites."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF, QResizeEvent, QTransform
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from desktop.display import plain_tooltip
from desktop.i18n import current_language
from desktop.tickets import labels
from desktop.tickets.progress import StageStatus, StageView, format_duration
from domain.states import STAGE_TASK

BOX_WIDTH, BOX_HEIGHT = 170.0, 74.0
COLUMN_GAP, ROW_GAP = 60.0, 22.0
SCENE_MARGIN = 10.0
# A wide workflow is drawn smaller to fit the pane, down to this scale (its text stays readable); wider
# still, it scrolls and the stage in hand is kept in view.
MIN_SCALE = 0.8
STATUS_COLOURS: dict[StageStatus, str] = {
    StageStatus.DONE: "#c8e6c9",
    StageStatus.OPEN: "#bbdefb",
    StageStatus.WARNING: "#ffe082",
    StageStatus.LATE: "#ef9a9a",
    StageStatus.BLOCKED: "#eeeeee",
    StageStatus.CANCELLED: "#d7ccc8",
}


class StageBox(QGraphicsRectItem):
    """One stage: name, owner department, and its deadline or how long it has waited."""

    def __init__(self, view: StageView, lines: list[str], tooltip: str) -> None:
        super().__init__(0, 0, BOX_WIDTH, BOX_HEIGHT)
        self.view = view
        self.setBrush(QBrush(QColor(STATUS_COLOURS[view.status])))
        self.setPen(QPen(QColor("#455a64"), 2 if view.status is StageStatus.LATE else 1))
        self.setToolTip(tooltip)
        y = 4.0
        for i, line in enumerate(lines):
            text = QGraphicsSimpleTextItem(line, self)
            if i == 0:
                font = QFont(text.font())
                font.setBold(True)
                text.setFont(font)
            text.setPos(6, y)
            y += 17

    @property
    def status(self) -> StageStatus:
        return self.view.status


class StageGraphView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageGraph")
        self.setAccessibleName(self.tr("流程图"))
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(self.renderHints().Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.boxes: dict[str, StageBox] = {}
        self._in_hand: str | None = None  # the stage last scrolled into view
        self._fit()

    def show_stages(self, views: Sequence[StageView]) -> None:
        scene = self.scene()
        scene.clear()
        self.boxes = {}
        columns: dict[int, list[StageView]] = defaultdict(list)
        for view in views:
            columns[view.depth].append(view)
        for depth, column in sorted(columns.items()):
            for row, view in enumerate(column):
                box = StageBox(view, self._lines(view), self._tooltip(view))
                box.setPos(depth * (BOX_WIDTH + COLUMN_GAP), row * (BOX_HEIGHT + ROW_GAP))
                scene.addItem(box)
                self.boxes[view.code] = box
        for view in views:
            for prerequisite in view.prerequisites:
                if prerequisite in self.boxes:
                    scene.addItem(_arrow(self.boxes[prerequisite].sceneBoundingRect(),
                                         self.boxes[view.code].sceneBoundingRect()))
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))
        self._fit()
        self._show_stage_in_hand(views)
        self.setAccessibleDescription("; ".join(f"{v.name(current_language())}: {self._status_text(v)}" for v in views))

    def sizeHint(self) -> QSize:  # noqa: N802
        """As tall as the graph's rows (a splitter lays it out by this)."""
        return QSize(super().sizeHint().width(), self.maximumHeight())

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Shrink a wide graph to the pane's width (not below MIN_SCALE) and ask for just its height, so
        the stage table below gets the room the graph does not use."""
        rect = self.sceneRect()
        if rect.isEmpty() or not self.boxes:
            rect = QRectF(0, 0, BOX_WIDTH + 2 * SCENE_MARGIN, BOX_HEIGHT + 2 * SCENE_MARGIN)
        frame = 2 * self.frameWidth()
        width = self.width() - frame
        scale = min(1.0, max(MIN_SCALE, width / rect.width())) if width > 0 else 1.0
        if abs(scale - self.scale_factor) > 1e-3:
            self.setTransform(QTransform.fromScale(scale, scale))
        # Room for a horizontal scroll bar is kept whether or not it shows, so the height never see-saws.
        bar = self.horizontalScrollBar().sizeHint().height()
        content = int(rect.height() * scale) + frame + bar + 1
        one_row = int((BOX_HEIGHT + 2 * SCENE_MARGIN) * scale) + frame + bar + 1
        self.setMaximumHeight(content)
        self.setMinimumHeight(min(content, one_row))

    def _show_stage_in_hand(self, views: Sequence[StageView]) -> None:
        """Scroll the first stage being worked (or late) into view once, when it changes."""
        active = (StageStatus.OPEN, StageStatus.WARNING, StageStatus.LATE)
        in_hand = next((v.code for v in views if v.status in active), None)
        if in_hand != self._in_hand and in_hand in self.boxes:
            self.ensureVisible(self.boxes[in_hand], 40, 10)
        self._in_hand = in_hand

    def _status_text(self, view: StageView) -> str:
        """The task's state in the words the table uses (domain.states), and how its clock stands."""
        lang = current_language()
        if view.task is not None:
            text = labels.state_name("stage_task", view.task.state, lang)
        elif view.status is StageStatus.BLOCKED:
            return self.tr("等待前置环节")
        else:  # may start, the server has yet to open its task
            text = labels.state_name("stage_task", STAGE_TASK.initial, lang)
        clock = {StageStatus.WARNING: self.tr("预警"), StageStatus.LATE: self.tr("超时")}.get(view.status)
        return f"{text}（{clock}）" if clock else text

    def _lines(self, view: StageView) -> list[str]:
        lang = current_language()
        lines = [view.name(lang), f"{labels.department_name(view.department, lang)} · {self._status_text(view)}"]
        task = view.task
        if task is not None and task.state == "done" and task.completed_at is not None:
            lines.append(self.tr("完成于 %1").replace("%1", labels.local_time(task.completed_at)))
        elif view.waiting_on and view.waited is not None:
            departments = "、".join(labels.department_name(d, lang) for d in view.waiting_on)
            lines.append(self.tr("等%1 %2").replace("%1", departments).replace("%2", format_duration(view.waited, lang)))
        elif task is not None and task.due_at is not None:
            lines.append(self.tr("时限 %1").replace("%1", labels.local_time(task.due_at)))
        return lines

    def _tooltip(self, view: StageView) -> str:
        parts = [view.name(current_language()), self._status_text(view)]
        if view.waited is not None:
            parts.append(self.tr("已等待 %1").replace("%1", format_duration(view.waited, current_language())))
        if view.task is not None and view.task.reason:
            parts.append(self.tr("原因：%1").replace("%1", view.task.reason))
        return plain_tooltip("\n".join(parts))  # the reason is what a person typed


def _arrow(source: QRectF, target: QRectF) -> QGraphicsPathItem:
    start = QPointF(source.right(), source.center().y())
    end = QPointF(target.left(), target.center().y())
    path = QPainterPath(start)
    middle = (start.x() + end.x()) / 2
    path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
    head = QPolygonF([end, QPointF(end.x() - 8, end.y() - 4), QPointF(end.x() - 8, end.y() + 4), end])
    path.addPolygon(head)
    item = QGraphicsPathItem(path)
    item.setPen(QPen(QColor("#607d8b"), 1.2, Qt.PenStyle.SolidLine))
    return item
