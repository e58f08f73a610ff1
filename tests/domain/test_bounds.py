"""domain.bounds: free-form JSON and free text are bounded by one rule the desk and the server share."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from domain import bounds
from domain.errors import InvalidInput
from domain.records import ID_FIELDS, RECORD_TYPES, LeavePeriod, Note, StageTask, Ticket
from domain.sync import Mutation

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


def test_json_within_limits_passes_unchanged() -> None:
    value = {"a": [1, 2.5, None, True, {"b": "文字"}], "deep": nested(bounds.JSON_MAX_DEPTH - 1)}
    assert bounds.check_json("x", value) is value


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (nested(bounds.JSON_MAX_DEPTH + 1), "nested deeper"),
        (nested(250), "nested deeper"),
        (nested(100_000), "nested deeper"),  # walked without recursion
        ([[[]]] * 2 + [nested(bounds.JSON_MAX_DEPTH)], "nested deeper"),
        ({f"k{i}": i for i in range(bounds.JSON_MAX_KEYS + 1)}, "keys or items"),
        (list(range(bounds.JSON_MAX_KEYS + 1)), "keys or items"),
        ({"a": "x" * (bounds.JSON_MAX_STRING + 1)}, "longer than"),
        ({"x" * (bounds.JSON_MAX_STRING + 1): 1}, "longer than"),
        ([("长" * 9000) for _ in range(3)], "KiB"),
        ({"a": "\ud800"}, "surrogate"),
        ({"\udfff": 1}, "surrogate"),
        ({"a": "x\x00y"}, "NUL"),
        ({"a": 2**63}, "integer"),
        ({"a": -(2**63) - 1}, "integer"),
        ({"a": float("nan")}, "finite"),
        ({"a": float("inf")}, "finite"),
        ({"a": {1, 2}}, "not a JSON value"),
        ({1: "a"}, "keys must be text"),
    ],
)
def test_json_out_of_bounds_is_refused_naming_the_field(value: Any, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        bounds.check_json("ticket.fields", value)
    assert refused.value.field == "ticket.fields"
    assert says in refused.value.message_en and "ticket.fields" in refused.value.message_zh


def test_text_limits_cover_every_free_text_field_of_the_records() -> None:
    missing = []
    for kind, model in RECORD_TYPES.items():
        for name, info in model.model_fields.items():
            annotation = info.annotation
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            is_text = annotation is str or args == [str] or typing.get_args(annotation) == (str,)
            is_id = (name == "id" or name.endswith(("_id", "_ids")) or name in ID_FIELDS) and (
                f"{kind}.{name}" not in bounds.TEXT_LIMITS
            )
            if is_text and not is_id and f"{kind}.{name}" not in bounds.TEXT_LIMITS:
                missing.append(f"{kind}.{name}")
    assert missing == []
    assert all(0 < limit <= 10_000 for limit in bounds.TEXT_LIMITS.values())


def test_check_text() -> None:
    limit = bounds.TEXT_LIMITS["ticket.summary"]
    assert bounds.check_text("ticket.summary", "长" * limit) == "长" * limit
    assert bounds.check_text("ticket.summary", None) is None
    for bad in ("长" * (limit + 1), "a\ud83db", "a\x00"):
        with pytest.raises(InvalidInput):
            bounds.check_text("ticket.summary", bad)
    assert bounds.text_limit("no.such") == bounds.TEXT_DEFAULT_LIMIT


def test_ids_names_and_moments() -> None:
    for good in ("0191b6c4-7e5a-7b7c-9d1e-1a2b3c4d5e6f", "county-a", "system:field", "*", "cal-2026-01-01"):
        assert bounds.check_id("x.id", good) == good
    for bad in ("", " a", "a b", "x" * 65, "身份", "a/b", "-a"):
        with pytest.raises(InvalidInput):
            bounds.check_id("x.id", bad)
    for bad_name in ("", "  ", "张\n三", "张\x7f"):
        with pytest.raises(InvalidInput):
            bounds.check_name("customer.name", bad_name)
    bounds.check_moment("t", NOW)
    bounds.check_moment("t", date(2026, 1, 1))
    for bad_moment in (datetime(2026, 3, 2), datetime(9999, 12, 31, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC),
                       date(9999, 1, 1), datetime(9999, 12, 31, 23, 59, tzinfo=bounds.MOMENT_MIN.tzinfo)):
        with pytest.raises(InvalidInput):
            bounds.check_moment("t", bad_moment)


def test_accepted_at_window_around_the_server_clock() -> None:
    bounds.check_accepted_at("a", NOW - timedelta(days=3), NOW)
    bounds.check_accepted_at("a", NOW + timedelta(minutes=5), NOW)
    for bad in (NOW + timedelta(hours=1), NOW - bounds.ACCEPTED_AT_PAST - timedelta(days=1)):
        with pytest.raises(InvalidInput):
            bounds.check_accepted_at("a", bad, NOW)


def _ticket(**changes: Any) -> dict[str, Any]:
    return {"id": "t1", "office_id": "county-a", "type_code": "repair", "channel": "hall", "accepted_at": NOW,
            **changes}


def _says(error: ValidationError, text: str) -> bool:
    return any(text in str(item.get("msg", "")) for item in error.errors())


@pytest.mark.parametrize(
    ("model", "data", "says"),
    [
        (Ticket, _ticket(fields=nested(250)), "ticket.fields"),
        (Ticket, _ticket(summary="x" * 501), "ticket.summary"),
        (Ticket, _ticket(accepted_at=datetime(2026, 3, 2)), "ticket.accepted_at"),
        (Ticket, _ticket(accepted_at=datetime(9999, 12, 31, tzinfo=UTC)), "ticket.accepted_at"),
        (Ticket, _ticket(materials=["m"] * 101), "ticket.materials"),
        (Ticket, _ticket(id="a b"), "ticket.id"),
        (Ticket, _ticket(customer_id="c" * 65), "ticket.customer_id"),
        (StageTask, {"id": "s", "office_id": "o", "ticket_id": "t", "stage_code": "x", "department": "d",
                     "opened_at": NOW, "result": nested(40)}, "stage_task.result"),
        (Note, {"id": "n", "office_id": "o", "ticket_id": "t", "body": "\ud800", "at": NOW}, "note.body"),
        (LeavePeriod, {"start": NOW, "end": NOW, "reason": "r" * 201}, "leave.reason"),
    ],
)
def test_records_refuse_out_of_bounds_values(model: type[Any], data: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    assert _says(refused.value, says), refused.value.errors()


def test_records_refuse_overflowing_numbers() -> None:
    with pytest.raises(ValidationError):
        Ticket.model_validate(_ticket(version=2**63))
    with pytest.raises(ValidationError):
        Ticket.model_validate(_ticket(fields={"kw": float("nan")}))


def _mutation(**changes: Any) -> dict[str, Any]:
    return {"mutation_id": "0191b6c4-7e5a-7b7c-9d1e-1a2b3c4d5e6f", "client_id": "desk-1", "seq": 1,
            "entity": "ticket", "entity_id": "t1", "op": "update", "created_at": NOW, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"seq": 2**63},
        {"base_version": 2**63},
        {"created_at": datetime(2026, 3, 2)},
        {"created_at": datetime(9999, 1, 1, tzinfo=UTC)},
        {"mutation_id": "x" * 65},
        {"entity_id": "a b"},
        {"transition": {"from_state": "a", "to_state": "b", "reason": "r" * 501}},
    ],
)
def test_mutations_refuse_out_of_bounds_values(changes: dict[str, Any]) -> None:
    Mutation.model_validate(_mutation())
    with pytest.raises(ValidationError):
        Mutation.model_validate(_mutation(**changes))


@pytest.mark.parametrize(
    "changes",
    [
        {"fields": {"fields": nested(250)}},
        {"base": {"fields": nested(bounds.JSON_MAX_DEPTH + 1)}},
        {"fields": {"summary": "\ud800"}},
        {"fields": {f"f{i}": 1 for i in range(bounds.JSON_MAX_FIELDS + 1)}},
    ],
)
def test_a_changed_value_out_of_bounds_is_that_mutations_problem(changes: dict[str, Any]) -> None:
    """Values are judged one mutation at a time (the server rejects that mutation, the batch goes on)."""
    assert Mutation.model_validate(_mutation()).value_problem() is None
    problem = Mutation.model_validate(_mutation(**changes)).value_problem()
    assert isinstance(problem, InvalidInput)


def test_an_external_call_id_is_text_not_one_of_our_ids() -> None:
    from domain.records import Interaction

    call = {"id": "i1", "office_id": "county-a", "channel": "hotline", "type": "call", "at": NOW,
            "call_id": "CTI/2026-03-02 #17"}
    assert Interaction.model_validate(call).call_id == "CTI/2026-03-02 #17"
    with pytest.raises(ValidationError):
        Interaction.model_validate({**call, "call_id": "x" * 65})


def test_every_catalogue_code_fits_its_bound() -> None:
    """A ticket of a type the catalogue offers must never be refused for the length of its own codes
    (capacity_increase_lv_non_residential, 36 characters, once was)."""
    from domain.catalogue import load_catalogue

    catalogue = load_catalogue()
    for ticket_type in catalogue.types:
        bounds.check_text("ticket.type_code", ticket_type.code)
        for stage in ticket_type.workflow.stages:
            bounds.check_text("stage_task.stage_code", stage.code)
        for material in ticket_type.materials:
            bounds.check_text("ticket.materials", material)
