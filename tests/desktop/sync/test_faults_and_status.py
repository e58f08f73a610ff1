from __future__ import annotations

import pytest

from desktop.sync.faults import checkpoint_from_env, parse_fault
from desktop.sync.status import InitialSyncProgress, estimate_seconds_left


def test_a_fault_fires_only_at_its_point_and_its_nth_visit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEWINDOW_FAULT", "after_push_response_before_apply@2")
    kills: list[str] = []
    checkpoint = checkpoint_from_env(kill=lambda: kills.append("dead"))
    assert checkpoint is not None
    for point in ["before_push", "after_push_response_before_apply", "after_push_apply"]:
        checkpoint(point)
    assert kills == []
    checkpoint("after_push_response_before_apply")
    assert kills == ["dead"]


def test_no_fault_means_no_checkpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONEWINDOW_FAULT", raising=False)
    assert checkpoint_from_env() is None
    assert parse_fault("during_page_apply") == ("during_page_apply", 1)


def test_initial_sync_estimate() -> None:
    assert estimate_seconds_left(250, 1000, 5.0) == pytest.approx(15.0)
    assert estimate_seconds_left(0, 1000, 5.0) is None
    assert InitialSyncProgress("office:x", 250, 1000, 15.0).percent == 25.0
    assert InitialSyncProgress("office:x", 10, None, None).percent is None
