"""Desk settings, declared once in a schema with type, default and description (qutebrowser's
configdata); stored in an INI file in the data directory; widgets observe what they use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.paths import settings_path


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str


OPTIONS: dict[str, Option] = {
    option.name: option
    for option in (
        Option("backend/url", str, "", "Backend address (https://host:port); empty runs the embedded backend"),
        Option("ui/language", str, "zh_CN", "Language of the desk: zh_CN or en"),
        Option("ui/theme", str, "light", "Colour theme: light or dark"),
        Option("security/lock_minutes", int, 10, "Minutes without input before the desk locks"),
        Option("security/offline_login_days", int, 7, "Days an earlier online login allows offline login"),
        Option("window/geometry", bytes, b"", "Main window geometry, restored on start"),
        Option("window/state", bytes, b"", "Main window dock and toolbar state"),
    )
}


class Settings(QObject):
    changed = Signal(str)  # the option's name

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qsettings = QSettings(str(settings_path()), QSettings.Format.IniFormat)

    def get(self, name: str) -> Any:
        option = self._option(name)
        value = self._qsettings.value(name, option.default)
        if option.type is bytes:
            return bytes(value) if value else b""
        if option.type is int:
            try:
                return int(value)
            except (TypeError, ValueError):
                return option.default
        return option.type(value)

    def set(self, name: str, value: Any) -> None:
        self._option(name)
        if self.get(name) == value:
            return
        self._qsettings.setValue(name, value)
        self._qsettings.sync()
        self.changed.emit(name)

    # Shortcuts are options too, one per registered action, keyed by the action id.
    def shortcut(self, action_id: str, default: str) -> str:
        return str(self._qsettings.value(f"shortcuts/{action_id}", default))

    def set_shortcut(self, action_id: str, keys: str) -> None:
        self._qsettings.setValue(f"shortcuts/{action_id}", keys)
        self._qsettings.sync()
        self.changed.emit(f"shortcuts/{action_id}")

    @staticmethod
    def _option(name: str) -> Option:
        try:
            return OPTIONS[name]
        except KeyError:
            raise KeyError(f"unknown setting {name!r}") from None
