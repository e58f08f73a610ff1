"""Surveyors' day on one timeline: a row per surveyor with shifts, leave, bookings, the drive before each, capacity.

Painted by hand (one widget, hundreds of blocks). Surveys dropped here, or moved with the keyboard, are only
*requested* through signals: the board decides, with the domain's hard rules, whether they are allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget

from desktop.dispatch.data import DispatchDay
from desktop.dispatch.queue_model import SURVEY_MIME
from domain.dispatch import Assignment, Surveyor
from domain.dispatch.itinerary import leg_to, own_assignments, shift_covering
from domain.sla import OFFICE_ZONE

ROW_HEIGHT = 34
LABEL_WIDTH = 150
FIRST_HOUR, LAST_HOUR = 7, 20
SNAP_MINUTES = 5
STEP_MINUTES = 15  # one arrow key press moves a booking this far
COLOURS = {"shift": QColor("#e8f5e9"), "leave": QColor("#d6d6d6"), "job": QColor("#4a78c2"),
           "selected": QColor("#f0a030"), "travel": QColor("#f3b562"), "locked": QColor("#fbe3e3"),
           "conflict": QColor("#c62828"), "now": QColor("#d32f2f")}
NOW_REPAINT_MS = 60_000  # the "now" line moves a pixel or so a minute


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


# What each colour means, in the order the legend shows them (translated where shown).
LEGEND: tuple[tuple[str, str], ...] = (
    ("shift", QT_TRANSLATE_NOOP("TimelineLegend", "当班")),
    ("leave", QT_TRANSLATE_NOOP("TimelineLegend", "请假")),
    ("job", QT_TRANSLATE_NOOP("TimelineLegend", "已派勘查")),
    ("travel", QT_TRANSLATE_NOOP("TimelineLegend", "路上")),
    ("selected", QT_TRANSLATE_NOOP("TimelineLegend", "选中")),
    ("conflict", QT_TRANSLATE_NOOP("TimelineLegend", "被退回，待处理")),
    ("locked", QT_TRANSLATE_NOOP("TimelineLegend", "自动派工中")),
    ("now", QT_TRANSLATE_NOOP("TimelineLegend", "现在")),
)


@dataclass(frozen=True)
class Block:
    assignment: Assignment
    rect: QRect


class SurveyorTimeline(QWidget):
    dropped = Signal(str, str, object)  # request id, surveyor id, start (aware datetime)
    assignHere = Signal(str)  # Enter on a surveyor: book the selected survey at their earliest slot
    moveRequested = Signal(str, str, object)  # request id, surveyor id, new start
    assignmentSelected = Signal(str)
    currentSurveyorChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyorTimeline")
        self._clock = clock
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(NOW_REPAINT_MS)
        self._now_timer.timeout.connect(self.update)
        if clock is not None:
            self._now_timer.start()
        self.setAccessibleName(self.tr("勘查员日程"))
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self._day: DispatchDay | None = None
        self._current = 0
        self._selected: str | None = None
        self._locked: frozenset[str] = frozenset()
        self._press: tuple[QPoint, str] | None = None

    # ---- state --------------------------------------------------------------------------------

    def set_day(self, day: DispatchDay) -> None:
        self._day = day
        self._current = min(self._current, max(0, len(day.surveyors) - 1))
        if self._selected is not None and all(a.request_id != self._selected for a in day.assignments):
            self._selected = None
        self.updateGeometry()
        self.update()

    def set_locked(self, surveyor_ids: frozenset[str]) -> None:
        self._locked = surveyor_ids
        self.update()

    @property
    def surveyors(self) -> tuple[Surveyor, ...]:
        return self._day.surveyors if self._day is not None else ()

    def current_surveyor(self) -> Surveyor | None:
        crew = self.surveyors
        return crew[self._current] if 0 <= self._current < len(crew) else None

    def set_current_surveyor(self, surveyor_id: str) -> None:
        index = next((n for n, s in enumerate(self.surveyors) if s.id == surveyor_id), None)
        if index is not None:
            self._current = index
            self.currentSurveyorChanged.emit(surveyor_id)
            self.update()

    def selected_assignment(self) -> Assignment | None:
        if self._day is None or self._selected is None:
            return None
        return next((a for a in self._day.assignments if a.request_id == self._selected), None)

    def select_assignment(self, request_id: str | None) -> None:
        self._selected = request_id
        if request_id is not None:
            self.assignmentSelected.emit(request_id)
        self.update()

    # ---- geometry -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 13 * 60, ROW_HEIGHT * (len(self.surveyors) + 1))

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 300, ROW_HEIGHT * 2)

    def _origin(self) -> datetime:
        assert self._day is not None
        return datetime.combine(self._day.day, time(FIRST_HOUR), OFFICE_ZONE)

    def _per_minute(self) -> float:
        return max(1.0, self.width() - LABEL_WIDTH) / ((LAST_HOUR - FIRST_HOUR) * 60)

    def x_of(self, moment: datetime) -> int:
        minutes = (moment - self._origin()) / timedelta(minutes=1)
        return LABEL_WIDTH + round(minutes * self._per_minute())

    def moment_at(self, x: int) -> datetime:
        minutes = (x - LABEL_WIDTH) / self._per_minute()
        snapped = round(minutes / SNAP_MINUTES) * SNAP_MINUTES
        return self._origin() + timedelta(minutes=max(0, snapped))

    def row_at(self, y: int) -> int:
        return y // ROW_HEIGHT - 1

    def point_for(self, surveyor_id: str, moment: datetime) -> QPoint:
        """Where in the widget a survey for this surveyor at this moment would be dropped (tests and keyboard)."""
        row = next(n for n, s in enumerate(self.surveyors) if s.id == surveyor_id)
        return QPoint(self.x_of(moment) + 1, (row + 1) * ROW_HEIGHT + ROW_HEIGHT // 2)

    def _rect(self, row: int, start: datetime, end: datetime, inset: int = 4) -> QRect:
        left, right = self.x_of(start), self.x_of(end)
        return QRect(left, (row + 1) * ROW_HEIGHT + inset, max(2, right - left), ROW_HEIGHT - 2 * inset)

    def now_x(self) -> int | None:
        """Where the "now" line is drawn, or None when now is not on the day shown."""
        if self._clock is None or self._day is None:
            return None
        now = self._clock()
        if not self._origin() <= now <= self._origin() + timedelta(hours=LAST_HOUR - FIRST_HOUR):
            return None
        return self.x_of(now)

    def conflicted(self) -> frozenset[str]:
        """Bookings the server sent back (in the conflicts panel), drawn in the conflict colour."""
        if self._day is None:
            return frozenset()
        return frozenset(c.mutation.entity_id for c in self._day.conflicts)

    def blocks(self) -> list[Block]:
        if self._day is None:
            return []
        rows = {s.id: n for n, s in enumerate(self.surveyors)}
        return [Block(a, self._rect(rows[a.surveyor_id], a.start, a.end))
                for a in self._day.assignments if a.surveyor_id in rows]

    # ---- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if self._day is None:
            return
        day_end = self._origin() + timedelta(hours=LAST_HOUR - FIRST_HOUR)
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            x = self.x_of(self._origin() + timedelta(hours=hour - FIRST_HOUR))
            painter.setPen(QColor("#c8c8c8"))
            painter.drawLine(x, ROW_HEIGHT - 6, x, self.height())
            painter.setPen(self.palette().text().color())
            painter.drawText(x + 2, ROW_HEIGHT - 10, f"{hour:02d}:00")
        for row, surveyor in enumerate(self.surveyors):
            top = (row + 1) * ROW_HEIGHT
            if surveyor.id in self._locked:
                painter.fillRect(QRect(0, top, self.width(), ROW_HEIGHT), COLOURS["locked"])
            if row == self._current:
                painter.fillRect(QRect(0, top, LABEL_WIDTH, ROW_HEIGHT), self.palette().highlight())
            for start, end in surveyor.shifts:
                if end > self._origin() and start < day_end:
                    painter.fillRect(self._rect(row, start, end, 2), COLOURS["shift"])
            for start, end in surveyor.leave:
                if end > self._origin() and start < day_end:
                    painter.fillRect(self._rect(row, start, end, 2), COLOURS["leave"])
            booked = [a for a in self._day.assignments if a.surveyor_id == surveyor.id]
            today = sum(1 for a in booked if a.start.astimezone(OFFICE_ZONE).date() == self._day.day)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRect(6, top, LABEL_WIDTH - 8, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                             f"{surveyor.name}  {today}/{surveyor.daily_capacity}")
            self._paint_jobs(painter, row, surveyor, booked)
        now = self.now_x()
        if now is not None:
            painter.setPen(QPen(COLOURS["now"], 2))
            painter.drawLine(now, ROW_HEIGHT - 6, now, self.height())
        painter.end()

    def _paint_jobs(self, painter: QPainter, row: int, surveyor: Surveyor, booked: list[Assignment]) -> None:
        assert self._day is not None
        conflicted = self.conflicted()
        for job in booked:
            shift = shift_covering(surveyor, job.start, job.end)
            if job.location is not None and shift is not None:
                mine = own_assignments(surveyor.id, booked, job.request_id).jobs
                leg = leg_to(surveyor, mine, shift, job.location, job.start)
                if leg.arrive > leg.depart:
                    gap = self._rect(row, job.start - (leg.arrive - leg.depart), job.start, 14)
                    painter.fillRect(gap, COLOURS["travel"])
            rect = self._rect(row, job.start, job.end)
            colour = (COLOURS["selected"] if job.request_id == self._selected
                      else COLOURS["conflict"] if job.request_id in conflicted else COLOURS["job"])
            painter.fillRect(rect, colour)
            painter.setPen(QColor("white"))
            request = self._day.requests.get(job.request_id)
            label = request.territory if request is not None else ""
            painter.drawText(rect.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, label)

    # ---- mouse: select and drag bookings; drops from the queue ------------------------------------

    def _block_at(self, point: QPoint) -> Block | None:
        return next((b for b in self.blocks() if b.rect.contains(point)), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        block = self._block_at(point)
        row = self.row_at(point.y())
        if 0 <= row < len(self.surveyors):
            self.set_current_surveyor(self.surveyors[row].id)
        self.select_assignment(block.assignment.request_id if block else None)
        self._press = (point, block.assignment.request_id) if block else None
        self.setFocus()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        start, request_id = self._press
        if (event.position().toPoint() - start).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        mime = QMimeData()
        mime.setData(SURVEY_MIME, QByteArray(request_id.encode()))
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(SURVEY_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(SURVEY_MIME) and 0 <= self.row_at(event.position().toPoint().y()) < len(self.surveyors):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        point = event.position().toPoint()
        row = self.row_at(point.y())
        if not event.mimeData().hasFormat(SURVEY_MIME) or not 0 <= row < len(self.surveyors) or point.x() < LABEL_WIDTH:
            event.ignore()
            return
        request_id = bytes(event.mimeData().data(SURVEY_MIME).data()).decode()
        event.acceptProposedAction()
        self.dropped.emit(request_id, self.surveyors[row].id, self.moment_at(point.x()))

    # ---- keyboard: Up/Down pick a surveyor, Enter books there, arrows move the selected booking ---

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        selected = self.selected_assignment()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self.current_surveyor()
            if current is not None:
                self.assignHere.emit(current.id)
            return
        if selected is not None and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = timedelta(minutes=STEP_MINUTES if key == Qt.Key.Key_Right else -STEP_MINUTES)
            self.moveRequested.emit(selected.request_id, selected.surveyor_id, selected.start + step)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            offset = -1 if key == Qt.Key.Key_Up else 1
            if selected is not None and mods & Qt.KeyboardModifier.ShiftModifier:
                rows = [s.id for s in self.surveyors]
                target = rows.index(selected.surveyor_id) + offset
                if 0 <= target < len(rows):
                    self.moveRequested.emit(selected.request_id, rows[target], selected.start)
                return
            target = self._current + offset
            if 0 <= target < len(self.surveyors):
                self.set_current_surveyor(self.surveyors[target].id)
            return
        super().keyPressEvent(event)

    def event_summary(self) -> dict[str, Any]:
        """What the widget shows, for tests and accessibility: rows and their bookings."""
        return {s.id: [a.request_id for a in (self._day.assignments if self._day else ()) if a.surveyor_id == s.id]
                for s in self.surveyors}


class TimelineLegend(QWidget):
    """What the timeline's colours mean, in one row above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self.setAccessibleName(self.tr("图例"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.entries: dict[str, QLabel] = {}
        for key, text in LEGEND:
            swatch = QLabel(self)
            swatch.setFixedSize(14, 3 if key == "now" else 14)
            swatch.setStyleSheet(f"background: {COLOURS[key].name()}; border: 1px solid #9e9e9e;")
            label = QLabel(self.tr(text), self)
            label.setObjectName(f"legend_{key}")
            self.entries[key] = label
            layout.addWidget(swatch)
            layout.addWidget(label)
            layout.addSpacing(8)
        layout.addStretch(1)
