"""A wire dict becomes stored values the same way whether it carries every field (a server page: picked in
one step) or leaves some out (their defaults fill in): dates, JSON and booleans convert either way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.records import RECORD_TYPES
from local_store.rows import KINDS, _row_values_with_defaults, row_values


def full_wire(entity: str) -> dict[str, Any]:
    """Every field of the record, with a value of its column's kind (what a server page carries)."""
    sample: dict[str, Any] = {
        "text": "文本", "int": 7, "float": 1.5, "bool": True, "json": {"b": [1, 2], "a": "甲"},
        "datetime": "2026-03-02T09:00:00.123456+00:00", "date": "2026-03-02", "time": "09:30:00",
    }
    return {name: sample.get(kind, "x") for name, kind in KINDS[entity].items()}


@pytest.mark.parametrize("entity", sorted(RECORD_TYPES))
def test_a_whole_wire_dict_converts_like_the_field_by_field_plan(entity: str) -> None:
    wire = full_wire(entity)
    assert row_values(entity, wire) == _row_values_with_defaults(entity, wire)
    for name, kind in KINDS[entity].items():
        value = row_values(entity, wire)[list(KINDS[entity]).index(name)]
        if kind == "datetime":
            assert value == "2026-03-02T09:00:00.123456Z"
        elif kind == "bool":
            assert value == 1
        elif kind == "json":
            assert value == '{"a": "甲", "b": [1, 2]}'


@pytest.mark.parametrize("entity", sorted(RECORD_TYPES))
def test_missing_fields_take_their_defaults_and_none_stays_none(entity: str) -> None:
    wire = full_wire(entity)
    names = list(KINDS[entity])
    missing = {name: value for name, value in wire.items() if name != names[-1]}
    assert row_values(entity, missing) == _row_values_with_defaults(entity, missing)
    nones = dict.fromkeys(names)
    assert row_values(entity, nones) == [None] * len(names)


def test_an_aware_datetime_in_another_zone_is_stored_in_utc() -> None:
    wire = full_wire("customer")
    wire["created_at"] = datetime(2026, 3, 2, 17, 0, tzinfo=UTC).astimezone().isoformat()
    at = list(KINDS["customer"]).index("created_at")
    assert row_values("customer", wire)[at] == "2026-03-02T17:00:00.000000Z"
