"""Dispatch locks across desks (派工锁): the server's lock for a batch run, and a short one for a drop.

They go through the desk's ApiClient (the sync engine's `client`). A batch run holds its surveyors' day
on the server, renewed while the review is open and released after accept or cancel; when another desk
holds any of them the run is refused, naming who. A drop holds the surveyors it touches for a moment,
so a drop onto a surveyor another desk is planning is refused the same way. Without the server (offline,
or a desk without a sync engine) the lock is this desk's alone and the status says so: offline dispatch
still works, and the server re-checks every booking (and its locks) when the desk syncs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Iterable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.context import DeskContext
from desktop.operations import background
from desktop.sync.errors import RequestRefused, SyncError
from domain.sla import OFFICE_ZONE

LOCK_MINUTES = 5  # a batch lock lives this long unless renewed: a desk that vanishes frees the others soon
RENEW_EVERY_MS = 2 * 60 * 1000
DROP_MINUTES = 1
ASK_WAIT_S = 3.0  # longer than this without an answer counts as offline: dispatch goes on on this desk


class LockedElsewhere(Exception):
    """Another desk holds one of these surveyors' day: who, and until when (when the server said)."""

    def __init__(self, holder: str, until: datetime | None, refusal: RequestRefused) -> None:
        super().__init__(holder)
        self.holder = holder  # "" when the server would not say (the refusal's own sentence names them)
        self.until = until
        self.refusal = refusal


class DispatchLocks(QObject):
    """This desk's dispatch lock: on the server when it can be, on this desk only when it cannot."""

    statusChanged = Signal(str)

    def __init__(self, context: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._held: tuple[tuple[str, ...], date] | None = None
        self._lock_id: str | None = None
        self.on_server = False
        self.status = ""
        self._renewal = QTimer(self)
        self._renewal.setInterval(RENEW_EVERY_MS)
        self._renewal.timeout.connect(self._renew)
        self._tasks: set[asyncio.Task[Any]] = set()

    def client(self) -> Any:
        """The signed-in ApiClient, or None on a desk without a sync engine."""
        return getattr(self._context.engine, "client", None)

    @property
    def lock_id(self) -> str | None:
        return self._lock_id

    async def hold(self, surveyor_ids: Iterable[str], day: date) -> bool:
        """Lock these surveyors' day for a batch run: True on the server, False on this desk only.

        Raises LockedElsewhere when another desk holds any of them; other refusals are raised as they are.
        """
        wanted = tuple(sorted(set(surveyor_ids)))
        client = self.client()
        if client is None:
            self._local(self.tr("本机锁定：未连接服务器，其他派工台看不到此锁"))
            return False
        answer = await self._take(client, wanted, day, LOCK_MINUTES)
        if answer is None:  # offline, the server failing, the session ended: plan on this desk
            self._local(self.tr("离线：仅在本机锁定，其他派工台看不到此锁；同步时服务器会复核每一单"))
            return False
        self._held, self._lock_id, self.on_server = (wanted, day), str(answer["lock_id"]), True
        self._renewal.start()
        self._say(self._server_text(len(wanted), answer.get("expires_at")))
        return True

    def release(self) -> None:
        """Let go of the batch lock (on the server in the background; it expires there anyway)."""
        self._renewal.stop()
        lock_id, client = self._lock_id, self.client()
        self._held, self._lock_id, self.on_server = None, None, False
        self._say("")
        if lock_id is not None and client is not None:
            self._spawn(self._unlock(client, lock_id))

    async def for_drop(self, surveyor_ids: Iterable[str], day: date) -> str | None:
        """Hold the surveyors a drop touches for a moment: the lock id, or None without the server.

        Raises LockedElsewhere when another desk is planning one of them.
        """
        wanted = tuple(sorted(set(surveyor_ids)))
        client = self.client()
        if client is None or self._known_offline():
            return None  # book on this desk; the server re-checks its locks when the booking syncs
        answer = await self._take(client, wanted, day, DROP_MINUTES)
        return None if answer is None else str(answer["lock_id"])

    async def _take(self, client: Any, wanted: tuple[str, ...], day: date, minutes: int) -> dict[str, Any] | None:
        """The server's lock (`{lock_id, expires_at}`), or None when the server cannot answer.

        Raises LockedElsewhere naming the holder, and any other refusal of the server as it came.
        """
        try:
            answer: dict[str, Any] = await self._ask(client.dispatch_lock(list(wanted), day, minutes=minutes))
        except RequestRefused as refused:
            if refused.code == "locked":
                raise await self._who(client, wanted, day, refused) from None
            raise
        except (SyncError, TimeoutError):
            return None
        return answer

    async def drop_done(self, lock_id: str | None) -> None:
        client = self.client()
        if lock_id is not None and client is not None:
            await self._unlock(client, lock_id)

    # ---- internals -------------------------------------------------------------------------------

    def _known_offline(self) -> bool:
        status = getattr(self._context.engine, "status", None)
        return getattr(status, "online", None) is False

    @staticmethod
    async def _ask(request: Awaitable[Any]) -> Any:
        return await asyncio.wait_for(request, ASK_WAIT_S)

    async def _who(self, client: Any, wanted: tuple[str, ...], day: date, refused: RequestRefused) -> LockedElsewhere:
        """Ask the server who holds the lock (the refusal itself only says so in a sentence)."""
        try:
            held = await self._ask(client.dispatch_locks(day))
        except (SyncError, TimeoutError):
            held = []
        theirs = [row for row in held if row.get("surveyor_id") in wanted and not row.get("mine")]
        if not theirs:
            return LockedElsewhere("", None, refused)
        until = datetime.fromisoformat(str(theirs[0]["expires_at"]))
        return LockedElsewhere(str(theirs[0].get("holder_name") or "?"), until, refused)

    def _renew(self) -> None:
        held, client = self._held, self.client()
        if held is not None and client is not None:
            self._spawn(self._extend(client, *held))

    async def _extend(self, client: Any, wanted: tuple[str, ...], day: date) -> None:
        """Re-take the lock (the server extends one's own); it may have lapsed to another desk meanwhile."""
        try:
            answer = await self._ask(client.dispatch_lock(list(wanted), day, minutes=LOCK_MINUTES))
        except RequestRefused as refused:
            if self._held == (wanted, day) and refused.code == "locked":
                self.on_server = False
                self._say(self.tr("服务器上的锁已失效，其他派工台可能正在调整这些勘查员"))
            return
        except (SyncError, TimeoutError):
            if self._held == (wanted, day):
                self.on_server = False
                self._say(self.tr("离线：仅在本机锁定，其他派工台看不到此锁；同步时服务器会复核每一单"))
            return
        if self._held == (wanted, day):
            self._lock_id, self.on_server = str(answer["lock_id"]), True
            self._say(self._server_text(len(wanted), answer.get("expires_at")))
        else:  # released while the renewal was on its way: let the renewed lock go too
            await self._unlock(client, str(answer["lock_id"]))

    async def _unlock(self, client: Any, lock_id: str) -> None:
        with contextlib.suppress(SyncError):  # already gone, or offline: it expires on the server by itself
            await client.dispatch_unlock(lock_id)

    def _spawn(self, work: Any) -> None:
        task = background(work)  # counted: shutdown and the tests wait for it
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def shutdown(self) -> None:
        """The board is going: stop renewing, let go of the lock (the unlock request still goes out)."""
        renewals = list(self._tasks)
        self.release()
        self._renewal.stop()
        for task in renewals:
            task.cancel()

    def _local(self, text: str) -> None:
        self._renewal.stop()
        self._held, self._lock_id, self.on_server = None, None, False
        self._say(text)

    def _server_text(self, count: int, expires_at: Any) -> str:
        until = ""
        if expires_at:
            until = f"{datetime.fromisoformat(str(expires_at)).astimezone(OFFICE_ZONE):%H:%M}"
        return self.tr("已在服务器锁定 %1 名勘查员的当日排班（至 %2，审阅期间自动续期）").replace(
            "%1", str(count)).replace("%2", until)

    def _say(self, text: str) -> None:
        self.status = text
        self.statusChanged.emit(text)
