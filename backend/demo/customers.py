"""Demo customers and their electricity accounts, streamed so a million rows need not sit in memory."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Literal, NamedTuple, cast

from backend.demo import grid, ids, recipe
from backend.demo.clock import DEFAULT_NOW, check_now
from backend.demo.people import PeopleMaker
from backend.demo.recipe import Town
from domain.errors import InvalidInput
from domain.records import Account, AreaClass, Customer, CustomerClass, Office
from domain.sla import OFFICE_ZONE

_HOUR_OPEN = time(8, 30)


AccountStatus = Literal["active", "suspended", "closed"]
IdType = Literal["resident", "credit_code", "other"]


class CustomerRow(NamedTuple):
    """One customer with the accounts (户号) they hold: usually one, sometimes two."""

    customer: Customer
    accounts: tuple[Account, ...]


class PlacedCustomer(NamedTuple):
    """A generated customer with the town they live in, which tickets and surveys need."""

    customer: Customer
    accounts: tuple[Account, ...]
    town: Town
    town_index: int


def iter_customers(seed: int, n: int, office: Office, *, now: datetime = DEFAULT_NOW) -> Iterator[CustomerRow]:
    """Stream `n` customers of a demo `office` (from `demo_offices(seed)`) with their accounts."""
    for placed in iter_placed_customers(seed, n, office, now=now):
        yield CustomerRow(placed.customer, placed.accounts)


def iter_placed_customers(
    seed: int, n: int, office: Office, *, now: datetime = DEFAULT_NOW
) -> Iterator[PlacedCustomer]:
    """`iter_customers` with the town each customer lives in, for tickets and surveys."""
    check_now(now)
    if n < 0 or n > ids.SCRAMBLE_SPACE // 2:
        raise InvalidInput(
            f"每个营业厅的客户数须在 0 到 {ids.SCRAMBLE_SPACE // 2} 之间",
            f"customers per office must be between 0 and {ids.SCRAMBLE_SPACE // 2}",
            field="customers_per_office",
        )
    county = recipe.county(office.code)
    rng = random.Random(f"demo:{seed}:{county.office_code}:customers")
    today = now.astimezone(OFFICE_ZONE).date()
    maker = PeopleMaker(rng, county, recipe.places(), recipe.names(), today)
    between, chance = maker.between, rng.random
    number_key = rng.getrandbits(64)
    layout = grid.demo_grid(seed, office, now)
    day_starts: dict[int, tuple[datetime, int]] = {}
    account_index = 0

    def working_moment(days_back: int) -> tuple[datetime, int]:
        """A moment in office hours `days_back` days ago, with its Unix milliseconds for the id."""
        start = day_starts.get(days_back)
        if start is None:
            moment = datetime.combine(today - timedelta(days=days_back), _HOUR_OPEN, OFFICE_ZONE)
            start = day_starts[days_back] = moment, int(moment.timestamp()) * 1000
        minutes = int(chance() * 540)
        return start[0] + timedelta(minutes=minutes), start[1] + minutes * 60_000

    def account(customer_id: str, address: str, town_index: int, customer_class: str, millis: int) -> Account:
        nonlocal account_index
        number = ids.scramble(account_index, number_key)
        account_index += 1
        arrears = 0
        if chance() < 0.07:
            arrears = between(3_000, 150_000) * (20 if customer_class == "01" else 1)
        status: AccountStatus = "active"
        if arrears and chance() < 0.15:
            status = "suspended"  # cut off for arrears: the reconnection requests come from these
        elif chance() < 0.01:
            status = "closed"
        return Account(
            id=ids.uuid7(millis, rng),
            office_id=office.id,
            customer_id=customer_id,
            account_no=f"{county.account_prefix}{number:07d}",
            address=address,
            # Unique through the account number it ends with; the batch digits only make it look real.
            meter_no=f"1{county.region_code}{int(chance() * 10**8):08d}{number:07d}",
            segment=f"{county.letters}{town_index + 1:02d}-{between(1, books[town_index]):03d}",
            temporary_supply=customer_class != "03" and chance() < 0.03,
            arrears_cents=arrears,
            status=status,
            transformer_id=layout.transformer_for(town_index, number),
            important=grid.is_important(customer_class, number),
        )

    books = [max(3, town.weight) for town in county.towns]  # meter-reading books per town
    for _ in range(n):
        town_index, town = maker.town()
        area_class = cast(AreaClass, town.area_class)
        u = chance()
        customer_class: CustomerClass = "01" if u < 0.015 else "02" if u < (0.16 if area_class == "urban" else 0.08) else "03"
        created_at, created_millis = working_moment(between(1, 15 * 365))
        customer_id = ids.uuid7(created_millis, rng)
        address = maker.address(town, area_class, customer_class)
        phone: str | None = maker.mobile()
        id_type: IdType
        if customer_class == "03" or (customer_class == "02" and chance() < 0.4):  # a shopkeeper in person
            id_type = "resident"
            name, id_number, _ = maker.resident()
            if area_class != "urban" and chance() < 0.03:
                phone = None  # an elderly rural holder who gave no phone
        else:
            id_type = "credit_code"
            name, id_number = maker.enterprise(customer_class, town)
        customer = Customer(
            id=customer_id,
            office_id=office.id,
            name=name,
            id_type=id_type,
            id_number=id_number,
            phone=phone,
            address=address,
            customer_class=customer_class,
            area_class=area_class,
            created_at=created_at,
        )
        accounts = [account(customer_id, address, town_index, customer_class, created_millis)]
        if chance() < (0.06 if customer_class == "03" else 0.15):
            # A second premises: the family's old house, a shop, a workshop.
            other_index, other_town = maker.town()
            other_millis = working_moment(between(1, 10 * 365))[1]
            other_address = maker.address(other_town, other_town.area_class, customer_class)
            accounts.append(account(customer_id, other_address, other_index, customer_class, other_millis))
        yield PlacedCustomer(customer, tuple(accounts), town, town_index)
