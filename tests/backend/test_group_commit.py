"""Group commit: pushes that wait for the write turn are applied together, each keeps its own outcome."""

from __future__ import annotations

import threading
import time

import pytest

from backend.group_commit import GroupCommit


def _hold_turn(group: GroupCommit[int, int], entered: threading.Event, release: threading.Event) -> threading.Thread:
    """A first writer that keeps the turn until `release`, so the others queue up behind it."""

    def slow(items: list[int]) -> list[int | BaseException]:
        entered.set()
        release.wait(10)
        return [item * 10 for item in items]

    thread = threading.Thread(target=group.run, args=(0, 1, slow))
    thread.start()
    return thread


def _run_all(group: GroupCommit[int, int], items: list[int], apply, sizes: dict[int, int] | None = None):
    outcomes: dict[int, object] = {}

    def one(item: int) -> None:
        try:
            outcomes[item] = group.run(item, (sizes or {}).get(item, 1), apply)
        except Exception as error:  # noqa: BLE001 - the test looks at what each caller saw
            outcomes[item] = error

    threads = [threading.Thread(target=one, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    return threads, outcomes


def _wait_queued(group: GroupCommit[int, int], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(group._queue) < count:  # noqa: SLF001 - the test waits for the callers to queue
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_waiting_writers_are_applied_together_and_each_gets_its_own_outcome() -> None:
    group: GroupCommit[int, int] = GroupCommit(limit=100)
    seen: list[list[int]] = []

    def apply(items: list[int]) -> list[int | BaseException]:
        seen.append(list(items))
        return [ValueError(f"bad {item}") if item == 3 else item * 10 for item in items]

    entered, release = threading.Event(), threading.Event()
    first = _hold_turn(group, entered, release)
    assert entered.wait(10)
    threads, outcomes = _run_all(group, [1, 2, 3, 4], apply)
    _wait_queued(group, 4)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    assert len(seen) == 1 and sorted(seen[0]) == [1, 2, 3, 4]  # one transaction for the four waiting
    assert outcomes[1] == 10 and outcomes[2] == 20 and outcomes[4] == 40
    assert isinstance(outcomes[3], ValueError) and str(outcomes[3]) == "bad 3"


def test_a_group_never_exceeds_the_limit_but_always_takes_one() -> None:
    group: GroupCommit[int, int] = GroupCommit(limit=5)
    seen: list[list[int]] = []

    def apply(items: list[int]) -> list[int | BaseException]:
        seen.append(sorted(items))
        return list(items)

    entered, release = threading.Event(), threading.Event()
    first = _hold_turn(group, entered, release)
    assert entered.wait(10)
    threads, outcomes = _run_all(group, [1, 2, 3, 4], apply, sizes={1: 3, 2: 3, 3: 9, 4: 1})
    _wait_queued(group, 4)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    assert outcomes == {1: 1, 2: 2, 3: 3, 4: 4}
    sizes = {1: 3, 2: 3, 3: 9, 4: 1}
    for members in seen:
        assert len(members) == 1 or sum(sizes[m] for m in members) <= 5


def test_when_apply_fails_as_a_whole_every_member_sees_the_error() -> None:
    group: GroupCommit[int, int] = GroupCommit(limit=10)

    def broken(_items: list[int]) -> list[int | BaseException]:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        group.run(1, 1, broken)
    assert group.run(2, 1, lambda items: [i + 1 for i in items]) == 3  # the turn was released
