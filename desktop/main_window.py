"""The main shell: navigation between the areas a role uses, the message bridge in the
status bar, the sync corner, and window state restored on the next start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop import messages
from desktop.actions import ActionRegistry
from desktop.display import ElidedLabel, plain_message_box
from desktop.settings import Settings
from desktop.status_bar import SyncStatusWidget


@dataclass(frozen=True)
class Area:
    id: str
    title: str  # already translated
    build: Callable[[], QWidget]


# How long a status-bar message stays (ms); an error stays until the next message or its time runs out too.
MESSAGE_MS = {"info": 8_000, "warning": 15_000, "error": 30_000}


class MainWindow(QMainWindow):
    """The areas in `areas` order, the first one shown (each role's own area comes first: Ctrl+1)."""

    def __init__(self, settings: Settings, actions: ActionRegistry, areas: list[Area], staff_line: str) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("一窗通 OneWindow") + " — " + staff_line)
        self._settings = settings
        self.actions_registry = actions

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("功能区"))
        self.navigation.setFixedWidth(120)
        self.stack = QStackedWidget(self)
        self.areas: dict[str, QWidget] = {}
        for area in areas:
            widget = area.build()
            self.areas[area.id] = widget
            self.stack.addWidget(widget)
            item = QListWidgetItem(area.title, self.navigation)
            item.setData(Qt.ItemDataRole.UserRole, area.id)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.navigation.setCurrentRow(0)

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.message_label = ElidedLabel(self)  # messages quote what people typed: plain, never widening
        self.message_label.setObjectName("statusMessage")
        self.sync_status = SyncStatusWidget(self)
        self.statusBar().addWidget(self.message_label, 1)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.message_ms = dict(MESSAGE_MS)
        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.timeout.connect(self.message_label.clear)
        messages.bridge().message.connect(self.show_message)

        menu = self.menuBar().addMenu(self.tr("操作(&A)"))
        for action in actions.all():
            if action.objectName() == "app.quit":
                menu.addSeparator()
            menu.addAction(action)
            self.addAction(action)
        view = self.menuBar().addMenu(self.tr("功能区(&V)"))
        self.area_actions: list[QAction] = []
        for row, area in enumerate(areas):
            action = QAction(area.title, self)
            action.setObjectName(f"area.{area.id}")
            if row < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, area_id=area.id: self.show_area(area_id))
            view.addAction(action)
            self.addAction(action)
            self.area_actions.append(action)
        self._restore_geometry()

    @property
    def current_area(self) -> str | None:
        item = self.navigation.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def show_area(self, area_id: str) -> None:
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == area_id:
                self.navigation.setCurrentRow(row)
                return

    def show_message(self, level: str, text: str, details: str) -> None:
        colour = {"info": "", "warning": "color: #b26a00;", "error": "color: #c62828;"}[level]
        self.message_label.setStyleSheet(colour)
        self.message_label.setText(text)
        self.message_timer.start(self.message_ms[level])
        if level == "error" and details:
            self._show_error_once(text, details)

    def _show_error_once(self, text: str, details: str) -> None:
        box = plain_message_box(QMessageBox.Icon.Critical, self.tr("出错了"), text, parent=self)
        box.setDetailedText(details)
        copy = box.addButton(self.tr("复制详情"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        box.open()

    def _restore_geometry(self) -> None:
        geometry = self._settings.get("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self._settings.get("window/state")
        if state:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.message_timer.stop()
        self._settings.set("window/geometry", bytes(self.saveGeometry().data()))
        self._settings.set("window/state", bytes(self.saveState().data()))
        super().closeEvent(event)
