"""Actions registered once by id (Spyder/qutebrowser): text, default keys, and the command a
screen binds to it. Keys are settings, so staff can rebind them; the F-keys serve the hall."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence

from desktop.settings import Settings
from domain.errors import InvalidInput


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks `text` for translation in `context`; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # source text (Chinese), translated at use
    default_keys: str


ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("frontdesk.search", QT_TRANSLATE_NOOP("Actions", "查找客户"), "F2"),
    ActionSpec("frontdesk.verify", QT_TRANSLATE_NOOP("Actions", "核验身份"), "F3"),
    ActionSpec("frontdesk.new_ticket", QT_TRANSLATE_NOOP("Actions", "受理新业务"), "F4"),
    ActionSpec("tickets.take", QT_TRANSLATE_NOOP("Actions", "接办选中的环节"), "Ctrl+T"),
    ActionSpec("tickets.complete", QT_TRANSLATE_NOOP("Actions", "完成选中的环节"), "Ctrl+D"),
    ActionSpec("dispatch.assign", QT_TRANSLATE_NOOP("Actions", "按选中的建议派工"), "Ctrl+Return"),
    ActionSpec("sync.now", QT_TRANSLATE_NOOP("Actions", "立即同步"), "F5"),
    ActionSpec("sync.conflicts", QT_TRANSLATE_NOOP("Actions", "冲突收件箱"), "F9"),
    ActionSpec("sync.work_offline", QT_TRANSLATE_NOOP("Actions", "离线工作"), ""),
    ActionSpec("session.lock", QT_TRANSLATE_NOOP("Actions", "锁定桌面"), "Ctrl+L"),
    ActionSpec("session.sign_out", QT_TRANSLATE_NOOP("Actions", "退出登录"), "Ctrl+Shift+Q"),
    ActionSpec("app.settings", QT_TRANSLATE_NOOP("Actions", "设置"), "Ctrl+,"),
    ActionSpec("app.quit", QT_TRANSLATE_NOOP("Actions", "退出"), "Ctrl+Q"),
)
SPECS_BY_ID = {spec.id: spec for spec in ACTION_SPECS}
# Demo mode only (training, screenshots): outside it these actions do not exist, in the menu or the key table.
DEMO_ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("demo.simulate_call", QT_TRANSLATE_NOOP("Actions", "模拟来电"), ""),
)
_ALL_SPECS_BY_ID = {spec.id: spec for spec in ACTION_SPECS + DEMO_ACTION_SPECS}


def translated(spec: ActionSpec) -> str:
    return QCoreApplication.translate("Actions", spec.text)


def normalised_keys(keys: str) -> str:
    """The portable text of a key sequence ("ctrl+l" -> "Ctrl+L"); empty means no shortcut."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)


def check_shortcuts(bindings: Mapping[str, str]) -> dict[str, str]:
    """Normalised bindings for every action, or InvalidInput naming the first clash or unknown key."""
    cleaned: dict[str, str] = {}
    owner: dict[str, str] = {}
    for action_id, keys in bindings.items():
        spec = SPECS_BY_ID.get(action_id)
        if spec is None:
            raise InvalidInput(f"未知的操作「{action_id}」", f"unknown action {action_id!r}", field=action_id)
        text = normalised_keys(keys)
        if keys.strip() and not text:
            raise InvalidInput(f"无法识别的快捷键「{keys}」", f"unrecognised shortcut {keys!r}", field=action_id)
        if text and text in owner:
            other = SPECS_BY_ID[owner[text]]
            raise InvalidInput(
                f"快捷键 {text} 不能同时用于「{translated(other)}」和「{translated(spec)}」",
                f"The shortcut {text} cannot serve both '{other.id}' and '{spec.id}'",
                field=action_id,
            )
        if text:
            owner[text] = action_id
        cleaned[action_id] = text
    return cleaned


class ActionRegistry(QObject):
    """Owns one QAction per spec; screens connect commands by id; keys follow the settings."""

    def __init__(self, settings: Settings, parent: QObject | None = None, *, demo: bool = False) -> None:
        super().__init__(parent)
        self._settings = settings
        self._actions: dict[str, QAction] = {}
        # The demo's actions sit before 退出, the last entry of the menu.
        specs = ACTION_SPECS[:-1] + DEMO_ACTION_SPECS + ACTION_SPECS[-1:] if demo else ACTION_SPECS
        for spec in specs:
            action = QAction(translated(spec), self)
            action.setObjectName(spec.id)
            action.setShortcut(QKeySequence(self.keys(spec.id)))
            self._actions[spec.id] = action
        settings.changed.connect(self._on_setting_changed)

    def action(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def has(self, action_id: str) -> bool:
        return action_id in self._actions

    def bind(self, action_id: str, command: Callable[[], object]) -> None:
        self._actions[action_id].triggered.connect(lambda _checked=False: command())

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def keys(self, action_id: str) -> str:
        return self._settings.shortcut(action_id, _ALL_SPECS_BY_ID[action_id].default_keys)

    def bindings(self) -> dict[str, str]:
        return {spec.id: self.keys(spec.id) for spec in ACTION_SPECS}

    def rebind(self, bindings: Mapping[str, str]) -> None:
        """Store new keys for some actions; a clash with any other action's keys is refused, nothing stored."""
        cleaned = check_shortcuts({**self.bindings(), **bindings})
        for action_id in bindings:
            self._settings.set_shortcut(action_id, cleaned[action_id])

    def shortcut_text(self, action_id: str) -> str:
        """The action's keys as the user reads them ("Ctrl+T"), empty when it has none."""
        return self._actions[action_id].shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def with_shortcut(self, text: str, action_id: str) -> str:
        """A tooltip naming the keys that do the same: "接办（Ctrl+T）"."""
        keys = self.shortcut_text(action_id)
        return f"{text}（{keys}）" if keys else text

    def set_enabled(self, enabled: bool) -> None:
        for action in self._actions.values():
            action.setEnabled(enabled)

    def _on_setting_changed(self, name: str) -> None:
        if not name.startswith("shortcuts/"):
            return
        action_id = name.removeprefix("shortcuts/")
        if action_id in SPECS_BY_ID:
            self._actions[action_id].setShortcut(QKeySequence(self.keys(action_id)))
