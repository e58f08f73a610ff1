"""Push: apply each mutation in its own transaction together with its ledger row.

The ledger's primary key (mutation_id) is the guard: a replay, sequential or concurrent,
finds the stored result or collides on the key, rolls back and reads the stored result.
"""

from __future__ import annotations

import logging

from sqlalchemy import case, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext
from backend.db.sync_tables import ClientState, MutationLedger
from backend.http_errors import ApiError
from backend.permissions import MUTATION_ROLES
from backend.store import Writer
from backend.sync.changes import _insert
from backend.sync.mutation_kit import HANDLERS, Rejected, Tx
from domain.errors import DomainError
from domain.sync import Mutation, MutationResult, PushRequest, PushResponse

log = logging.getLogger(__name__)
_ATTEMPTS = 3


def push(ctx: AppContext, who: Principal, request: PushRequest) -> PushResponse:
    results = [apply_mutation(ctx, who, mutation) for mutation in request.mutations]
    return PushResponse(results=results, server_time=ctx.now())


def stored_result(ctx: AppContext, mutation_id: str) -> MutationResult | None:
    with ctx.database.read() as session:
        stored = session.get(MutationLedger, mutation_id)
        return MutationResult.model_validate(stored.result) if stored is not None else None


def apply_mutation(ctx: AppContext, who: Principal, mutation: Mutation) -> MutationResult:
    for attempt in range(_ATTEMPTS):
        stored = stored_result(ctx, mutation.mutation_id)
        if stored is not None:
            return stored
        try:
            return _apply_once(ctx, who, mutation)
        except IntegrityError:
            # Someone else stored this mutation id first: their result is the answer.
            stored = stored_result(ctx, mutation.mutation_id)
            if stored is not None:
                return stored
            log.warning("integrity error on mutation %s, attempt %d", mutation.mutation_id, attempt + 1)
        except DBAPIError as error:  # serialization failure, lock timeout: try again
            log.warning("database error on mutation %s: %s", mutation.mutation_id, type(error).__name__)
    raise ApiError(503, "busy", "服务器繁忙，请稍后重试 / the server is busy, please retry")


def _apply_once(ctx: AppContext, who: Principal, mutation: Mutation) -> MutationResult:
    now = ctx.now()
    with ctx.database.write() as session:
        ledger = MutationLedger(
            mutation_id=mutation.mutation_id,
            client_id=mutation.client_id,
            seq=mutation.seq,
            staff_id=who.staff_id,
            result={},
            applied_at=now,
        )
        session.add(ledger)
        session.flush()  # take the ledger key first, so a concurrent twin waits or collides here
        _note_client(session, mutation)
        tx = Tx(session=session, writer=Writer(session, now), who=who, now=now, settings=ctx.settings)
        try:
            with session.begin_nested():
                result = _dispatch(tx, mutation)
                tx.writer.finish()
        except Rejected as rejection:
            result = _rejected(mutation, rejection.code, rejection.reason, rejection.record)
        except DomainError as error:
            result = _rejected(mutation, error.code, f"{error.message_zh} / {error.message_en}", None)
        except IntegrityError:
            result = _rejected(mutation, "conflict", "与已有记录冲突 / conflicts with an existing record", None)
        except DBAPIError:
            raise
        except Exception:  # a defect must not take the queue down: reject, keep the traceback
            log.exception("mutation %s (%s/%s) failed", mutation.mutation_id, mutation.entity, mutation.op)
            result = _rejected(mutation, "server_error", "服务器处理失败 / the server could not apply this", None)
        ledger.result = result.model_dump(mode="json")
    return result


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


def _note_client(session: Session, mutation: Mutation) -> None:
    insert = _insert(session)
    session.execute(insert(ClientState).values(client_id=mutation.client_id, last_seq=0).on_conflict_do_nothing())
    session.execute(
        update(ClientState)
        .where(ClientState.client_id == mutation.client_id)
        .values(
            last_seq=case((ClientState.last_seq < mutation.seq, mutation.seq), else_=ClientState.last_seq),
            last_seen_at=mutation.created_at,
        )
    )


def last_seq(ctx: AppContext, client_id: str) -> int:
    with ctx.database.read() as session:
        value = session.execute(select(ClientState.last_seq).where(ClientState.client_id == client_id)).scalar()
        return int(value or 0)
