"""Offline login (DESIGN.md, security model): only staff who signed in online on this desk before,
within a limited number of days, verified against a slow argon2id hash kept in the encrypted store.

Qt-free; every function is blocking (argon2 plus SQLite), so callers run it off the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

META_PREFIX = "offline_login/"

RefusalReason = Literal["never_here", "too_old", "wrong_password"]


class MetaStore(Protocol):
    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


class OfflineLoginRefused(Exception):
    """Offline login is not possible; `reason` says why (the UI turns it into a sentence)."""

    def __init__(self, reason: RefusalReason, *, days: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.days = days


@dataclass(frozen=True)
class OfflineSession:
    """What an offline login knows: who, which scopes, and when they last signed in online."""

    staff: dict[str, Any]
    scopes: list[str] = field(default_factory=list)
    online_login_at: datetime | None = None


def _key(username: str) -> str:
    return META_PREFIX + username.strip().lower()


def remember_online_login(
    store: MetaStore,
    username: str,
    password: str,
    staff: dict[str, Any],
    scopes: list[str],
    *,
    now: datetime,
    hasher: PasswordHasher | None = None,
) -> None:
    """After a successful online login: keep the slow hash, the staff record, the scopes and the time."""
    record = {
        "hash": (hasher or PasswordHasher()).hash(password),
        "staff": staff,
        "scopes": list(scopes),
        "at": now.isoformat(),
    }
    store.set_meta(_key(username), json.dumps(record, ensure_ascii=False, default=str))


def _record(store: MetaStore, username: str) -> dict[str, Any] | None:
    text = store.get_meta(_key(username))
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, dict) and isinstance(record.get("hash"), str) else None


def password_matches(store: MetaStore, username: str, password: str, *, hasher: PasswordHasher | None = None) -> bool:
    """Does `password` match the hash kept from this staff member's last online login here?"""
    record = _record(store, username)
    if record is None:
        return False
    try:
        return (hasher or PasswordHasher()).verify(record["hash"], password)
    except (VerificationError, InvalidHashError):
        return False


def offline_login(
    store: MetaStore,
    username: str,
    password: str,
    *,
    now: datetime,
    max_days: int,
    hasher: PasswordHasher | None = None,
) -> OfflineSession:
    """The offline session, or OfflineLoginRefused: never signed in online here, too long ago, wrong password."""
    record = _record(store, username)
    if record is None:
        raise OfflineLoginRefused("never_here", days=max_days)
    try:
        at = datetime.fromisoformat(record["at"])
    except (KeyError, TypeError, ValueError):
        raise OfflineLoginRefused("never_here", days=max_days) from None
    if now - at > timedelta(days=max_days):
        raise OfflineLoginRefused("too_old", days=max_days)
    if not password_matches(store, username, password, hasher=hasher):
        raise OfflineLoginRefused("wrong_password", days=max_days)
    return OfflineSession(staff=dict(record.get("staff") or {}), scopes=list(record.get("scopes") or []),
                          online_login_at=at)
