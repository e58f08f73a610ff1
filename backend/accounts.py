"""Account control for `onewindow-server`: create, set a password, disable, enable.

Each change that could leave an old credential working ends every session of the account (their
desks must sign in again, and their live event streams close within a poll). Offices are never
created by accident: an unknown office is refused unless asked for by name (`--new-office`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.auth import end_all_sessions, set_password
from backend.db.engine import open_database
from backend.db.records import OfficeRow, StaffRow
from backend.store import Writer
from domain.passwords import password_problem


class AccountError(Exception):
    """A refused account command; the message is for the operator's terminal."""


def check_new_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise AccountError(problem.message_en)


def find_office(session: Session, office: str) -> str | None:
    """The id of the office with this id or code, or None."""
    found = session.execute(
        select(OfficeRow.id).where(or_(OfficeRow.id == office, OfficeRow.code == office))
    ).scalar_one_or_none()
    return found


def refuse_create(url: str, *, username: str, office: str, new_office: bool) -> None:
    """Why `create-user` must not go on: the user exists, or the office is unknown and not asked for."""
    database = open_database(url)
    try:
        with database.read() as session:
            if session.execute(select(StaffRow.id).where(StaffRow.username == username)).first() is not None:
                raise AccountError(f"user {username!r} exists: use set-password, disable-user or enable-user")
            if find_office(session, office) is None and not new_office:
                raise AccountError(f"unknown office {office!r}: check the id or code, or pass --new-office to create it")
    finally:
        database.dispose()


def _staff(session: Session, username: str) -> StaffRow:
    staff = session.execute(select(StaffRow).where(StaffRow.username == username)).scalar_one_or_none()
    if staff is None:
        raise AccountError(f"no user {username!r}")
    return staff


def change_password(url: str, username: str, password: str) -> str:
    check_new_password(password, username)
    now = datetime.now(UTC)
    database = open_database(url)
    try:
        with database.write() as session:
            staff = _staff(session, username)
            set_password(session, staff.id, password, now)
            end_all_sessions(session, staff.id, now, "password_changed")
            return staff.id
    finally:
        database.dispose()


def set_active(url: str, username: str, active: bool) -> str:
    """Disable (ending every session; sign-in and refresh are refused) or enable an account."""
    now = datetime.now(UTC)
    database = open_database(url)
    try:
        with database.write() as session:
            staff = _staff(session, username)
            if staff.active != active:
                writer = Writer(session, now)
                writer.update("staff", staff, {"active": active})
                writer.finish()
            end_all_sessions(session, staff.id, now, "disabled" if not active else "enabled")
            return staff.id
    finally:
        database.dispose()
