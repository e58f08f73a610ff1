"""Demo tickets of one office: who raised what, on which channel, when, and how far each has got."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from itertools import accumulate
from typing import Any

from backend import rules
from backend.demo import ids, recipe
from backend.demo.customers import PlacedCustomer
from backend.demo.fields import CHASED_TICKET, FieldContext, choose_summary, fill_fields
from backend.demo.people import PeopleMaker
from backend.demo.recipe import County, TicketMix, Town
from backend.demo.workflows import Played, StageContext, play
from domain import sla
from domain.calendar import WorkingCalendar
from domain.catalogue import Catalogue, TicketType
from domain.records import Account, Office
from domain.sla import OFFICE_ZONE

HISTORY_DAYS = 30
FRESH_SURVEYS = 4  # per office: surveys accepted in the last hours and waiting for a surveyor
_HALL_OPEN = time(8, 30)
_SEARCH_TRIES = 3000  # random draws to find a customer of a rare kind before trying another ticket type
_FRONT_DESK = {"hall": "clerk", "hotline": "hotline"}


@dataclass
class OfficeStaff:
    """The staff ids of one office by role, and of its department staff by department."""

    by_role: dict[str, str]
    by_department: dict[str, str]


@dataclass
class TicketDraft:
    """A ticket before its number is known (numbers run across offices in order of acceptance)."""

    fields: dict[str, Any]  # the Ticket record's fields, without `number`
    ticket_type: TicketType
    played: Played
    placed: PlacedCustomer | None
    account: Account | None
    town: Town
    chased: TicketDraft | None = None
    number: str | None = field(default=None)
    fresh: bool = False  # accepted in the last hours: its survey waits in the dispatcher's queue

    @property
    def id(self) -> str:
        return str(self.fields["id"])

    @property
    def accepted_at(self) -> datetime:
        return self.fields["accepted_at"]

    @property
    def channel(self) -> str:
        return str(self.fields["channel"])


@dataclass
class OfficeTickets:
    """Everything needed to draw one office's tickets."""

    seed: int
    office: Office
    county: County
    customers: list[PlacedCustomer]
    staff: OfficeStaff
    now: datetime
    calendar: WorkingCalendar
    catalogue: Catalogue
    rng: random.Random = field(init=False)
    maker: PeopleMaker = field(init=False)
    newcomers: PeopleMaker = field(init=False)
    _provisional: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(f"demo:{self.seed}:{self.county.office_code}:tickets")
        places, names = recipe.places(), recipe.names()
        today = self.now.astimezone(OFFICE_ZONE).date()
        self.maker = PeopleMaker(self.rng, self.county, places, names, today)
        # New owners come from elsewhere: their IDs are of another region, so never a customer's.
        newcomer_county = replace(self.county, region_code=places.newcomer_region_code)
        self.newcomers = PeopleMaker(self.rng, newcomer_county, places, names, today)

    def new_id(self, at: datetime) -> str:
        return ids.uuid7_at(self.rng, at)

    def draw(self, count: int) -> list[TicketDraft]:
        mixes = recipe.tickets().types
        cum = list(accumulate(m.weight for m in mixes))
        drafts: list[TicketDraft] = []
        while len(drafts) < count:
            mix = mixes[_pick_index(self.rng, cum)]
            draft = self._ticket(mix)
            if draft is not None:
                drafts.append(draft)
        drafts += self._chases(drafts)
        if count:
            drafts += self._fresh_surveys(mixes)
        return drafts

    def _fresh_surveys(self, mixes: Sequence[TicketMix]) -> list[TicketDraft]:
        """Connection requests accepted in the last hours whose survey nobody has taken yet: whatever the
        minute the demo is seeded at, the dispatcher has surveys to place (on site and by video)."""
        with_survey = [m for m in mixes if any(stage.is_survey for stage in
                                               self.catalogue.ticket_type(m.code).workflow.stages)]
        fresh: list[TicketDraft] = []
        for attempt in range(FRESH_SURVEYS * 4):
            if len(fresh) == FRESH_SURVEYS or not with_survey:
                break
            mix = with_survey[attempt % len(with_survey)]
            draft = self._ticket(mix, age=timedelta(minutes=self.rng.randint(10, 150)))
            if draft is not None and any(draft.played.stage_of[t.id].is_survey and t.state == "open"
                                         for t in draft.played.tasks):
                draft.fresh = True
                fresh.append(draft)
        return fresh

    def _ticket(self, mix: TicketMix, *, age: timedelta | None = None) -> TicketDraft | None:
        rng = self.rng
        ticket_type = self.catalogue.ticket_type(mix.code)
        found = self._raised_by(mix)
        if found is None:
            return None  # no customer of that kind in a small demo: draw another type
        placed, account = found
        channel = rng.choices([c for c, _ in mix.channels], weights=[w for _, w in mix.channels])[0]
        # Recent days are busier on screen: the last week holds about half of the month's tickets.
        if age is None:
            age = timedelta(seconds=300 + rng.random() ** 1.8 * HISTORY_DAYS * 86400)
        accepted_at = self._accepted_at(channel, self.now - age)
        town = placed.town if placed is not None else rng.choice(self.county.towns)
        ctx = FieldContext(
            rng, self.maker, self.newcomers, ticket_type, mix,
            placed.customer if placed is not None else None, account, town, accepted_at,
        )
        summary = choose_summary(ctx)
        return self._draft(ticket_type, channel, accepted_at, placed, account, town, summary, fill_fields(ctx, summary))

    def _draft(
        self, ticket_type: TicketType, channel: str, accepted_at: datetime, placed: PlacedCustomer | None,
        account: Account | None, town: Town, summary: str, values: dict[str, Any],
    ) -> TicketDraft:
        rng = self.rng
        customer = placed.customer if placed is not None else None
        # the ticket's own form first, then the customer's record, as the engine does
        area = sla.ticket_area_class(values, customer.area_class if customer is not None else None)
        ticket_id = self.new_id(accepted_at)
        cancel_at = accepted_at + (self.now - accepted_at) * rng.uniform(0.1, 0.9) if rng.random() < 0.04 else None
        played = play(
            StageContext(rng, self.now, self.calendar, self.staff.by_department, recipe.tickets().stage_results,
                         recipe.tickets().slowdown),
            ticket_type, ticket_id=ticket_id, office_id=self.office.id, accepted_at=accepted_at, area=area,
            cancel_at=cancel_at, new_id=self.new_id,
        )
        due = rules.deadline(ticket_type.time_limit, accepted_at, values, area, self.calendar)
        provisional = None
        if channel == "hall" and rng.random() < 0.05:
            self._provisional += 1  # accepted while the office was offline
            provisional = f"P-{self.county.letters}{rng.randint(1, 3):02d}-{self._provisional}"
        record: dict[str, Any] = {
            "id": ticket_id,
            "office_id": self.office.id,
            "provisional_number": provisional,
            "type_code": ticket_type.code,
            "channel": channel,
            "customer_id": customer.id if customer is not None else None,
            "account_id": account.id if account is not None else None,
            "state": played.state,
            "summary": summary,
            "fields": values,
            "materials": list(ticket_type.materials) if channel in ("hall", "app") else [],
            "accepted_at": accepted_at,
            "accepted_by": self.staff.by_role.get(_FRONT_DESK.get(channel, "")),
            "due_at": due.due_at,
            "warn_at": due.warn_at,
            "deadline_provisional": due.provisional,
            "closed_at": played.closed_at,
            "satisfaction": played.satisfaction,
        }
        return TicketDraft(record, ticket_type, played, placed, account, town)

    def _raised_by(self, mix: TicketMix) -> tuple[PlacedCustomer | None, Account | None] | None:
        rng, customers = self.rng, self.customers
        if mix.anonymous_share and rng.random() < mix.anonymous_share:
            return None, None
        accept = _WHO[mix.who]
        for _ in range(_SEARCH_TRIES if customers else 0):
            placed = customers[int(rng.random() * len(customers))]
            account = placed.accounts[int(rng.random() * len(placed.accounts))]
            if accept(placed, account):
                return placed, (None if mix.who == "new_resident" else account)
        return None

    def _accepted_at(self, channel: str, at: datetime) -> datetime:
        """Halls take requests in opening hours; calls and app requests thin out at night."""
        rng, local = self.rng, at.astimezone(OFFICE_ZONE)
        if channel == "hall" and not _HALL_OPEN <= local.time() <= time(17, 30):
            at = datetime.combine(local.date(), _HALL_OPEN, OFFICE_ZONE) + timedelta(minutes=rng.uniform(0, 540))
        elif local.hour < 7 and rng.random() < 0.7:
            at += timedelta(hours=8)
        while at > self.now - timedelta(minutes=2):
            at -= timedelta(days=1)
        return at.replace(microsecond=0)

    def _chases(self, drafts: list[TicketDraft]) -> list[TicketDraft]:
        """催办: a customer chases an open ticket at least a day old; the chase points at it."""
        rng, chase_recipe = self.rng, recipe.tickets()
        chase_type = self.catalogue.ticket_type("chase")
        open_ones = [
            d for d in drafts
            if d.placed is not None and d.fields["state"] in ("accepted", "in_progress")
            and self.now - d.accepted_at > timedelta(days=1)
        ]
        chases: list[TicketDraft] = []
        for original in rng.sample(open_ones, min(len(open_ones), round(len(drafts) * chase_recipe.chase_share))):
            channel = rng.choice(("hotline", "hotline", "app"))
            start = original.accepted_at + timedelta(days=1)
            accepted_at = self._accepted_at(channel, start + (self.now - start) * rng.random())
            if accepted_at <= original.accepted_at:
                continue
            summary = rng.choice(chase_recipe.chase_summaries)
            values: dict[str, Any] = {CHASED_TICKET: "", "content": summary}
            if original.placed is not None and original.placed.customer.phone:
                values["contact_phone"] = original.placed.customer.phone
            draft = self._draft(
                chase_type, channel, accepted_at, original.placed, original.account, original.town, summary, values
            )
            draft.fields["linked_ticket_id"] = original.id
            draft.chased = original
            chases.append(draft)
        return chases


def _pick_index(rng: random.Random, cum: list[int]) -> int:
    return bisect(cum, rng.random() * cum[-1])


def _has_credit_code(placed: PlacedCustomer, customer_class: str) -> bool:
    customer = placed.customer
    return customer.customer_class == customer_class and customer.id_type == "credit_code"


_WHO: dict[str, Callable[[PlacedCustomer, Account], bool]] = {
    "resident": lambda p, a: p.customer.customer_class == "03" and a.status == "active",
    "new_resident": lambda p, a: p.customer.customer_class == "03" and p.customer.id_type == "resident",
    "business": lambda p, a: _has_credit_code(p, "02") and a.status == "active",
    "enterprise": lambda p, a: _has_credit_code(p, "01") and a.status == "active",
    "account": lambda p, a: a.status != "closed",
    "suspended": lambda p, a: a.status == "suspended",
    "anyone": lambda p, a: True,
}
