"""The intake rule (desk and server): every problem at once, numbers within the catalogue's range, dates on
the right side of today, names and identifiers without emoji or control characters."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalogue import load_catalogue
from domain.errors import InvalidInput
from domain.identity import refused_char, validate_typed_name
from domain.intake import check_ticket_input, ticket_input_problems

TODAY = date(2026, 12, 7)


def _type_with(field: str) -> str:
    return next(t.code for t in load_catalogue().types if any(f.name == field for f in t.fields)
                and "hall" in t.channels)


def test_every_problem_is_reported_at_once() -> None:
    type_code = _type_with("requested_kw")
    _type, _cleaned, problems = ticket_input_problems(
        load_catalogue(), type_code, "hall", {"requested_kw": -5, "customer_name": "张😀"}, [], today=TODAY)
    fields = [p.field for p in problems]
    assert "requested_kw" in fields and "materials" in fields
    assert len(problems) >= 3  # the negative capacity, the required fields left empty, the materials
    with pytest.raises(InvalidInput) as first:
        check_ticket_input(load_catalogue(), type_code, "hall", {"requested_kw": -5}, [], today=TODAY)
    assert first.value.field == problems[0].field or first.value.field in fields


@pytest.mark.parametrize("kw, ok", [(-5, False), (0, False), (1, True), (100000, True), (100001, False)])
def test_capacity_must_lie_in_the_catalogues_range(kw: int, ok: bool) -> None:
    type_code = _type_with("requested_kw")
    _t, _c, problems = ticket_input_problems(load_catalogue(), type_code, "hall", {"requested_kw": kw}, [])
    assert any(p.field == "requested_kw" for p in problems) is not ok


def test_survey_date_not_in_the_past_damage_date_not_in_the_future() -> None:
    survey = _type_with("preferred_survey_date")
    for day, ok in ((date(2026, 12, 6), False), (TODAY, True), (date(2027, 1, 5), True)):
        _t, _c, problems = ticket_input_problems(load_catalogue(), survey, "hall",
                                                 {"preferred_survey_date": day.isoformat()}, [], today=TODAY)
        assert any(p.field == "preferred_survey_date" for p in problems) is not ok, day
    damage = _type_with("damage_date")
    _t, _c, problems = ticket_input_problems(load_catalogue(), damage, "hall", {"damage_date": "2026-12-08"}, [],
                                             today=TODAY)
    assert any(p.field == "damage_date" and "不能晚于今天" in p.message("zh") for p in problems)
    # Without a desk's today (the server replaying an offline ticket days later) the date stands.
    _t, _c, problems = ticket_input_problems(load_catalogue(), survey, "hall",
                                             {"preferred_survey_date": "2020-01-01"}, [])
    assert not any(p.field == "preferred_survey_date" for p in problems)


@pytest.mark.parametrize("name", ["张😀", "王\u200d明", "李\x07", "赵\u0000", "A\ufe0fB", "👍🏽"])
def test_emoji_and_control_characters_refused_in_names(name: str) -> None:
    with pytest.raises(InvalidInput):
        validate_typed_name(name)
    type_code = _type_with("customer_name")
    _t, _c, problems = ticket_input_problems(load_catalogue(), type_code, "hall", {"customer_name": name}, [])
    assert any(p.field == "customer_name" for p in problems)


@given(st.text(alphabet=st.characters(whitelist_categories=("Lo", "Lu", "Ll", "Nd")), min_size=1, max_size=30))
def test_letters_and_digits_pass(name: str) -> None:
    assert refused_char(name) is None


def test_free_text_keeps_emoji_and_line_breaks_but_not_control_characters() -> None:
    type_code = _type_with("description")
    _t, cleaned, problems = ticket_input_problems(load_catalogue(), type_code, "hall",
                                                  {"description": "停电了😭\n请尽快"}, [])
    assert not any(p.field == "description" for p in problems) and cleaned["description"] == "停电了😭\n请尽快"
    _t, _c, problems = ticket_input_problems(load_catalogue(), type_code, "hall", {"description": "a\x1bb"}, [])
    assert any(p.field == "description" for p in problems)


def test_catalogue_marks_names_identifiers_ranges_and_dates() -> None:
    kinds = {f.name: f for t in load_catalogue().types for f in t.fields}
    assert kinds["customer_name"].chars == "name" and kinds["account_number"].chars == "code"
    assert kinds["requested_kw"].minimum == 1 and kinds["preferred_survey_date"].when == "future"
    assert kinds["damage_date"].when == "past"
