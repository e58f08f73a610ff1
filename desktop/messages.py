"""The one bridge every user-facing message goes through (qutebrowser's `message` module).

Widgets never pop their own error boxes: they call `info`, `warning` or `error`, and
the main window shows the sentence in its status bar (and, for errors with details,
once in a dialog offering "copy details").
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from desktop.app_objects import app_child

log = logging.getLogger(__name__)


class MessageBridge(QObject):
    # level ("info" | "warning" | "error"), the sentence, optional technical details
    message = Signal(str, str, str)

    def info(self, text: str) -> None:
        self.message.emit("info", text, "")

    def warning(self, text: str) -> None:
        self.message.emit("warning", text, "")

    def error(self, text: str, details: str = "") -> None:
        self.message.emit("error", text, details)


def bridge() -> MessageBridge:
    """The application's one bridge, a child of the QApplication (no Qt object in a module global)."""
    return app_child(MessageBridge, "messageBridge")


def info(text: str) -> None:
    bridge().info(text)


def warning(text: str) -> None:
    bridge().warning(text)


def error(text: str, details: str = "") -> None:
    bridge().error(text, details)
