"""Where the desk's keys live, through the real dialogs: a secure keyring, or a passphrase that has to be a
real one; a keyring that lost the store key leads to "move the old store aside and resync", saying how
many unpushed changes the old store holds, and keeps its file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.credentials import DeskKeys, OpenedStore, embedded_database_key, open_desk_store
from local_store import Store, StoreLocked
from local_store.keys import salt_path
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring, wait

pytestmark = [OFFSCREEN_NOISE]

Step = Callable[[QWidget], None]


class Dialogs:
    """Answers the modal dialogs the desk opens, one step per dialog, and keeps what each one said."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if not self.steps:
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox | QInputDialog) and widget.isVisible():
                self.texts.append(widget.text() if isinstance(widget, QMessageBox) else widget.labelText())
                step = self.steps.pop(0)
                step(widget)
                return

    def stop(self) -> None:
        self.timer.stop()


def type_in(text: str) -> Step:
    def step(widget: QWidget) -> None:
        assert isinstance(widget, QInputDialog)
        widget.setTextValue(text)
        widget.accept()

    return step


def press(label: str) -> Step:
    def step(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        (button,) = [b for b in widget.buttons() if b.text() == label]
        button.click()

    return step


@pytest.fixture
def dialogs() -> Iterator[Callable[..., Dialogs]]:
    made: list[Dialogs] = []

    def make(*steps: Step) -> Dialogs:
        made.append(Dialogs(list(steps)))
        return made[-1]

    yield make
    for each in made:
        each.stop()


class PlaintextKeyring(MemoryKeyring):
    """Placed and rated like keyrings.alt.file.PlaintextKeyring."""

    priority = 0.5  # type: ignore[assignment]
    viable = False


PlaintextKeyring.__module__ = "keyrings.alt.file"


def opened(qtbot: QtBot, path: Path) -> OpenedStore | None:
    result: OpenedStore | None = wait(qtbot, open_desk_store(path, demo=False))
    return result


def store_with_unpushed_work(qtbot: QtBot, path: Path, changes: int) -> bytes:
    first = opened(qtbot, path)
    assert first is not None
    for n in range(changes):
        first.store.create_customer(office_id="office-1", name=f"客户{n}号", phone=f"1370000{n:04d}", address="城关")
    assert first.store.outbox_size() == changes
    first.store.close()
    return bytes.fromhex(keyring.get_password(credentials.SERVICE, f"store-key:{path}") or "")


@pytest.mark.expect_warning_log
def test_a_lost_store_key_offers_moving_the_store_aside_with_its_unpushed_count(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring, tmp_path: Path,
        dialogs: Callable[..., Dialogs]) -> None:
    path = tmp_path / "desk" / "store.db"
    old_key = store_with_unpushed_work(qtbot, path, 2)
    memory_keyring.entries.clear()  # the keyring accepted the key and lost it

    asked = dialogs(press("移到一旁并重新同步"))
    again = opened(qtbot, path)
    assert again is not None
    assert len(asked.texts) == 1 and "2 条尚未上传的更改" in asked.texts[0]
    assert again.store.outbox_size() == 0  # a fresh store that syncs again
    again.store.close()
    (aside,) = path.parent.glob("store.db.lost-*[0-9]")
    old = Store.open(aside, old_key)  # kept whole: the old key still opens it
    assert old.outbox_size() == 2
    old.close()


def test_refusing_to_move_it_aside_leaves_everything_as_it_was(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring, tmp_path: Path,
        dialogs: Callable[..., Dialogs]) -> None:
    path = tmp_path / "desk" / "store.db"
    store_with_unpushed_work(qtbot, path, 1)
    before = path.read_bytes()
    memory_keyring.entries.clear()
    asked = dialogs(press("退出"))
    assert opened(qtbot, path) is None
    assert "1 条尚未上传的更改" in asked.texts[0]
    assert path.read_bytes() == before and not list(path.parent.glob("store.db.lost-*"))


@pytest.mark.expect_warning_log
def test_a_plaintext_keyring_is_refused_and_the_passphrase_must_be_a_real_one(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, tmp_path: Path, dialogs: Callable[..., Dialogs]) -> None:
    plaintext = PlaintextKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(plaintext)
    try:
        path = tmp_path / "desk" / "store.db"
        strong = "城关营业厅2025年春季"
        asked = dialogs(type_in("demo1234"), type_in(strong), type_in(strong))
        first = opened(qtbot, path)
        assert first is not None
        first.store.close()
        assert "至少需要 12 个字符" in asked.texts[1]  # the weak one was refused with the reason
        assert plaintext.entries == {}  # neither the key nor anything else went to the plaintext file
        assert salt_path(path).exists()
        assert first.keys.passphrase_key is not None

        reopen = dialogs(type_in(strong))  # an existing store: the passphrase once, no rule, no confirmation
        second = opened(qtbot, path)
        assert second is not None and len(reopen.texts) == 1
        assert second.keys.key_for("embedded", tmp_path / "b.db") == first.keys.key_for("embedded", tmp_path / "x.db")
        second.store.close()
    finally:
        keyring.set_keyring(previous)


def test_the_embedded_backend_key_is_kept_apart_from_the_store_key(memory_keyring: MemoryKeyring,
                                                                   tmp_path: Path) -> None:
    keys = DeskKeys()
    db = tmp_path / "backend.db"
    key = keys.key_for("embedded", db)
    assert keys.key_for("embedded", db) == key
    assert memory_keyring.entries[(credentials.SERVICE, f"embedded-key:{db}")] == key.hex()
    db.write_bytes(b"not plaintext sqlite, an encrypted file")
    memory_keyring.entries.clear()
    with pytest.raises(credentials.KeyringUnavailable):
        keys.key_for("embedded", db)  # never a fresh key for a file the old one encrypted


def test_a_store_key_left_in_a_plaintext_keyring_moves_to_a_passphrase_keeping_the_work(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring, tmp_path: Path,
        dialogs: Callable[..., Dialogs]) -> None:
    path = tmp_path / "desk" / "store.db"
    old_key = store_with_unpushed_work(qtbot, path, 3)
    # An older version kept that key in keyrings.alt's plaintext file; that keyring is now refused.
    plaintext = PlaintextKeyring()
    plaintext.entries = dict(memory_keyring.entries)
    keyring.set_keyring(plaintext)
    strong = "城关营业厅2025年春季"
    asked = dialogs(type_in(strong), type_in(strong))
    moved = opened(qtbot, path)
    assert moved is not None
    assert "不安全的密钥环" in asked.texts[0]
    assert moved.store.outbox_size() == 3  # nothing lost
    moved.store.close()
    assert (credentials.SERVICE, f"store-key:{path}") not in plaintext.entries
    with pytest.raises(StoreLocked):
        Store.open(path, old_key)  # the key in the plaintext file opens nothing any more
    again = dialogs(type_in(strong))
    reopened = opened(qtbot, path)
    assert reopened is not None and len(again.texts) == 1
    reopened.store.close()


@pytest.mark.expect_warning_log
def test_a_lost_embedded_database_key_moves_that_database_aside(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    db = tmp_path / "server" / "backend.db"
    db.parent.mkdir()
    keys = DeskKeys()
    first = wait(qtbot, embedded_database_key(keys, db))
    db.write_bytes(b"\x8f" * 4096)  # stands for the SQLCipher file that key encrypted
    memory_keyring.entries.clear()
    second = wait(qtbot, embedded_database_key(keys, db))
    assert second != first and not db.exists()
    (aside,) = db.parent.glob("backend.db.lost-*")
    assert aside.read_bytes() == b"\x8f" * 4096


@pytest.mark.expect_warning_log
def test_the_refresh_token_never_goes_to_a_plaintext_keyring(memory_keyring: MemoryKeyring) -> None:
    plaintext = PlaintextKeyring()
    keyring.set_keyring(plaintext)
    tokens = credentials.KeyringTokenStore("http://127.0.0.1:1")
    tokens.set_refresh_token("refresh-token-value")
    assert plaintext.entries == {}
    assert tokens.get_refresh_token() == "refresh-token-value"  # kept in memory for this run
    assert credentials.KeyringTokenStore("http://127.0.0.1:1").get_refresh_token() is None
    keyring.set_keyring(memory_keyring)
    credentials.KeyringTokenStore("http://127.0.0.1:1").set_refresh_token("kept")
    assert list(memory_keyring.entries.values()) == ["kept"]


class LockedKeyring(MemoryKeyring):
    """A secure keyring that could not answer the first question (not unlocked yet), then could."""

    viable = False
    asked = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.asked += 1
        if self.asked == 1:
            raise keyring.errors.KeyringLocked("not unlocked")
        return super().get_password(service, username)


def test_a_secure_keyring_locked_for_now_is_not_moved_off_and_quitting_keeps_everything(
        qtbot: QtBot, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring, tmp_path: Path,
        dialogs: Callable[..., Dialogs]) -> None:
    path = tmp_path / "desk" / "store.db"
    store_with_unpushed_work(qtbot, path, 1)
    locked = LockedKeyring()
    locked.entries = dict(memory_keyring.entries)
    keyring.set_keyring(locked)
    asked = dialogs(press("退出"))
    assert opened(qtbot, path) is None
    assert "暂时不可用" in asked.texts[0] and "1 条尚未上传的更改" in asked.texts[0]
    assert not salt_path(path).exists() and locked.entries == memory_keyring.entries
    keyring.set_keyring(memory_keyring)  # unlocked: the store opens as before
    again = opened(qtbot, path)
    assert again is not None and again.store.outbox_size() == 1
    again.store.close()
