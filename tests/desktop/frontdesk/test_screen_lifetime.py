"""Sign-out drops the front desk: its timers stop (a pending search, the card's deadline countdown)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import open_card

pytestmark = OFFSCREEN_NOISE


def test_shutdown_stops_the_screens_timers(qtbot: QtBot, desk: FrontDesk) -> None:
    open_card(qtbot, desk)  # the card's deadline countdown runs
    desk.search.model.search("张")  # a search waits for the typing to pause
    assert sum(timer.isActive() for timer in desk.findChildren(QTimer)) >= 2

    desk.shutdown()

    assert not any(timer.isActive() for timer in desk.findChildren(QTimer))
