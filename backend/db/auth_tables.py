"""Credentials, sessions and tokens: only argon2 hashes and sha256 digests are ever stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class StaffCredential(Base):
    __tablename__ = "staff_credential"
    staff_id: Mapped[str] = mapped_column(String(64), ForeignKey("staff.id"), primary_key=True)
    password_hash: Mapped[str]
    changed_at: Mapped[datetime]


class AuthSession(Base):
    """One sign-in on one desk; it is also the refresh-token family."""

    __tablename__ = "auth_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), ForeignKey("staff.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # the absolute lifetime
    revoked_at: Mapped[datetime | None]
    revoked_why: Mapped[str | None] = mapped_column(String(32))


class AccessToken(Base):
    __tablename__ = "access_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), ForeignKey("auth_session.id"), index=True)
    expires_at: Mapped[datetime]


class RefreshToken(Base):
    __tablename__ = "refresh_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), ForeignKey("auth_session.id"), index=True)
    issued_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed sign-ins per user name, kept in the database so every replica sees them."""

    __tablename__ = "login_throttle"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
