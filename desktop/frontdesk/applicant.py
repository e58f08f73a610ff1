"""A walk-in applicant who is not a customer yet (新装): the request's own form already asks for their name,
ID number, address and phone, so accepting it registers them as a customer in the same visit (no second
form). Qt-free: the intake dialog calls it on the store thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.catalogue import TicketType
from domain.records import Customer
from local_store import Store

# The form field that carries the applicant's identity, and the kind of identity it is.
IDENTITY_FIELDS = {"id_number": "resident", "credit_code": "credit_code"}


@dataclass(frozen=True, repr=False)
class Applicant:
    name: str
    id_type: str
    id_number: str
    phone: str | None
    address: str
    area_class: str
    customer_class: str  # 03 低压居民, 02 低压非居民, 01 高压 (asks for kVA)

    def __repr__(self) -> str:  # may reach a log: never the full number
        return f"Applicant({self.id_type}, {self.id_number[:6]}…)"


def registers_applicant(ticket_type: TicketType) -> bool:
    """Does accepting this type without a customer register its applicant (a connection for a new customer)?"""
    names = {field.name for field in ticket_type.fields}
    return "customer_name" in names and bool(names & IDENTITY_FIELDS.keys()) and "account_number" not in names


def applicant_from(ticket_type: TicketType, fields: dict[str, Any]) -> Applicant | None:
    """The applicant the form names, or None when this type does not register one."""
    if not registers_applicant(ticket_type):
        return None
    field = next(name for name in IDENTITY_FIELDS if name in {f.name for f in ticket_type.fields})
    name = str(fields.get("customer_name") or "").strip()
    number = str(fields.get(field) or "").strip().upper()
    if not name or not number:
        return None  # the form's own check names what is missing
    phone = fields.get("contact_phone")
    id_type = IDENTITY_FIELDS[field]
    high_voltage = "requested_kva" in {f.name for f in ticket_type.fields}
    return Applicant(name=name, id_type=id_type, id_number=number,
                     phone=str(phone) if phone else None, address=str(fields.get("address") or ""),
                     area_class=str(fields.get("area_class") or "urban"),
                     customer_class="03" if id_type == "resident" else "01" if high_voltage else "02")


def register_applicant(store: Store, office_id: str, applicant: Applicant) -> tuple[Customer, bool]:
    """The customer with the applicant's ID number if the office knows them already, else a new one.

    Returns (customer, created). Runs on the store thread."""
    for hit in store.search_customers(applicant.id_number, limit=5):
        known = store.customer(hit.customer_id)
        if known is not None and known.id_number == applicant.id_number:
            return known, False
    customer = store.create_customer(
        office_id=office_id, name=applicant.name, id_type=applicant.id_type, id_number=applicant.id_number,
        phone=applicant.phone, address=applicant.address,
        customer_class=applicant.customer_class, area_class=applicant.area_class,
    )
    return customer, True
