from __future__ import annotations

from pathlib import Path

import keyring.backends.fail
import pytest

from domain.errors import InvalidInput
from local_store import KeyringUnavailable, Store, StoreLocked, load_or_create_store_key
from local_store.keys import key_from_passphrase, load_or_create_salt, passphrase_store_key, salt_path

from .conftest import MemoryKeyring


def test_store_key_is_created_once_and_kept_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    first = load_or_create_store_key("onewindow", "desk")
    second = load_or_create_store_key("onewindow", "desk")
    assert len(first) == 32
    assert first == second
    assert memory_keyring.passwords[("onewindow", "desk")] == first.hex()
    assert load_or_create_store_key("onewindow", "other desk") != first


def test_explicit_backend_is_used(memory_keyring: MemoryKeyring) -> None:
    other = MemoryKeyring()
    key = load_or_create_store_key("onewindow", "desk", keyring_backend=other)
    assert other.passwords[("onewindow", "desk")] == key.hex()
    assert memory_keyring.passwords == {}


def test_fail_backend_means_keyring_unavailable() -> None:
    with pytest.raises(KeyringUnavailable) as raised:
        load_or_create_store_key("onewindow", "desk", keyring_backend=keyring.backends.fail.Keyring())
    assert "密钥环" in raised.value.message("zh")
    assert "keyring" in raised.value.message("en")


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("dbus is gone")


def test_raising_backend_means_keyring_unavailable() -> None:
    with pytest.raises(KeyringUnavailable):
        load_or_create_store_key("onewindow", "desk", keyring_backend=BrokenKeyring())


def test_malformed_keyring_entry_is_not_used_as_a_key() -> None:
    backend = MemoryKeyring()
    backend.set_password("onewindow", "desk", "not hex")
    with pytest.raises(KeyringUnavailable):
        load_or_create_store_key("onewindow", "desk", keyring_backend=backend)


def test_passphrase_key_depends_on_passphrase_and_salt() -> None:
    salt = b"s" * 16
    key = key_from_passphrase("correct horse", salt)
    assert len(key) == 32
    assert key == key_from_passphrase("correct horse", salt)
    assert key != key_from_passphrase("correct horse!", salt)
    assert key != key_from_passphrase("correct horse", b"t" * 16)
    with pytest.raises(InvalidInput):
        key_from_passphrase("", salt)


def test_passphrase_store_opens_only_with_the_same_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    Store.open(path, passphrase_store_key(path, "柜台口令 2025")).close()
    assert salt_path(path).read_bytes() == load_or_create_salt(path)
    Store.open(path, passphrase_store_key(path, "柜台口令 2025")).close()
    with pytest.raises(StoreLocked):
        Store.open(path, passphrase_store_key(path, "wrong"))
