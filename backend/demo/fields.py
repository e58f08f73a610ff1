"""The form fields of a demo ticket, filled from its customer, account and what they said."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from backend.demo.people import PeopleMaker
from backend.demo.recipe import TicketMix, Town
from domain.catalogue import TicketType
from domain.records import Account, Customer
from domain.sla import OFFICE_ZONE

OPTIONAL_FIELD_SHARE = 0.5
CHASED_TICKET = "chased_ticket"  # filled once ticket numbers are known


@dataclass
class FieldContext:
    """What a ticket's fields are drawn from."""

    rng: random.Random
    maker: PeopleMaker  # addresses, phones and IDs of people who are not (yet) customers
    newcomers: PeopleMaker
    ticket_type: TicketType
    mix: TicketMix
    customer: Customer | None
    account: Account | None
    town: Town
    accepted_at: datetime
    chosen: dict[str, str] = field(default_factory=dict)  # choice fields decided with the summary
    _memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]


def choose_summary(ctx: FieldContext) -> str:
    """What the customer said; the choice and word-list fields it depends on are decided with it."""
    rng, mix = ctx.rng, ctx.mix
    for field_name, values in mix.extras.items():
        ctx.chosen[field_name] = rng.choice(values)
    for field_name, by_choice in mix.summaries_by.items():
        choice = rng.choice(sorted(by_choice))
        ctx.chosen[field_name] = choice
        return rng.choice(by_choice[choice]).format_map(ctx.chosen)
    return rng.choice(mix.summaries).format_map(ctx.chosen)


def fill_fields(ctx: FieldContext, summary: str) -> dict[str, Any]:
    """Every required field of the type, and about half of the optional ones that have a value."""
    values: dict[str, Any] = {}
    for ticket_field in ctx.ticket_type.fields:
        if not ticket_field.required and ctx.rng.random() >= OPTIONAL_FIELD_SHARE:
            continue
        if ticket_field.name in ctx.chosen:
            values[ticket_field.name] = ctx.chosen[ticket_field.name]
            continue
        produce = _PRODUCERS.get(ticket_field.name)
        value = produce(ctx, summary) if produce is not None else None
        if value is None and ticket_field.choices:
            value = ctx.rng.choice(ticket_field.choices).code
        if value is None and ticket_field.required:
            value = summary  # a free-text field nobody wrote a producer for: the customer's words
        if value is not None:
            values[ticket_field.name] = value
    return values


def _day(ctx: FieldContext, offset_days: int) -> str:
    return (ctx.accepted_at.astimezone(OFFICE_ZONE).date() + timedelta(days=offset_days)).isoformat()


def _address(ctx: FieldContext, _: str) -> str:
    if ctx.account is not None:
        return ctx.account.address
    # A new connection is for a new house; an anonymous report names a place in the town.
    return str(ctx.once("address", lambda: ctx.maker.address(ctx.town, ctx.town.area_class)))


def _phone(ctx: FieldContext, _: str) -> str:
    if ctx.customer is not None and ctx.customer.phone:
        return ctx.customer.phone
    return str(ctx.once("phone", ctx.maker.mobile))


def _newcomer(ctx: FieldContext) -> tuple[str, str, Any]:
    return ctx.once("newcomer", lambda: ctx.newcomers.resident(min_age=22, max_age=70))


def _id_of(kind: str) -> Callable[[FieldContext, str], str | None]:
    def produce(ctx: FieldContext, _: str) -> str | None:
        customer = ctx.customer
        return customer.id_number if customer is not None and customer.id_type == kind else None

    return produce


def _billing_period(ctx: FieldContext, _: str) -> str:
    local = ctx.accepted_at.astimezone(OFFICE_ZONE)
    months_back = ctx.rng.randint(1, 2)
    year, month = divmod(local.year * 12 + local.month - 1 - months_back, 12)
    return f"{year:04d}-{month + 1:02d}"


def _kw(ctx: FieldContext, _: str) -> int:
    residential = ctx.ticket_type.code.endswith("_residential") and "non" not in ctx.ticket_type.code
    return ctx.rng.choice((4, 6, 8, 10, 12, 16) if residential else (15, 20, 30, 50, 80, 100))


def _weighted(*pairs: tuple[str, int]) -> Callable[[FieldContext, str], str]:
    def produce(ctx: FieldContext, _: str) -> str:
        return ctx.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    return produce


def _outage_event(ctx: FieldContext, _: str) -> str | None:
    if ctx.chosen.get("fault_type") != "no_power" or ctx.rng.random() > 0.4:
        return None
    return f"TD{ctx.accepted_at.astimezone(OFFICE_ZONE):%Y%m%d}{ctx.rng.randint(1, 40):04d}"


_PRODUCERS: dict[str, Callable[[FieldContext, str], Any]] = {
    "customer_name": lambda ctx, s: ctx.customer.name if ctx.customer is not None else _newcomer(ctx)[0],
    "id_number": _id_of("resident"),
    "credit_code": _id_of("credit_code"),
    "address": _address,
    "fault_address": _address,
    "location": _address,
    "contact_phone": _phone,
    "requested_kw": _kw,
    "phases": _weighted(("single", 8), ("three", 2)),
    "preferred_survey_date": lambda ctx, s: _day(ctx, ctx.rng.randint(1, 5)),
    "requested_kva": lambda ctx, s: ctx.rng.choice((250, 315, 400, 500, 630, 800, 1000, 1250)),
    "voltage_level": _weighted(("kv10", 85), ("kv20", 5), ("kv35", 10)),
    "load_class": _weighted(("third", 70), ("second", 25), ("first", 5)),
    "dual_supply_reason": lambda ctx, s: "重要负荷需双电源供电",
    "account_number": lambda ctx, s: ctx.account.account_no if ctx.account is not None else None,
    "meter_number": lambda ctx, s: ctx.account.meter_no if ctx.account is not None else None,
    "new_customer_name": lambda ctx, s: _newcomer(ctx)[0],
    "new_id_number": lambda ctx, s: _newcomer(ctx)[1],
    "new_name": lambda ctx, s: ctx.maker.enterprise("02", ctx.town)[0],
    "change_date": lambda ctx, s: _day(ctx, ctx.rng.randint(3, 20)),
    "description": lambda ctx, s: s,
    "content": lambda ctx, s: s,
    "reason": lambda ctx, s: s,
    "billing_period": _billing_period,
    "area_class": lambda ctx, s: ctx.customer.area_class if ctx.customer is not None else ctx.town.area_class,
    "arrears_cutoff": lambda ctx, s: ctx.account is not None and ctx.account.status == "suspended",
    "inside_installation": lambda ctx, s: ctx.rng.random() < 0.1,
    "outage_event": _outage_event,
    "anonymous": lambda ctx, s: ctx.customer is None,
    "confidential": lambda ctx, s: ctx.rng.random() < 0.1,
    "repeat_of": lambda ctx, s: None,
    CHASED_TICKET: lambda ctx, s: "",
    "payment_reference": lambda ctx, s: f"{ctx.accepted_at.astimezone(OFFICE_ZONE):%Y%m%d}{ctx.rng.randrange(10**10):010d}",
    "damage_date": lambda ctx, s: _day(ctx, -ctx.rng.randint(0, 2)),
    "booking_date": lambda ctx, s: _day(ctx, ctx.rng.randint(2, 10)),
    "charger_kind": _weighted(("home", 8), ("public", 2)),
}
