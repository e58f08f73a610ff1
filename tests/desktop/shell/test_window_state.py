"""The main window comes back where and how big it was."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.main_window import Area, MainWindow
from desktop.settings import Settings
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def make_window(qtbot: QtBot) -> MainWindow:
    settings = Settings()
    window = MainWindow(settings, ActionRegistry(settings), [Area("tickets", "工单协同", lambda: QWidget())], "王 · clerk")
    qtbot.addWidget(window)
    return window


def test_first_start_uses_the_default_size(qtbot: QtBot) -> None:
    assert make_window(qtbot).size().toTuple() == (1280, 800)


def test_size_and_position_are_restored_on_the_next_start(qtbot: QtBot) -> None:
    first = make_window(qtbot)
    first.show()
    qtbot.waitExposed(first)
    first.resize(640, 500)  # the offscreen screen is 800x800; larger is clamped
    first.move(40, 30)
    qtbot.waitUntil(lambda: first.size().toTuple() == (640, 500))
    first.close()
    assert Settings().get("window/geometry")

    second = make_window(qtbot)
    second.show()
    qtbot.waitExposed(second)
    assert second.size().toTuple() == (640, 500)
    assert second.pos().toTuple() == first.pos().toTuple()
