"""domain.progress: the lookup code's rules and what the customer's page may show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import progress
from domain.catalogue import load_catalogue
from domain.errors import InvalidInput

NOW = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


def test_a_new_code_is_twelve_unambiguous_letters_and_codes_differ() -> None:
    codes = {progress.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == progress.CODE_LENGTH and set(code) <= set(progress.ALPHABET)
    assert not set("01ILO") & set(progress.ALPHABET) and len(progress.ALPHABET) == 31
    assert progress.check_code(next(iter(codes))) in codes


@given(st.text(alphabet=progress.ALPHABET, min_size=12, max_size=12), st.sampled_from(["", " ", "-"]),
       st.booleans())
def test_what_a_customer_types_comes_back_to_the_code(code: str, separator: str, lower: bool) -> None:
    typed = separator.join(code[i:i + 4] for i in range(0, 12, 4))
    typed = f"  {typed.lower() if lower else typed} "
    assert progress.normalize(typed) == code
    assert progress.normalize(progress.grouped(code)) == code


@pytest.mark.parametrize("typed", ["", "ABC", "O" * 12, "1" * 12, "ABCDEFGHJKMNP", "GD20260302000001", None, 7,
                                   "ＡＢＣＤ" * 3, "x" * 200])
def test_what_cannot_be_a_code_is_none_and_a_desk_sending_it_is_refused(typed: object) -> None:
    assert progress.normalize(typed) is None
    with pytest.raises(InvalidInput) as refused:
        progress.check_code(typed)
    assert refused.value.field == "progress_code" and "查询码" in refused.value.message_zh


def test_a_desk_sends_the_code_exactly_as_made() -> None:
    code = progress.new_code()
    with pytest.raises(InvalidInput):
        progress.check_code(code.lower())
    with pytest.raises(InvalidInput):
        progress.check_code(progress.grouped(code))


def test_demo_codes_follow_from_their_bytes() -> None:
    assert progress.code_from_bytes(b"\x01" * 32) == progress.code_from_bytes(b"\x01" * 32)
    assert progress.normalize(progress.code_from_bytes(b"\xff" * 32)) is not None


@pytest.mark.parametrize(("url", "expected"), [("https://95598.example.cn/", "https://95598.example.cn"),
                                               ("http://127.0.0.1:8600/ow", "http://127.0.0.1:8600/ow")])
def test_the_public_address_and_the_page_address(url: str, expected: str) -> None:
    assert progress.check_base_url(url) == expected
    assert progress.page_url(expected, "ABCDEFGHJKMN") == f"{expected}/p/ABCDEFGHJKMN"
    assert progress.page_url(expected) == f"{expected}/p"


@pytest.mark.parametrize("url", ["", "ftp://x", "example.cn", "https://x/?a=1", "https://x/#f", "https:///p"])
def test_a_public_address_that_is_not_one_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        progress.check_base_url(url)


def _connection() -> tuple[dict[str, object], list[dict[str, object]], list[dict[str, object]]]:
    accepted = NOW - timedelta(days=3)
    ticket = {"type_code": "connection_residential", "number": "GD20260301000001", "state": "in_progress",
              "accepted_at": accepted, "due_at": NOW + timedelta(days=2), "deadline_provisional": False,
              "accepted_by": "staff-1", "summary": "内部备注"}
    tasks = [
        {"stage_code": "accept", "state": "done", "due_at": None, "warn_at": None, "completed_at": accepted},
        {"stage_code": "survey", "state": "taken", "due_at": NOW - timedelta(hours=1), "warn_at": None,
         "completed_at": None, "assignee_id": "staff-9"},
    ]
    requests = [
        {"addressee": "customer", "state": "open", "materials": ["property_proof"], "detail": "请带原件",
         "requested_at": NOW - timedelta(hours=2), "reason": "内部原因"},
        {"addressee": "customer", "state": "met", "materials": ["identity"], "detail": "",
         "requested_at": NOW - timedelta(hours=3)},
        {"addressee": "department", "state": "open", "materials": [], "detail": "请设计部提供图纸",
         "requested_at": NOW - timedelta(hours=1)},
    ]
    return ticket, tasks, requests


def test_the_page_shows_stages_in_order_what_to_bring_and_masked_data_only() -> None:
    ticket, tasks, requests = _connection()
    view = progress.build_progress(ticket, tasks, requests, {"name": "张三丰", "id_type": "resident",
                                                             "phone": "13912345678"}, load_catalogue(), NOW)
    assert (view.number, view.type_name, view.state_text, view.closed) == (
        "GD20260301000001", "低压居民新装", "处理中", False)
    assert [(s.name, s.state) for s in view.stages] == [
        ("受理", "done"), ("现场勘查", "working"), ("合同签订", "pending"), ("装表接电", "pending"),
        ("回访", "pending"), ("归档", "pending")]
    survey = view.stages[1]
    assert survey.overdue and survey.state_text == "办理中" and survey.due_at == NOW - timedelta(hours=1)
    assert not view.stages[0].overdue and view.stages[0].completed_at == ticket["accepted_at"]
    (todo,) = view.todo  # the open request to the customer only: not the met one, not the department's
    assert todo.materials == ("房屋产权证明或用电地址使用权证明",) and todo.detail == "请带原件"
    assert (view.customer_name, view.customer_phone) == ("张**", "139****5678")
    shown = str(view.as_json())
    for private in ("张三丰", "13912345678", "staff-1", "staff-9", "内部备注", "内部原因", "请设计部提供图纸"):
        assert private not in shown


def test_an_anonymous_ticket_and_an_unknown_type_still_answer() -> None:
    ticket, tasks, _ = _connection()
    ticket = {**ticket, "type_code": "retired_type", "state": "closed"}
    view = progress.build_progress(ticket, tasks, [], None, load_catalogue(), NOW)
    assert view.customer_name == "匿名" and view.customer_phone == "" and view.closed
    assert view.type_name == "retired_type" and [s.name for s in view.stages] == ["accept", "survey"]
