"""A ticket's territory (辖区): which surveyors' area its site lies in, read from the address taken at
intake. The same rule on desk and server; the dispatcher can override what it finds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Form fields that name the site of the work, in the order they are trusted.
ADDRESS_FIELDS = ("address", "fault_address", "location")


def territory_from_address(address: str | None, territories: Iterable[str]) -> str | None:
    """The territory named in `address`: the longest known name it contains (the earliest on a tie), or None."""
    if not address:
        return None
    found = [name for name in set(territories) if name and name in address]
    if not found:
        return None
    return min(found, key=lambda name: (-len(name), address.index(name), name))


def ticket_territory(fields: Mapping[str, Any] | None, account_address: str | None, customer_address: str | None,
                     territories: Iterable[str]) -> str | None:
    """The territory of a ticket's site among `territories` (the office's): from the account's address (the
    premises), else the form's site address, else the customer's; None when none names one."""
    known = list(territories)
    for address in (account_address, *((fields or {}).get(n) for n in ADDRESS_FIELDS), customer_address):
        if isinstance(address, str) and (found := territory_from_address(address, known)) is not None:
            return found
    return None
