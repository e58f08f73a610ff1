"""Free-text fields stop at the domain's limit and show how near they are ("12/200")."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.display import text_counter
from desktop.tickets.task_dialogs import ReasonDialog
from domain.bounds import text_limit


def test_line_edit_stops_at_the_limit(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    edit = QLineEdit(parent)
    counter = text_counter(edit, 10, parent)
    assert counter.text() == "0/10"
    edit.setText("长" * 25)
    assert edit.text() == "长" * 10 and counter.text() == "10/10"


def test_plain_text_edit_drops_what_is_pasted_beyond_the_limit(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    edit = QPlainTextEdit(parent)
    counter = text_counter(edit, 20, parent)
    edit.setPlainText("退回原因" * 10)
    assert len(edit.toPlainText()) == 20 and counter.text() == "20/20"
    edit.setPlainText("短")
    assert counter.text() == "1/20"


def test_a_reason_has_its_counter(qtbot: QtBot) -> None:
    dialog = ReasonDialog("退回")
    qtbot.addWidget(dialog)
    counter = dialog.findChild(QWidget, "reasonCounter")
    assert counter is not None and counter.text() == f"0/{text_limit('transition.reason')}"
    dialog.reason.setPlainText("x" * 2000)
    assert len(dialog.reason.toPlainText()) == text_limit("transition.reason")
