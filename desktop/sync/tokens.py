"""Where the refresh token lives between runs: the desktop backs this with the OS keyring."""

from __future__ import annotations

from typing import Protocol


class TokenStore(Protocol):
    def get_refresh_token(self) -> str | None: ...

    def set_refresh_token(self, token: str | None) -> None: ...


class MemoryTokenStore:
    """A token store for tests and headless desks; forgets everything when the process ends."""

    def __init__(self, token: str | None = None) -> None:
        self._token = token

    def get_refresh_token(self) -> str | None:
        return self._token

    def set_refresh_token(self, token: str | None) -> None:
        self._token = token
