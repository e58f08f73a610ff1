"""Secrets the desk keeps between runs, in the operating system's keyring."""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

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
