"""Customer notifications: which numbers can take an SMS, how a template is filled, and the history line.

Pure rules shared by the desk (which checks before it queues a request) and the server (which checks
again, renders the text at send time and keeps the delivery state). docs/notifications.md has the flow.
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Mapping

from domain.errors import DomainError, InvalidInput
from domain.identity import validate_phone
from domain.masking import mask_phone

TICKET_ACCEPTED = "ticket_accepted"
PQ_WARNING = "pq_warning"  # a monitored customer's power quality kept outside a limit (docs/power-quality.md)
# The placeholders each template may use (the template text itself is data: the server's message_template).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    TICKET_ACCEPTED: frozenset({"type", "number", "due"}),
    PQ_WARNING: frozenset({"point", "limit", "number"}),
}
DESK_TEMPLATES = frozenset({TICKET_ACCEPTED})  # what a desk may ask for; the others the server sends by itself
# What the history line says the message was about, per template.
_SUBJECTS: dict[str, str] = {TICKET_ACCEPTED: "短信告知工单编号", PQ_WARNING: "短信告知电能质量越限"}
STATE_WORDS: dict[str, tuple[str, str]] = {
    "queued": ("待发送", "waiting to be sent"),
    "sent": ("已发送", "sent"),
    "failed": ("发送失败", "not sent"),
}
_NAMESPACE = uuid.UUID("6f1d1c2e-2b9e-4d0e-9a7c-5d3c1e0b7a42")


def sms_mobile(text: str) -> str:
    """`text` as an 11-digit mobile; raises InvalidInput (a landline cannot take an SMS)."""
    try:
        phone = validate_phone(text)
    except DomainError as error:
        raise InvalidInput(f"无法发送短信：{error.message_zh}", f"Cannot send an SMS: {error.message_en}",
                           field="phone") from None
    if "-" in phone:
        raise InvalidInput("无法发送短信：固定电话不能接收短信，请提供手机号码",
                           "Cannot send an SMS to a landline: give a mobile number", field="phone")
    return phone


def template_fields(text: str) -> set[str]:
    """The placeholder names a template uses ({type} ...); raises ValueError on a malformed template."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check_template(template: str, text: str) -> None:
    """A template may use only its own placeholders, by plain name (no attributes, indexes or formats)."""
    allowed = PLACEHOLDERS.get(template)
    if allowed is None:
        raise InvalidInput(f"未知的短信模板：{template}", f"unknown message template: {template}", field="template")
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput("短信模板格式有误", "the message template is malformed", field="template") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise InvalidInput(f"短信模板含有不支持的占位符：{{{name}}}",
                               f"the message template has an unsupported placeholder: {{{name}}}", field="template")


def render(template: str, text: str, values: Mapping[str, str]) -> str:
    """The message: `text` with its placeholders filled from `values` (checked by check_template)."""
    check_template(template, text)
    return text.format_map({name: values[name] for name in PLACEHOLDERS[template]})


def interaction_id(notification_id: str) -> str:
    """The id of the history line (a ticket_step interaction) that tells the notification's state."""
    return str(uuid.uuid5(_NAMESPACE, notification_id))


def history_line(phone: str, state: str, reason: str | None = None, template: str = TICKET_ACCEPTED) -> str:
    """The ticket's and customer's history line for the SMS (the phone masked, never the whole number)."""
    word = STATE_WORDS.get(state, (state, state))[0]
    if state == "failed" and reason:
        word = f"{word}（{reason}）"
    return f"{_SUBJECTS.get(template, _SUBJECTS[TICKET_ACCEPTED])}（{mask_phone(phone)}）：{word}"
