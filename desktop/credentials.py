"""Secrets the desk keeps between runs: the refresh token and the store key in the operating system's
keyring; without a keyring the store key comes from a passphrase, never from a plaintext file."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit

from desktop import messages
from local_store import KeyringUnavailable, Store, StoreLocked, load_or_create_store_key, passphrase_store_key

log = logging.getLogger(__name__)

SERVICE = "OneWindow"


class KeyringTokenStore:
    """The refresh token of the signed-in staff member, per backend address.

    A copy stays in memory, so a desk without a keyring keeps its session for this run
    (and asks for the password again on the next one)."""

    def __init__(self, backend_url: str) -> None:
        self._account = f"refresh-token@{backend_url}"
        self._token: str | None = None

    def get_refresh_token(self) -> str | None:
        if self._token is not None:
            return self._token
        try:
            return keyring.get_password(SERVICE, self._account)
        except KeyringError:
            return None

    def set_refresh_token(self, token: str | None) -> None:
        self._token = token
        try:
            if token is None:
                keyring.delete_password(SERVICE, self._account)
            else:
                keyring.set_password(SERVICE, self._account, token)
        except PasswordDeleteError:
            pass
        except KeyringError:
            log.warning("no keyring: the refresh token is kept in memory for this run only")


# ---- the store key: keyring first, else a passphrase (never plaintext) ----

# Used only in demo mode on a machine without a keyring; the data is the fictional demo office.
DEMO_PASSPHRASE = "onewindow-demo-office"
PASSPHRASE_TRIES = 3



async def open_desk_store(path: Path, *, demo: bool) -> Store | None:
    """Open the encrypted store with the keyring's key, or with a passphrase the clerk types (None: gave up)."""
    loop = asyncio.get_running_loop()
    try:
        key = load_or_create_store_key(SERVICE, f"store-key:{path}")
    except KeyringUnavailable:
        pass
    else:
        return await loop.run_in_executor(None, Store.open, path, key)
    if demo:
        messages.warning(QCoreApplication.translate("Credentials", "本机没有系统密钥环：演示数据用演示口令加密保存。"))
        key = await loop.run_in_executor(None, passphrase_store_key, path, DEMO_PASSPHRASE)
        return await loop.run_in_executor(None, Store.open, path, key)
    problem = ""
    for _ in range(PASSPHRASE_TRIES):
        passphrase = ask_passphrase(problem, creating=not path.exists())
        if passphrase is None:
            return None
        key = await loop.run_in_executor(None, passphrase_store_key, path, passphrase)
        try:
            return await loop.run_in_executor(None, Store.open, path, key)
        except StoreLocked:
            problem = QCoreApplication.translate("Credentials", "口令不正确，无法打开本机数据，请重新输入。")
    messages.error(QCoreApplication.translate("Credentials", "本机数据口令多次输入错误，程序将退出。"))
    return None


def ask_passphrase(problem: str, *, creating: bool) -> str | None:
    text = QCoreApplication.translate("Credentials", "这台电脑没有可用的系统密钥环，无法自动保管本机数据的密钥。\n"
              "请输入本机数据口令（客户数据只会加密保存）：")
    if problem:
        text = problem + "\n\n" + text
    passphrase, ok = QInputDialog.getText(None, QCoreApplication.translate("Credentials", "本机数据口令"), text, QLineEdit.EchoMode.Password)
    if not ok or not passphrase:
        return None
    if creating:
        again, ok = QInputDialog.getText(
            None, QCoreApplication.translate("Credentials", "本机数据口令"), QCoreApplication.translate("Credentials", "首次设置口令，请再输入一次以确认："), QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        if again != passphrase:
            return ask_passphrase(QCoreApplication.translate("Credentials", "两次输入的口令不一致，请重新设置。"), creating=True)
    return passphrase
