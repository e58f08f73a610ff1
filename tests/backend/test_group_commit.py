"""Group commit: pushes that queue while the writer works are applied together, each keeps its own outcome."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from backend.group_commit import GroupCommit


class Recorder:
    """An `apply` that blocks its first group until released, so the next submissions queue up."""

    def __init__(self, outcome=lambda item: item * 10) -> None:
        self.groups: list[list[int]] = []
        self.entered, self.release = threading.Event(), threading.Event()
        self.outcome = outcome

    def __call__(self, items: list[int]) -> list[int | BaseException]:
        self.groups.append(list(items))
        if len(self.groups) == 1:
            self.entered.set()
            self.release.wait(10)
        return [self.outcome(item) for item in items]


def _queue_behind_first(recorder: Recorder, limit: int, sizes: dict[int, int]) -> tuple[GroupCommit, list[Future]]:
    writer: GroupCommit[int, int] = GroupCommit(recorder, limit, "test-writer")
    futures = [writer.submit(0, 1)]
    assert recorder.entered.wait(10)
    futures += [writer.submit(item, size) for item, size in sizes.items()]
    recorder.release.set()
    for future in futures:
        future.exception(10)
    writer.stop()
    return writer, futures


def test_queued_pushes_are_applied_together_and_each_gets_its_own_outcome() -> None:
    recorder = Recorder(lambda item: ValueError(f"bad {item}") if item == 3 else item * 10)
    _, futures = _queue_behind_first(recorder, 100, {1: 1, 2: 1, 3: 1, 4: 1})
    assert recorder.groups == [[0], [1, 2, 3, 4]]  # one transaction for the four that waited, in order
    assert [f.result() for i, f in enumerate(futures) if i != 3] == [0, 10, 20, 40]
    with pytest.raises(ValueError, match="bad 3"):
        futures[3].result()


def test_a_group_never_exceeds_the_limit_but_always_takes_one() -> None:
    recorder = Recorder()
    _, futures = _queue_behind_first(recorder, 5, {1: 3, 2: 3, 3: 9, 4: 1})
    assert recorder.groups == [[0], [1], [2], [3], [4]]  # 3+3 > 5; 9 alone although over the limit
    assert [f.result() for f in futures] == [0, 10, 20, 30, 40]


@pytest.mark.expect_error_log
def test_when_apply_fails_as_a_whole_every_member_sees_the_error_and_the_writer_goes_on() -> None:
    calls = iter([RuntimeError("database gone"), None])

    def flaky(items: list[int]) -> list[int | BaseException]:
        failure = next(calls)
        if failure is not None:
            raise failure
        return [item + 1 for item in items]

    writer: GroupCommit[int, int] = GroupCommit(flaky, 10, "test-writer")
    with pytest.raises(RuntimeError, match="database gone"):
        writer.run(1, 1)
    assert writer.run(2, 1) == 3
    writer.stop()


def test_a_stopped_writer_finishes_what_was_queued_and_a_later_push_starts_a_new_one() -> None:
    writer: GroupCommit[int, int] = GroupCommit(lambda items: [i * 2 for i in items], 10, "test-writer")
    queued = [writer.submit(i, 1) for i in range(5)]
    writer.stop()
    assert [f.result(0) for f in queued] == [0, 2, 4, 6, 8]
    assert writer.run(21, 1) == 42
    writer.stop()
