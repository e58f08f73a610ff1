"""The server's JSON log lines (docs/operations.md): a real server process started with --log-format json writes one
JSON object per line with time, level, logger and message; an unknown format stops the start with a sentence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from backend.log_format import JsonLines
from tests.harness.databases import new_database
from tests.harness.ports import free_port
from tests.harness.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_a_server_started_with_json_logs_writes_json_lines(tmp_path: Path) -> None:
    with new_database("sqlite", tmp_path, prepared=True) as db:
        port = free_port()
        log = tmp_path / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--db", db, "--port", str(port),
                                       "--log-format", "json"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                      env={**os.environ, "ONEWINDOW_LOG_FORMAT": ""})
        try:
            wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        finally:
            server.terminate()
            server.wait(30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    parsed = [json.loads(line) for line in lines if line.startswith("{")]
    assert parsed and all({"time", "level", "logger", "message", "process"} <= set(p) for p in parsed)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_an_unknown_log_format_stops_the_start(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "backend.cli", "serve", "--db", str(tmp_path / "x.db")],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "ONEWINDOW_LOG_FORMAT": "xml"})
    assert done.returncode != 0 and "unknown log format 'xml'" in done.stderr


def test_a_traceback_goes_into_the_line() -> None:
    import logging

    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("backend.x", logging.ERROR, __file__, 1, "pass %s failed", ("timers",),
                                   sys.exc_info())
    line = json.loads(JsonLines().format(record))
    assert line["message"] == "pass timers failed" and "ValueError: boom" in line["error"]
