"""The status bar's sync corner: online/offline, outbox size, last sync, conflicts waiting, signing in again,
and whose changes wait for their own session on this desk (docs/authorship.md)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.display import plain_tooltip, time_text


class SyncStatusWidget(QWidget):
    conflicts_clicked = Signal()
    sign_in_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName(self.tr("同步状态"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.connection = QLabel(self)
        self.connection.setObjectName("syncConnection")
        self.outbox = QLabel(self)
        self.last_sync = QLabel(self)
        self.sign_in = QPushButton(self.tr("重新登录以继续同步"), self)
        self.sign_in.setObjectName("signInAgain")
        self.sign_in.setFlat(True)
        self.sign_in.clicked.connect(self.sign_in_clicked)
        self.sign_in.hide()
        self.conflicts = QPushButton(self)
        self.conflicts.setObjectName("conflictsInbox")
        self.conflicts.setAccessibleName(self.tr("冲突收件箱"))
        self.conflicts.setFlat(True)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.waiting = QLabel(self)
        self.waiting.setObjectName("waitingAuthors")
        self.waiting.setTextFormat(Qt.TextFormat.PlainText)  # it quotes staff names
        self.waiting.hide()
        for widget in (self.connection, self.outbox, self.waiting, self.last_sync, self.sign_in, self.conflicts):
            layout.addWidget(widget)
        self.conflict_count = 0
        self.show_status(online=False, outbox=0, last_sync=None)
        self.show_conflicts(0)

    def show_status(
        self, *, online: bool, outbox: int, last_sync: datetime | None, auth_required: bool = False
    ) -> None:
        self.online = online
        self.connection.setText(self.tr("● 在线") if online else self.tr("○ 离线"))
        self.connection.setStyleSheet("color: #2e7d32;" if online else "color: #c62828;")
        self.outbox.setText(self.tr("待上传 %n 条", "", outbox))
        when = time_text(last_sync, seconds=True) if last_sync else self.tr("从未")  # the office's clock
        self.last_sync.setText(self.tr("上次同步 %1").replace("%1", when))
        self.sign_in.setVisible(auth_required)

    def show_conflicts(self, count: int) -> None:
        """Unresolved conflicts in the store's inbox (not just those since this run started)."""
        self.conflict_count = count
        self.conflicts.setText(self.tr("冲突 %n 条", "", count))
        self.conflicts.setEnabled(count > 0)

    def show_waiting(self, waiting: list[tuple[str, int]]) -> None:
        """Others' changes queued here, (who, count) each: they go out only when that person signs in here."""
        lines = [self.tr("%1 的 %n 条修改等其本人在本机登录后上传", "", count).replace("%1", who)
                 for who, count in waiting]
        shown = lines[:_WAITING_SHOWN]
        if len(lines) > len(shown):
            shown.append(self.tr("另有 %n 人", "", len(lines) - len(shown)))
        self.waiting.setText(" · ".join(shown))
        self.waiting.setToolTip(plain_tooltip("\n".join(lines)))  # names are typed by people: never markup
        self.waiting.setVisible(bool(lines))


_WAITING_SHOWN = 2  # authors named in the bar; the tooltip names them all
