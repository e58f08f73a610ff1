"""Showing what people typed, safely: always as plain text, never wider than the window, dates one way.

A QLabel (and a tooltip, and a message box) guesses "rich text" when a string looks like HTML, so a
customer's app summary `<h1>请立即回电</h1><a href=…>` would render as a heading and a link on every
desk. A label also asks for its whole text's width, so one 5,000-character summary widens the main
window past the screen. Every widget that shows user data goes through this module instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QTextCursor, QTextLayout, QTextOption
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QDateEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QWidget,
)

from domain.records import Staff
from domain.roles import Role
from domain.sla import OFFICE_ZONE

TOOLTIP_MAX_CHARS = 600
"""A tooltip shows this much of a long text (the rest is elided); enough for any summary a clerk reads."""
CELL_MAX_CHARS = 120
"""A table cell shows this much of a long text on one line, so one summary cannot make a column miles wide."""
LABEL_MAX_WIDTH_CHARS = 60
"""Widest a label asks to be, in average characters; wider text is elided (the full text in its tooltip)."""


# ---- dates and times: one format, one zone (the office's) ------------------------------------------

def _office(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(OFFICE_ZONE)


def date_text(day: date | datetime | None) -> str:
    """2026-12-07 (a moment is read in the office's zone)."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = _office(day).date()
    return day.isoformat()


def datetime_text(moment: datetime | None) -> str:
    """2026-12-07 09:30 in the office's zone."""
    if moment is None:
        return ""
    return _office(moment).strftime("%Y-%m-%d %H:%M")


def time_text(moment: datetime | None, *, seconds: bool = False) -> str:
    """09:30 (or 09:30:15) in the office's zone."""
    if moment is None:
        return ""
    return _office(moment).strftime("%H:%M:%S" if seconds else "%H:%M")


DATE_FORMAT = "yyyy-MM-dd"
"""The one way a date reads on every screen, picker included (Qt's zh_CN default would be 2026/12/7)."""


def date_edit(parent: QWidget | None, *, minimum: date | None = None) -> QDateEdit:
    """A date field with a calendar to pick from, reading 2026-12-07; nothing before `minimum` can be chosen."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    if minimum is not None:
        edit.setMinimumDate(QDate(minimum.year, minimum.month, minimum.day))
    return edit


def staff_line(staff: Staff, lang: str = "zh") -> str:
    """Who is signed in, as the window title and lock screen say it: their own full name and role, in words."""
    try:
        role = Role(staff.role).label(lang)
    except ValueError:
        role = staff.role
    return f"{staff.display_name} · {role}"


# ---- plain text ---------------------------------------------------------------------------------------

def rated_text(score: dict[str, Any], part: str) -> str:
    """One part of a department's evaluation ("lead", "peer", "customer") as its mean and how many ratings
    it rests on — 4.50（12 条）— or "—" when nobody rated."""
    if score.get(part) is None:
        return "—"
    return QCoreApplication.translate("Display", "%1（%2 条）").replace(
        "%1", QLocale().toString(float(score[part]), "f", 2)).replace(
        "%2", QLocale().toString(int(score.get(f"{part}_count", 0))))


def plain_tooltip(text: str | None) -> str:
    """A tooltip that shows `text` literally (escaped), cut at TOOLTIP_MAX_CHARS."""
    if not text:
        return ""
    if len(text) > TOOLTIP_MAX_CHARS:
        text = text[:TOOLTIP_MAX_CHARS] + "…"
    return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def cell_text(text: str | None, limit: int = CELL_MAX_CHARS) -> str:
    """User text for one table cell: one line, at most `limit` characters (the tooltip has the rest)."""
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML (for fixed words that may carry user data)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_message_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(icon, title, "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def text_counter(edit: QLineEdit | QPlainTextEdit, limit: int, parent: QWidget | None = None) -> QLabel:
    """A "12/200" for a text field that stops at `limit` (the domain's limit for what it holds)."""
    counter = QLabel(parent)
    counter.setObjectName(f"{edit.objectName() or 'text'}Counter")
    counter.setTextFormat(Qt.TextFormat.PlainText)
    counter.setAccessibleName(QCoreApplication.translate("Display", "已输入字数"))

    def show(text: str) -> None:
        counter.setText(f"{len(text)}/{limit}")
        counter.setStyleSheet("color: #b00020;" if len(text) >= limit else "color: palette(mid);")

    if isinstance(edit, QLineEdit):
        edit.setMaxLength(limit)
        edit.textChanged.connect(show)
        show(edit.text())
        return counter

    def cut() -> None:  # QPlainTextEdit has no maximum: what is pasted beyond the limit is dropped
        text = edit.toPlainText()
        if len(text) > limit:
            edit.setPlainText(text[:limit])
            edit.moveCursor(QTextCursor.MoveOperation.End)
            return
        show(text)

    edit.textChanged.connect(cut)
    show(edit.toPlainText())
    return counter


class ElidedLabel(QLabel):
    """Plain text that fits the room it is given: up to `lines` wrapped lines, the last one elided with "…".

    `text()` keeps the whole text (tests, accessibility, copy); the size it asks for is bounded, so no
    value can widen the window; the full text (shortened) is in the tooltip when it does not fit.
    `elide=False` is for identifiers (ticket numbers): never cut, their full width is the minimum.
    """

    def __init__(self, parent: QWidget | None = None, *, lines: int = 1, elide: bool = True,
                 max_width_chars: int = LABEL_MAX_WIDTH_CHARS) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._lines = max(1, lines)
        self._elide = elide
        self._max_width_chars = max_width_chars
        if elide:
            self.setSizePolicy(QSizePolicy.Policy.Ignored if lines == 1 else QSizePolicy.Policy.Preferred,
                               QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._update_tooltip()
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.setText("")

    def _cap(self) -> int:
        return QFontMetrics(self.font()).averageCharWidth() * self._max_width_chars

    def _text_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max((metrics.horizontalAdvance(line) for line in self.text().split("\n")), default=0)

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        margins = self.contentsMargins()
        width = self._text_width() if not self._elide else min(self._text_width(), self._cap())
        height = metrics.lineSpacing() * self._visible_lines(width)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        if not self._elide:
            return self.sizeHint()
        metrics = QFontMetrics(self.font())
        margins = self.contentsMargins()
        return QSize(metrics.horizontalAdvance("…") * 3 + margins.left() + margins.right(),
                     metrics.lineSpacing() + margins.top() + margins.bottom())

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return self._elide and self._lines > 1

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right())
        return QFontMetrics(self.font()).lineSpacing() * self._visible_lines(inner) + margins.top() + margins.bottom()

    def _layout_lines(self, width: int) -> list[str]:
        """The text wrapped at `width` (anywhere, so a long URL wraps too), paragraph by paragraph."""
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        out: list[str] = []
        for paragraph in self.text().split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(max(1, width))
                out.append(paragraph[line.textStart():line.textStart() + line.textLength()].rstrip("\n"))
                if len(out) > self._lines:
                    break
            layout.endLayout()
            if len(out) > self._lines:
                break
        return out

    def _visible_lines(self, width: int) -> int:
        if self._lines == 1 or not self.text():
            return 1
        return max(1, min(self._lines, len(self._layout_lines(width))))

    def _shown_lines(self, width: int) -> tuple[list[str], bool]:
        """The lines painted at `width` and whether anything was cut."""
        metrics = QFontMetrics(self.font())
        if self._lines == 1:
            flat = " ".join(self.text().split("\n"))
            shown = metrics.elidedText(flat, Qt.TextElideMode.ElideRight, width)
            return [shown], shown != self.text()
        lines = self._layout_lines(width)
        cut = len(lines) > self._lines
        lines = lines[:self._lines]
        if cut and lines:
            lines[-1] = metrics.elidedText(lines[-1] + "…………", Qt.TextElideMode.ElideRight, width)
        return lines, cut

    def is_elided(self) -> bool:
        return self._elide and self._shown_lines(self.contentsRect().width())[1]

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(plain_tooltip(self.text()) if self._elide and self.is_elided() else "")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self._elide:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        rect = self.contentsRect()
        lines, _cut = self._shown_lines(rect.width())
        spacing = QFontMetrics(self.font()).lineSpacing()
        top = rect.top()
        if len(lines) == 1:
            top = rect.top() + max(0, (rect.height() - spacing) // 2)
        for line in lines:
            line_rect = rect.adjusted(0, top - rect.top(), 0, 0)
            line_rect.setHeight(spacing)
            self.style().drawItemText(painter, line_rect, int(self.alignment()) | int(Qt.TextFlag.TextSingleLine),
                                      self.palette(), self.isEnabled(), line, self.foregroundRole())
            top += spacing
        painter.end()
