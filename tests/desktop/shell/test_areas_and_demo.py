"""The shell as each demo role meets it, against a real backend process: `--demo --user NAME` signs in as
that account and lands on its own area; Ctrl+1/2/3 switch areas; 退出 is in the menu; status-bar messages
expire; the demo's accounts are on the login dialog only in demo mode; a new server address in the
settings and 离线工作 take effect without a restart."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from backend.db.migrate import upgrade
from backend.seeding import seed_demo
from backend.settings import database_url
from desktop import messages
from desktop.__main__ import parse_args
from desktop.app import Desk, Options
from desktop.settings import Settings
from domain.roles import Role
from tests.desktop.shell.test_desk import finish, login_dialog, sign_in
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = Path(tmp_path_factory.mktemp("areas")) / "office.db"
    url = database_url(str(db))
    upgrade(url)
    seed_demo(url, seed=11, customers_per_office=30)
    server = Backend(db).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> None:
    """Earlier desks' Qt objects are collected here, not by a store thread mid-test (see desktop/garbage.py)."""
    gc.collect()


def start(qapp: QApplication, options: Options, settings: Settings | None = None) -> tuple[Desk, asyncio.Task[int]]:
    desk = Desk(qapp, settings or Settings(), options)
    return desk, asyncio.ensure_future(desk.run())


def demo_hint_shown(qtbot: QtBot) -> bool:
    dialog = login_dialog(qtbot)
    return any("demo1234" in label.text() for label in dialog.findChildren(QLabel))


@pytest.mark.parametrize(("user", "home", "second"), [
    ("clerk1", "frontdesk", "tickets"),
    ("hotline1", "frontdesk", "tickets"),
    ("dispatcher1", "dispatch", "tickets"),
    ("marketing1", "tickets", None),
    ("supervisor1", "tickets", "frontdesk"),
])
def test_demo_user_signs_in_as_that_account_and_lands_on_its_area(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend, user: str, home: str, second: str | None,
) -> None:
    desk, run = start(qapp, Options(demo=True, server=backend.url, user=user))
    qtbot.waitUntil(lambda: desk.window is not None, timeout=30000)  # no login dialog: signed in as `user`
    window = desk.window
    assert window is not None and desk.staff is not None and desk.staff.username == user
    assert window.current_area == home
    # The person reads their own name in full and their role in words, not a code.
    assert f"{desk.staff.display_name} · {Role(desk.staff.role).label()}" in window.windowTitle()
    if user == "supervisor1":  # the supervisor's tickets open on the warning list
        assert window.areas["tickets"].queue_id == "warning"
    assert window.area_actions[0].shortcut().toString() == "Ctrl+1"
    if second is not None:
        assert window.area_actions[1].shortcut().toString() == "Ctrl+2"
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.current_area == second and window.stack.currentWidget() is window.areas[second]
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert window.current_area == home
    # Signing out shows the login dialog with the demo's accounts (demo mode only).
    desk.sign_out()
    assert demo_hint_shown(qtbot)
    login_dialog(qtbot).reject()
    qtbot.waitUntil(run.done, timeout=20000)
    assert run.result() == 0


def test_a_mistyped_demo_user_gets_the_login_dialog_saying_why(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend,
) -> None:
    desk, run = start(qapp, Options(demo=True, server=backend.url, user="nobody9"))
    dialog = login_dialog(qtbot)
    assert dialog.username.text() == "nobody9"
    assert "用户名或密码不正确" in dialog.findChild(QLabel, "loginNotice").text()
    dialog.reject()
    qtbot.waitUntil(run.done, timeout=20000)
    assert run.result() == 0


def test_user_needs_demo() -> None:
    assert parse_args(["--demo", "--user", "dispatcher1"]).user == "dispatcher1"
    with pytest.raises(SystemExit):
        parse_args(["--user", "dispatcher1"])


def test_outside_demo_mode_the_login_dialog_shows_no_demo_accounts_and_quit_ends_the_desk(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend,
) -> None:
    desk, run = start(qapp, Options(server=backend.url))
    assert not demo_hint_shown(qtbot)
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: desk.window is not None, timeout=30000)
    window = desk.window
    assert window is not None
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert menu_texts[-1] == "退出"
    quit_action = window.actions_registry.action("app.quit")
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    qtbot.waitUntil(run.done, timeout=20000)  # no login dialog: the desk ends
    assert run.result() == 0 and desk.window is None


def test_status_bar_messages_expire(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend,
) -> None:
    desk, run = start(qapp, Options(demo=True, server=backend.url, user="clerk1"))
    qtbot.waitUntil(lambda: desk.window is not None, timeout=30000)
    window = desk.window
    assert window is not None
    window.message_ms["info"] = 50
    messages.info("已保存")
    assert window.message_label.text() == "已保存"
    qtbot.waitUntil(lambda: window.message_label.text() == "", timeout=5000)
    finish(qtbot, desk, run)


def test_a_new_server_address_and_working_offline_need_no_restart(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend,
) -> None:
    settings = Settings()
    settings.set("backend/url", backend.url)
    desk, run = start(qapp, Options(), settings)
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: desk.engine is not None and desk.engine.status.last_synced is not None, timeout=30000)
    assert desk.api is not None and desk.api.base_url.rstrip("/") == backend.url

    # The office server moved (here: behind a proxy on another port): saved in the settings, the desk
    # signs out and the login dialog signs in at the new address, in the same run.
    proxy = FaultProxy(backend.port)
    proxy.start()
    try:
        settings.set("backend/url", proxy.url)
        sign_in(qtbot, "clerk1", "demo1234")
        qtbot.waitUntil(lambda: desk.api is not None and desk.api.base_url.rstrip("/") == proxy.url
                        and desk.window is not None, timeout=30000)
        qtbot.waitUntil(lambda: desk.engine is not None and desk.engine.status.last_synced is not None,
                        timeout=30000)
        assert not run.done()

        # 离线工作: sync stops, the change waits in the outbox; turned off, it is pushed. No restart.
        assert desk.window is not None and desk.store is not None and desk.engine is not None
        store, engine = desk.store, desk.engine
        work_offline = desk.window.actions_registry.action("sync.work_offline")
        work_offline.setChecked(True)
        qtbot.waitUntil(lambda: not desk.window.sync_status.online, timeout=10000)  # type: ignore[union-attr]
        ticket = next(t for t in store.ticket_queue(None, limit=50))
        store.add_note(ticket.id, "离线工作时记下的说明", author_id=None, visibility="internal")
        desk.sync_now()
        assert store.outbox_size() == 1 and engine.status.syncing is not True
        work_offline.setChecked(False)
        qtbot.waitUntil(lambda: store.outbox_size() == 0, timeout=30000)
        assert desk.window.sync_status.online  # type: ignore[union-attr]
        finish(qtbot, desk, run)
    finally:
        proxy.stop()
