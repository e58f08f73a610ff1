"""The business catalogue's shape: channels, families, fields, materials, ticket types.

Loading and checking the catalogue's data files is in `domain.catalogue`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.errors import InvalidInput
from domain.language import pick
from domain.roles import Department
from domain.workflow import Code, Limit, Workflow


class Channel(StrEnum):
    hall = "hall"
    hotline = "hotline"
    app = "app"
    wechat = "wechat"
    proactive = "proactive"  # 主动服务: opened by the utility itself (a power-quality warning), not by a customer

    def label(self, lang: str = "zh") -> str:
        return pick(*_CHANNEL_LABELS[self], lang)


class Family(StrEnum):
    connection = "connection"
    change = "change"
    billing = "billing"
    repair = "repair"
    complaint = "complaint"
    report = "report"
    enquiry = "enquiry"
    service_request = "service_request"
    meter = "meter"
    proactive = "proactive"  # 主动服务: the utility opens it itself

    def label(self, lang: str = "zh") -> str:
        return pick(*_FAMILY_LABELS[self], lang)


class FieldType(StrEnum):
    text = "text"
    int = "int"
    choice = "choice"
    date = "date"
    bool = "bool"
    phone = "phone"
    id_number = "id_number"


_CHANNEL_LABELS = {Channel.hall: ("营业厅", "Service hall"), Channel.hotline: ("95598热线", "95598 hotline"),
                   Channel.app: ("网上国网", "Mobile app"), Channel.wechat: ("微信", "WeChat"),
                   Channel.proactive: ("主动服务", "Proactive service")}
_FAMILY_LABELS = {
    Family.connection: ("办电", "Connection"), Family.change: ("变更", "Change"), Family.billing: ("电费", "Billing"),
    Family.repair: ("故障报修", "Fault repair"), Family.complaint: ("投诉", "Complaint"), Family.report: ("举报", "Report"),
    Family.enquiry: ("咨询与意见", "Enquiry and feedback"), Family.service_request: ("服务申请", "Service request"),
    Family.meter: ("电能表", "Meter"), Family.proactive: ("主动服务", "Proactive service"),
}


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(FrozenModel):
    code: Code
    name_zh: str
    name_en: str


class Material(FrozenModel):
    """One document of the one-set-of-materials checklist (一套资料)."""

    code: Code
    name_zh: str
    name_en: str


class TicketField(FrozenModel):
    name: Code
    label_zh: str
    label_en: str
    type: FieldType
    required: bool = False
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None  # int fields: the smallest and largest value a person may enter
    maximum: int | None = None
    when: Literal["any", "future", "past"] = "any"  # date fields: today or later / today or earlier
    chars: Literal["any", "name", "code"] = "any"  # text fields: a name or identifier refuses emoji and control

    def label(self, lang: str = "zh") -> str:
        return pick(self.label_zh, self.label_en, lang)


class TicketType(FrozenModel):
    code: Code
    family: Family
    name_zh: str
    name_en: str
    channels: tuple[Channel, ...]
    department: Department
    fields: tuple[TicketField, ...]
    materials: tuple[str, ...]
    optional_materials: tuple[str, ...]
    needs_return_visit: bool
    time_limit: Limit
    workflow: Workflow

    def name(self, lang: str = "zh") -> str:
        return pick(self.name_zh, self.name_en, lang)


class Catalogue(FrozenModel):
    version: str
    effective: date
    types: tuple[TicketType, ...]
    materials: tuple[Material, ...]

    @cached_property
    def _types_by_code(self) -> dict[str, TicketType]:
        return {t.code: t for t in self.types}

    def ticket_type(self, code: str) -> TicketType:
        found = self._types_by_code.get(code)
        if found is None:
            raise InvalidInput(f"未知的业务类型「{code}」", f"unknown ticket type {code!r}", field="ticket_type")
        return found

    def types_for_channel(self, channel: Channel | str) -> list[TicketType]:
        if channel not in set(Channel):
            raise InvalidInput(f"未知的受理渠道「{channel}」", f"unknown channel {channel!r}", field="channel")
        return [t for t in self.types if channel in t.channels]

    def types_in_family(self, family: Family | str) -> list[TicketType]:
        return [t for t in self.types if t.family == family]

    def material(self, code: str) -> Material:
        for material in self.materials:
            if material.code == code:
                return material
        raise InvalidInput(f"未知的材料「{code}」", f"unknown material {code!r}", field="materials")

    def materials_for(self, type_codes: Iterable[str], *, include_optional: bool = False) -> list[Material]:
        """One set of materials for several requests accepted together: each document asked once."""
        wanted: dict[str, None] = {}
        for code in type_codes:
            ticket_type = self.ticket_type(code)
            extra = ticket_type.optional_materials if include_optional else ()
            wanted.update(dict.fromkeys((*ticket_type.materials, *extra)))
        return [self.material(code) for code in wanted]
