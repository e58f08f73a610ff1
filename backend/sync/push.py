"""Push: a batch in few transactions (up to PER_TRANSACTION mutations each), each mutation in a SAVEPOINT.

Why this keeps the invariants:
- atomic with its ledger row: a transaction's ledger rows are claimed first; a mutation's writes
  live in its savepoint and its result is written to its ledger row in the same transaction,
  so they commit together or (crash, error) vanish together and the desk simply retries;
- replay: the ledger's primary key (mutation_id) is claimed with INSERT .. ON CONFLICT DO NOTHING;
  an id someone already stored (sequential or concurrent twin, which waits on the key) is not
  claimed, and its stored result is returned unchanged;
- a rejected mutation rolls back to its savepoint, keeps its ledger row, never blocks the rest;
- seq order == commit order: the change log takes one seq per scope per transaction, with the
  scope counter locked until commit (backend.sync.changes), so a page never splits a transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext
from backend.db.base import table_of
from backend.db.sync_tables import ClientState, MutationLedger
from backend.http_errors import ApiError
from backend.permissions import MUTATION_ROLES
from backend.store import Writer
from backend.sync.changes import ChangeRecorder, _insert
from backend.sync.mutation_kit import HANDLERS, Rejected, Tx
from domain.errors import DomainError
from domain.sync import Mutation, MutationResult, PushRequest, PushResponse

log = logging.getLogger(__name__)
_ATTEMPTS = 3
# Mutations per transaction: amortises the commit, yet bounds how long the write lock is held.
PER_TRANSACTION = 25
_LEDGER = table_of(MutationLedger)
_SET_RESULT = (
    _LEDGER.update().where(_LEDGER.c.mutation_id == bindparam("b_id")).values(result=bindparam("b_result"))
)


def push(ctx: AppContext, who: Principal, request: PushRequest) -> PushResponse:
    results = apply_batch(ctx, who, request.mutations)
    return PushResponse(results=results, server_time=ctx.now())


def stored_results(session: Session, mutation_ids: list[str]) -> dict[str, MutationResult]:
    found: dict[str, MutationResult] = {}
    for start in range(0, len(mutation_ids), 500):
        chunk = mutation_ids[start : start + 500]
        for mutation_id, result in session.execute(
            select(MutationLedger.mutation_id, MutationLedger.result).where(MutationLedger.mutation_id.in_(chunk))
        ):
            if result:  # an empty result is a key claimed by a transaction that has not committed
                found[mutation_id] = MutationResult.model_validate(result)
    return found


def apply_batch(ctx: AppContext, who: Principal, mutations: list[Mutation]) -> list[MutationResult]:
    """One result per mutation, in order; a mutation id seen before (or twice here) answers its stored result."""
    if not mutations:
        return []
    ids = list(dict.fromkeys(m.mutation_id for m in mutations))
    with ctx.database.read() as session:
        known = stored_results(session, ids)
    fresh = [m for m in _first_of_each(mutations) if m.mutation_id not in known]
    for start in range(0, len(fresh), PER_TRANSACTION):
        _apply_chunk(ctx, who, fresh[start : start + PER_TRANSACTION], known)
    return [known[m.mutation_id] for m in mutations]


def _apply_chunk(ctx: AppContext, who: Principal, fresh: list[Mutation], known: dict[str, MutationResult]) -> None:
    for attempt in range(_ATTEMPTS):
        if not fresh:
            return
        try:
            known.update(_apply_once(ctx, who, fresh))
        except DBAPIError as error:  # serialization failure, deadlock, lock timeout: the chunk rolled back
            log.warning("database error on a push batch (attempt %d): %s", attempt + 1, type(error).__name__)
            with ctx.database.read() as session:
                known.update(stored_results(session, [m.mutation_id for m in fresh]))
        fresh = [m for m in fresh if m.mutation_id not in known]
    if fresh:  # chunks before this one stay committed: the desk's retry replays them from the ledger
        raise ApiError(503, "busy", "服务器繁忙，请稍后重试 / the server is busy, please retry")


def _first_of_each(mutations: list[Mutation]) -> list[Mutation]:
    seen: dict[str, Mutation] = {}
    for mutation in mutations:
        seen.setdefault(mutation.mutation_id, mutation)
    return list(seen.values())


def _apply_once(ctx: AppContext, who: Principal, mutations: list[Mutation]) -> dict[str, MutationResult]:
    now = ctx.now()
    results: dict[str, MutationResult] = {}
    with ctx.database.write() as session:
        claimed = _claim(session, who, mutations, now)
        # Ids a twin stored between our read and our claim: its committed result is the answer.
        results.update(stored_results(session, [m.mutation_id for m in mutations if m.mutation_id not in claimed]))
        batch = ChangeRecorder()
        for mutation in mutations:
            if mutation.mutation_id in claimed:
                results[mutation.mutation_id] = _apply_one(ctx, session, who, mutation, batch, now)
        batch.flush(session)
        rows = [
            {"b_id": m.mutation_id, "b_result": results[m.mutation_id].model_dump(mode="json")}
            for m in mutations
            if m.mutation_id in claimed
        ]
        if rows:
            session.connection().execute(_SET_RESULT, rows)
            _note_client(session, [m for m in mutations if m.mutation_id in claimed])
    return results


def _claim(session: Session, who: Principal, mutations: list[Mutation], now: Any) -> set[str]:
    """Take the ledger keys first, so a concurrent twin batch waits on them (and then skips them)."""
    insert = _insert(session)
    claimed: set[str] = set()
    for start in range(0, len(mutations), 200):
        values = [
            {"mutation_id": m.mutation_id, "client_id": m.client_id, "seq": m.seq, "staff_id": who.staff_id,
             "result": {}, "applied_at": now}
            for m in mutations[start : start + 200]
        ]
        statement = insert(MutationLedger).values(values).on_conflict_do_nothing().returning(MutationLedger.mutation_id)
        claimed.update(session.execute(statement).scalars())
    return claimed


def _apply_one(
    ctx: AppContext, session: Session, who: Principal, mutation: Mutation, batch: ChangeRecorder, now: Any
) -> MutationResult:
    tx = Tx(session=session, writer=Writer(session, now), who=who, now=now, settings=ctx.settings)
    try:
        with session.begin_nested():
            result = _dispatch(tx, mutation)
        batch.absorb(tx.writer.changes)
        return result
    except Rejected as rejection:
        return _rejected(mutation, rejection.code, rejection.reason, rejection.record)
    except DomainError as error:
        return _rejected(mutation, error.code, f"{error.message_zh} / {error.message_en}", None)
    except IntegrityError:
        return _rejected(mutation, "conflict", "与已有记录冲突 / conflicts with an existing record", None)
    except DBAPIError:
        raise
    except Exception:  # a defect must not take the queue down: reject, keep the traceback
        log.exception("mutation %s (%s/%s) failed", mutation.mutation_id, mutation.entity, mutation.op)
        return _rejected(mutation, "server_error", "服务器处理失败 / the server could not apply this", None)


def _dispatch(tx: Tx, mutation: Mutation) -> MutationResult:
    key = (mutation.entity, mutation.op)
    handler = HANDLERS.get(key)
    roles = MUTATION_ROLES.get(key)
    if handler is None or roles is None:
        raise Rejected("unsupported", f"不支持的操作 / {mutation.entity}/{mutation.op} is not supported")
    if tx.who.role not in roles:
        raise Rejected("forbidden", "您的角色不能执行此操作 / your role may not do this")
    return handler(tx, mutation)


def _rejected(mutation: Mutation, code: str, reason: str, record: dict[str, object] | None) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="rejected",
        entity=mutation.entity,
        entity_id=mutation.entity_id,
        code=code,
        reason=reason,
        record=record,
    )


def _note_client(session: Session, mutations: list[Mutation]) -> None:
    """Per client in the batch: the highest seq seen and when."""
    newest: dict[str, Mutation] = {}
    for mutation in mutations:
        if mutation.client_id not in newest or newest[mutation.client_id].seq < mutation.seq:
            newest[mutation.client_id] = mutation
    insert = _insert(session)
    for client_id, mutation in sorted(newest.items()):
        session.execute(insert(ClientState).values(client_id=client_id, last_seq=0).on_conflict_do_nothing())
        session.execute(
            update(ClientState)
            .where(ClientState.client_id == client_id)
            .values(
                last_seq=case((ClientState.last_seq < mutation.seq, mutation.seq), else_=ClientState.last_seq),
                last_seen_at=mutation.created_at,
            )
        )


def last_seq(ctx: AppContext, client_id: str) -> int:
    with ctx.database.read() as session:
        value = session.execute(select(ClientState.last_seq).where(ClientState.client_id == client_id)).scalar()
        return int(value or 0)
