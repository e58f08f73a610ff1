"""Checks a ticket against its catalogue type (channel, form fields, one set of materials): the same rule on the desk and the server."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.catalogue import Catalogue, FieldType, TicketType
from domain.errors import InvalidInput
from domain.identity import validate_phone, validate_resident_id


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _checked_value(ticket_type: TicketType, name: str, value: Any) -> Any:
    field = next(f for f in ticket_type.fields if f.name == name)

    def fail(zh: str, en: str) -> InvalidInput:
        return InvalidInput(f"「{field.label_zh}」{zh}", f"{field.label_en}: {en}", field=name)

    if field.type == FieldType.int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("应为整数", "must be a whole number")
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
            return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
        except ValueError:
            raise fail("不是有效日期", "is not a valid date (YYYY-MM-DD)") from None
    if not isinstance(value, str):
        raise fail("应为文本", "must be text")
    if field.type == FieldType.phone:
        return validate_phone(value)
    if field.type == FieldType.id_number:
        return validate_resident_id(value).number
    return value.strip()


def check_ticket_input(
    catalogue: Catalogue, type_code: str, channel: str, fields: dict[str, Any], materials: list[str]
) -> tuple[TicketType, dict[str, Any]]:
    """The ticket type and the cleaned form fields; InvalidInput names the first problem."""
    ticket_type = catalogue.ticket_type(type_code)
    if channel not in ticket_type.channels:
        raise InvalidInput(
            f"「{ticket_type.name_zh}」不能通过此渠道受理",
            f"{ticket_type.name_en} cannot be accepted on channel {channel!r}",
            field="channel",
        )
    known = {f.name for f in ticket_type.fields}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidInput(
            f"业务表单中没有字段「{unknown[0]}」", f"the form has no field {unknown[0]!r}", field=unknown[0]
        )
    cleaned: dict[str, Any] = {}
    for field in ticket_type.fields:
        value = fields.get(field.name)
        if _empty(value):
            if field.required:
                raise InvalidInput(
                    f"请填写「{field.label_zh}」", f"{field.label_en} is required", field=field.name
                )
            continue
        cleaned[field.name] = _checked_value(ticket_type, field.name, value)
    allowed = set(ticket_type.materials) | set(ticket_type.optional_materials)
    for code in materials:
        if code not in allowed:
            raise InvalidInput(
                f"此业务不需要材料「{code}」", f"material {code!r} does not belong to this request", field="materials"
            )
    missing = [code for code in ticket_type.materials if code not in materials]
    if missing:
        name = catalogue.material(missing[0])
        raise InvalidInput(
            f"缺少材料「{name.name_zh}」", f"the material {name.name_en!r} is missing", field="materials"
        )
    return ticket_type, cleaned
