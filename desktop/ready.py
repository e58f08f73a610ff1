"""Says when the desk is ready, for a benchmark or a harness that measures the running desk process.

Only when the environment variable ONEWINDOW_READY_FILE names a file: once the main window is shown, the
sync engine's first round has ended (pulled to the head, or failed: offline, signed in offline), and the
operations the window started meanwhile have finished, the desk writes its process id and the word
"ready" to that file (written whole under another name, then renamed, so a reader never sees half of it).
Without the variable nothing is watched and nothing is written.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from desktop.operations import settle
from desktop.sync.status import SyncStatus

ENV = "ONEWINDOW_READY_FILE"
log = logging.getLogger(__name__)


class ReadyReport:
    """Collects "window shown" and "first sync round over", then writes the file once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.window_shown = False
        self._round_started = False
        self.round_over = False
        self._task: asyncio.Task[None] | None = None

    def shown(self) -> None:
        self.window_shown = True
        self._maybe_report()

    def sync_status(self, status: SyncStatus) -> None:
        if status.syncing:
            self._round_started = True
        elif self._round_started and (
            status.last_synced is not None or status.error is not None or status.auth_required
            or status.next_retry_in is not None
        ):  # its outcome is known: synced (the time is set after the round), failed, or waiting for a sign-in
            self.round_over = True
            self._maybe_report()

    @property
    def written(self) -> bool:
        return self._task is not None and self._task.done()

    def _maybe_report(self) -> None:
        if self._task is None and self.window_shown and self.round_over:
            self._task = asyncio.ensure_future(self._report())

    async def _report(self) -> None:
        await settle()  # the loads the first screen and the sync round's announcements started
        await asyncio.sleep(0)  # and the event loop's turn after them (paints, queued signals)
        await settle()
        part = self.path.with_name(self.path.name + ".part")
        try:
            part.write_text(f"{os.getpid()} ready\n", encoding="utf-8")
            part.replace(self.path)
        except OSError:
            log.exception("could not write the ready file %s", self.path)


def from_environment() -> ReadyReport | None:
    """A ReadyReport when ONEWINDOW_READY_FILE asks for one, else None."""
    name = os.environ.get(ENV, "").strip()
    return ReadyReport(Path(name)) if name else None
