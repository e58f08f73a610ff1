"""The deterministic demo prefecture: two county offices with staff, customers and a month of work.

`generate()` builds every record in memory for a loader (no database here);
`iter_customers()` streams one office's customers for benchmarks of a million rows.
The recipe (places, name parts, staff accounts, ticket mix) is data in resources/demo.
"""

from __future__ import annotations

from datetime import datetime

from backend.demo.build import DemoData, default_ticket_count, generate
from backend.demo.clock import DEFAULT_NOW
from backend.demo.customers import CustomerRow, iter_customers
from backend.demo.organisation import DemoStaff
from backend.demo.organisation import demo_offices as _demo_offices
from domain.records import Office

__all__ = [
    "DEFAULT_NOW", "CustomerRow", "DemoData", "DemoStaff", "default_ticket_count", "demo_offices", "generate",
    "iter_customers",
]


def demo_offices(seed: int = 2026, *, now: datetime = DEFAULT_NOW) -> list[Office]:
    """The demo's county offices (the same records `generate(seed, now=now)` returns), for `iter_customers`."""
    return _demo_offices(seed, now=now)
