"""Make docs/screenshot-progress.png: the customer's progress page as a phone shows it, from the real server.

    .venv/bin/python docs/progress_screenshot.py

A fresh demo database (`onewindow-server migrate` + `seed-demo`), the server on a loopback port, a demo connection ticket past its survey, on which the department working it asks the customer for a
document (through the API, as its desk would), and the distribution's
headless Chromium at a phone's width (390 CSS pixels, 2 device pixels each). Nothing needs a display.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx

from domain.catalogue import load_catalogue
from domain.progress import page_url

OUT = Path(__file__).resolve().parent / "screenshot-progress.png"
ROOT = Path(__file__).resolve().parent.parent
SERVER = [sys.executable, "-m", "backend.cli"]
PHONE = (390, 1000)  # CSS pixels: a common phone's width; tall enough for the whole page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def demo_server(folder: Path) -> Iterator[tuple[str, Path]]:
    db = folder / "demo.db"
    env = {**os.environ, "ONEWINDOW_DB": str(db)}
    subprocess.run([*SERVER, "migrate"], check=True, cwd=ROOT, env=env)
    subprocess.run([*SERVER, "seed-demo"], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    port = _free_port()
    process = subprocess.Popen([*SERVER, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)  # the server imports and warms up
        yield url, db
    finally:
        process.terminate()
        process.wait(20)


def pick_ticket(db: Path, url: str) -> str:
    """An open connection ticket with its survey done and a stage being worked, on which that
    stage's department asks the customer for a document (through the API, as its desk would)."""
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            "SELECT t.id, t.progress_code, s.id, s.department, t.type_code FROM ticket t "
            "JOIN stage_task s ON s.ticket_id = t.id AND s.state IN ('open', 'taken') AND s.stage_code <> 'survey' "
            "JOIN office o ON o.id = t.office_id "
            "WHERE t.type_code LIKE 'connection%' AND t.state = 'in_progress' "
            "AND EXISTS (SELECT 1 FROM stage_task d WHERE d.ticket_id = t.id AND d.stage_code = 'survey' "
            "            AND d.state = 'done') "
            "ORDER BY t.accepted_at DESC LIMIT 1").fetchone()
    if row is None:
        raise SystemExit("the demo has no connection ticket past its survey")
    ticket_id, code, stage_id, department, type_code = row
    now = datetime.now(UTC).isoformat()  # the demo is seeded up to today
    with httpx.Client(base_url=url, timeout=30) as client:
        login = client.post("/api/v1/auth/login", json={"username": f"{department}1", "password": "demo1234",
                                                        "client_id": "progress-screenshot"})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        mutation = {"mutation_id": str(uuid.uuid4()), "client_id": "progress-screenshot", "seq": 1,
                    "entity": "info_request", "entity_id": str(uuid.uuid4()), "op": "create",
                    "created_at": now,
                    "fields": {"ticket_id": ticket_id, "stage_task_id": stage_id, "addressee": "customer",
                               "materials": [load_catalogue().ticket_type(type_code).materials[-1]],
                               "detail": "请携带原件到营业厅核验", "reason": "复印件不清晰",
                               "requested_at": now}}
        pushed = client.post("/api/v1/sync/push", headers=headers,
                             json={"schema_version": 1, "client_id": "progress-screenshot", "mutations": [mutation]})
        pushed.raise_for_status()
        result = pushed.json()["results"][0]
        if result["status"] != "applied":
            raise SystemExit(f"the materials request was refused: {result}")
    return str(code)


def shoot(url: str, out: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("no Chromium found (Debian/Ubuntu: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={PHONE[0]},{PHONE[1]}",
                        "--force-device-scale-factor=2", f"--screenshot={out}", url],
                       check=True, capture_output=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, demo_server(Path(folder)) as (url, db):
        code = pick_ticket(db, url)
        shoot(page_url(url, code), args.out)
    print(args.out)


if __name__ == "__main__":
    main()
