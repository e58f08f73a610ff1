"""Read what the server recorded about pushed mutations (docs/authorship.md): who delivered each, the author
it verified, and whose session carried it — straight from its database, for tests on both sides of the wire."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.db.auth_tables import AuthSession
from backend.db.engine import open_database
from backend.db.sync_tables import MutationLedger


@dataclass(frozen=True)
class Delivery:
    staff_id: str | None  # the staff member whose session pushed it
    author: str | None  # the author the server verified (None: the desk named none)
    session_id: str | None
    session_staff_id: str | None  # whose sign-in that session is
    status: str


def deliveries(url: str, mutation_ids: list[str]) -> dict[str, Delivery]:
    database = open_database(url)
    try:
        with database.read() as session:
            rows = session.execute(
                select(MutationLedger.mutation_id, MutationLedger.staff_id, MutationLedger.result)
                .where(MutationLedger.mutation_id.in_(mutation_ids))
            ).all()
            found: dict[str, Delivery] = {}
            for mutation_id, staff_id, result in rows:
                session_id = result.get("_session")
                owner = session.get(AuthSession, session_id) if session_id else None
                found[mutation_id] = Delivery(staff_id, result.get("_author"), session_id,
                                              owner.staff_id if owner is not None else None, result.get("status", ""))
            return found
    finally:
        database.dispose()
