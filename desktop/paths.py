"""Where the desk keeps its files: one data directory, `ONEWINDOW_HOME` when set."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """The one directory holding the store, logs, settings and the embedded backend's database."""
    override = os.environ.get("ONEWINDOW_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir("OneWindow", "OneWindow"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path() -> Path:
    return data_dir() / "desk" / "store.db"


def embedded_db_path() -> Path:
    return data_dir() / "server" / "backend.db"


def log_path() -> Path:
    return data_dir() / "logs" / "onewindow.log"


def settings_path() -> Path:
    return data_dir() / "settings.ini"
