"""The status bar says whose changes wait on this desk and what clears them (docs/authorship.md)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.status_bar import SyncStatusWidget


def test_others_changes_waiting_name_their_authors_and_stay_short(qtbot: QtBot) -> None:
    bar = SyncStatusWidget()
    qtbot.addWidget(bar)
    assert bar.waiting.isHidden()
    bar.show_waiting([("张* (clerk1)", 3)])
    assert not bar.waiting.isHidden()
    assert bar.waiting.text() == "张* (clerk1) 的 3 条修改等其本人在本机登录后上传"
    bar.show_waiting([("张* (clerk1)", 3), ("李* (hotline1)", 1), ("王* (clerk3)", 2)])
    assert "clerk1" in bar.waiting.text() and "hotline1" in bar.waiting.text()
    assert "clerk3" not in bar.waiting.text() and bar.waiting.text().endswith("另有 1 人")
    assert "clerk3" in bar.waiting.toolTip()  # the tooltip names them all
    bar.show_waiting([])
    assert bar.waiting.isHidden()
