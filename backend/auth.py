"""Sign-in, opaque tokens with refresh rotation and family revocation, and the request principal."""

from __future__ import annotations

import hashlib
import itertools
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.db.auth_tables import AccessToken, AuthSession, LoginThrottle, RefreshToken, StaffCredential
from backend.db.base import table_of
from backend.db.engine import Database
from backend.db.records import OfficeRow, StaffRow
from backend.http_errors import ApiError
from backend.settings import Settings
from backend.store import row_to_wire
from backend.sync.changes import dialect_insert
from domain.passwords import password_problem
from domain.sync import CALENDAR_SCOPE, scope_of_office

# OWASP's minimum argon2id cost: slow for guessing, quick enough for a busy sign-in morning.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = HASHER.hash("not a password")
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    staff_id: str
    username: str
    role: str
    department: str | None
    office_id: str
    session_id: str
    offices: frozenset[str]

    @property
    def scopes(self) -> list[str]:
        return [scope_of_office(office) for office in sorted(self.offices)] + [CALENDAR_SCOPE]

    def may_see_office(self, office_id: str | None) -> bool:
        return office_id is not None and office_id in self.offices


def offices_of(session: Session, staff: StaffRow) -> frozenset[str]:
    """A staff member works in their own office; an admin administers every office."""
    if staff.role == "admin":
        return frozenset(session.execute(select(OfficeRow.id)).scalars()) | {staff.office_id}
    return frozenset({staff.office_id})


_INVALID = ApiError(401, "invalid_credentials", "用户名或密码错误 / wrong user name or password")
_EXPIRED = ApiError(401, "token_expired", "登录已过期，请重新登录 / the session has expired, please sign in again")
_UNAUTH = ApiError(401, "unauthenticated", "请先登录 / please sign in")
_DISABLED = ApiError(403, "account_disabled", "账号已停用 / this account is disabled")


# Principals looked up in the last few seconds, by token digest: a desk's push and the pull right
# after it cost one lookup, not two. Every revocation made in this process empties the cache at once;
# one made by another process (another worker) is seen here within PRINCIPAL_TTL.
PRINCIPAL_TTL = 5.0
_RECENT_LIMIT = 10_000
_revocations = itertools.count(1)
_generation = 0


def _revoked_now() -> None:
    global _generation
    _generation = next(_revocations)


@dataclass(frozen=True)
class _Recent:
    principal: Principal
    expires_at: datetime  # the earlier of the access token's and the session's expiry
    seen_at: float  # time.monotonic()
    generation: int


class AuthService:
    def __init__(self, database: Database, settings: Settings, clock: Any) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock
        self._recent: dict[str, _Recent] = {}

    def _now(self) -> datetime:
        now: datetime = self.clock()
        return now

    # --- sign-in -------------------------------------------------------------------------
    def login(self, username: str, password: str, client_id: str, address: str | None = None) -> dict[str, object]:
        now = self._now()
        keys = throttle_keys(username, address)
        # Read, then verify the password outside any transaction: argon2 takes tens of milliseconds
        # and must not hold SQLite's single write lock while every desk waits to push.
        with self.database.read() as session:
            _refuse_if_locked(session, keys, now, "登录失败次数过多", "too many failed sign-ins")
            staff = session.execute(select(StaffRow).where(StaffRow.username == username)).scalar_one_or_none()
            credential = session.get(StaffCredential, staff.id) if staff is not None else None
            password_hash = credential.password_hash if credential else _DUMMY_HASH
            had_failures = session.get(LoginThrottle, keys.pair) is not None or session.get(
                LoginThrottle, keys.user) is not None
        if not verify_password(password_hash, password) or staff is None or credential is None:
            with self.database.write() as session:
                self._count_failures(session, keys, now)
            raise _INVALID
        if had_failures:  # earlier failures of this name: a success forgets them (never the address's count)
            with self.database.write() as session:
                session.execute(delete(LoginThrottle).where(LoginThrottle.username.in_([keys.pair, keys.user])))
        if not staff.active:
            raise _DISABLED
        with self.database.write() as session:
            auth_session = AuthSession(
                id=secrets.token_hex(16),
                staff_id=staff.id,
                client_id=client_id,
                created_at=now,
                last_used_at=now,
                expires_at=now + self.settings.refresh_absolute,
            )
            session.add(auth_session)
            session.flush()
            return self._issue(session, auth_session, staff, now)

    def _count_failures(self, session: Session, keys: ThrottleKeys, now: datetime) -> None:
        """One failed password against the name from this address, the name anywhere, and the address."""
        settings = self.settings
        _count(session, keys.pair, now, settings.login_failures_allowed, settings.login_lockout)
        _count(session, keys.user, now, settings.login_failures_per_user, settings.login_lockout)
        if keys.address is not None:
            _count(session, keys.address, now, settings.login_failures_per_address, settings.login_lockout)

    def _issue(self, session: Session, auth_session: AuthSession, staff: StaffRow, now: datetime) -> dict[str, object]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        access_expires = now + self.settings.access_ttl
        refresh_expires = min(now + self.settings.refresh_idle, auth_session.expires_at)
        session.add(AccessToken(token_hash=token_digest(access), session_id=auth_session.id, expires_at=access_expires))
        session.add(RefreshToken(token_hash=token_digest(refresh), session_id=auth_session.id, issued_at=now))
        offices = offices_of(session, staff)
        scopes = [scope_of_office(office) for office in sorted(offices)] + [CALENDAR_SCOPE]
        return {
            "access_token": access,
            "refresh_token": refresh,
            "access_expires_at": access_expires.isoformat(),
            "refresh_expires_at": refresh_expires.isoformat(),
            "staff": row_to_wire("staff", staff),
            "scopes": scopes,
        }

    # --- refresh rotation -----------------------------------------------------------------
    def refresh(self, refresh_token: str) -> dict[str, object]:
        now = self._now()
        digest = token_digest(refresh_token)
        reused = expired = False
        with self.database.write() as session:
            token = session.get(RefreshToken, digest)
            if token is None:
                raise _UNAUTH
            auth_session = session.get(AuthSession, token.session_id)
            assert auth_session is not None
            if auth_session.revoked_at is not None:
                raise _UNAUTH
            claimed = session.execute(
                update(RefreshToken)
                .where(RefreshToken.token_hash == digest, RefreshToken.used_at.is_(None))
                .values(used_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                # A used refresh token came back: it was stolen or copied, end the whole family.
                self._revoke(session, auth_session, now, "refresh_reused")
                reused = True
            else:
                if now > auth_session.expires_at or now - auth_session.last_used_at > self.settings.refresh_idle:
                    self._revoke(session, auth_session, now, "expired")
                    expired = True
                else:
                    staff = session.get(StaffRow, auth_session.staff_id)
                    assert staff is not None
                    if staff.active:
                        auth_session.last_used_at = now
                        return self._issue(session, auth_session, staff, now)
                    self._revoke(session, auth_session, now, "disabled")
        _revoked_now()  # committed: no cached principal of this process outlives it
        if reused:
            raise ApiError(
                401, "refresh_reused", "登录凭据被重复使用，已全部注销 / refresh token reused, all sessions ended"
            )
        raise _EXPIRED if expired else _DISABLED

    def _revoke(self, session: Session, auth_session: AuthSession, now: datetime, why: str) -> None:
        auth_session.revoked_at = now
        auth_session.revoked_why = why
        session.execute(delete(AccessToken).where(AccessToken.session_id == auth_session.id))

    def logout(self, principal: Principal) -> None:
        now = self._now()
        with self.database.write() as session:
            auth_session = session.get(AuthSession, principal.session_id)
            if auth_session is not None and auth_session.revoked_at is None:
                self._revoke(session, auth_session, now, "logout")
        _revoked_now()

    def change_password(
        self, principal: Principal, old_password: str, new_password: str, address: str | None = None
    ) -> None:
        """Throttled like sign-in (a wrong old password counts as a failed sign-in); both argon2 runs
        happen outside any write transaction."""
        now = self._now()
        problem = password_problem(new_password, principal.username)
        if problem is not None:
            raise ApiError(400, "invalid_input", f"{problem.message_zh} / {problem.message_en}")
        keys = throttle_keys(principal.username, address)
        with self.database.read() as session:
            _refuse_if_locked(session, keys, now, "密码错误次数过多", "too many wrong passwords")
            credential = session.get(StaffCredential, principal.staff_id)
            old_hash = credential.password_hash if credential is not None else None
        if old_hash is None or not verify_password(old_hash, old_password):
            with self.database.write() as session:
                self._count_failures(session, keys, now)
            raise _INVALID
        new_hash = hash_password(new_password)
        with self.database.write() as session:
            credential = session.get(StaffCredential, principal.staff_id)
            if credential is None or credential.password_hash != old_hash:  # changed meanwhile: ask again
                raise _INVALID
            credential.password_hash = new_hash
            credential.changed_at = now
            end_all_sessions(session, principal.staff_id, now, "password_changed")
        _revoked_now()

    # --- each request ---------------------------------------------------------------------
    def principal(self, access_token: str) -> Principal:
        now = self._now()
        digest = token_digest(access_token)
        recent = self._recent.get(digest)
        if recent is not None and recent.generation == _generation and time.monotonic() - recent.seen_at < PRINCIPAL_TTL:
            if recent.expires_at <= now:
                raise _EXPIRED
            return recent.principal
        generation = _generation
        with self.database.read() as session:
            found = session.execute(
                select(AccessToken, AuthSession, StaffRow)
                .join(AuthSession, AuthSession.id == AccessToken.session_id)
                .join(StaffRow, StaffRow.id == AuthSession.staff_id)
                .where(AccessToken.token_hash == digest)
            ).one_or_none()
            if found is None:
                raise _UNAUTH
            token, auth_session, staff = found
            if auth_session.revoked_at is not None:
                raise _UNAUTH
            if token.expires_at <= now or auth_session.expires_at <= now:
                raise _EXPIRED
            if not staff.active:
                raise _DISABLED
            principal = Principal(
                staff_id=staff.id,
                username=staff.username,
                role=staff.role,
                department=staff.department,
                office_id=staff.office_id,
                session_id=auth_session.id,
                offices=offices_of(session, staff),
            )
        if len(self._recent) >= _RECENT_LIMIT:
            self._recent.clear()
        expires_at = min(token.expires_at, auth_session.expires_at)
        self._recent[digest] = _Recent(principal, expires_at, time.monotonic(), generation)
        return principal


@dataclass(frozen=True)
class ThrottleKeys:
    """The login_throttle rows one sign-in counts against: the name from this address (locks first, so a
    stranger elsewhere cannot lock a colleague out), the name anywhere (many addresses guessing one
    name), and the address whatever the name (one address guessing many names). A loopback address has
    no row of its own: the embedded server and a proxy on the same host would share it."""

    pair: str
    user: str
    address: str | None


def throttle_keys(username: str, address: str | None) -> ThrottleKeys:
    place = address or "-"
    pair = "ua:" + hashlib.sha256(f"{username}\x00{place}".encode()).hexdigest()[:40]
    own = None if address is None or address in _LOOPBACK else f"ip:{address}"[:64]
    return ThrottleKeys(pair=pair, user=username, address=own)


def _refuse_if_locked(session: Session, keys: ThrottleKeys, now: datetime, zh: str, en: str) -> None:
    names = [key for key in (keys.pair, keys.user, keys.address) if key is not None]
    until = [row.locked_until for row in session.execute(
        select(LoginThrottle).where(LoginThrottle.username.in_(names))).scalars()
        if row.locked_until is not None and row.locked_until > now]
    if until:
        wait = math.ceil((max(until) - now).total_seconds())
        raise ApiError(429, "throttled", f"{zh}，请 {wait} 秒后再试 / {en}, retry in {wait} s",
                       headers={"Retry-After": str(wait)})


def _count(session: Session, key: str, now: datetime, allowed: int, lockout: timedelta) -> None:
    """One failure against `key`; the `allowed`-th within `lockout` of the previous one locks it for `lockout`."""
    # Created if missing without a race (two failures at once), then locked.
    session.execute(dialect_insert(session)(table_of(LoginThrottle)).values(username=key, failures=0)
                    .on_conflict_do_nothing())
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    if row.last_failure_at is not None and now - row.last_failure_at > 10 * lockout:
        row.failures = 0  # an old run of failures is forgotten
    row.failures = (row.failures or 0) + 1
    row.last_failure_at = now
    if row.failures >= allowed:
        row.failures = 0
        row.locked_until = now + lockout


def end_all_sessions(session: Session, staff_id: str, now: datetime, why: str) -> None:
    """Password change or disabling: every desk of this staff member must sign in again (the caller
    calls `_revoked_now()` once committed, so no cached principal outlives it)."""
    ids = list(
        session.execute(
            select(AuthSession.id).where(AuthSession.staff_id == staff_id, AuthSession.revoked_at.is_(None))
        ).scalars()
    )
    if ids:
        session.execute(update(AuthSession).where(AuthSession.id.in_(ids)).values(revoked_at=now, revoked_why=why))
        session.execute(delete(AccessToken).where(AccessToken.session_id.in_(ids)))


def set_password(session: Session, staff_id: str, password: str, now: datetime) -> None:
    credential = session.get(StaffCredential, staff_id)
    if credential is None:
        session.add(StaffCredential(staff_id=staff_id, password_hash=hash_password(password), changed_at=now))
    else:
        credential.password_hash = hash_password(password)
        credential.changed_at = now
