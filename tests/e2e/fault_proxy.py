"""A loopback TCP proxy that loses HTTP requests or responses on demand, or cuts the link entirely.

It understands just enough HTTP/1.1 to find request boundaries on a keep-alive
connection (head + Content-Length body), so a rule can target one request by path.
It runs its own event loop in a thread, so tests can drive it while they wait on processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass


@dataclass
class Rule:
    kind: str  # "drop_request": never forwarded; "drop_response": forwarded, answer lost after the server replied
    path_contains: str
    times: int = 1


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    lose_response: bool = False

    def cut(self) -> None:
        for writer in (self.client, self.server):
            with contextlib.suppress(Exception):
                writer.transport.abort()


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = 0
        self.rules: list[Rule] = []
        self.fired: list[tuple[str, str]] = []  # (kind, request line) of every fault injected
        self.partitioned = False
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    # ---- control, from the test thread ----

    def start(self) -> int:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=5)
        return self.port

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for link in list(self._links):
                link.cut()
            for task in list(self._handlers):
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            if self._server is not None:
                await self._server.wait_closed()
            await asyncio.sleep(0)  # let aborted transports run their connection_lost

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def add_rule(self, kind: str, path_contains: str, times: int = 1) -> None:
        with self._lock:
            self.rules.append(Rule(kind, path_contains, times))

    def partition(self) -> None:
        """Cut every open connection and refuse new ones until `heal()`."""
        self.partitioned = True
        self._loop.call_soon_threadsafe(self._cut_all)

    def _cut_all(self) -> None:
        for link in list(self._links):
            link.cut()

    def heal(self) -> None:
        self.partitioned = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- the proxy itself ----

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    def _match(self, request_line: str) -> str | None:
        with self._lock:
            for rule in self.rules:
                if rule.times > 0 and rule.path_contains in request_line:
                    rule.times -= 1
                    self.fired.append((rule.kind, request_line))
                    return rule.kind
        return None

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._serve(client_reader, client_writer)
        finally:
            self._handlers.discard(task)
            client_writer.transport.abort()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.partitioned:
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        link = _Link(client_writer, server_writer)
        self._links.add(link)
        answers = asyncio.ensure_future(self._answers(link, server_reader))
        try:
            await self._requests(link, client_reader)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            link.cut()
            await asyncio.gather(answers, return_exceptions=True)
            self._links.discard(link)

    async def _requests(self, link: _Link, reader: asyncio.StreamReader) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            body = await reader.readexactly(length) if length else b""
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            fault = self._match(request_line)
            if fault == "drop_request" or self.partitioned:
                return
            if fault == "drop_response":
                link.lose_response = True
            link.server.write(head + body)
            await link.server.drain()

    async def _answers(self, link: _Link, reader: asyncio.StreamReader) -> None:
        try:
            while data := await reader.read(65536):
                if link.lose_response or self.partitioned:
                    link.cut()  # the server has answered, so it has committed: the desk never hears it
                    return
                link.client.write(data)
                await link.client.drain()
        except ConnectionError:
            pass
        finally:
            link.cut()
