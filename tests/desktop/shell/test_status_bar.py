"""The sync corner of the status bar: staff names it quotes are plain text, in the bar and its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from desktop.status_bar import SyncStatusWidget


def test_a_staff_name_that_looks_like_markup_is_shown_as_typed(qtbot: QtBot) -> None:
    bar = SyncStatusWidget()
    qtbot.addWidget(bar)
    name = '<a href="http://x.example">请立即回电</a><h1>李</h1>'
    bar.show_waiting([(name, 2), ("王五", 1), ("赵六", 3)])
    assert bar.waiting.textFormat() == Qt.TextFormat.PlainText
    shown = QTextDocument()
    shown.setHtml(bar.waiting.toolTip())  # a tooltip is rich text when it looks like it: what a person reads
    assert name in shown.toPlainText()
    assert "赵六" in shown.toPlainText()
