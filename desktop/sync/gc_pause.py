"""Cyclic garbage collection paused around one bulk step of a pull: parsing a page, applying it.

A page of an initial sync makes about a hundred thousand new objects (changes, their dicts, row lists),
none of them in a reference cycle; while they are made the collector runs again and again over the young
ones and, as they survive, over the desk's whole heap, and finds nothing. Paused for one step (well under a
second) and enabled again after it, it catches up on what is left at its next run. A step that found the
collector already off (a caller that turned it off itself) leaves it off.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_collection(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) with the cyclic collector paused (for `run_in_store`)."""
    with collection_paused():
        return fn(*args)
