"""Identity check by SMS code for the hotline: send a 6-digit code to the phone on file, check what the caller reads back.

Every check is a Verification record (method `sms_code`), synced in the office scope. Codes live 5
minutes, only their digest is stored, and 5 wrong tries spend the code. A customer gets at most one
code a minute and five an hour, so the endpoint cannot be used to flood a phone. Phone numbers appear masked
in logs and answers, never whole.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.desk_tables import SmsCode, SmsMessage
from backend.db.records import CustomerRow
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.limits import charge_sms
from backend.sms import SmsGateway
from backend.store import Writer, row_to_wire
from domain import bounds
from domain.masking import mask_phone
from domain.records import Verification

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/verification/sms", tags=["verification"])
testing_router = APIRouter(prefix="/api/v1/test", tags=["test"], include_in_schema=False)
_WINDOW = timedelta(hours=1)
CheckReason = Literal["passed", "wrong_code", "too_many_attempts", "expired", "no_code"]


class SendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: str = Field(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN)


class SendAnswer(BaseModel):
    customer_id: str
    phone_masked: str
    expires_at: datetime


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: str = Field(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN)
    code: str = Field(min_length=1, max_length=12)


class CheckAnswer(BaseModel):
    outcome: Literal["passed", "failed"]
    reason: CheckReason
    attempts_left: int
    verification: dict[str, Any]


def _digest(customer_id: str, code: str) -> str:
    return hashlib.sha256(f"{customer_id}:{code}".encode()).hexdigest()


def _customer(session: Session, who: Principal, customer_id: str) -> CustomerRow:
    customer = session.get(CustomerRow, customer_id)
    if customer is None:
        raise ApiError(404, "not_found", "客户不存在 / no such customer")
    if not who.may_see_office(customer.office_id):
        raise OUT_OF_SCOPE
    return customer


def _check_rate(row: SmsCode, now: datetime, resend_after: timedelta, per_hour: int) -> None:
    """Refuse (429 with Retry-After) a code sent too soon after the last, or past the hourly cap."""
    wait = row.created_at + resend_after - now
    if wait <= timedelta(0) and row.window_started_at is not None and row.sends_in_window >= per_hour:
        wait = row.window_started_at + _WINDOW - now
        code, zh, en = "sms_limit", f"该客户一小时内已发送 {per_hour} 次验证码", f"{per_hour} codes were sent to this customer within the hour"
    else:
        code, zh, en = "sms_too_soon", "验证码刚刚发送过", "a code was just sent to this customer"
    if wait > timedelta(0):
        seconds = math.ceil(wait.total_seconds())
        raise ApiError(429, code, f"{zh}，请 {seconds} 秒后再试 / {en}; retry in {seconds} s",
                       headers={"Retry-After": str(seconds)})


def sms_gateway(request: Request) -> SmsGateway:
    gateway: SmsGateway = request.app.state.sms
    return gateway


@router.post("", response_model=SendAnswer)
def send_code(
    body: SendRequest, request: Request, who: Principal = Depends(principal), ctx: AppContext = Depends(context),
    gateway: SmsGateway = Depends(sms_gateway),
) -> SendAnswer:
    now = ctx.now()
    code = f"{secrets.randbelow(10**6):06d}"
    expires_at = now + ctx.settings.sms_code_ttl
    with ctx.database.write() as session:
        customer = _customer(session, who, body.customer_id)
        if not customer.phone:
            raise ApiError(409, "no_phone", "客户未登记手机号码 / the customer has no phone number on file")
        charge_sms(session, staff_id=who.staff_id, address=request.client.host if request.client else None, now=now,
                   per_staff=ctx.settings.sms_sends_per_staff, per_address=ctx.settings.sms_sends_per_address,
                   window=ctx.settings.sms_sender_window)
        phone = customer.phone
        row = session.get(SmsCode, customer.id, with_for_update=True)
        if row is None:
            row = SmsCode(customer_id=customer.id, sends_in_window=0)
            session.add(row)
        else:
            _check_rate(row, now, ctx.settings.sms_resend_after, ctx.settings.sms_sends_per_hour)
        if row.window_started_at is None or now - row.window_started_at >= _WINDOW:
            row.window_started_at, row.sends_in_window = now, 0
        row.sends_in_window += 1
        row.code_hash, row.staff_id, row.created_at, row.expires_at = _digest(customer.id, code), who.staff_id, now, expires_at
        row.attempts, row.spent = 0, False
    minutes = int(ctx.settings.sms_code_ttl.total_seconds() // 60)
    gateway.send(phone, f"【国网】您的身份验证码为 {code}，{minutes}分钟内有效，请勿告知他人。", reference=body.customer_id, at=now)
    log.info("SMS verification code sent to %s for customer %s", mask_phone(phone), body.customer_id)
    return SendAnswer(customer_id=body.customer_id, phone_masked=mask_phone(phone), expires_at=expires_at)


@router.post("/check", response_model=CheckAnswer)
def check_code(body: CheckRequest, who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> CheckAnswer:
    now = ctx.now()
    limit = ctx.settings.sms_max_attempts
    with ctx.database.write() as session:
        customer = _customer(session, who, body.customer_id)
        row = session.get(SmsCode, customer.id, with_for_update=True)
        reason: CheckReason
        if row is None or row.spent:
            reason = "no_code"
        elif row.expires_at <= now:
            reason, row.spent = "expired", True
        elif secrets.compare_digest(row.code_hash, _digest(customer.id, body.code.strip())):
            reason, row.spent = "passed", True
        else:
            row.attempts += 1
            row.spent = row.attempts >= limit
            reason = "too_many_attempts" if row.spent else "wrong_code"
        left = 0 if row is None or row.spent else limit - row.attempts
        writer = Writer(session, now)
        verification = writer.insert(
            Verification(
                id=str(uuid.uuid4()), office_id=customer.office_id, customer_id=customer.id,
                channel="hotline" if who.role == "hotline" else "hall", method="sms_code", evidence_ref=f"sms:{reason}",
                staff_id=who.staff_id, at=now, outcome="passed" if reason == "passed" else "failed",
            )
        )
        writer.finish()
        record = row_to_wire("verification", verification)
    return CheckAnswer(outcome=record["outcome"], reason=reason, attempts_left=left, verification=record)


class TestSms(BaseModel):
    customer_id: str
    code: str
    phone_masked: str
    sent_at: datetime


@testing_router.get("/sms", response_model=TestSms)
def last_code(customer_id: str = Query(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN), ctx: AppContext = Depends(context)) -> TestSms:
    """--test-clock servers only: the code in the last message the recording gateway kept for a customer."""
    with ctx.database.read() as session:
        message = session.execute(
            select(SmsMessage).where(SmsMessage.reference == customer_id).order_by(SmsMessage.id.desc()).limit(1)
        ).scalar_one_or_none()
        if message is None:
            raise ApiError(404, "not_found", "没有发给该客户的短信 / no message was sent for this customer")
        found = re.search(r"\d{6}", message.text)
        return TestSms(customer_id=customer_id, code=found.group(0) if found else "", phone_masked=mask_phone(message.phone),
                       sent_at=message.sent_at)
