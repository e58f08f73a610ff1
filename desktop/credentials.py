"""Secrets the desk keeps between runs: the refresh token and the data keys in a secure operating-system
keyring (plaintext, null and low-priority keyrings are refused); without one the keys come from a
passphrase, never from a plaintext file. A store whose key is lost is moved aside, never deleted."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from desktop import messages
from desktop.i18n import current_language
from domain.errors import InvalidInput
from domain.passphrase import check_new_passphrase
from local_store import KeyringUnavailable, Store, StoreLocked, passphrase_store_key
from local_store.engine import connect
from local_store.keys import (
    KEY_BYTES,
    SALT_BYTES,
    create_store_key,
    key_from_passphrase,
    load_store_key,
    salt_path,
    secure_backend,
    stage_salt,
)
from local_store.store import move_store_aside, recorded_outbox, rekey_store

log = logging.getLogger(__name__)

SERVICE = "OneWindow"


def _token_backend() -> keyring.backend.KeyringBackend | None:
    try:
        return secure_backend()
    except KeyringUnavailable:
        return None


class KeyringTokenStore:
    """The refresh token of the signed-in staff member, per backend address, in a secure keyring only.

    A copy stays in memory, so a desk without a secure keyring keeps its session for this run
    (and asks for the password again on the next one)."""

    def __init__(self, backend_url: str) -> None:
        self._account = f"refresh-token@{backend_url}"
        self._token: str | None = None

    def get_refresh_token(self) -> str | None:
        if self._token is not None:
            return self._token
        backend = _token_backend()
        if backend is None:
            return None
        try:
            return backend.get_password(SERVICE, self._account)
        except KeyringError:
            return None

    def set_refresh_token(self, token: str | None) -> None:
        self._token = token
        backend = _token_backend()
        if backend is None:
            log.warning("no secure keyring: the refresh token is kept in memory for this run only")
            return
        try:
            if token is None:
                backend.delete_password(SERVICE, self._account)
            else:
                backend.set_password(SERVICE, self._account, token)
        except PasswordDeleteError:
            pass
        except KeyringError:
            log.warning("no keyring: the refresh token is kept in memory for this run only")


# ---- the data keys: keyring first, else a passphrase (never plaintext) ----

# Used only in demo mode on a machine without a keyring; the data is the fictional demo office.
DEMO_PASSPHRASE = "onewindow-demo-office"
PASSPHRASE_TRIES = 3


@dataclass(frozen=True)
class DeskKeys:
    """Where this desk's keys come from: the keyring (an entry per file) or the passphrase-derived store
    key (each other file's key derived from it)."""

    passphrase_key: bytes | None = None

    def key_for(self, name: str, path: Path) -> bytes:
        """The key of another encrypted file of this desk (the embedded backend's database).

        KeyringUnavailable when its keyring entry is gone while the encrypted file exists."""
        if self.passphrase_key is not None:
            return hmac.new(self.passphrase_key, f"onewindow:{name}".encode(), hashlib.sha256).digest()
        entry = f"{name}-key:{path}"
        key = load_store_key(SERVICE, entry)
        if key is not None:
            return key
        if path.exists() and not _is_plaintext_sqlite(path):
            raise KeyLost(f"the key of {path.name} is no longer in the keyring")
        return create_store_key(SERVICE, entry)


class KeyLost(KeyringUnavailable):
    """The keyring no longer holds the key of a file it encrypted."""


async def embedded_database_key(
    keys: DeskKeys, db_path: Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> bytes:
    """The embedded backend's database key; when the keyring lost it, the unreadable database is moved aside
    (kept as `<name>.lost-<time>`) and a new one starts, rather than the desk failing at every start."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, keys.key_for, "embedded", db_path)
    except KeyLost:
        moved = await loop.run_in_executor(None, move_store_aside, db_path, clock())
        log.warning("embedded database key lost: the old database was moved aside to %s", moved.name)
        messages.warning(QCoreApplication.translate(
            "Credentials", "内置服务器数据库的密钥已丢失：旧数据库已移到 %1（文件保留），已新建数据库。",
        ).replace("%1", str(moved)))
        return await loop.run_in_executor(None, keys.key_for, "embedded", db_path)


@dataclass(frozen=True)
class OpenedStore:
    store: Store
    keys: DeskKeys


def _is_plaintext_sqlite(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(16) == b"SQLite format 3\x00"


def _store_entry(path: Path) -> str:
    return f"store-key:{path}"


async def open_desk_store(
    path: Path, *, demo: bool, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> OpenedStore | None:
    """Open the encrypted store with the keyring's key, or with a passphrase the clerk types (None: gave up).

    A store kept by the keyring whose key is gone (the keyring lost it, or is no longer a secure one) does
    not stop the desk: the clerk is told how many unpushed changes it holds and may move it aside (kept
    as `<name>.lost-<time>`) and start a fresh store that syncs again."""
    loop = asyncio.get_running_loop()
    if path.exists() and not salt_path(path).exists():  # a store whose key the keyring holds
        reason = ""
        try:
            key = await loop.run_in_executor(None, load_store_key, SERVICE, _store_entry(path))
        except KeyringUnavailable as error:
            key, reason = None, error.message(current_language())
            left = await loop.run_in_executor(None, _key_left_in_refused_keyring, path)
            if left is not None:  # an older version kept it in a plaintext keyring: move to a passphrase
                return await _move_to_passphrase(path, left)
        if key is not None:
            try:
                store = await loop.run_in_executor(None, Store.open, path, key)
            except StoreLocked:
                reason = QCoreApplication.translate("Credentials", "系统密钥环中的密钥打不开本机数据")
            else:
                return OpenedStore(store, DeskKeys())
        if not confirm_move_aside(lost_key_text(path, reason)):
            return None
        moved = await loop.run_in_executor(None, move_store_aside, path, clock())
        log.warning("store key lost: the old store was moved aside to %s", moved.name)
        messages.warning(QCoreApplication.translate("Credentials", "旧的本机数据已移到 %1，正在重新同步。")
                         .replace("%1", str(moved)))
    creating = not path.exists()
    if creating:
        try:
            key = await loop.run_in_executor(None, _new_keyring_key, path)
        except KeyringUnavailable as error:
            log.warning("no secure keyring for the store key: %s", error.message("en"))
        else:
            return OpenedStore(await loop.run_in_executor(None, Store.open, path, key), DeskKeys())
    if demo:
        messages.warning(QCoreApplication.translate("Credentials", "本机没有系统密钥环：演示数据用演示口令加密保存。"))
        key = await loop.run_in_executor(None, passphrase_store_key, path, DEMO_PASSPHRASE)
        return OpenedStore(await loop.run_in_executor(None, Store.open, path, key), DeskKeys(key))
    problem = ""
    for _ in range(PASSPHRASE_TRIES):
        passphrase = ask_passphrase(problem, creating=creating)
        if passphrase is None:
            return None
        key = await loop.run_in_executor(None, passphrase_store_key, path, passphrase)
        try:
            return OpenedStore(await loop.run_in_executor(None, Store.open, path, key), DeskKeys(key))
        except StoreLocked:
            problem = QCoreApplication.translate("Credentials", "口令不正确，无法打开本机数据，请重新输入。")
    messages.error(QCoreApplication.translate("Credentials", "本机数据口令多次输入错误，程序将退出。"))
    return None


def _key_left_in_refused_keyring(path: Path) -> bytes | None:
    """The store key an older version put in the default keyring that is now refused (a plaintext file)."""
    try:
        secure_backend()
    except KeyringUnavailable:
        pass
    else:
        return None  # a secure keyring that failed for now: nothing to move off it
    try:
        stored = keyring.get_password(SERVICE, _store_entry(path))
        key = bytes.fromhex(stored or "")
    except Exception:  # no entry, a broken backend or a malformed entry: nothing to move
        return None
    if len(key) != KEY_BYTES:
        return None
    try:
        connect(path, key).close()
    except StoreLocked:  # not this store's key: the store's key is lost
        return None
    return key


async def _move_to_passphrase(path: Path, old_key: bytes) -> OpenedStore | None:
    """Re-encrypt a store whose key sits in a refused keyring under a new passphrase, then remove the key
    from that keyring: the unpushed work stays, and the plaintext copy of the key stops opening anything."""
    loop = asyncio.get_running_loop()
    notice = QCoreApplication.translate(
        "Credentials", "本机数据的密钥原先保存在不安全的密钥环中（明文文件），现在改为用口令保护。")
    passphrase = ask_passphrase(notice, creating=True)
    if passphrase is None:
        return None
    salt = secrets.token_bytes(SALT_BYTES)
    new_key = await loop.run_in_executor(None, key_from_passphrase, passphrase, salt)
    staged = await loop.run_in_executor(None, stage_salt, path, salt)
    try:
        await loop.run_in_executor(None, rekey_store, path, old_key, new_key)
    except StoreLocked:
        staged.unlink(missing_ok=True)
        messages.error(QCoreApplication.translate("Credentials", "密钥环中的旧密钥打不开本机数据。"))
        return None
    staged.replace(salt_path(path))
    try:
        keyring.delete_password(SERVICE, _store_entry(path))
    except Exception:
        log.warning("the old store key could not be removed from the refused keyring")
    store = await loop.run_in_executor(None, Store.open, path, new_key)
    return OpenedStore(store, DeskKeys(new_key))


def _new_keyring_key(path: Path) -> bytes:
    """A fresh key for a store file about to be created (an entry left from a moved-aside store is replaced)."""
    key = create_store_key(SERVICE, _store_entry(path))
    salt_path(path).unlink(missing_ok=True)  # a stale salt would mark the new store as passphrase-kept
    return key


def lost_key_text(path: Path, reason: str) -> str:
    """What the clerk is told when the store's key is gone: why, and what moving it aside leaves behind."""
    text = QCoreApplication.translate("Credentials", "无法打开本机数据：它的密钥由系统密钥环保管，现在找不到了。")
    if reason:
        text += "\n（" + reason + "）"
    record = recorded_outbox(path)
    if record is None:
        text += "\n\n" + QCoreApplication.translate("Credentials", "无法得知旧数据中有多少尚未上传的更改。")
    elif record[0] == 0:
        text += "\n\n" + QCoreApplication.translate("Credentials", "旧数据中没有尚未上传的更改。")
    else:
        text += "\n\n" + QCoreApplication.translate(
            "Credentials", "旧数据中有 %1 条尚未上传的更改，移到一旁后不会上传（找回密钥后仍可打开旧文件）。",
        ).replace("%1", str(record[0]))
    text += "\n\n" + QCoreApplication.translate(
        "Credentials", "若系统密钥环只是暂时不可用（例如尚未解锁），请选择“退出”，稍后再试。")
    text += "\n\n" + QCoreApplication.translate(
        "Credentials", "是否把旧数据移到一旁（文件保留，不会删除），新建本机数据并重新同步？")
    return text


def confirm_move_aside(text: str) -> bool:
    """Ask whether to move the store with the lost key aside and resync."""
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Credentials", "本机数据密钥丢失"), text)
    box.setObjectName("lostStoreKey")
    move = box.addButton(QCoreApplication.translate("Credentials", "移到一旁并重新同步"),
                         QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("Credentials", "退出"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is move


def ask_passphrase(problem: str, *, creating: bool) -> str | None:
    text = QCoreApplication.translate("Credentials", "这台电脑没有可用的系统密钥环，无法自动保管本机数据的密钥。\n"
              "请输入本机数据口令（客户数据只会加密保存）：")
    if problem:
        text = problem + "\n\n" + text
    passphrase, ok = QInputDialog.getText(None, QCoreApplication.translate("Credentials", "本机数据口令"), text, QLineEdit.EchoMode.Password)
    if not ok or not passphrase:
        return None
    if creating:
        try:
            check_new_passphrase(passphrase)
        except InvalidInput as error:
            return ask_passphrase(error.message(current_language()), creating=True)
        again, ok = QInputDialog.getText(
            None, QCoreApplication.translate("Credentials", "本机数据口令"), QCoreApplication.translate("Credentials", "首次设置口令，请再输入一次以确认："), QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        if again != passphrase:
            return ask_passphrase(QCoreApplication.translate("Credentials", "两次输入的口令不一致，请重新设置。"), creating=True)
    return passphrase
