from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.passphrase import check_new_passphrase


@pytest.mark.parametrize("passphrase", ["城关营业厅2025年春季", "correct horse battery", "onewindow-demo-office"])
def test_a_real_passphrase_is_accepted(passphrase: str) -> None:
    check_new_passphrase(passphrase)


@pytest.mark.parametrize(("passphrase", "reason"), [
    ("", "12"), ("柜台口令 2025", "12"), ("123456789012", "数字"), ("abcdefghijkl", "重复或连续"),
    ("aaaaaaaaaaaaaaaa", "重复或连续"), ("abcabcabcabc", "重复或连续"), ("Password1234", "常见"),
])
def test_a_weak_passphrase_is_refused_with_the_reason(passphrase: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_new_passphrase(passphrase)
    assert reason in raised.value.message("zh")
    assert raised.value.message("en")
    assert raised.value.field == "passphrase"
