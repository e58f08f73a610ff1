"""Roles that never verify a customer receive a person's name masked to the surname, and an organisation's
name whole (issue 12: a company read 岚**********; its name is not personal data)."""

from __future__ import annotations

from collections.abc import Callable

from domain.identity import credit_code_check_char, resident_id_check_char
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_pull_safety import _cursor, _since

DeskFactory = Callable[[str], Desk]
COMPANY = "岚川县天成酒业有限公司"


def test_department_staff_receive_a_persons_surname_and_a_companys_whole_name(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    first17 = "11010119900307123"
    code17 = "91110101MA01ABCD1"
    before = _cursor(clerk)
    person = clerk.new_customer(name="张三丰", id_number=first17 + resident_id_check_char(first17))
    company = clerk.new_customer(name=COMPANY, id_type="credit_code", id_number=code17 + credit_code_check_char(code17))
    full, masked = _since(clerk, before), _since(marketing, before)
    assert full[("customer", person["id"])]["name"] == "张三丰"
    assert masked[("customer", person["id"])]["name"] == "张**"
    assert full[("customer", company["id"])]["name"] == masked[("customer", company["id"])]["name"] == COMPANY


def test_department_staff_receive_a_tickets_form_with_the_id_number_and_phone_masked(desk: DeskFactory) -> None:
    """The ID number and phone typed into a ticket's form reach a role that never verifies masked like the
    customer's own (issue 13: the form carried them whole to every department's desk)."""
    from tests.backend.test_workflow import CONNECTION_FIELDS

    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    before = _cursor(clerk)
    customer = clerk.new_customer(name="张三")
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields={
        "type_code": "connection_residential", "channel": "hall", "customer_id": customer["id"], "summary": "新装",
        "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"], "accepted_at": FIXED_NOW.isoformat()}))
    assert result["status"] == "applied", result
    key = ("ticket", result["record"]["id"])
    full, masked = _since(clerk, before)[key]["fields"], _since(marketing, before)[key]["fields"]
    assert full == CONNECTION_FIELDS
    assert masked["id_number"] == "110105********002X" and masked["contact_phone"] == "138****1111"
    assert {name: value for name, value in masked.items() if name not in ("id_number", "contact_phone")} == {
        name: value for name, value in CONNECTION_FIELDS.items() if name not in ("id_number", "contact_phone")}

    # The masked form sent back in an update (another field changed) never lands: the server's whole values win.
    version = _since(marketing, before)[key]["version"]
    edited = masked | {"requested_kw": 12}
    (answer,) = marketing.push(marketing.mutation("ticket", "update", key[1], fields={"fields": edited},
                                                  base={"fields": masked}, base_version=version))
    assert answer["status"] in ("merged", "rejected"), answer
    assert _since(clerk, before)[key]["fields"] == CONNECTION_FIELDS
