"""Start a real `onewindow-server` process on a free loopback port, for black-box tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CHANNEL_KEY = "test-channel-key"
PASSWORD = "correct horse 1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    db: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    extra: list[ServerProcess] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(db: str, log_dir: Path, *, test_clock: bool = True, timeout: float = 30.0) -> ServerProcess:
    port = free_port()
    env = dict(os.environ, ONEWINDOW_CHANNEL_KEY=CHANNEL_KEY)
    args = [sys.executable, "-m", "backend.cli", "serve", "--db", db, "--port", str(port), "--no-migrate"]
    if test_clock:
        args.append("--test-clock")
    log_path = log_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = ServerProcess(db=db, port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}")
