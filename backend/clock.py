"""The server's notion of now: the system clock, or in --test-clock mode a time kept in the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from backend.db.engine import Database
from backend.db.ops_tables import TestClock
from backend.settings import Clock


class DatabaseClock:
    """Every process on the database reads the same injected time, so timers agree across replicas."""

    def __init__(self, database: Database, fallback: Clock) -> None:
        self._database = database
        self._fallback = fallback

    def __call__(self) -> datetime:
        with self._database.read() as session:
            now = session.execute(select(TestClock.now).where(TestClock.id == 1)).scalar_one_or_none()
        return now if now is not None else self._fallback()

    def set(self, now: datetime) -> None:
        with self._database.write() as session:
            row = session.get(TestClock, 1)
            if row is None:
                session.add(TestClock(id=1, now=now.astimezone(UTC)))
            else:
                row.now = now.astimezone(UTC)
