"""Inactivity lock: after `security/lock_minutes` without keyboard or mouse input the main window is
covered and its customer data hidden until the signed-in staff member types their password again.

The password is checked against the slow hash kept from their last online login, so unlocking works
offline; too many wrong tries sign the desk out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop.operations import Operation, report_failure

MAX_TRIES = 5
CHECK_EVERY_MS = 15_000
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
})


class InactivityWatch(QObject):
    """Application-wide event filter: `idle` fires once `minutes()` pass with no input."""

    idle = Signal()

    def __init__(
        self,
        minutes: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        timer: QTimer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._minutes = minutes
        self._clock = clock
        self.last_input = clock()
        self.paused = False
        self.timer = timer if timer is not None else QTimer(self)
        if timer is None:
            self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.last_input = self._clock()
        return False

    def check(self) -> None:
        if self.paused:
            return
        if self._clock() - self.last_input >= self._minutes() * 60:
            self.idle.emit()

    def restart(self) -> None:
        self.last_input = self._clock()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockScreen(QWidget):
    """Covers the main window: who is signed in, a password field, and how many tries are left."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, staff_line: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        title = QLabel(self.tr("桌面已锁定"), self)
        title.setObjectName("lockTitle")
        font = title.font()
        font.setPointSize(font.pointSize() + 6)
        title.setFont(font)
        who = QLabel(self.tr("当前登录：%1。请输入密码解锁。").replace("%1", staff_line), self)
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPassword")
        self.password.setAccessibleName(self.tr("密码"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(320)
        self.password.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton(self.tr("解锁(&U)"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self._submit)
        self.sign_out = QPushButton(self.tr("退出登录，换人使用(&O)"), self)
        self.sign_out.setObjectName("lockSignOut")
        self.sign_out.setFlat(True)
        self.sign_out.clicked.connect(self.sign_out_requested)
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, who, self.password, self.unlock_button, self.error, self.sign_out):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _submit(self) -> None:
        password = self.password.text()
        if not password:
            self.error.setText(self.tr("请输入密码。"))
            return
        self.set_busy(True)
        self.unlock_requested.emit(password)

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def refuse(self, tries_left: int) -> None:
        self.set_busy(False)
        self.password.clear()
        self.error.setText(self.tr("密码不正确，还可尝试 %n 次。", "", tries_left))
        self.password.setFocus()


class DeskLock(QObject):
    """Locks `window` on inactivity or on demand; `verify(password)` is blocking (argon2), run off the GUI thread."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        staff_line: str,
        verify: Callable[[str], bool],
        sign_out: Callable[[], object],
        minutes: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        timer: QTimer | None = None,
        max_tries: int = MAX_TRIES,
        on_lock: Callable[[bool], object] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._staff_line = staff_line
        self._verify = verify
        self._sign_out = sign_out
        self._max_tries = max_tries
        self._on_lock = on_lock
        self.wrong_tries = 0
        self.screen: LockScreen | None = None
        self._hidden: list[QWidget] = []
        self.watch = InactivityWatch(minutes, clock=clock, timer=timer, parent=self)
        self.watch.idle.connect(self.lock)
        window.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> None:
        if self.locked:
            return
        self.watch.paused = True
        # Everything that may show customer data goes out of sight: the central area and open dialogs.
        self._hidden = [
            widget for widget in QApplication.topLevelWidgets()
            if widget is not self.window and widget.isVisible() and widget.isWindow()
            and widget.windowType() in (Qt.WindowType.Dialog, Qt.WindowType.Window)
        ]
        for widget in self._hidden:
            widget.hide()
        central = self.window.centralWidget()
        if central is not None:
            central.hide()
        self.screen = LockScreen(self._staff_line, self.window)
        self.screen.unlock_requested.connect(self._try)
        self.screen.sign_out_requested.connect(self._sign_out)
        self.screen.setGeometry(self.window.rect())
        self.screen.show()
        self.screen.raise_()
        self.screen.password.setFocus()
        if self._on_lock is not None:
            self._on_lock(True)
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if self.screen is None:
            return
        screen, self.screen = self.screen, None
        screen.hide()
        screen.deleteLater()
        central = self.window.centralWidget()
        if central is not None:
            central.show()
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden = []
        self.wrong_tries = 0
        self.watch.restart()
        self.watch.paused = False
        if self._on_lock is not None:
            self._on_lock(False)
        self.locked_changed.emit(False)

    def _try(self, password: str) -> None:
        verify = self._verify
        Operation(self, lambda: verify(password)).success(self._checked).failure(self._check_failed).run()

    def _checked(self, ok: bool) -> None:
        if self.screen is None:
            return
        if ok:
            self.unlock()
            return
        self.wrong_tries += 1
        if self.wrong_tries >= self._max_tries:
            self.screen.set_busy(True)
            self.screen.error.setText(self.tr("密码错误次数过多，已退出登录。"))
            self._sign_out()
            return
        self.screen.refuse(self._max_tries - self.wrong_tries)

    def _check_failed(self, exc: BaseException) -> None:
        report_failure(exc)
        if self.screen is not None:
            self.screen.refuse(self._max_tries - self.wrong_tries)

    def stop(self) -> None:
        self.watch.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.screen is not None:
            self.screen.setGeometry(self.window.rect())
        return False
