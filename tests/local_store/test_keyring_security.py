"""Only a secure keyring may hold the store key: plaintext (keyrings.alt), null, fail and low-priority
backends are refused like no keyring, inside a chain as well; a written key is read back."""

from __future__ import annotations

import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import pytest

from local_store import KeyringUnavailable, load_or_create_store_key
from local_store.keys import create_store_key, load_store_key, secure_backend

from .conftest import MemoryKeyring


class PlaintextKeyring(MemoryKeyring):
    """Named, placed and rated like keyrings.alt.file.PlaintextKeyring (a file anyone can read)."""

    priority = 0.5  # type: ignore[assignment]
    viable = False  # never picked by keyring's own detection in other tests


PlaintextKeyring.__module__ = "keyrings.alt.file"


class HonestlyRatedPlaintext(MemoryKeyring):
    """A plaintext store that claims a high priority but lives in keyrings.alt: refused by where it is."""

    priority = 5  # type: ignore[assignment]
    viable = False


HonestlyRatedPlaintext.__module__ = "keyrings.alt.file"


class LowPriority(MemoryKeyring):
    priority = 0.9  # type: ignore[assignment]
    viable = False


class ForgetfulKeyring(MemoryKeyring):
    """Says yes to every secret and keeps none of them."""

    viable = False

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


class Chain(keyring.backends.chainer.ChainerBackend):
    """keyring's chain over the given members (its own picks every installed backend)."""

    priority = 10  # type: ignore[assignment]
    viable = False
    backends: list[keyring.backend.KeyringBackend] = []  # type: ignore[assignment]  # noqa: RUF012

    def __init__(self, *members: keyring.backend.KeyringBackend) -> None:
        super().__init__()
        self.backends = list(members)


@pytest.mark.parametrize("backend", [
    PlaintextKeyring(), HonestlyRatedPlaintext(), LowPriority(), keyring.backends.null.Keyring(),
    keyring.backends.fail.Keyring(),
], ids=["keyrings.alt plaintext", "keyrings.alt rated high", "priority below 1", "null", "fail"])
def test_insecure_backends_are_refused_and_keep_nothing(backend: keyring.backend.KeyringBackend) -> None:
    with pytest.raises(KeyringUnavailable):
        load_or_create_store_key("onewindow", "desk", keyring_backend=backend)
    if isinstance(backend, MemoryKeyring):
        assert backend.passwords == {}  # the key never reached the plaintext file


def test_a_chain_uses_only_its_secure_member() -> None:
    plaintext, secure = PlaintextKeyring(), MemoryKeyring()
    chain = Chain(plaintext, secure)
    assert secure_backend(chain) is secure
    key = load_or_create_store_key("onewindow", "desk", keyring_backend=chain)
    assert secure.passwords == {("onewindow", "desk"): key.hex()} and plaintext.passwords == {}
    with pytest.raises(KeyringUnavailable):
        secure_backend(Chain(PlaintextKeyring(), keyring.backends.null.Keyring()))


def test_the_default_keyring_is_checked_too(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(KeyringUnavailable) as raised:
        load_or_create_store_key("onewindow", "desk")
    assert "keyrings.alt" in raised.value.message("en")


def test_a_keyring_that_does_not_keep_the_key_is_no_keyring() -> None:
    forgetful = ForgetfulKeyring()
    with pytest.raises(KeyringUnavailable) as raised:
        create_store_key("onewindow", "desk", keyring_backend=forgetful)
    assert "did not keep" in raised.value.message("en")


def test_a_missing_entry_is_reported_not_replaced() -> None:
    backend = MemoryKeyring()
    assert load_store_key("onewindow", "desk", keyring_backend=backend) is None
    assert backend.passwords == {}
    key = create_store_key("onewindow", "desk", keyring_backend=backend)
    assert load_store_key("onewindow", "desk", keyring_backend=backend) == key
