"""The monitor's charts, drawn with pyqtgraph (docs/efficiency-desk.md says why): the on-time trend and the
department ranking bars. A double-click on a bar or a point says which one (`activated`)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

ON_TIME_COLOUR = QColor("#1565c0")
SCORE_COLOUR = QColor("#2e7d32")
MISSING_COLOUR = QColor("#bdbdbd")


class _Chart(QWidget):
    """A titled plot whose double-clicks name the nearest category (`activated(index)`)."""

    activated = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(self)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.title = title
        self.plot.setTitle(html.escape(title), size="11pt")
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.labels: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def _clicked(self, event: object) -> None:
        if not getattr(event, "double", lambda: False)():
            return
        view = self.plot.getPlotItem().vb
        point: QPointF = view.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        index = self.index_at(point.x())
        if index is not None:
            self.activated.emit(index)

    def index_at(self, x: float) -> int | None:
        index = round(x)
        return index if 0 <= index < len(self.labels) and abs(x - index) <= 0.5 else None

    def _axis(self, labels: Sequence[str], every: int = 1) -> None:
        self.labels = list(labels)
        ticks = [(i, text) for i, text in enumerate(labels) if i % every == 0 or i == len(labels) - 1]
        axis = self.plot.getAxis("bottom")
        axis.setTicks([ticks])
        font = QFont()
        font.setPointSize(8)
        axis.setStyle(tickFont=font)


class TrendChart(_Chart):
    """On-time rate (%) per day (or week) of the period; a gap where nothing closed with a deadline."""

    def show_points(self, labels: Sequence[str], values: Sequence[float | None]) -> None:
        self.plot.clear()
        self.values = list(values)
        every = max(1, len(labels) // 10)
        self._axis(labels, every)
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [float(v) * 100 for v in values if v is not None]
        if xs:
            # connect="finite" leaves the gaps open: a day without a closing is not a day at 0 %.
            full = [float(v) * 100 if v is not None else float("nan") for v in values]
            self.plot.plot(list(range(len(values))), full, pen=pg.mkPen(ON_TIME_COLOUR, width=2), connect="finite")
            self.plot.plot(xs, ys, pen=None, symbol="o", symbolSize=6, symbolBrush=ON_TIME_COLOUR)
        self.plot.setYRange(0, 100, padding=0.05)
        self.plot.setXRange(-0.5, max(0, len(labels) - 1) + 0.5, padding=0)


class DepartmentBars(_Chart):
    """Two bars per department: on-time rate (%) and the multi-party score (out of 5, shown ×20 on the
    same 0–100 axis, its own figure in the tooltip and the table)."""

    def show_bars(self, labels: Sequence[str], on_time: Sequence[float | None], scores: Sequence[float | None],
                  legend: tuple[str, str]) -> None:
        self.plot.clear()
        self._axis(labels)
        self.on_time, self.scores = list(on_time), list(scores)
        xs = list(range(len(labels)))
        rates = [float(v) * 100 if v is not None else 0.0 for v in on_time]
        rated = [float(v) * 20 if v is not None else 0.0 for v in scores]
        first = pg.BarGraphItem(x=[x - 0.18 for x in xs], height=rates, width=0.34, brush=ON_TIME_COLOUR,
                                pen=pg.mkPen(None))
        second = pg.BarGraphItem(x=[x + 0.18 for x in xs], height=rated, width=0.34, brush=SCORE_COLOUR,
                                 pen=pg.mkPen(None))
        self.plot.addItem(first)
        self.plot.addItem(second)
        # The legend is the title's second line (a legend box inside the plot covers the bars).
        key = "".join(f'<span style="color:{colour.name()}">■</span> {html.escape(text)}&nbsp;&nbsp;'
                      for colour, text in ((ON_TIME_COLOUR, legend[0]), (SCORE_COLOUR, legend[1])))
        self.plot.setTitle(f"{html.escape(self.title)}<br><span style='font-size:9pt'>{key}</span>", size="11pt")
        self.plot.setYRange(0, 100, padding=0.05)
        self.plot.setXRange(-0.6, max(0, len(labels) - 1) + 0.6, padding=0)
