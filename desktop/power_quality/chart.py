"""A point's trend drawn with pyqtgraph (as the efficiency monitor's charts): per slice of the period the mean
as a line and the lowest–highest as a band, the limits as dashed lines labelled with their standard, the time
axis in the office's zone."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.power_quality.data import LimitLine
from domain.sla import OFFICE_ZONE

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

MEAN_COLOUR = QColor("#1565c0")
BAND_COLOUR = QColor(21, 101, 192, 50)
LIMIT_COLOUR = QColor("#c62828")
PROVISIONAL_COLOUR = QColor("#b26a00")


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        offset = datetime.now(OFFICE_ZONE).utcoffset()  # pyqtgraph counts seconds west of UTC
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=-offset.total_seconds() if offset is not None else None)
        self.plot = pg.PlotWidget(self, axisItems={"bottom": axis})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setMouseEnabled(x=True, y=False)
        self.limit_values: list[float] = []  # what is drawn, for tests and the accessible description
        self.points = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_series(self, title: str, starts: Sequence[datetime],
                    series: Sequence[tuple[float | None, float | None, float | None]], lines: Sequence[LimitLine],
                    period: tuple[datetime, datetime]) -> None:
        """`title` names the figure and its unit; `series`: per slice (lowest, highest, mean); a slice without
        data is a gap, not a zero."""
        self.plot.clear()
        self.plot.setTitle(html.escape(title), size="11pt")
        xs = [moment.timestamp() for moment in starts]
        mean = [v[2] if v[2] is not None else math.nan for v in series]
        low = [v[0] if v[0] is not None else math.nan for v in series]
        high = [v[1] if v[1] is not None else math.nan for v in series]
        self.points = sum(1 for v in mean if not math.isnan(v))
        if xs:
            lower = self.plot.plot(xs, low, pen=pg.mkPen(BAND_COLOUR, width=1), connect="finite")
            upper = self.plot.plot(xs, high, pen=pg.mkPen(BAND_COLOUR, width=1), connect="finite")
            if len(xs) > 1:
                self.plot.addItem(pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(BAND_COLOUR)))
            self.plot.plot(xs, mean, pen=pg.mkPen(MEAN_COLOUR, width=2), connect="finite")
        self.limit_values = [line.value for line in lines]
        for line in lines:
            colour = PROVISIONAL_COLOUR if line.provisional else LIMIT_COLOUR
            item = pg.InfiniteLine(pos=line.value, angle=0, movable=False,
                                   pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                                   label=line.label, labelOpts={"position": 0.02, "color": colour, "anchors":
                                                                [(0, 1), (0, 1)]})
            self.plot.addItem(item)
        values = [v for v in low + high if not math.isnan(v)] + self.limit_values
        if values:
            top, bottom = max(values), min(values)
            pad = max((top - bottom) * 0.12, abs(top) * 0.05, 0.05)
            self.plot.setYRange(bottom - pad, top + pad, padding=0)
        self.plot.setXRange(period[0].timestamp(), period[1].timestamp(), padding=0.01)
