"""`onewindow-server rebuild-efficiency`: the indicator sums recomputed from the raw records."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.db.records import OfficeRow
from backend.efficiency.facts import rebuild


def rebuild_command(url: str, offices: Sequence[str] | None) -> str:
    """Rebuild these offices (ids or codes; all when None) in one transaction; raises ValueError naming
    an unknown office before anything is changed."""
    upgrade(url)
    database = open_database(url)
    try:
        with database.write() as session:
            office_ids: list[str] | None = None
            if offices:
                office_ids = []
                for wanted in offices:
                    found = session.execute(select(OfficeRow.id).where(
                        or_(OfficeRow.id == wanted, OfficeRow.code == wanted))).scalar_one_or_none()
                    if found is None:
                        raise ValueError(f"no office {wanted!r}")
                    office_ids.append(found)
            counted = rebuild(session, office_ids)
        where = "every office" if office_ids is None else ", ".join(sorted(office_ids))
        return f"efficiency indicators rebuilt from {counted} tickets ({where})"
    finally:
        database.dispose()
