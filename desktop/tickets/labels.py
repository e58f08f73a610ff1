"""Names a person reads for codes on a ticket, taken from domain/ (Qt-free); unknown codes show as they are."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from desktop.display import datetime_text
from desktop.tickets.progress import format_duration
from domain import sla
from domain.catalogue import Catalogue, Channel, load_catalogue
from domain.errors import DomainError
from domain.records import StageTask, Ticket
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


def clock_stop(ticket: Ticket, tasks: Iterable[StageTask], catalogue: Catalogue) -> sla.ClockStop | None:
    """Whether `ticket`'s own clock has stopped (its type's clock-stop stage done, domain.sla), read from
    the stage tasks this desk holds, so a stage completed here offline stops it at once."""
    return sla.clock_stop(sla.clock_stop_stages(catalogue).get(ticket.type_code), tasks)


def stopped_text(clock: sla.TicketClock, lang: str = "zh") -> str:
    """A stopped clock in words: 已停止计时（按时） / 已停止计时（超时17分） / 已停止计时 (its instant not synced yet)."""
    if clock.state is None:  # stopped on this desk, not synced yet: the server records the instant
        return QCoreApplication.translate("TicketClock", "已停止计时")
    if clock.stopped_late:
        return QCoreApplication.translate("TicketClock", "已停止计时（超时{late}）").format(late=late_text(clock, lang))
    return QCoreApplication.translate("TicketClock", "已停止计时（按时）")


def late_text(clock: sla.TicketClock, lang: str = "zh") -> str:
    """How late a clock stopped (17分, 1小时5分), rounded up to the minute: 20 s late reads 1分, not 0分."""
    late = clock.late_by or timedelta(0)
    return format_duration(timedelta(minutes=math.ceil(late / timedelta(minutes=1))), lang)
