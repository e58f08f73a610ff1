"""Identity checks at the front desk (Qt-free): the ID card reader seam, what each method compares,
and the SMS code method's input, answer and resend countdown (the server sends and checks the code).

Malformed input raises InvalidInput (nothing is recorded); a well-formed answer that does not
match the customer's record is a failed check, recorded like a passed one.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from domain.errors import InvalidInput
from domain.identity import DEFAULT_ACCOUNT_NUMBER_PATTERN, AccountNumberPattern, validate_resident_id
from domain.records import Account, Customer, Verification

Method = Literal["id_card_reader", "id_number_name", "account_name_id_tail", "sms_code", "app_real_name"]
SmsReason = Literal["wrong_code", "too_many_attempts", "expired", "no_code"]
FailureReason = Literal["no_id_on_file", "id_mismatch", "name_mismatch", "account_mismatch", "id_tail_mismatch",
                        SmsReason]
_ID_TAIL = re.compile(r"[0-9]{3}[0-9X]")
_SMS_CODE = re.compile(r"[0-9]{6}")
SMS_RESEND_SECONDS = 60


@dataclass(frozen=True, repr=False)
class CardReading:
    """What the reader read from a resident ID card."""

    id_number: str
    name: str

    def __repr__(self) -> str:  # readings end up in logs; the full number must not
        return f"CardReading({self.id_number[:6]}********{self.id_number[-4:]})"


class NoCardPresent(InvalidInput):
    """The reader found no card (or could not read it)."""

    def __init__(self) -> None:
        super().__init__(
            "读卡器未读到身份证，请将身份证放在读卡器上后重试",
            "The reader found no ID card: place the card on the reader and try again",
            field="card",
        )


class CardReader(Protocol):
    """An ID card reader; `read` blocks until it has read the card or raises NoCardPresent."""

    def read(self) -> CardReading: ...


def detect_card_reader() -> CardReader | None:
    """The ID card reader attached to this desk, or None. No device driver ships yet: a real reader's
    adapter is found here; the simulated reader is only ever used in demo mode and tests."""
    return None


class SimulatedCardReader:
    """A reader for demos and tests: returns the card put on it (or the one `source` supplies)."""

    def __init__(
        self, reading: CardReading | None = None, source: Callable[[], CardReading | None] | None = None
    ) -> None:
        self._reading = reading
        self._source = source

    def place(self, reading: CardReading | None) -> None:
        self._reading = reading

    def read(self) -> CardReading:
        reading = self._reading
        if reading is None and self._source is not None:
            reading = self._source()
        if reading is None:
            raise NoCardPresent()
        return reading


@dataclass(frozen=True)
class CheckOutcome:
    method: Method
    passed: bool
    reason: FailureReason | None = None

    @property
    def outcome(self) -> Literal["passed", "failed"]:
        return "passed" if self.passed else "failed"


def same_name(typed: str, on_file: str) -> bool:
    """Names compare after width folding and without spaces (clerks type 张 伟 and 张伟 alike)."""

    def fold(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    return bool(fold(typed)) and fold(typed) == fold(on_file)


def _require_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("请填写客户姓名", "The customer's name is empty", field="name")
    return name


def check_id_number_and_name(customer: Customer, id_number: str, name: str, *, method: Method = "id_number_name"
                             ) -> CheckOutcome:
    """Hall check: a valid resident ID number and the name, both equal to the record."""
    number = validate_resident_id(id_number).number
    _require_name(name)
    if not customer.id_number:
        return CheckOutcome(method, False, "no_id_on_file")
    if number != customer.id_number.upper():
        return CheckOutcome(method, False, "id_mismatch")
    if not same_name(name, customer.name):
        return CheckOutcome(method, False, "name_mismatch")
    return CheckOutcome(method, True)


def check_card(customer: Customer, reading: CardReading) -> CheckOutcome:
    return check_id_number_and_name(customer, reading.id_number, reading.name, method="id_card_reader")


def check_account_name_id_tail(
    customer: Customer,
    accounts: list[Account],
    account_no: str,
    name: str,
    id_tail: str,
    pattern: AccountNumberPattern = DEFAULT_ACCOUNT_NUMBER_PATTERN,
) -> CheckOutcome:
    """Hotline check: one of the customer's 户号, the name, and the last four characters of the ID number."""
    method: Method = "account_name_id_tail"
    number = pattern.validate(account_no)
    _require_name(name)
    tail = unicodedata.normalize("NFKC", id_tail if isinstance(id_tail, str) else "").strip().upper()
    if not _ID_TAIL.fullmatch(tail):
        raise InvalidInput(
            "请填写身份证号码后4位（数字，最后一位可为X）",
            "Enter the last 4 characters of the ID number (digits; the last may be X)",
            field="id_tail",
        )
    if number not in {account.account_no for account in accounts if account.customer_id == customer.id}:
        return CheckOutcome(method, False, "account_mismatch")
    if not same_name(name, customer.name):
        return CheckOutcome(method, False, "name_mismatch")
    if not customer.id_number:
        return CheckOutcome(method, False, "no_id_on_file")
    if customer.id_number.upper()[-4:] != tail:
        return CheckOutcome(method, False, "id_tail_mismatch")
    return CheckOutcome(method, True)


# ---- SMS code (docs/api.md: POST /api/v1/verification/sms and /sms/check) ---------------------------


def clean_sms_code(text: str) -> str:
    """The code the caller reads back: six digits (full-width digits and spaces tolerated)."""
    code = "".join(unicodedata.normalize("NFKC", text if isinstance(text, str) else "").split())
    if not _SMS_CODE.fullmatch(code):
        raise InvalidInput("请填写客户读出的6位数字验证码", "Enter the 6-digit code the customer reads out",
                           field="sms_code")
    return code


@dataclass(frozen=True)
class SmsCheck:
    """The server's answer to a code check; `verification` is the record it wrote (it also syncs to the desk)."""

    outcome: CheckOutcome
    attempts_left: int
    verification: Verification

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> SmsCheck:
        verification = Verification.model_validate(answer["verification"])
        passed = answer.get("outcome") == "passed" and verification.outcome == "passed"
        reason = answer.get("reason")
        failure: SmsReason | None = None
        if not passed:
            failure = reason if reason in ("wrong_code", "too_many_attempts", "expired") else "no_code"
        return cls(CheckOutcome("sms_code", passed, failure), int(answer.get("attempts_left") or 0), verification)


class ResendCountdown:
    """The desk's own limit on sending codes: one per `seconds`, counted on an injectable monotonic clock."""

    def __init__(self, seconds: int = SMS_RESEND_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._until: float | None = None

    def start(self) -> None:
        self._until = self._clock() + self._seconds

    def reset(self) -> None:
        self._until = None

    def seconds_left(self) -> int:
        if self._until is None:
            return 0
        return max(0, math.ceil(self._until - self._clock()))
