"""Channel ingestion: the hotline CTI and the customer app reach us with an `X-Channel-Key`."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context
from backend.db.ops_tables import ChannelRequest, ScreenPop
from backend.db.records import AccountRow, CustomerRow, EvaluationRow, InteractionRow, StaffRow, TicketRow
from backend.efficiency import facts as efficiency
from backend.http_errors import ApiError
from backend.store import Writer
from backend.sync.mutation_kit import Rejected, Tx
from backend.workflow_engine import create_ticket
from domain import app_ratings, bounds
from domain.errors import DomainError
from domain.records import Evaluation, Interaction, Verification
from domain.sync import Mutation

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])
_NAMESPACE = uuid.UUID("c3a5f0d2-1f7e-4c4e-9b8a-5e2f6d7c8b90")


def channel_key(
    x_channel_key: str | None = Header(default=None), ctx: AppContext = Depends(context)
) -> None:
    expected = ctx.settings.channel_key
    if expected is None or x_channel_key is None or not secrets.compare_digest(x_channel_key, expected):
        raise ApiError(401, "unauthenticated", "渠道密钥无效 / invalid channel key")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _within_bounds(self) -> _Body:
        """Free-form JSON, text and times within domain.bounds, as for a desk's mutation."""
        for name, value in self:
            if isinstance(value, dict):
                bounds.check_json(f"channel.{name}", value)
            elif isinstance(value, datetime):
                bounds.check_moment(f"channel.{name}", value)
            elif isinstance(value, str):
                bounds.check_text(f"channel.{name}", value)
        return self


class HotlineCall(_Body):
    call_id: str = Field(min_length=1, max_length=64)
    caller_number: str = Field(min_length=1, max_length=32)
    agent_username: str = Field(min_length=1, max_length=64)
    at: datetime


class HotlineAnswer(BaseModel):
    interaction_id: str
    customer_ids: list[str]


class AppRequest(_Body):
    request_id: str = Field(min_length=1, max_length=96)
    account_no: str = Field(min_length=1, max_length=32)
    id_number: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    real_name_verified: bool
    verification_ref: str | None = Field(default=None, max_length=128)
    type_code: str = Field(min_length=1, max_length=64)
    summary: str = Field(default="", max_length=bounds.TEXT_LIMITS["ticket.summary"])
    fields: dict[str, object] = Field(default_factory=dict)
    materials: list[str] = Field(default_factory=list, max_length=50)  # material codes uploaded in the app


class AppAnswer(BaseModel):
    ticket_id: str
    ticket_number: str | None


class AppRating(_Body):
    """客户评价 from the app (domain.app_ratings): the customer, identified as for a request, rates a finished
    ticket of theirs once. `score` is checked by the domain rule, so a wrong one gets its message."""

    request_id: str = Field(min_length=1, max_length=96)
    account_no: str = Field(min_length=1, max_length=32)
    id_number: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    ticket_number: str = Field(min_length=1, max_length=64)
    score: object = None
    comment: str = Field(default="", max_length=bounds.TEXT_LIMITS["evaluation.comment"])


class AppRatingAnswer(BaseModel):
    evaluation_id: str
    ticket_id: str
    score: int


@router.post("/hotline/calls", response_model=HotlineAnswer, dependencies=[Depends(channel_key)])
def hotline_call(body: HotlineCall, ctx: AppContext = Depends(context)) -> HotlineAnswer:
    if body.at.tzinfo is None:
        raise ApiError(400, "invalid_input", "时间须带时区 / `at` needs a time zone")
    interaction_id = str(uuid.uuid5(_NAMESPACE, f"call:{body.call_id}"))
    now = ctx.now()
    try:
        with ctx.database.write() as session:
            agent = session.execute(select(StaffRow).where(StaffRow.username == body.agent_username)).scalar_one_or_none()
            if agent is None or not agent.active:
                raise ApiError(404, "not_found", "坐席不存在 / no such agent")
            customer_ids = list(
                session.execute(
                    select(CustomerRow.id).where(
                        CustomerRow.office_id == agent.office_id, CustomerRow.phone == body.caller_number
                    ).limit(20)
                ).scalars()
            )
            if session.get(InteractionRow, interaction_id) is not None:
                return HotlineAnswer(interaction_id=interaction_id, customer_ids=customer_ids)
            writer = Writer(session, now)
            writer.insert(
                Interaction(
                    id=interaction_id,
                    office_id=agent.office_id,
                    customer_id=customer_ids[0] if len(customer_ids) == 1 else None,
                    channel="hotline",
                    type="call",
                    at=body.at,
                    staff_id=agent.id,
                    call_id=body.call_id,
                    caller_number=body.caller_number,
                )
            )
            writer.finish()
            payload = {
                "interaction_id": interaction_id,
                "call_id": body.call_id,
                "caller_number": body.caller_number,
                "customer_ids": customer_ids,
            }
            session.add(ScreenPop(staff_id=agent.id, payload=payload, created_at=now))
    except IntegrityError:  # the same call reported twice at once: the first one stands
        pass
    return HotlineAnswer(interaction_id=interaction_id, customer_ids=customer_ids)


@router.post("/app/requests", response_model=AppAnswer, dependencies=[Depends(channel_key)])
def app_request(body: AppRequest, ctx: AppContext = Depends(context)) -> AppAnswer:
    def take() -> AppAnswer:
        if not body.real_name_verified:
            raise ApiError(400, "not_verified", "客户未通过实名认证 / the customer has not passed real-name verification")
        return _take_app_request(ctx, body)

    return _answer_once(ctx, f"app:{body.request_id}", AppAnswer, take)


Answer = TypeVar("Answer", bound=BaseModel)


def _answer_once(ctx: AppContext, key: str, model: type[Answer], take: Callable[[], Answer]) -> Answer:
    """The answer stored under an app request's id, else `take()`'s; a concurrent retry that collides on the id
    gets the answer the first one stored."""
    stored = _stored(ctx, key, model)
    if stored is not None:
        return stored
    try:
        return take()
    except IntegrityError:
        stored = _stored(ctx, key, model)
        if stored is None:
            raise ApiError(409, "conflict", "请求冲突，请重试 / conflicting request, please retry") from None
        return stored


def _stored(ctx: AppContext, key: str, model: type[Answer]) -> Answer | None:
    with ctx.database.read() as session:
        row = session.get(ChannelRequest, key)
        return model.model_validate(row.response) if row is not None else None


def _claim_and_identify(session: Session, key: str, now: datetime, account_no: str, id_number: str,
                        name: str) -> tuple[AccountRow, CustomerRow]:
    """Claim the request id first (a concurrent retry collides here), then the account's holder, who must be the
    person the app verified."""
    session.add(ChannelRequest(request_id=key, response={}, created_at=now))
    session.flush()
    found = session.execute(
        select(AccountRow, CustomerRow)
        .join(CustomerRow, CustomerRow.id == AccountRow.customer_id)
        .where(AccountRow.account_no == account_no)
    ).first()
    if found is None:
        raise ApiError(404, "not_found", "户号不存在 / no such account")
    account, customer = found
    if (customer.id_number or "").upper() != id_number.strip().upper() or customer.name != name.strip():
        raise ApiError(403, "identity_mismatch", "身份信息与户号不符 / identity does not match the account")
    return account, customer


def _take_app_request(ctx: AppContext, body: AppRequest) -> AppAnswer:
    now = ctx.now()
    with ctx.database.write() as session:
        account, customer = _claim_and_identify(session, f"app:{body.request_id}", now, body.account_no,
                                                body.id_number, body.name)
        system = Principal(
            staff_id="system:app", username="system:app", role="admin", department=None,
            office_id=customer.office_id, session_id="", offices=frozenset({customer.office_id}),
        )
        writer = Writer(session, now)
        tx = Tx(session=session, writer=writer, who=system, now=now, settings=ctx.settings)
        writer.insert(
            Verification(
                id=str(uuid.uuid5(_NAMESPACE, f"app-verification:{body.request_id}")),
                office_id=customer.office_id,
                customer_id=customer.id,
                channel="app",
                method="app_real_name",
                evidence_ref=body.verification_ref,
                at=now,
                outcome="passed",
            )
        )
        ticket_id = str(uuid.uuid5(_NAMESPACE, f"app-ticket:{body.request_id}"))
        mutation = Mutation(
            mutation_id=f"app:{body.request_id}",
            client_id="channel:app",
            seq=1,
            entity="ticket",
            entity_id=ticket_id,
            op="create",
            fields={
                "type_code": body.type_code,
                "channel": "app",
                "customer_id": customer.id,
                "account_id": account.id,
                "summary": body.summary,
                "fields": body.fields,
                "materials": body.materials,
                "accepted_at": now.isoformat(),
                "office_id": customer.office_id,
            },
            created_at=now,
        )
        try:
            result = create_ticket(tx, mutation)
        except Rejected as rejection:
            raise ApiError(400, rejection.code, rejection.reason) from None
        writer.finish()
        efficiency.refresh_ticket(session, ticket_id, now, None)  # counted by the monitor, as the push path does
        answer = AppAnswer(ticket_id=ticket_id, ticket_number=result.ticket_number)
        row = session.get(ChannelRequest, f"app:{body.request_id}")
        assert row is not None
        row.response = answer.model_dump()
    return answer


@router.post("/app/ratings", response_model=AppRatingAnswer, dependencies=[Depends(channel_key)])
def app_rating(body: AppRating, ctx: AppContext = Depends(context)) -> AppRatingAnswer:
    """The customer rates a finished ticket in the app, once; a retry of the same request gets the same answer.
    Bad input (unknown account, identity not matching, not their ticket, not finished, rated already, a wrong score)
    is refused with a message and stores nothing."""
    return _answer_once(ctx, f"app-rating:{body.request_id}", AppRatingAnswer, lambda: _take_app_rating(ctx, body))


def _take_app_rating(ctx: AppContext, body: AppRating) -> AppRatingAnswer:
    now = ctx.now()
    with ctx.database.write() as session:
        _account, customer = _claim_and_identify(session, f"app-rating:{body.request_id}", now, body.account_no,
                                                 body.id_number, body.name)
        ticket = session.execute(select(TicketRow).where(TicketRow.number == body.ticket_number.strip())
                                 .with_for_update()).scalar_one_or_none()
        if ticket is None or ticket.customer_id != customer.id:
            raise ApiError(404, "not_found", "未找到您的这张工单 / no such ticket of yours")
        rated = session.execute(select(EvaluationRow.id).where(
            EvaluationRow.ticket_id == ticket.id, EvaluationRow.channel == app_ratings.APP).limit(1)).first()
        try:
            score, comment = app_ratings.check_app_rating(ticket_state=ticket.state, already_rated=rated is not None,
                                                          score=body.score, comment=body.comment)
        except DomainError as error:
            status, code = (409, "already_rated") if rated is not None else (400, "invalid_input")
            raise ApiError(status, code, f"{error.message_zh} / {error.message_en}") from None
        evaluation_id = str(uuid.uuid5(_NAMESPACE, f"app-rating:{body.request_id}"))
        writer = Writer(session, now)
        writer.insert(Evaluation(id=evaluation_id, office_id=ticket.office_id, ticket_id=ticket.id,
                                 evaluator="customer", score=score, comment=comment, by="system:app", at=now,
                                 channel=app_ratings.APP))
        writer.finish()
        efficiency.refresh_ticket(session, ticket.id, now, None)  # counted in 满意度 at once, as a push would
        answer = AppRatingAnswer(evaluation_id=evaluation_id, ticket_id=ticket.id, score=score)
        row = session.get(ChannelRequest, f"app-rating:{body.request_id}")
        assert row is not None
        row.response = answer.model_dump()
    return answer
