"""Test harness shared by every suite: offscreen Qt, an isolated data directory, and
no silent problems (an unexpected WARNING or ERROR log record fails the test that caused it)."""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, settings

# Set before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis's per-example deadline and its too-slow health check are wall-clock assertions: on a loaded
# 2-core machine they failed tests whose properties held (seen in test_identity under load). Properties are
# judged on their outcome only; a test's own @settings still chooses its number of examples.
settings.register_profile("onewindow", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("onewindow")


@pytest.fixture(autouse=True)
def onewindow_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own ONEWINDOW_HOME, so stores, logs and settings never collide."""
    home = tmp_path_factory.mktemp("onewindow-home")
    monkeypatch.setenv("ONEWINDOW_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def fail_on_unexpected_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """Fail a test that logs at WARNING or above, in setup, call or teardown (qutebrowser's rule).

    `expect_warning_log` allows WARNING records (a test that provokes them and says so, usually
    asserting on them through `caplog`); `expect_error_log` allows ERROR records as well.
    """
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("expect_error_log"):
        return
    floor = logging.ERROR if request.node.get_closest_marker("expect_warning_log") else logging.WARNING
    unexpected = [
        (phase, record)
        for phase in ("setup", "call", "teardown")
        for record in caplog.get_records(phase)  # type: ignore[arg-type]
        if record.levelno >= floor
    ]
    if unexpected:
        lines = "\n".join(f"{phase}: {r.levelname} {r.name}: {r.getMessage()}" for phase, r in unexpected)
        pytest.fail(f"unexpected log records (mark the test expect_warning_log or expect_error_log if they "
                    f"are what it provokes):\n{lines}", pytrace=False)
