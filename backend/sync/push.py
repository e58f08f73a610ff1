"""Push: a batch in few transactions (up to PER_TRANSACTION mutations each), each mutation isolated.

Why this keeps the invariants:
- atomic with its ledger row: a transaction's ledger rows are claimed first; a mutation's writes
  live in its savepoint and its result is written to its ledger row in the same transaction,
  so they commit together or (crash, error) vanish together and the desk simply retries;
- replay: the ledger's primary key (mutation_id) is claimed with INSERT .. ON CONFLICT DO NOTHING;
  an id someone already stored (sequential or concurrent twin, which waits on the key) is not
  claimed, and its stored result is returned unchanged — but only to the desk or staff member
  that sent it, for the same body, and only while its record is still in the caller's offices
  (`_replay`): a mutation id is not a capability, and a reused id with another body is refused;
- a rejected mutation rolls back to its savepoint, keeps its ledger row, never blocks the rest;
- seq order == commit order: the change log takes one seq per scope per transaction, with the
  scope counter locked until commit (backend.sync.changes), so a page never splits a transaction.

Speed: a chunk first runs without savepoints (most batches have no rejection; a SAVEPOINT and
its RELEASE per mutation cost as much as the mutation itself). If any mutation of that pass
would be rejected or fails, the whole transaction rolls back and the chunk is redone the
careful way, one savepoint per mutation — the outcome is the same, only slower. And a push of
up to PER_TRANSACTION mutations goes to the process's writer thread (backend.group_commit), which
applies the pushes waiting at that moment in one transaction; a longer backlog gets its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend.auth import Principal
from backend.context import AppContext
from backend.db.base import table_of
from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ClientState, MutationLedger
from backend.efficiency.facts import observe_mutation
from backend.group_commit import GroupCommit
from backend.http_errors import ApiError
from backend.permissions import MUTATION_ROLES
from backend.store import Writer, prefetch
from backend.sync import pull as pulling
from backend.sync.changes import ChangeRecorder, dialect_insert
from backend.sync.mutation_kit import HANDLERS, Rejected, Tx
from domain.errors import DomainError, InvalidInput
from domain.sync import Mutation, MutationResult, PushRequest, PushResponse

log = logging.getLogger(__name__)
Item = tuple[Principal, Mutation]  # a mutation and who sent it
_ATTEMPTS = 3
# Mutations per transaction: amortises the commit, yet bounds how long the write lock is held.
PER_TRANSACTION = 100
_LEDGER = table_of(MutationLedger)
_CLIENTS = table_of(ClientState)
_SET_RESULT = (
    _LEDGER.update().where(_LEDGER.c.mutation_id == bindparam("b_id")).values(result=bindparam("b_result"))
)


@dataclass(frozen=True)
class Stored:
    """A ledger row: the stored result, and who sent which body under that mutation id."""

    result: MutationResult
    digest: str | None  # None on rows written before digests were kept
    staff_id: str | None
    client_id: str


_DIGEST_KEY = "_body_sha256"  # kept beside the result in the ledger's JSON, never sent to a desk


def body_digest(mutation: Mutation) -> str:
    """What a mutation says, independent of JSON spelling: a replay must say the same. A mutation naming no
    author digests as before the field existed, so ledger rows stored then still answer its replay."""
    unnamed = {"author"} if mutation.author is None else None
    return hashlib.sha256(mutation.model_dump_json(exclude=unnamed).encode()).hexdigest()


_AUTHOR_KEY = "_author"  # the author the server verified (None: the desk named none), beside the result
_SESSION_KEY = "_session"  # the session that delivered it


def stored_results(session: Session, mutation_ids: list[str]) -> dict[str, Stored]:
    found: dict[str, Stored] = {}
    for start in range(0, len(mutation_ids), 500):
        chunk = mutation_ids[start : start + 500]
        for mutation_id, result, staff_id, client_id in session.execute(
            select(MutationLedger.mutation_id, MutationLedger.result, MutationLedger.staff_id,
                   MutationLedger.client_id).where(MutationLedger.mutation_id.in_(chunk))
        ):
            if result:  # an empty result is a key claimed by a transaction that has not committed
                body = dict(result)
                digest = body.pop(_DIGEST_KEY, None)
                body.pop(_AUTHOR_KEY, None)
                body.pop(_SESSION_KEY, None)
                found[mutation_id] = Stored(MutationResult.model_validate(body), digest, staff_id, client_id)
    return found


def _replay(who: Principal, mutation: Mutation, stored: Stored) -> MutationResult:
    """The answer to a mutation id already in the ledger. The stored result goes back only to its
    own desk or staff member, for the same body, while its record is in the caller's offices."""
    if stored.digest is not None and stored.digest != body_digest(mutation):
        return _rejected(mutation, "duplicate_id",
                         "该操作编号已用于其他内容 / this mutation id was already used for a different change", None)
    if stored.staff_id != who.staff_id and stored.client_id != mutation.client_id:
        return _rejected(mutation, "duplicate_id", "该操作编号已被使用 / this mutation id is already taken", None)
    record = stored.result.record
    office = record.get("office_id") if record else None
    if isinstance(office, str) and office != "*" and not who.may_see_office(office):
        return _rejected(mutation, "out_of_scope", "不属于您的营业单位 / this record belongs to another office", None)
    return stored.result


def _replayed(who: Principal, mutations: list[Mutation], stored: dict[str, Stored]) -> dict[str, MutationResult]:
    """The answers for the ids of `mutations` found in `stored`."""
    return {m.mutation_id: _replay(who, m, stored[m.mutation_id]) for m in mutations if m.mutation_id in stored}


# One desk's push: who sent it and its mutations not answered from the ledger yet.
Push = tuple[Principal, list[Mutation]]
_WRITER_LOCK = threading.Lock()


async def push_async(ctx: AppContext, who: Principal, request: PushRequest) -> PushResponse:
    """The HTTP handler's push. An everyday push goes straight to the writer thread, which also
    answers replayed ids from the ledger; while it waits it holds no request thread."""
    # Another person's change is refused before the ledger sees its id: its author's own session may still
    # deliver it later (docs/authorship.md).
    refused = {m.mutation_id: _not_the_author(m) for m in request.mutations if _misattributed(who, m)}
    # A value out of domain.bounds is that mutation's rejection; the rest of the batch goes on.
    unbounded = {m.mutation_id: _out_of_bounds(m, problem) for m in request.mutations
                 if m.mutation_id not in refused and (problem := m.value_problem()) is not None}
    refused |= unbounded
    mutations = [m for m in request.mutations if m.mutation_id not in refused]
    fresh = _first_of_each(mutations)
    if len(fresh) <= PER_TRANSACTION:
        known: dict[str, MutationResult] = (
            await asyncio.wrap_future(_writer(ctx).submit((who, fresh), len(fresh))) if fresh else {}
        )
    else:
        known = await run_in_threadpool(_apply_all, ctx, who, mutations)
    answers = _answers(request.mutations, {**known, **refused}, undigested=set(unbounded))
    if not pulling.sees_full_identity(who):  # merged records reach the desk's store: masked as a pull's
        answers = pulling.mask_results(answers)
    return PushResponse(results=answers, server_time=ctx.now())


def _misattributed(who: Principal, mutation: Mutation) -> bool:
    return mutation.author is not None and mutation.author != who.staff_id


def _not_the_author(mutation: Mutation) -> MutationResult:
    return _rejected(mutation, "author_mismatch",
                     "此修改须由其作者本人登录后上传 / only its author's own session may deliver this change", None)


def _out_of_bounds(mutation: Mutation, problem: InvalidInput) -> MutationResult:
    return _rejected(mutation, "invalid_input", f"{problem.message_zh} / {problem.message_en}", None)


def _answers(mutations: list[Mutation], known: dict[str, MutationResult], *, undigested: set[str]) -> list[MutationResult]:
    """One result per mutation sent; a second mutation of the batch under an id with another body is refused.
    A mutation refused for an unbounded value keeps that refusal (its body may be too deep to serialise)."""
    first: dict[str, str] = {}
    answers: list[MutationResult] = []
    for mutation in mutations:
        if mutation.mutation_id in undigested:
            answers.append(known[mutation.mutation_id])
            continue
        digest = body_digest(mutation)
        if first.setdefault(mutation.mutation_id, digest) != digest:
            answers.append(_rejected(mutation, "duplicate_id",
                                     "该操作编号已用于其他内容 / this mutation id was already used for a different change",
                                     None))
        else:
            answers.append(known[mutation.mutation_id])
    return answers


def _apply_all(ctx: AppContext, who: Principal, mutations: list[Mutation]) -> dict[str, MutationResult]:
    known, fresh = _known_and_fresh(ctx, who, mutations)
    if fresh:
        _apply_backlog(ctx, who, fresh, known)
    return known


def _known_and_fresh(
    ctx: AppContext, who: Principal, mutations: list[Mutation]
) -> tuple[dict[str, MutationResult], list[Mutation]]:
    """The answers to mutation ids seen before, and the rest (each id once)."""
    if not mutations:
        return {}, []
    firsts = _first_of_each(mutations)
    with ctx.database.read() as session:
        known = _replayed(who, firsts, stored_results(session, [m.mutation_id for m in firsts]))
    return known, [m for m in firsts if m.mutation_id not in known]


def _apply_backlog(ctx: AppContext, who: Principal, fresh: list[Mutation], known: dict[str, MutationResult]) -> None:
    """A long backlog: transactions of its own, in order."""
    for start in range(0, len(fresh), PER_TRANSACTION):
        _apply_chunk(ctx, [(who, m) for m in fresh[start : start + PER_TRANSACTION]], known)


def _writer(ctx: AppContext) -> GroupCommit[Push, dict[str, MutationResult]]:
    with _WRITER_LOCK:
        if ctx.writer is None:
            ctx.writer = GroupCommit(lambda pushes: _apply_pushes(ctx, pushes), PER_TRANSACTION, "push-writer")
        return ctx.writer


def _apply_pushes(ctx: AppContext, pushes: list[Push]) -> list[dict[str, MutationResult] | BaseException]:
    """Several desks' pushes in one transaction; if that fails, each on its own so one cannot fail another."""
    if len(pushes) > 1:
        known: dict[str, MutationResult] = {}
        try:
            items = _first_of_each_item([(who, m) for who, fresh in pushes for m in fresh])
            _apply_chunk(ctx, items, known)
            senders = {m.mutation_id: (who, m) for who, m in items}
            return [{m.mutation_id: _group_answer(who, m, senders[m.mutation_id], known) for m in fresh}
                    for who, fresh in pushes]
        except Exception:  # noqa: S110 - retried push by push below, where the error is reported
            pass
    outcomes: list[dict[str, MutationResult] | BaseException] = []
    for who, fresh in pushes:
        mine: dict[str, MutationResult] = {}
        try:
            _apply_chunk(ctx, [(who, m) for m in fresh], mine)
            outcomes.append(mine)
        except Exception as error:
            outcomes.append(error)
    return outcomes


def _group_answer(who: Principal, mutation: Mutation, sender: Item, known: dict[str, MutationResult]) -> MutationResult:
    """A twin pushed by two desks in one group: the second is answered as a replay of the first."""
    first_who, first = sender
    if first is mutation:
        return known[mutation.mutation_id]
    stored = Stored(known[mutation.mutation_id], body_digest(first), first_who.staff_id, first.client_id)
    return _replay(who, mutation, stored)


class _Redo(Exception):
    """A mutation of the savepoint-free pass could not apply: redo the chunk with a savepoint per mutation."""


def _apply_chunk(ctx: AppContext, items: list[Item], known: dict[str, MutationResult]) -> None:
    careful, tries = False, 0
    while items and tries < _ATTEMPTS:
        try:
            known.update(_apply_once(ctx, items, careful=careful))
            tries += 1  # an id claimed elsewhere whose result is not readable yet is tried again
        except _Redo:  # rolled back; nothing of the chunk is stored; the careful pass is not a retry
            careful = True
        except DBAPIError as error:  # serialization failure, deadlock, lock timeout: the chunk rolled back
            tries += 1
            log.warning("database error on a push batch (attempt %d): %s", tries, type(error).__name__)
            with ctx.database.read() as session:
                stored = stored_results(session, [m.mutation_id for _, m in items])
            for who, mutation in items:
                if mutation.mutation_id in stored:
                    known[mutation.mutation_id] = _replay(who, mutation, stored[mutation.mutation_id])
        items = [(who, m) for who, m in items if m.mutation_id not in known]
    if items:  # chunks before this one stay committed: the desk's retry replays them from the ledger
        raise ApiError(503, "busy", "服务器繁忙，请稍后重试 / the server is busy, please retry")


def _first_of_each(mutations: list[Mutation]) -> list[Mutation]:
    seen: dict[str, Mutation] = {}
    for mutation in mutations:
        seen.setdefault(mutation.mutation_id, mutation)
    return list(seen.values())


def _first_of_each_item(items: list[Item]) -> list[Item]:
    """Twin pushes of one batch in one group: each mutation id once, its first sender's."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item[1].mutation_id, item)
    return list(seen.values())


def _apply_once(ctx: AppContext, items: list[Item], *, careful: bool) -> dict[str, MutationResult]:
    now = ctx.now()
    results: dict[str, MutationResult] = {}
    with ctx.database.write() as session:
        claimed = _claim(session, items, now)
        # Ids a twin stored between our read and our claim: its committed result is the answer.
        twins = [(who, m) for who, m in items if m.mutation_id not in claimed]
        if twins:
            stored = stored_results(session, [m.mutation_id for _, m in twins])
            for who, mutation in twins:
                if mutation.mutation_id in stored:
                    results[mutation.mutation_id] = _replay(who, mutation, stored[mutation.mutation_id])
        mine = [(who, m) for who, m in items if m.mutation_id in claimed]
        wanted: dict[str, list[str]] = {}
        for _, mutation in mine:
            if mutation.entity in ROW_TYPES:
                wanted.setdefault(mutation.entity, []).append(mutation.entity_id)
        prefetch(session, wanted)
        batch = ChangeRecorder()
        for who, mutation in mine:
            results[mutation.mutation_id] = _apply_one(ctx, session, who, mutation, batch, now, careful=careful)
        batch.flush(session)  # its commit wakes the live event streams (backend.sync.events.announce)
        if mine:
            rows = [{"b_id": m.mutation_id,
                     "b_result": {**results[m.mutation_id].model_dump(mode="json"), _DIGEST_KEY: body_digest(m),
                                  _AUTHOR_KEY: m.author, _SESSION_KEY: who.session_id}}
                    for who, m in mine]
            session.connection().execute(_SET_RESULT, rows)
            _note_client(session, [m for _, m in mine])
    return results


def _claim(session: Session, items: list[Item], now: Any) -> set[str]:
    """Take the ledger keys first, so a concurrent twin batch waits on them (and then skips them)."""
    statement = dialect_insert(session)(_LEDGER).on_conflict_do_nothing().returning(_LEDGER.c.mutation_id)
    values = [
        {"mutation_id": m.mutation_id, "client_id": m.client_id, "seq": m.seq, "staff_id": who.staff_id,
         "result": {}, "applied_at": now}
        for who, m in items
    ]
    return set(session.connection().execute(statement, values).scalars())


def _apply_one(
    ctx: AppContext, session: Session, who: Principal, mutation: Mutation, batch: ChangeRecorder, now: Any,
    *, careful: bool,
) -> MutationResult:
    tx = Tx(session=session, writer=Writer(session, now), who=who, now=now, settings=ctx.settings)
    if not careful:
        try:
            result = _dispatch(tx, mutation)
        except DBAPIError as error:
            if isinstance(error, IntegrityError):
                raise _Redo from error
            raise
        except Exception as error:  # a rejection or a defect: the careful pass decides which
            raise _Redo from error
        batch.absorb(tx.writer.changes)
        return result
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
    if _misattributed(tx.who, mutation):  # refused in push_async already; no path may apply it
        # One person's session never lends its authority to another's change: the author delivers it.
        raise Rejected("author_mismatch",
                       "此修改须由其作者本人登录后上传 / only its author's own session may deliver this change")
    if tx.who.role not in roles:
        raise Rejected("forbidden", "您的角色不能执行此操作 / your role may not do this")
    result = handler(tx, mutation)
    observe_mutation(tx.session, result, tx.now, tx.who.staff_id)  # the efficiency monitor's facts
    return result


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
    """Per client in the batch: the highest seq seen and when (one upsert that never lowers last_seq)."""
    newest: dict[str, Mutation] = {}
    for mutation in mutations:
        if mutation.client_id not in newest or newest[mutation.client_id].seq < mutation.seq:
            newest[mutation.client_id] = mutation
    statement = dialect_insert(session)(_CLIENTS)
    statement = statement.on_conflict_do_update(
        index_elements=["client_id"],
        set_={
            "last_seq": case((_CLIENTS.c.last_seq < statement.excluded.last_seq, statement.excluded.last_seq),
                             else_=_CLIENTS.c.last_seq),
            "last_seen_at": statement.excluded.last_seen_at,
        },
    )
    session.connection().execute(statement, [
        {"client_id": client_id, "last_seq": mutation.seq, "last_seen_at": mutation.created_at}
        for client_id, mutation in sorted(newest.items())
    ])


def last_seq(ctx: AppContext, client_id: str) -> int:
    with ctx.database.read() as session:
        value = session.execute(select(ClientState.last_seq).where(ClientState.client_id == client_id)).scalar()
        return int(value or 0)
