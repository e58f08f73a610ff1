"""The application's single helper objects (message bridge, change announcer) as children of the
QApplication: they live and die with it, and no Qt object sits in a module global."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt

T = TypeVar("T", bound=QObject)


def app_child(kind: type[T], name: str) -> T:
    """The QApplication's one `kind` named `name`, made on first use."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError(f"{name} needs the QApplication")
    found = app.findChild(kind, name, Qt.FindChildOption.FindDirectChildrenOnly)
    if found is None:
        found = kind(app)
        found.setObjectName(name)
    return found
