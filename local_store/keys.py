"""The store's encryption key: random and kept in a secure OS keyring, or derived from a passphrase.

There is no plaintext fallback: a keyring that would keep the key in a plaintext file (keyrings.alt), the
null and fail keyrings and any backend whose priority is below 1 are refused like a missing keyring, and
the caller asks for a passphrase. A key written to the keyring is read back before the store uses it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
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


# Backends that keep secrets readable by anyone who can read the user's files, or keep nothing.
INSECURE_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")
MIN_PRIORITY = 1.0  # keyring's own "recommended" threshold: plaintext and fallbacks rate below it


def insecure_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why this backend must not hold the store key (None: it may)."""
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__name__}"
    if kind.__module__.startswith(INSECURE_MODULES) or "plaintext" in kind.__name__.lower():
        return f"insecure keyring {name}"
    try:
        priority = float(backend.priority)
    except Exception:  # a backend that cannot even rate itself is not available
        return f"unavailable keyring {name}"
    if priority < MIN_PRIORITY:
        return f"low-priority keyring {name} ({priority:g})"
    return None


def secure_backend(backend: keyring.backend.KeyringBackend | None = None) -> keyring.backend.KeyringBackend:
    """The keyring backend the store key may live in; KeyringUnavailable when there is none."""
    chosen = backend if backend is not None else keyring.get_keyring()
    if isinstance(chosen, keyring.backends.chainer.ChainerBackend):
        # A chain writes to the first backend that takes the secret: use only its secure members.
        members = [member for member in chosen.backends if insecure_reason(member) is None]
        if not members:
            raise KeyringUnavailable("no secure keyring in the chain")
        return members[0]
    reason = insecure_reason(chosen)
    if reason is not None:
        raise KeyringUnavailable(reason)
    return chosen


def _parse_key(stored: str) -> bytes:
    try:
        key = bytes.fromhex(stored)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyringUnavailable("malformed store key entry")
    return key


def load_store_key(
    service: str, username: str, *, keyring_backend: keyring.backend.KeyringBackend | None = None
) -> bytes | None:
    """The key kept for (service, username), or None when the keyring holds none."""
    backend = secure_backend(keyring_backend)
    try:
        stored = backend.get_password(service, username)
    except Exception as error:  # every backend failure means the same thing to the clerk
        raise KeyringUnavailable(type(error).__name__) from error
    return _parse_key(stored) if stored else None


def create_store_key(
    service: str, username: str, *, keyring_backend: keyring.backend.KeyringBackend | None = None
) -> bytes:
    """A new random key written to the keyring and read back: a keyring that accepts the key but does not
    return it is treated as no keyring (the caller asks for a passphrase)."""
    backend = secure_backend(keyring_backend)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        backend.set_password(service, username, key.hex())
        kept = backend.get_password(service, username)
    except Exception as error:
        raise KeyringUnavailable(type(error).__name__) from error
    if kept != key.hex():
        raise KeyringUnavailable("the keyring did not keep the key")
    return key


def load_or_create_store_key(
    service: str, username: str, *, keyring_backend: keyring.backend.KeyringBackend | None = None
) -> bytes:
    """The 32-byte key for (service, username), created with `secrets` on first use.

    Only for a file that does not exist yet (or has no data worth keeping): for an existing store a missing
    entry means the key was lost, which `load_store_key` reports as None."""
    key = load_store_key(service, username, keyring_backend=keyring_backend)
    return key if key is not None else create_store_key(service, username, keyring_backend=keyring_backend)


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


def stage_salt(store_path: Path, salt: bytes) -> Path:
    """Write `salt` beside the store as `<store>.salt.new`, before the store is re-encrypted with a key
    derived from it; rename the returned file to `salt_path(store_path)` once that is done (a crash in
    between leaves the salt on disk, never a store whose salt is gone)."""
    staged = salt_path(store_path).with_name(salt_path(store_path).name + ".new")
    staged.write_bytes(salt)
    return staged


def passphrase_store_key(store_path: Path, passphrase: str) -> bytes:
    """The store key for a desk without a keyring: argon2id of the passphrase with the sidecar salt."""
    return key_from_passphrase(passphrase, load_or_create_salt(store_path))
