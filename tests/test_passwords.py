"""Issue 13 item 14: the password rule (domain.passwords)."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.passwords import check_password, password_problem


@pytest.mark.parametrize("password", ["short1A", "abcdefghijkl", "123456789012", "clerk_a_2026!", "password123",
                                      "1111111111", "aaaaaaaaa1", "abababababab"])
def test_weak_passwords_are_refused(password: str) -> None:
    problem = password_problem(password, "clerk_a")
    assert isinstance(problem, InvalidInput)
    assert problem.message_zh and problem.message_en
    with pytest.raises(InvalidInput):
        check_password(password, "clerk_a")


@pytest.mark.parametrize("password", ["correct horse 1", "营业厅一窗受理2026", "Tr0ub4dor&3x"])
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, "clerk_a") is None
