"""补充材料/信息: what a request must say, and who may ask and answer (domain.info_requests, domain.roles)."""

from __future__ import annotations

import pytest

from domain import info_requests as ir
from domain.errors import DomainError, InvalidInput
from domain.roles import may_answer_info_request, may_mutate, may_request_info

KNOWN = ("identity", "property_proof", "load_list")


def ask(**changes: object) -> ir.CheckedRequest:
    values: dict[str, object] = {"addressee": "customer", "stage_department": "marketing", "stage_state": "taken",
                                 "to_department": None, "materials": ["property_proof"], "detail": "",
                                 "reason": "产权证明复印件不清晰", "known_materials": KNOWN}
    values.update(changes)
    return ir.check_request(**values)  # type: ignore[arg-type]


def test_a_request_to_the_customer_names_catalogue_materials_or_words() -> None:
    checked = ask(materials=["property_proof", " property_proof", "identity"], detail="  原件  ")
    assert checked.materials == ("property_proof", "identity") and checked.detail == "原件"
    assert ask(materials=[], detail="房屋平面图").materials == ()
    for changes, field in [({"materials": ["passport"]}, "materials"),
                           ({"materials": [], "detail": "  "}, "materials"),
                           ({"to_department": "design"}, "to_department"),
                           ({"reason": " 补"}, "reason"),
                           ({"stage_state": "done"}, "stage_task_id"),
                           ({"addressee": "neighbour"}, "addressee"),
                           ({"detail": "字" * 1001}, "info_request.detail")]:
        with pytest.raises(InvalidInput) as raised:
            ask(**changes)
        assert raised.value.field == field, changes


def test_a_request_to_a_department_names_another_department_and_what() -> None:
    checked = ask(addressee="department", to_department="design", materials=[], detail="勘查草图")
    assert checked.to_department == "design" and checked.materials == ()
    for changes, field in [({"to_department": "marketing"}, "to_department"),
                           ({"to_department": "nobody"}, "to_department"),
                           ({"to_department": None}, "to_department"),
                           ({"materials": ["identity"]}, "materials"),
                           ({"detail": ""}, "detail")]:
        base: dict[str, object] = {"addressee": "department", "to_department": "design", "materials": [],
                                   "detail": "勘查草图"}
        with pytest.raises(InvalidInput) as raised:
            ask(**{**base, **changes})
        assert raised.value.field == field, changes


def test_who_asks_and_who_answers() -> None:
    assert may_request_info("department", "marketing", "marketing")
    assert not may_request_info("department", "design", "marketing")
    assert not may_request_info("department", None, "marketing")
    assert may_request_info("supervisor", None, "marketing")
    assert not may_request_info("clerk", None, "marketing")
    assert not may_mutate("clerk", "info_request", "create") and not may_mutate("manager", "info_request", "create")
    # the customer's materials arrive at the window: the front desk marks them met; a department's answer is
    # marked by the asking or the asked department.
    assert may_answer_info_request("clerk", None, "marketing", "customer", None)
    assert not may_answer_info_request("clerk", None, "marketing", "department", "design")
    assert may_answer_info_request("department", "design", "marketing", "department", "design")
    assert may_answer_info_request("department", "marketing", "marketing", "department", "design")
    assert not may_answer_info_request("department", "metering", "marketing", "department", "design")
    assert may_answer_info_request("supervisor", None, "marketing", "department", "design")
    assert ir.check_answer("  已收到  ") == "已收到"


def test_withdrawing_a_request_asked_by_mistake() -> None:
    from domain.roles import may_withdraw_info_request
    from domain.states import transition

    assert ir.check_withdrawal("open", "  问错了客户  ") == "问错了客户"
    for state, reason, field in [("open", " ", "reason"), ("open", "x", "reason"), ("met", "问错了", "state"),
                                 ("withdrawn", "问错了", "state"), ("open", "字" * 501, "info_request.withdrawn_reason")]:
        with pytest.raises(InvalidInput) as refused:
            ir.check_withdrawal(state, reason)
        assert refused.value.field == field
    # the asking department and a supervisor; not the department asked, not the front desk, not the manager
    assert may_withdraw_info_request("department", "marketing", "marketing")
    assert may_withdraw_info_request("supervisor", None, "marketing")
    assert not may_withdraw_info_request("department", "design", "marketing")
    assert not may_withdraw_info_request("clerk", None, "marketing")
    assert not may_withdraw_info_request("manager", None, "marketing")
    assert transition("info_request", "open", "withdrawn", "department", "问错了") == "withdrawn"
    with pytest.raises(DomainError):
        transition("info_request", "open", "withdrawn", "department", None)  # a reason is required
    assert not ir.counts_as_asked("withdrawn") and ir.counts_as_asked("met") and ir.counts_as_asked("open")
