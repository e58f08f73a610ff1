"""How big a value from a person or a desk may be: free-form JSON and free text, one rule for desk and server.

A value nested hundreds of levels deep, a megabyte-long "summary" or a string that cannot be
encoded breaks something far from where it was typed (the pull of a whole office, the audit
log). Every free-form JSON value of the wire models goes through `check_json` and every
free-text field through `check_text`; both raise `InvalidInput` with a zh/en sentence naming
the field, which the server answers as `invalid_input` and the desk shows before queueing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.errors import InvalidInput

# --- free-form JSON ----------------------------------------------------------------

JSON_MAX_DEPTH = 16
"""Containers nested inside one value: `{"a": {"b": 1}}` has depth 2, a scalar depth 0."""
JSON_MAX_BYTES = 64 * 1024
"""The value encoded as compact UTF-8 JSON."""
JSON_MAX_KEYS = 2000
"""Object keys and array items of the whole value, counted together."""
JSON_MAX_STRING = 10_000
"""Characters of one string (a key or a value) inside the value."""
JSON_MAX_FIELDS = 100
"""Top-level fields one mutation changes."""
JSON_INT_MIN = -(2**63)
JSON_INT_MAX = 2**63 - 1
"""Integers a database column and every JSON encoder on the path can hold."""


def _refuse(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(f"{field}：{zh}", f"{field}: {en}", field=field)


# NUL (PostgreSQL text refuses it) and lone surrogates (no encoding can store them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_string(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise _refuse(field, f"文本超过 {limit} 个字符", f"text longer than {limit} characters")
    bad = _UNSTORABLE.search(text)
    if bad is not None:
        if bad.group() == "\x00":
            raise _refuse(field, "文本含有空字符", "text contains a NUL character")
        raise _refuse(field, "文本含有无效字符", "text contains an invalid character (lone surrogate)")


def check_json(field: str, value: Any) -> Any:
    """Refuse `value` unless it is plain JSON within the depth, size, key-count and string limits.

    Walks the value without recursion, so a value nested a million levels deep is refused
    as cleanly as one nested twenty. Returns the value unchanged.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    keys = 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            depth += 1
            if depth > JSON_MAX_DEPTH:
                raise _refuse(
                    field, f"嵌套超过 {JSON_MAX_DEPTH} 层", f"nested deeper than {JSON_MAX_DEPTH} levels"
                )
            keys += len(item)
            if keys > JSON_MAX_KEYS:
                raise _refuse(
                    field, f"超过 {JSON_MAX_KEYS} 个键或元素", f"more than {JSON_MAX_KEYS} keys or items"
                )
            if isinstance(item, Mapping):
                for key, member in item.items():
                    if not isinstance(key, str):
                        raise _refuse(field, "键必须是文本", "keys must be text")
                    _check_string(field, key, JSON_MAX_STRING)
                    stack.append((member, depth))
            else:
                stack.extend((member, depth) for member in item)
        elif isinstance(item, str):
            _check_string(field, item, JSON_MAX_STRING)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not JSON_INT_MIN <= item <= JSON_INT_MAX:
                raise _refuse(field, "整数超出范围", "integer out of range")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise _refuse(field, "数值无效", "not a finite number")
        else:
            raise _refuse(field, "不是 JSON 值", f"not a JSON value ({type(item).__name__})")
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > JSON_MAX_BYTES:
        raise _refuse(
            field, f"内容超过 {JSON_MAX_BYTES // 1024} KiB", f"larger than {JSON_MAX_BYTES // 1024} KiB"
        )
    return value


# --- free text -----------------------------------------------------------------------

LIST_MAX_ITEMS = 100
"""Entries of a list of texts (materials, territories, skills)."""
TEXT_DEFAULT_LIMIT = 200
"""Any string field of a wire model that has no entry below (codes, states, short labels)."""
ID_MAX_LENGTH = 64
"""Record ids (UUIDv7 text is 36) and references to them."""

# "<record kind>.<field>" → most characters a person may type there. The desk shows counters
# from this table; the wire models refuse longer text. Keep the keys stable.
TEXT_LIMITS: dict[str, int] = {
    # offices and staff (admin-made)
    "office.code": 32,
    "office.name": 100,
    "office.prefecture": 100,
    "staff.username": 64,
    "staff.display_name": 50,
    "staff.role": 32,
    "staff.department": 32,
    # customers and accounts
    "customer.name": 100,
    "customer.id_number": 32,
    "customer.phone": 32,
    "customer.address": 200,
    "account.account_no": 32,
    "account.address": 200,
    "account.meter_no": 32,
    "account.segment": 32,
    # tickets and their workflow
    "ticket.number": 32,
    "ticket.provisional_number": 64,
    "ticket.progress_code": 16,  # domain.progress.CODE_LENGTH letters
    "ticket.type_code": 64,  # catalogue codes (the longest today is 36)
    "ticket.state": 32,
    "ticket.summary": 500,
    "ticket.materials": 64,  # each material code
    "stage_task.stage_code": 64,
    "stage_task.department": 32,
    "stage_task.state": 32,
    "stage_task.reason": 500,
    "transition.reason": 500,
    # contacts, identity checks, notes
    "interaction.summary": 1000,
    "interaction.call_id": 64,
    "interaction.caller_number": 32,
    "verification.method": 32,
    "verification.evidence_ref": 200,
    "note.body": 4000,
    # dispatch
    "surveyor.name": 100,
    "surveyor.territories": 64,  # each territory
    "surveyor.skills": 64,  # each skill
    "leave.reason": 200,
    "survey_assignment.state": 32,
    "survey_assignment.territory": 64,
    "survey_assignment.required_skill": 64,
    # ratings, files, calendar
    "evaluation.comment": 1000,
    "evaluation.channel": 16,
    "evaluation.from_department": 32,
    "evaluation.to_department": 32,
    "attachment.filename": 255,
    "attachment.media_type": 100,
    "attachment.sha256": 64,
    "calendar_day.name": 50,
    # customer notifications (docs/notifications.md)
    "notification.phone": 32,
    "notification.reason": 200,
    # coordination meetings and their 督办 actions (docs/coordination.md)
    "meeting.kind": 16,
    "meeting.title": 100,
    "meeting.decisions": 4000,
    "supervision_action.title": 200,
    "supervision_action.detail": 2000,
    "supervision_action.department": 32,
    "supervision_action.state": 32,
    "supervision_action.result": 2000,
    "supervision_action.reason": 500,
    # 补充材料/信息 (domain.info_requests)
    "info_request.department": 32,
    "info_request.to_department": 32,
    "info_request.materials": 64,
    "info_request.detail": 1000,
    "info_request.reason": 500,
    "info_request.state": 16,
    "info_request.met_note": 1000,
    "info_request.withdrawn_reason": 500,
    # the grid and outage events (docs/outage.md)
    "grid_device.name": 64,
    "grid_device.device_kind": 16,
    "outage_event.outage_kind": 16,
    "outage_event.state": 32,
    "outage_event.reason": 200,
    "outage_event.notice_warning": 500,
    "outage_event.level": 8,
    # audit entries a desk sends
    "audit.action": 64,
    "audit.subject": 128,
}


def text_limit(field: str) -> int:
    """The most characters `field` ("ticket.summary") may hold."""
    return TEXT_LIMITS.get(field, TEXT_DEFAULT_LIMIT)


def check_text(field: str, value: str | None) -> str | None:
    """Refuse text longer than its limit, with a NUL or with an unencodable character; returns it unchanged."""
    if value is not None:
        _check_string(field, value, text_limit(field))
    return value


# --- ids, names, moments ---------------------------------------------------------------

ID_PATTERN = re.compile(r"\*|[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}")
"""Record ids (UUIDv7 from desks, codes such as `county-a`, `system:field`, `*` for every office) and
references to them."""
ID_FIELD_PATTERN = rf"^(?:{ID_PATTERN.pattern})$"
"""ID_PATTERN for a route's parameter or body field (pydantic/FastAPI `pattern=`): an id with a NUL or any
other stray character is the caller's 400, never a database error (PostgreSQL refuses NUL in text)."""
SCOPE_FIELD_PATTERN = r"^[A-Za-z0-9_.:@*-]{1,96}$"
"""A sync scope such as `office:county-a` or `calendar`."""


def check_id(field: str, value: str | None) -> str | None:
    """Refuse an id that is empty, longer than `ID_MAX_LENGTH` or has characters outside `ID_PATTERN`."""
    if value is not None and not ID_PATTERN.fullmatch(value):
        raise _refuse(
            field,
            f"编号格式无效（最多 {ID_MAX_LENGTH} 个字母、数字或 _.:@-）",
            f"invalid id (at most {ID_MAX_LENGTH} letters, digits or _.:@-)",
        )
    return value


def check_name(field: str, value: str) -> str:
    """A person's or organisation's name: not blank, within its limit, no control characters."""
    check_text(field, value)
    if not value.strip():
        raise _refuse(field, "名称不能为空", "the name is empty")
    if _CONTROL.search(value):
        raise _refuse(field, "名称含有控制字符", "the name contains a control character")
    return value


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


MOMENT_MIN = datetime(1970, 1, 1, tzinfo=UTC)
MOMENT_MAX = datetime(2200, 1, 1, tzinfo=UTC)
"""Every date and time on the wire lies in this window, so deadline arithmetic never overflows."""
ACCEPTED_AT_PAST = timedelta(days=365)
ACCEPTED_AT_FUTURE = timedelta(minutes=10)
"""How far a desk-supplied `accepted_at` may lie from the server's clock: desks work offline for days
(the outbox is pushed when the link returns), and their clocks drift a little ahead at most."""


def check_moment(field: str, value: datetime | date | None) -> None:
    """Refuse a naive datetime, or a date or time outside MOMENT_MIN..MOMENT_MAX."""
    if value is None:
        return
    if isinstance(value, datetime) and (value.tzinfo is None or value.utcoffset() is None):
        raise _refuse(field, "时间须带时区", "the time needs a time zone")
    # By the year: as good as comparing instants this far from the edges, and several times faster.
    if not MOMENT_MIN.year <= value.year < MOMENT_MAX.year:
        raise _refuse(
            field,
            f"时间超出范围（{MOMENT_MIN.year}–{MOMENT_MAX.year - 1} 年）",
            f"out of range ({MOMENT_MIN.year}–{MOMENT_MAX.year - 1})",
        )


def check_accepted_at(field: str, value: datetime, now: datetime) -> None:
    """A desk-stated acceptance time: aware, not more than ACCEPTED_AT_PAST before nor ACCEPTED_AT_FUTURE after `now`."""
    check_moment(field, value)
    if not now - ACCEPTED_AT_PAST <= value <= now + ACCEPTED_AT_FUTURE:
        raise _refuse(
            field,
            f"受理时间须在服务器时间前 {ACCEPTED_AT_PAST.days} 天至后 {ACCEPTED_AT_FUTURE.seconds // 60} 分钟之间",
            f"must lie between {ACCEPTED_AT_PAST.days} days before and "
            f"{ACCEPTED_AT_FUTURE.seconds // 60} minutes after the server's clock",
        )
