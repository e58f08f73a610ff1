"""The store's encryption key: random and kept in the OS keyring, or derived from a passphrase.

There is no plaintext fallback: without a keyring the caller must ask for a passphrase.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
from argon2.low_level import Type, hash_secret_raw

from domain.errors import InvalidInput
from local_store.errors import KeyringUnavailable

KEY_BYTES = 32
SALT_BYTES = 16
# argon2id, memory-hard: 64 MiB, 3 passes (OWASP's minimum is 19 MiB / 2 passes).
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_TIME_COST = 3
ARGON2_PARALLELISM = 4
SALT_SUFFIX = ".salt"


def _usable_backend(backend: keyring.backend.KeyringBackend | None) -> keyring.backend.KeyringBackend:
    chosen = backend if backend is not None else keyring.get_keyring()
    if isinstance(chosen, keyring.backends.fail.Keyring):
        raise KeyringUnavailable("keyring.backends.fail")
    return chosen


def load_or_create_store_key(
    service: str, username: str, *, keyring_backend: keyring.backend.KeyringBackend | None = None
) -> bytes:
    """The 32-byte store key for (service, username), created with `secrets` on first use."""
    backend = _usable_backend(keyring_backend)
    try:
        stored = backend.get_password(service, username)
    except Exception as error:  # every backend failure means the same thing to the clerk
        raise KeyringUnavailable(type(error).__name__) from error
    if stored:
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise KeyringUnavailable("malformed store key entry")
        return key
    key = secrets.token_bytes(KEY_BYTES)
    try:
        backend.set_password(service, username, key.hex())
    except Exception as error:
        raise KeyringUnavailable(type(error).__name__) from error
    return key


def key_from_passphrase(passphrase: str, salt: bytes) -> bytes:
    """Derive the 32-byte store key from a passphrase with argon2id."""
    if not passphrase:
        raise InvalidInput("请输入本机数据口令", "Please enter the local store passphrase", field="passphrase")
    if len(salt) < SALT_BYTES:
        raise InvalidInput("口令盐值太短", "The passphrase salt is too short", field="salt")
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def salt_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + SALT_SUFFIX)


def load_or_create_salt(store_path: Path) -> bytes:
    """The passphrase salt kept in a small sidecar file next to the store (not secret)."""
    path = salt_path(store_path)
    if path.exists():
        salt = path.read_bytes()
        if len(salt) >= SALT_BYTES:
            return salt
    salt = secrets.token_bytes(SALT_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(salt)
    return salt


def passphrase_store_key(store_path: Path, passphrase: str) -> bytes:
    """The store key for a desk without a keyring: argon2id of the passphrase with the sidecar salt."""
    return key_from_passphrase(passphrase, load_or_create_salt(store_path))
