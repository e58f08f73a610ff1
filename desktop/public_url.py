"""The server's public address, as the desk learns it at each online sign-in and keeps it for offline receipts.

The receipt's QR code opens the ticket's progress page on the server (docs/progress-lookup.md); the address
customers reach it at is the server's configuration (`ONEWINDOW_PUBLIC_URL`), named in the sign-in answer. It
is kept in the store's meta table, so a desk that signed in online once prints working receipts offline.
"""

from __future__ import annotations

from typing import Protocol

from domain.errors import DomainError
from domain.progress import check_base_url

META_KEY = "progress_public_url"


class _Meta(Protocol):
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


def remember(store: _Meta, url: str | None) -> None:
    """Keep the address the server named (an address that is not one is ignored: the last good one stays)."""
    if not url:
        return
    try:
        checked = check_base_url(url)
    except DomainError:
        return
    if store.get_meta(META_KEY) != checked:
        store.set_meta(META_KEY, checked)


def recall(store: _Meta) -> str:
    """The address last learned, or "" when this desk never signed in online."""
    return store.get_meta(META_KEY) or ""
