"""Checks a ticket against its catalogue type (channel, form fields, one set of materials): the same rule on the desk and the server."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from domain.bounds import text_limit
from domain.catalogue import Catalogue, FieldType, TicketField, TicketType
from domain.errors import InvalidInput
from domain.identity import refused_char, validate_phone, validate_resident_id


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def field_text_limit(field: TicketField) -> int:
    """Most characters a form's text field holds: a name or identifier as a customer's name, free text as a
    ticket's summary (the desk shows the counter, desk and server refuse longer text)."""
    return text_limit("customer.name") if field.chars != "any" else text_limit("ticket.summary")


def _checked_value(ticket_type: TicketType, name: str, value: Any, today: date | None = None) -> Any:
    field = next(f for f in ticket_type.fields if f.name == name)

    def fail(zh: str, en: str) -> InvalidInput:
        return InvalidInput(f"「{field.label_zh}」{zh}", f"{field.label_en}: {en}", field=name)

    if field.type == FieldType.int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("应为整数", "must be a whole number")
        if field.minimum is not None and value < field.minimum:
            raise fail(f"不能小于 {field.minimum}", f"must be at least {field.minimum}")
        if field.maximum is not None and value > field.maximum:
            raise fail(f"不能大于 {field.maximum}", f"must be at most {field.maximum}")
        return value
    if field.type == FieldType.bool:
        if not isinstance(value, bool):
            raise fail("应为是或否", "must be yes or no")
        return value
    if field.type == FieldType.choice:
        codes = [choice.code for choice in field.choices]
        if value not in codes:
            raise fail("不是可选的值", f"must be one of {', '.join(codes)}")
        return value
    if field.type == FieldType.date:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise fail("不是有效日期", "is not a valid date (YYYY-MM-DD)") from None
        # `today` is the desk's office date when the form is filled; a ticket pushed after days offline
        # is not refused for a date that has passed since.
        if today is not None and field.when == "future" and day < today:
            raise fail("不能早于今天", "cannot be before today")
        if today is not None and field.when == "past" and day > today:
            raise fail("不能晚于今天", "cannot be after today")
        return day.isoformat()
    if not isinstance(value, str):
        raise fail("应为文本", "must be text")
    if field.type == FieldType.phone:
        return validate_phone(value)
    if field.type == FieldType.id_number:
        return validate_resident_id(value).number
    limit = field_text_limit(field)
    if len(value) > limit:
        raise fail(f"超过 {limit} 个字符", f"is longer than {limit} characters")
    if field.chars != "any" and refused_char(value) is not None:
        raise fail("不能含有表情符号或控制字符", "must not contain emoji or control characters")
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in value):
        raise fail("不能含有控制字符", "must not contain control characters")
    return value.strip()


def check_ticket_input(
    catalogue: Catalogue, type_code: str, channel: str, fields: dict[str, Any], materials: list[str],
    *, today: date | None = None,
) -> tuple[TicketType, dict[str, Any]]:
    """The ticket type and the cleaned form fields; InvalidInput names the first problem."""
    ticket_type, cleaned, problems = ticket_input_problems(catalogue, type_code, channel, fields, materials,
                                                           today=today)
    if problems:
        raise problems[0]
    return ticket_type, cleaned


def ticket_input_problems(
    catalogue: Catalogue, type_code: str, channel: str, fields: dict[str, Any], materials: list[str],
    *, today: date | None = None,
) -> tuple[TicketType, dict[str, Any], list[InvalidInput]]:
    """Every problem of a filled form at once (the desk shows each beside its field), in form order.

    An unknown ticket type or a channel the type is not taken on ends the check (nothing else can be judged).
    """
    ticket_type = catalogue.ticket_type(type_code)
    if channel not in ticket_type.channels:
        return ticket_type, {}, [InvalidInput(
            f"「{ticket_type.name_zh}」不能通过此渠道受理",
            f"{ticket_type.name_en} cannot be accepted on channel {channel!r}",
            field="channel",
        )]
    problems: list[InvalidInput] = []
    known = {f.name for f in ticket_type.fields}
    problems += [InvalidInput(f"业务表单中没有字段「{name}」", f"the form has no field {name!r}", field=name)
                 for name in sorted(set(fields) - known)]
    cleaned: dict[str, Any] = {}
    for field in ticket_type.fields:
        value = fields.get(field.name)
        if _empty(value):
            if field.required:
                problems.append(InvalidInput(
                    f"请填写「{field.label_zh}」", f"{field.label_en} is required", field=field.name
                ))
            continue
        try:
            cleaned[field.name] = _checked_value(ticket_type, field.name, value, today)
        except InvalidInput as problem:
            problems.append(problem)
    allowed = set(ticket_type.materials) | set(ticket_type.optional_materials)
    stray = [code for code in materials if code not in allowed]
    missing = [code for code in ticket_type.materials if code not in materials]
    if stray:
        problems.append(InvalidInput(
            f"此业务不需要材料「{stray[0]}」", f"material {stray[0]!r} does not belong to this request", field="materials"
        ))
    elif missing:
        name = catalogue.material(missing[0])
        problems.append(InvalidInput(
            f"缺少材料「{name.name_zh}」", f"the material {name.name_en!r} is missing", field="materials"
        ))
    return ticket_type, cleaned, problems
