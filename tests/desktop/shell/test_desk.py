"""The whole desk against a real embedded backend: an online login keeps the slow hash; with the server
unreachable the same clerk signs in offline; when it answers again the desk asks for the password once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backend.embedded import EmbeddedServer
from desktop import messages
from desktop.app import Desk, Options
from desktop.login import LoginDialog
from desktop.operations import drop_connection
from desktop.settings import Settings
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring
from tests.harness.ports import dead_url

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]


@pytest.fixture(scope="module")
def backend(office_server: tuple[EmbeddedServer, str]) -> EmbeddedServer:
    return office_server[0]  # the demo office, in process (tests/desktop/shell/conftest.py)


def login_dialog(qtbot: QtBot) -> LoginDialog:
    found: list[LoginDialog] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=15000)
    return found[0]


def sign_in(qtbot: QtBot, username: str, password: str) -> LoginDialog:
    dialog = login_dialog(qtbot)
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.submit()
    return dialog


def finish(qtbot: QtBot, desk: Desk, run: asyncio.Future[int]) -> None:
    desk.sign_out()
    login_dialog(qtbot).reject()
    qtbot.waitUntil(run.done, timeout=20000)
    assert run.result() == 0


def test_online_login_then_offline_login_then_back_online(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: EmbeddedServer,
) -> None:
    heard: list[tuple[str, str]] = []

    def hear(level: str, text: str, _details: str) -> None:
        heard.append((level, text))

    connection = messages.bridge().message.connect(hear)
    try:
        drive_online_offline_and_back(qtbot, qapp, backend, heard)
    finally:
        drop_connection(connection)


def drive_online_offline_and_back(
    qtbot: QtBot, qapp: QApplication, backend: EmbeddedServer, heard: list[tuple[str, str]]
) -> None:

    # 1. Online: the server checks the password; the desk keeps a slow hash for later.
    online = Desk(qapp, Settings(), Options(server=backend.url))
    run = asyncio.ensure_future(online.run())
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: online.window is not None, timeout=20000)
    assert not online.offline_mode
    assert online.store is not None and online.store.get_meta("offline_login/clerk1")
    finish(qtbot, online, run)

    # 2. The server is unreachable: wrong password and unknown staff are refused with their own sentences.
    offline = Desk(qapp, Settings(), Options(server=dead_url()))
    offline.reconnect_backoff = Backoff(base=0.05, cap=0.1)
    run = asyncio.ensure_future(offline.run())
    dialog = sign_in(qtbot, "clerk1", "wrong-password")
    qtbot.waitUntil(lambda: "离线登录密码不正确" in dialog.error.text(), timeout=15000)
    dialog = sign_in(qtbot, "hotline1", "demo1234")
    qtbot.waitUntil(lambda: "从未在这台电脑上在线登录" in dialog.error.text(), timeout=15000)
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: offline.window is not None, timeout=15000)
    assert offline.offline_mode
    assert any(level == "warning" and "已离线登录" in text for level, text in heard)
    assert offline.engine is not None

    # 3. The server answers again (the desk is pointed at it): the engine needs a real session.
    assert offline.tokens is not None
    live = ApiClient(backend.url, token_store=offline.tokens)
    offline.api = live
    offline.engine.client = live
    again = login_dialog(qtbot)
    assert again.username.text() == "clerk1" and again.username.isReadOnly()
    again.password.setText("demo1234")
    again.submit()
    qtbot.waitUntil(lambda: not offline.offline_mode, timeout=15000)
    qtbot.waitUntil(lambda: offline.engine is not None and offline.engine.status.online is True
                    and not offline.engine.status.auth_required, timeout=30000)
    finish(qtbot, offline, run)


def test_too_old_online_login_refuses_offline_login(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: EmbeddedServer,
) -> None:
    settings = Settings()
    settings.set("security/offline_login_days", 0)
    online = Desk(qapp, settings, Options(server=backend.url))
    run = asyncio.ensure_future(online.run())
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: online.window is not None, timeout=20000)
    finish(qtbot, online, run)

    later = Desk(qapp, settings, Options(server=dead_url()), clock=lambda: datetime.now(UTC) + timedelta(days=1))
    run = asyncio.ensure_future(later.run())
    dialog = sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: "超过 0 天" in dialog.error.text(), timeout=15000)
    dialog.reject()
    qtbot.waitUntil(run.done, timeout=20000)
