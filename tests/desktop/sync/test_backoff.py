from __future__ import annotations

import pytest

from desktop.sync.backoff import Backoff


@pytest.mark.parametrize("attempt", [1, 2, 3, 8, 30])
def test_full_jitter_stays_under_the_exponential_ceiling(attempt: int) -> None:
    top = Backoff(base=0.5, cap=60.0, rng=lambda: 0.999999)
    bottom = Backoff(base=0.5, cap=60.0, rng=lambda: 0.0)
    ceiling = min(60.0, 0.5 * 2 ** (attempt - 1))
    assert bottom.delay(attempt) == 0.0
    assert ceiling * 0.99 < top.delay(attempt) <= ceiling


def test_retry_after_is_a_floor() -> None:
    assert Backoff(rng=lambda: 0.1).delay(1, retry_after=7.0) == 7.0
    assert Backoff(base=100, cap=100, rng=lambda: 0.5).delay(1, retry_after=7.0) == 50.0
