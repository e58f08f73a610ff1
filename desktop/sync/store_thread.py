"""The one thread all store work runs on: the desk's operations, its screens and the sync engine.

SQLite gives one writer anyway, and one thread keeps the order of store calls the order they
were asked in. `run_in_store(fn, *args)` is how async code calls the blocking store. A caller
that is cancelled meanwhile (sign-out stopping the engine, a window closed under its
operation) still waits for the call to end in its thread before the cancellation goes on,
so whoever cancelled may close the store afterwards: nothing runs against a closed store.
Plain asyncio, no Qt: headless desks and the benchmarks use it too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

store_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")


async def run_in_store(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` on the store thread; on cancellation, return only once the call has ended."""
    call = asyncio.get_running_loop().run_in_executor(store_executor, fn, *args)
    try:
        return await asyncio.shield(call)
    except asyncio.CancelledError:
        await _outlast(call)
        raise


async def _outlast(call: asyncio.Future[Any]) -> None:
    """Wait for a call whose caller is cancelled (cancelled again meanwhile, keep waiting)."""
    while not call.done():
        try:
            await asyncio.wait([call])
        except asyncio.CancelledError:
            continue
    if not call.cancelled():
        call.exception()  # nobody wants the outcome any more; mark it seen
