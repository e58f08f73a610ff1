"""The server's background loops (timers, customer notifications, efficiency alerts): one named asyncio task
each per process, doing its blocking pass in a worker thread, started and stopped with the app."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


class BackgroundLoop:
    """Runs `step()` in a worker thread, then sleeps `interval()` seconds, until stopped. A failing pass is
    logged and the next one runs at the next tick; stopping cancels the sleep or waits out the pass."""

    name = "onewindow-background"
    # A pass whose error messages may carry personal data (a phone in a gateway's error) logs the kind only.
    log_traceback = True

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def step(self) -> object:
        raise NotImplementedError

    def interval(self) -> float:
        raise NotImplementedError

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.step)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self.log_traceback:
                    log.exception("%s: a pass failed", self.name)
                else:
                    log.error("%s: a pass failed (%s)", self.name, type(error).__name__)
            await asyncio.sleep(self.interval())
