"""Actions registered once by id (Spyder/qutebrowser): text, default keys, and the command a
screen binds to it. Keys are settings, so staff can rebind them; the F-keys serve the hall."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence

from desktop.settings import Settings


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # source text (Chinese), translated at use
    default_keys: str


ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("frontdesk.search", "查找客户", "F2"),
    ActionSpec("frontdesk.verify", "核验身份", "F3"),
    ActionSpec("frontdesk.new_ticket", "受理新业务", "F4"),
    ActionSpec("sync.now", "立即同步", "F5"),
    ActionSpec("sync.conflicts", "冲突收件箱", "F9"),
    ActionSpec("session.lock", "锁定桌面", "Ctrl+L"),
    ActionSpec("session.sign_out", "退出登录", "Ctrl+Shift+Q"),
    ActionSpec("app.settings", "设置", "Ctrl+,"),
)


def translated(spec: ActionSpec) -> str:
    return QCoreApplication.translate("Actions", spec.text)


class ActionRegistry(QObject):
    """Owns one QAction per spec; screens connect commands by id; keys follow the settings."""

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._actions: dict[str, QAction] = {}
        for spec in ACTION_SPECS:
            action = QAction(translated(spec), self)
            action.setObjectName(spec.id)
            action.setShortcut(QKeySequence(settings.shortcut(spec.id, spec.default_keys)))
            self._actions[spec.id] = action
        settings.changed.connect(self._on_setting_changed)

    def action(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def bind(self, action_id: str, command: Callable[[], object]) -> None:
        self._actions[action_id].triggered.connect(lambda _checked=False: command())

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def _on_setting_changed(self, name: str) -> None:
        if not name.startswith("shortcuts/"):
            return
        action_id = name.removeprefix("shortcuts/")
        spec = next((s for s in ACTION_SPECS if s.id == action_id), None)
        if spec is not None:
            keys = self._settings.shortcut(action_id, spec.default_keys)
            self._actions[action_id].setShortcut(QKeySequence(keys))
