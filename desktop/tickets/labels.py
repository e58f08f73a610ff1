"""Names a person reads for codes on a ticket, taken from domain/ (Qt-free); unknown codes show as they are."""

from __future__ import annotations

from datetime import datetime

from desktop.display import datetime_text
from domain.catalogue import Channel, load_catalogue
from domain.errors import DomainError
from domain.roles import Department
from domain.states import state_label


def ticket_type_name(code: str, lang: str = "zh") -> str:
    try:
        return load_catalogue().ticket_type(code).name(lang)
    except DomainError:
        return code


def state_name(kind: str, state: str, lang: str = "zh") -> str:
    try:
        return state_label(kind, state, lang)
    except DomainError:
        return state


def channel_name(code: str, lang: str = "zh") -> str:
    try:
        return Channel(code).label(lang)
    except ValueError:
        return code


def department_name(code: str | None, lang: str = "zh") -> str:
    if not code:
        return ""
    try:
        return Department(code).label(lang)
    except ValueError:
        return code


def local_time(moment: datetime | None) -> str:
    """Office time, to the minute (the zone the deadlines are promised in)."""
    return datetime_text(moment)
