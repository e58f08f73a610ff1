"""The conflicts inbox over a real store: both versions side by side, and both ways out."""

from __future__ import annotations

import re

import pytest
import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.app import Desk, Options
from desktop.conflicts_dialog import CHANGED_BACKGROUND, ConflictsInboxDialog
from desktop.main_window import MainWindow
from desktop.settings import Settings
from desktop.sync.status import SyncStatus
from local_store import Store
from tests.desktop.shell.conftest import reject_summary_change
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub, drain

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def inbox(qtbot: QtBot, store: Store) -> tuple[ConflictsInboxDialog, EngineStub]:
    reject_summary_change(store, 0, mine="客户要求上午上门", theirs="已改派下午")
    reject_summary_change(store, 1, mine="我的摘要", theirs="服务器摘要")
    engine = EngineStub()
    dialog = ConflictsInboxDialog(store, engine)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    return dialog, engine


def test_lists_conflicts_with_reason_and_both_versions(inbox: tuple[ConflictsInboxDialog, EngineStub],
                                                       qtmodeltester) -> None:
    dialog, _ = inbox
    assert dialog.objectName() == "conflictsInboxDialog"
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.versions)
    assert "GD20250000" in dialog.model.index(0, 1).data()
    assert dialog.model.index(0, 3).data() == "服务器上的工单已被他人修改，你的修改未保存。"
    assert "服务器上的工单已被他人修改" in dialog.reason.text()
    rows = {dialog.versions.index(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(dialog.versions.rowCount())}
    summary = rows["summary"]
    assert dialog.versions.index(summary, 1).data() == "客户要求上午上门"
    assert dialog.versions.index(summary, 2).data() == "已改派下午"
    assert dialog.versions.index(summary, 1).data(Qt.ItemDataRole.BackgroundRole) == CHANGED_BACKGROUND
    assert summary == 0  # the field I changed comes first
    # The state differs too (the server moved on) and is highlighted; an agreeing field is not.
    assert set(dialog.versions.changed_fields()) == {"summary", "state"}  # no "Z" against "+00:00" noise
    assert dialog.versions.index(rows["type_code"], 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "version" not in rows


def test_conflict_reads_as_a_sentence_with_the_catalogues_words(inbox: tuple[ConflictsInboxDialog, EngineStub]) -> None:
    dialog, _ = inbox
    sentence = dialog.reason.text()
    assert sentence.startswith("2025-03-03 09:")  # office time, not UTC
    assert "工单 GD20250000（" in sentence and "诉求摘要" in sentence
    assert "「诉求摘要」你填的是「客户要求上午上门」，现在是「已改派下午」" in sentence
    assert dialog.reason.textFormat() == Qt.TextFormat.PlainText
    shown = [sentence] + [dialog.versions.index(r, c).data() for r in range(dialog.versions.rowCount())
                          for c in range(3)] + [dialog.model.index(r, c).data() for r in range(2) for c in range(4)]
    for text in shown:
        assert not re.search(r"summary|type_code|_id\b|tick-\d|\+00:00|UTC|T\d\d:", text), text
    assert {dialog.keep_server.text(), dialog.escalate.text()} == {"放弃我的修改(&D)", "转主管(&E)"}


def test_escalate_leaves_a_note_for_the_supervisor(
    qtbot: QtBot, inbox: tuple[ConflictsInboxDialog, EngineStub], store: Store, desk_loop: qasync.QEventLoop
) -> None:
    dialog, engine = inbox
    dialog.escalate.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    notes = [m for m in store.pending_mutations() if m.entity == "note"]
    assert len(notes) == 1 and notes[0].fields["ticket_id"] == "tick-0"
    assert notes[0].fields["body"].startswith("【转主管】") and "客户要求上午上门" in notes[0].fields["body"]
    assert store.ticket("tick-0").summary == "已改派下午"  # the server's version stands until the supervisor acts
    assert engine.nudges == 1
    drain(qtbot, desk_loop)


def test_keep_server_version_closes_the_entry(qtbot: QtBot, inbox: tuple[ConflictsInboxDialog, EngineStub],
                                              store: Store, desk_loop: qasync.QEventLoop) -> None:
    dialog, engine = inbox
    dialog.keep_server.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert [c.mutation.entity_id for c in store.conflicts()] == ["tick-1"]
    assert store.ticket("tick-0").summary == "已改派下午"
    assert store.outbox_size() == 0 and engine.nudges == 0
    drain(qtbot, desk_loop)


def test_retry_mine_queues_it_again_and_wakes_the_engine(
    qtbot: QtBot, inbox: tuple[ConflictsInboxDialog, EngineStub], store: Store, desk_loop: qasync.QEventLoop
) -> None:
    dialog, engine = inbox
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    assert dialog.current_entry().mutation.entity_id == "tick-1"
    dialog.retry_mine.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert engine.nudges == 1
    pending = store.pending_mutations()
    assert [(m.entity_id, m.fields, m.base_version) for m in pending] == [("tick-1", {"summary": "我的摘要"}, 2)]
    assert store.ticket("tick-1").summary == "我的摘要"  # read your own write on top of the server's row
    drain(qtbot, desk_loop)


def test_empty_inbox_says_so(qtbot: QtBot, store: Store) -> None:
    dialog = ConflictsInboxDialog(store, EngineStub())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.empty.isVisible())
    assert not dialog.keep_server.isEnabled() and not dialog.retry_mine.isEnabled()


def test_status_bar_counts_unresolved_conflicts_in_the_store(qtbot: QtBot, qapp, store: Store) -> None:
    """Not the engine's since-start counter: conflicts left from an earlier run count too."""
    reject_summary_change(store, 2, mine="甲", theirs="乙")
    settings = Settings()
    desk = Desk(qapp, settings, Options())
    desk.store = store
    window = MainWindow(settings, ActionRegistry(settings), [], "王 · clerk")
    qtbot.addWidget(window)
    desk.window = window
    desk._show_status(SyncStatus(online=True, conflicts=0))
    qtbot.waitUntil(lambda: window.sync_status.conflict_count == 1)
    assert window.sync_status.conflicts.isEnabled()
    assert "1" in window.sync_status.conflicts.text()
    store.resolve_conflict(store.conflicts()[0].id, "keep_server")
    from desktop.operations import changes

    changes().announce({"ticket"})
    qtbot.waitUntil(lambda: window.sync_status.conflict_count == 0)
    desk.window = None
    desk.store = None


def test_conflicts_action_and_button_open_the_inbox(qtbot: QtBot, qapp, store: Store) -> None:
    settings = Settings()
    desk = Desk(qapp, settings, Options())
    desk.store = store
    actions = ActionRegistry(settings)
    window = MainWindow(settings, actions, [], "王 · clerk")
    qtbot.addWidget(window)
    desk.window = window
    actions.bind("sync.conflicts", desk.open_conflicts)
    window.sync_status.conflicts_clicked.connect(desk.open_conflicts)
    assert actions.action("sync.conflicts").shortcut().toString() == "F9"
    actions.action("sync.conflicts").trigger()
    dialog = window.findChild(ConflictsInboxDialog, "conflictsInboxDialog")
    assert dialog is not None and dialog.isVisible()
    window.sync_status.conflicts_clicked.emit()
    assert window.findChildren(ConflictsInboxDialog) == [dialog]  # raised, not opened twice
    dialog.close()
    desk.window = None
    desk.store = None
