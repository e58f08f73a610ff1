"""`onewindow-server serve` stopped with SIGTERM while desks listen on their live event streams: the streams
end, the process stops, and nothing is logged as an error (uvicorn used to wait out its graceful timeout
for the streams, cancel them and log `ERROR ... Exception in ASGI application`)."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from pathlib import Path

import pytest

from desktop.sync.client import ApiClient
from desktop.sync.messages import ChangedEvent
from tests.e2e.harness import PASSWORD, Backend, create_users

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


def listen(url: str, opened: threading.Event, ended: list[str]) -> None:
    """A desk's live stream, on its own loop in a thread, until the server ends it."""

    async def run() -> None:
        api = ApiClient(url)
        try:
            session = await api.login("clerk7", PASSWORD, "stop-test-desk")
            scope = next(s for s in session.scopes if s.startswith("office:"))
            async for event in api.events([scope]):
                if isinstance(event, ChangedEvent):  # the stream is open and has sent its first event
                    opened.set()
            ended.append("stream ended")
        except Exception as exc:  # the server going away mid-stream is what this desk expects
            ended.append(type(exc).__name__)
        finally:
            await api.aclose()

    asyncio.run(run())


def test_sigterm_with_open_event_streams_logs_no_error(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    create_users(db, "office-stop", "clerk7")
    backend = Backend(db).start()
    opened, ended = threading.Event(), []
    listeners = [threading.Thread(target=listen, args=(backend.url, opened, ended), daemon=True) for _ in range(2)]
    try:
        for listener in listeners:
            listener.start()
        assert opened.wait(30), backend.log_tail()
        assert backend.process is not None
        backend.process.send_signal(signal.SIGTERM)
        code = backend.process.wait(30)
    finally:
        backend.stop()
    for listener in listeners:
        listener.join(30)
    log = db.with_suffix(".log").read_text(errors="replace")  # the whole log, not its tail
    assert "ERROR" not in log and "Traceback" not in log and "Error" not in log, log[-3000:]
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has shut down cleanly
    assert len(ended) == 2
