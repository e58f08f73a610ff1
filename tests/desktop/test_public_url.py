"""desktop.public_url: the server's public address kept in the desk's store for the receipts' QR codes, offline
too; an address that is not one never replaces the last good one."""

from __future__ import annotations

from pathlib import Path

from desktop import public_url
from local_store import Store


def test_the_address_is_kept_across_a_restart_and_a_bad_one_ignored(tmp_path: Path) -> None:
    key = bytes(range(32))
    store = Store.open(tmp_path / "desk.db", key, desk_code="D1")
    try:
        assert public_url.recall(store) == ""  # never signed in online: the receipt falls back
        public_url.remember(store, "https://service.example.cn/onewindow/")
        for bad in (None, "", "javascript:alert(1)", "https://x/?q=1", "not a url"):
            public_url.remember(store, bad)
        assert public_url.recall(store) == "https://service.example.cn/onewindow"
    finally:
        store.close()
    reopened = Store.open(tmp_path / "desk.db", key, desk_code="D1")
    try:
        assert public_url.recall(reopened) == "https://service.example.cn/onewindow"
    finally:
        reopened.close()
