"""Desk settings, declared once in a schema with type, default, description and what values are allowed
(qutebrowser's configdata); stored in an INI file in the data directory; widgets observe what they use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.paths import settings_path
from domain.errors import InvalidInput


def check_backend_url(value: str) -> str:
    """Empty (embedded backend) or an http(s) address with a host; trailing slashes dropped."""
    text = value.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        parts, port_ok = None, False
    if (
        parts is None
        or not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in text)
        or parts.query
        or parts.fragment
    ):
        raise InvalidInput(
            "服务器地址无效：应形如 http://主机名:端口，或留空使用本机内置服务",
            "Invalid server address: use http://host:port, or leave it empty for the built-in server",
            field="backend/url",
        )
    return text.rstrip("/")


def _choice(name: str, allowed: dict[str, tuple[str, str]]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in allowed:
            zh = "、".join(label[0] for label in allowed.values())
            en = ", ".join(label[1] for label in allowed.values())
            raise InvalidInput(f"不支持的取值，可选：{zh}", f"Unsupported value; choose one of: {en}", field=name)
        return value

    return check


def _whole_number(name: str, low: int, high: int, zh_what: str, en_what: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                f"{zh_what}应为 {low} 至 {high} 之间的整数",
                f"{en_what} must be a whole number from {low} to {high}",
                field=name,
            )
        return value

    return check


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str
    # Returns the cleaned value or raises InvalidInput; None: any value of `type`.
    check: Callable[[Any], Any] | None = None


LOCK_MINUTES = (1, 240)
OFFLINE_LOGIN_DAYS = (0, 30)

OPTIONS: dict[str, Option] = {
    option.name: option
    for option in (
        Option("backend/url", str, "", "Backend address (https://host:port); empty runs the embedded backend",
               check_backend_url),
        Option("ui/language", str, "zh_CN", "Language of the desk: zh_CN or en",
               _choice("ui/language", {"zh_CN": ("中文", "Chinese"), "en": ("英文", "English")})),
        Option("ui/theme", str, "light", "Colour theme: light or dark",
               _choice("ui/theme", {"light": ("浅色", "light"), "dark": ("深色", "dark")})),
        Option("security/lock_minutes", int, 10, "Minutes without input before the desk locks",
               _whole_number("security/lock_minutes", *LOCK_MINUTES, "锁屏等待分钟数", "Minutes before locking")),
        Option("security/offline_login_days", int, 7, "Days an earlier online login allows offline login",
               _whole_number("security/offline_login_days", *OFFLINE_LOGIN_DAYS, "离线登录有效天数",
                             "Offline login days")),
        Option("security/ca_file", str, "", "CA certificate file (PEM) the backend's TLS certificate is verified "
               "against; empty: the system's certificate authorities"),
        Option("window/geometry", bytes, b"", "Main window geometry, restored on start"),
        Option("window/state", bytes, b"", "Main window dock and toolbar state"),
        Option("window/intake_geometry", bytes, b"", "Intake dialog size and place, restored when it opens next"),
    )
}


class Settings(QObject):
    changed = Signal(str)  # the option's name

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qsettings = QSettings(str(settings_path()), QSettings.Format.IniFormat)

    def get(self, name: str) -> Any:
        option = self._option(name)
        value: Any = self._qsettings.value(name, option.default)
        if option.type is bytes:
            return bytes(value) if value else b""
        if option.type is int:
            try:
                value = int(value)
            except (TypeError, ValueError):
                return option.default
        else:
            value = option.type(value)
        if option.check is not None:
            try:
                option.check(value)
            except InvalidInput:  # an INI file edited by hand: fall back rather than fail
                return option.default
        return value

    def validate(self, name: str, value: Any) -> Any:
        """The cleaned value, or InvalidInput with a sentence naming what is allowed."""
        option = self._option(name)
        if option.type is int and isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise InvalidInput("请输入整数", "Please enter a whole number", field=name) from None
        if not isinstance(value, option.type):
            raise InvalidInput("取值类型不对", f"{name} expects {option.type.__name__}", field=name)
        return option.check(value) if option.check is not None else value

    def set(self, name: str, value: Any) -> None:
        """Store a validated value; bad input raises InvalidInput and changes nothing."""
        value = self.validate(name, value)
        if self.get(name) == value:
            return
        self._qsettings.setValue(name, value)
        self._qsettings.sync()
        self.changed.emit(name)

    # Shortcuts are options too, one per registered action, keyed by the action id.
    def shortcut(self, action_id: str, default: str) -> str:
        return str(self._qsettings.value(f"shortcuts/{action_id}", default))

    def set_shortcut(self, action_id: str, keys: str) -> None:
        if self.shortcut(action_id, "\0") == keys:
            return
        self._qsettings.setValue(f"shortcuts/{action_id}", keys)
        self._qsettings.sync()
        self.changed.emit(f"shortcuts/{action_id}")

    @staticmethod
    def _option(name: str) -> Option:
        try:
            return OPTIONS[name]
        except KeyError:
            raise KeyError(f"unknown setting {name!r}") from None
