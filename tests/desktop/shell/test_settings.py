"""Settings: the schema refuses bad input and changes nothing; the dialog saves through it; F-keys rebind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import messages
from desktop.actions import ActionRegistry, check_shortcuts
from desktop.i18n import current_language, install_language
from desktop.main_window import Area, MainWindow
from desktop.operations import drop_connection
from desktop.settings import Settings, check_backend_url
from desktop.settings_dialog import SettingsDialog
from desktop.theme import apply_theme
from domain.errors import InvalidInput
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def said() -> Iterator[list[tuple[str, str]]]:
    heard: list[tuple[str, str]] = []

    def hear(level: str, text: str, _details: str) -> None:
        heard.append((level, text))

    connection = messages.bridge().message.connect(hear)
    yield heard
    drop_connection(connection)


@pytest.fixture
def dialog(qtbot: QtBot) -> SettingsDialog:
    settings = Settings()
    shown = SettingsDialog(settings, ActionRegistry(settings))
    qtbot.addWidget(shown)
    return shown


@pytest.mark.parametrize("url", ["ftp://host", "http://", "not a url", "http://host:99999", "host:8600",
                                 "http://ho st:1", "http://host/?x=1"])
def test_bad_backend_addresses_are_refused(url: str) -> None:
    settings = Settings()
    with pytest.raises(InvalidInput) as refused:
        settings.set("backend/url", url)
    assert "服务器地址无效" in refused.value.message_zh
    assert settings.get("backend/url") == ""


def test_good_backend_addresses_are_cleaned() -> None:
    assert check_backend_url("  https://office-host:8600/ ") == "https://office-host:8600"
    assert check_backend_url("") == ""
    settings = Settings()
    settings.set("backend/url", "http://10.0.0.5:8600")
    assert Settings().get("backend/url") == "http://10.0.0.5:8600"  # persisted in the INI file


@pytest.mark.parametrize(("name", "value"), [("security/lock_minutes", 0), ("security/lock_minutes", 241),
                                             ("security/lock_minutes", "ten"), ("security/offline_login_days", 31),
                                             ("ui/theme", "pink"), ("ui/language", "fr")])
def test_out_of_range_values_change_nothing(name: str, value: object) -> None:
    settings = Settings()
    before = settings.get(name)
    with pytest.raises(InvalidInput):
        settings.set(name, value)
    assert settings.get(name) == before


def test_dialog_refuses_a_bad_address_and_stores_nothing(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.backend_url.setText("ftp://office")
    dialog.lock_minutes.setValue(3)
    assert dialog.save() is False
    assert "服务器地址无效" in dialog.error.text()
    settings = Settings()
    assert settings.get("backend/url") == "" and settings.get("security/lock_minutes") == 10


def test_dialog_saves_address_lock_minutes_and_offline_days(
    qtbot: QtBot, dialog: SettingsDialog, said: list[tuple[str, str]]
) -> None:
    dialog.backend_url.setText("http://office-host:8600")
    dialog.lock_minutes.setValue(3)
    dialog.offline_days.setValue(2)
    assert dialog.save() is True
    settings = Settings()
    assert settings.get("backend/url") == "http://office-host:8600"
    assert settings.get("security/lock_minutes") == 3
    assert settings.get("security/offline_login_days") == 2
    assert not any("下次启动" in text for _, text in said)  # the desk connects to a new address at once


def test_theme_is_applied_and_persisted(qtbot: QtBot, dialog: SettingsDialog, qapp: QApplication) -> None:
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    try:
        assert dialog.save()
        assert Settings().get("ui/theme") == "dark"
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    finally:
        apply_theme(qapp, "light")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_language_switch_installs_the_translator_or_says_why_not(
    qtbot: QtBot, dialog: SettingsDialog, qapp: QApplication, said: list[tuple[str, str]]
) -> None:
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    try:
        assert dialog.save()
        assert Settings().get("ui/language") == "en"
        if current_language() == "en":
            assert said[-1][0] == "info"
        else:  # no English .qm built in this tree: the user is told the screen stays Chinese
            assert said[-1] == ("warning", "界面语言已保存，但本机没有该语言的译文，界面仍显示中文。")
    finally:
        install_language(qapp, "zh_CN")


def test_two_actions_on_one_key_are_refused(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.key_edits["frontdesk.search"].setKeySequence(QKeySequence("F5"))
    dialog.lock_minutes.setValue(4)
    assert dialog.save() is False
    assert "F5" in dialog.error.text() and "查找客户" in dialog.error.text() and "立即同步" in dialog.error.text()
    settings = Settings()
    assert settings.shortcut("frontdesk.search", "F2") == "F2"
    assert settings.get("security/lock_minutes") == 10  # nothing at all was stored


def test_check_shortcuts_names_the_clash() -> None:
    with pytest.raises(InvalidInput, match="Ctrl\\+L"):
        check_shortcuts({"session.lock": "Ctrl+L", "sync.now": "ctrl+l"})
    assert check_shortcuts({"session.lock": "ctrl+l", "sync.now": ""}) == {"session.lock": "Ctrl+L", "sync.now": ""}


def test_reset_to_defaults(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.key_edits["frontdesk.search"].setKeySequence(QKeySequence("F6"))
    assert dialog.save()
    assert Settings().shortcut("frontdesk.search", "F2") == "F6"
    settings = Settings()
    again = SettingsDialog(settings, ActionRegistry(settings))
    qtbot.addWidget(again)
    assert again.key_edits["frontdesk.search"].keySequence().toString() == "F6"
    again.reset_shortcuts()
    assert again.key_edits["frontdesk.search"].keySequence().toString() == "F2"
    assert again.save()
    assert settings.shortcut("frontdesk.search", "F2") == "F2"
    assert settings.shortcut("app.settings", "") == "Ctrl+,"  # survives the INI file's comma rules


def test_rebinding_frontdesk_search_to_f6_fires_it_on_f6(qtbot: QtBot) -> None:
    settings = Settings()
    actions = ActionRegistry(settings)
    fired: list[str] = []
    actions.bind("frontdesk.search", lambda: fired.append("search"))
    window = MainWindow(settings, actions, [Area("frontdesk", "前台受理", lambda: QWidget())], "王 · clerk")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert fired == []
    dialog = SettingsDialog(settings, actions, window)
    dialog.key_edits["frontdesk.search"].setKeySequence(QKeySequence("F6"))
    assert dialog.save()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert fired == ["search"]
    qtbot.keyClick(window, Qt.Key.Key_F2)  # the old key no longer fires it
    assert fired == ["search"]
