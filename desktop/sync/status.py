"""What the desk shows about sync: online or not, what is waiting, how far the first download is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.sync.errors import SyncError


@dataclass(frozen=True)
class InitialSyncProgress:
    """A scope being downloaded from cursor 0: rows so far, the server's row count, an estimate of time left."""

    scope: str
    rows: int
    total: int | None
    seconds_left: float | None

    @property
    def percent(self) -> float | None:
        if not self.total:
            return None
        return min(100.0, 100.0 * self.rows / self.total)


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None = None  # None until a request has told us either way
    syncing: bool = False
    outbox: int = 0
    last_synced: datetime | None = None
    conflicts: int = 0  # mutations rejected (or merged with field conflicts) since the engine started
    auth_required: bool = False
    error: SyncError | None = None  # the last expected failure, cleared by the next success
    initial: InitialSyncProgress | None = None
    next_retry_in: float | None = None


@dataclass(frozen=True)
class SyncReport:
    """What one `sync_once` did."""

    pushed: int = 0
    applied: int = 0
    merged: int = 0
    rejected: int = 0
    pulled: int = 0
    resynced: tuple[str, ...] = ()
    drifted: tuple[str, ...] = ()  # scopes whose checksum still differs after a resync


def estimate_seconds_left(rows: int, total: int | None, elapsed: float) -> float | None:
    if not total or rows <= 0 or elapsed <= 0:
        return None
    return max(0.0, elapsed / rows * (total - rows))
