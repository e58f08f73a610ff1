"""The per-scope change log: each writing transaction takes the next seq of every scope it touches.

The scope_state row is locked for the rest of the transaction, so within a scope the
order of seq numbers is the order of commits, and a reader that sees seq N has also
seen everything below it. The checksum is kept incrementally: a sum of row hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.db.base import table_of
from backend.db.sync_tables import ChangeLog, ScopeState
from backend.sync.events import announce
from domain.sync import CALENDAR_SCOPE, combine, format_checksum, row_hash, scope_of_office


def scope_of(entity: str, office_id: str) -> str:
    return CALENDAR_SCOPE if entity == "calendar_day" else scope_of_office(office_id)


@dataclass
class _Touch:
    entity: str
    entity_id: str
    before: tuple[str, int] | None  # (scope, version) at the start of the transaction
    after: tuple[str, int] | None  # None once deleted
    deleted: bool = False


def dialect_insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _upsert_log(insert: Any) -> Any:
    """INSERT .. ON CONFLICT replace, run once with every row of a scope (executemany)."""
    statement = insert(table_of(ChangeLog))
    return statement.on_conflict_do_update(
        index_elements=["scope", "entity", "entity_id"],
        set_={"seq": statement.excluded.seq, "kind": statement.excluded.kind, "version": statement.excluded.version},
    )


_SCOPES = table_of(ScopeState)
_NEXT_SEQ = (
    _SCOPES.update()
    .where(_SCOPES.c.scope == bindparam("b_scope"))
    .values(last_seq=_SCOPES.c.last_seq + 1)
    .returning(_SCOPES.c.last_seq, _SCOPES.c.checksum, _SCOPES.c.count)
)
_SET_TOTALS = (
    _SCOPES.update()
    .where(_SCOPES.c.scope == bindparam("b_scope"))
    .values(checksum=bindparam("b_checksum"), count=bindparam("b_count"))
)


class ChangeRecorder:
    """Collects the rows a transaction writes; `flush()` writes the change log and counters once."""

    def __init__(self) -> None:
        self._touched: dict[tuple[str, str], _Touch] = {}

    def wrote(self, entity: str, entity_id: str, before: tuple[str, int] | None, after: tuple[str, int]) -> None:
        key = (entity, entity_id)
        if key in self._touched:
            self._touched[key].after = after
        else:
            self._touched[key] = _Touch(entity, entity_id, before, after)

    def deleted(self, entity: str, entity_id: str, before: tuple[str, int]) -> None:
        key = (entity, entity_id)
        touch = self._touched.setdefault(key, _Touch(entity, entity_id, before, None))
        touch.after, touch.deleted = None, True

    def absorb(self, other: ChangeRecorder) -> None:
        """Take over another recorder's touches (a mutation that committed to its savepoint)."""
        for key, touch in other._touched.items():
            mine = self._touched.get(key)
            if mine is None:
                self._touched[key] = touch
            else:
                mine.after, mine.deleted = touch.after, touch.deleted
        other._touched.clear()

    def flush(self, session: Session) -> dict[str, int]:
        """Write the changes; returns the new seq per scope. Call once, just before commit."""
        per_scope: dict[str, list[tuple[_Touch, str]]] = {}
        for touch in self._touched.values():
            if touch.after is not None:
                per_scope.setdefault(touch.after[0], []).append((touch, "upsert"))
            if touch.before is not None and (touch.after is None or touch.after[0] != touch.before[0]):
                per_scope.setdefault(touch.before[0], []).append((touch, "delete" if touch.deleted else "remove"))
        self._touched.clear()
        seqs: dict[str, int] = {}
        insert = dialect_insert(session)
        for scope in sorted(per_scope):  # one lock order everywhere, so writers never deadlock
            # Taking the next seq locks the scope's row until commit (the UPDATE is the lock).
            taken = session.execute(_NEXT_SEQ, {"b_scope": scope}).one_or_none()
            if taken is None:  # the scope's first write
                session.execute(insert(ScopeState).values(scope=scope).on_conflict_do_nothing())
                taken = session.execute(_NEXT_SEQ, {"b_scope": scope}).one()
            seq, checksum_hex, count = taken
            total = int(checksum_hex, 16)
            log_rows: list[dict[str, Any]] = []
            for touch, kind in per_scope[scope]:
                if touch.before is not None and touch.before[0] == scope:
                    total = combine(total, remove=row_hash(touch.entity, touch.entity_id, touch.before[1]))
                    count -= 1
                if kind == "upsert":
                    assert touch.after is not None
                    version = touch.after[1]
                    total = combine(total, add=row_hash(touch.entity, touch.entity_id, version))
                    count += 1
                else:
                    assert touch.before is not None
                    version = touch.before[1]
                log_rows.append({"scope": scope, "entity": touch.entity, "entity_id": touch.entity_id,
                                 "seq": seq, "kind": kind, "version": version})
            session.connection().execute(_upsert_log(insert), log_rows)
            session.execute(_SET_TOTALS, {"b_scope": scope, "b_checksum": format_checksum(total), "b_count": count})
            seqs[scope] = seq
        if seqs:  # the live event streams hear of it at commit, not at their next poll
            announce(session, seqs)
        return seqs


def compact(session: Session, scope: str, up_to_seq: int) -> int:
    """Forget removals and deletions at or below `up_to_seq`; older cursors must then resync."""
    from sqlalchemy import delete

    state = session.execute(select(ScopeState).where(ScopeState.scope == scope).with_for_update()).scalar_one()
    result = session.execute(
        delete(ChangeLog).where(
            ChangeLog.scope == scope, ChangeLog.seq <= up_to_seq, ChangeLog.kind.in_(("remove", "delete"))
        )
    )
    state.horizon = max(state.horizon, min(up_to_seq, state.last_seq))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
