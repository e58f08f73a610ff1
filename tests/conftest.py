"""Test harness shared by every suite: offscreen Qt, an isolated data directory, and
no silent errors (an unexpected ERROR log record fails the test that caused it)."""

from __future__ import annotations

import logging
import os

import pytest

# Set before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def onewindow_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own ONEWINDOW_HOME, so stores, logs and settings never collide."""
    home = tmp_path_factory.mktemp("onewindow-home")
    monkeypatch.setenv("ONEWINDOW_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def fail_on_error_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """Fail a test that logs at ERROR or above unless it is marked `expect_error_log`."""
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("expect_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in errors)
        pytest.fail(f"unexpected error log records:\n{lines}", pytrace=False)
