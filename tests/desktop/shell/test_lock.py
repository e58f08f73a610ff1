"""Inactivity lock: covers the window after the idle minutes, unlocks with the password, signs out after 5 misses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.lock import DeskLock
from desktop.main_window import Area, MainWindow
from desktop.offline_login import password_matches, remember_online_login
from desktop.settings import Settings
from local_store import Store
from tests.desktop.shell.conftest import NOW, fast_hasher
from tests.desktop.support import OFFSCREEN_NOISE, drain

pytestmark = OFFSCREEN_NOISE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


class Desk:
    """What the lock needs from the desk: a window, a password check, a way to sign out."""

    def __init__(self, qtbot: QtBot, password: str = "secret") -> None:
        self.settings = Settings()
        self.settings.set("security/lock_minutes", 10)
        self.actions = ActionRegistry(self.settings)
        self.customer = QLabel("张伟 110101********1234")
        self.window = MainWindow(self.settings, self.actions, [Area("frontdesk", "前台受理", lambda: self.customer)],
                                 "王 · clerk")
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.clock = Clock()
        self.timer = QTimer()  # never started by the test: it "fires" when the test says so
        self.timer.setInterval(3_600_000)
        self.sign_outs = 0
        self.lock = DeskLock(
            self.window, "王 · clerk", verify=lambda typed: typed == password, sign_out=self.sign_out,
            minutes=lambda: self.settings.get("security/lock_minutes"), clock=self.clock, timer=self.timer,
            on_lock=lambda locked: self.actions.set_enabled(not locked),
        )
        self.actions.bind("session.lock", self.lock.lock)

    def sign_out(self) -> None:
        self.sign_outs += 1

    def tick(self) -> None:
        self.timer.timeout.emit()


@pytest.fixture
def desk(qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[Desk]:
    made = Desk(qtbot)
    yield made
    made.lock.stop()
    drain(qtbot, desk_loop)


def type_password(qtbot: QtBot, desk: Desk, password: str) -> None:
    assert desk.lock.screen is not None
    desk.lock.screen.password.setText(password)
    desk.lock.screen.unlock_button.click()


def test_locks_after_the_idle_minutes_and_hides_customer_data(qtbot: QtBot, desk: Desk) -> None:
    desk.clock.advance(9.9)
    desk.tick()
    assert not desk.lock.locked
    desk.clock.advance(0.2)
    desk.tick()
    assert desk.lock.locked
    screen = desk.window.findChild(QWidget, "lockScreen")
    assert screen is not None and screen.isVisible()
    assert screen.geometry() == desk.window.rect()
    assert desk.window.centralWidget().isHidden() and not desk.customer.isVisible()
    assert not desk.actions.action("frontdesk.search").isEnabled()


def test_keyboard_and_mouse_input_postpone_the_lock(qtbot: QtBot, desk: Desk) -> None:
    desk.clock.advance(9)
    QApplication.sendEvent(desk.customer, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier))
    desk.clock.advance(9)
    desk.tick()
    assert not desk.lock.locked
    QApplication.sendEvent(desk.customer, QMouseEvent(
        QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1), Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    desk.clock.advance(9)
    desk.tick()
    assert not desk.lock.locked
    desk.clock.advance(1)
    desk.tick()
    assert desk.lock.locked


def test_lock_minutes_follow_the_setting(qtbot: QtBot, desk: Desk) -> None:
    desk.settings.set("security/lock_minutes", 2)
    desk.clock.advance(2)
    desk.tick()
    assert desk.lock.locked


def test_ctrl_l_locks_at_once(qtbot: QtBot, desk: Desk) -> None:
    desk.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window)
    qtbot.keyClick(desk.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert desk.lock.locked


def test_right_password_unlocks(qtbot: QtBot, desk: Desk) -> None:
    dialog = QDialog(desk.window)
    dialog.show()
    desk.lock.lock()
    assert dialog.isHidden()  # an open dialog may show customer data too
    type_password(qtbot, desk, "wrong")
    qtbot.waitUntil(lambda: "还可尝试 4 次" in desk.lock.screen.error.text())
    type_password(qtbot, desk, "secret")
    qtbot.waitUntil(lambda: not desk.lock.locked)
    assert desk.window.findChild(QWidget, "lockScreen") is None or not desk.window.findChild(
        QWidget, "lockScreen").isVisible()
    assert desk.customer.isVisible() and dialog.isVisible()
    assert desk.actions.action("frontdesk.search").isEnabled()
    assert desk.sign_outs == 0
    dialog.close()


def test_five_wrong_tries_sign_out(qtbot: QtBot, desk: Desk) -> None:
    desk.lock.lock()
    for attempt in range(1, 5):
        type_password(qtbot, desk, f"guess{attempt}")
        qtbot.waitUntil(lambda attempt=attempt: desk.lock.wrong_tries == attempt
                        and desk.lock.screen.unlock_button.isEnabled())
    assert desk.sign_outs == 0
    type_password(qtbot, desk, "guess5")
    qtbot.waitUntil(lambda: desk.sign_outs == 1)
    assert desk.lock.locked  # nothing shows again on the way out
    assert "已退出登录" in desk.lock.screen.error.text()


def test_unlock_checks_the_hash_kept_from_the_online_login(store: Store) -> None:
    """The desk's real check works offline: the slow hash from the last online login, not the server."""
    hasher = fast_hasher()
    remember_online_login(store, "clerk1", "demo1234", {"username": "clerk1"}, ["office:o"], now=NOW, hasher=hasher)
    assert password_matches(store, "clerk1", "demo1234", hasher=hasher)
    assert not password_matches(store, "clerk1", "demo12345", hasher=hasher)
    assert not password_matches(store, "someone", "demo1234", hasher=hasher)
