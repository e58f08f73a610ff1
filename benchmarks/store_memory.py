"""Desk memory with a 1M-customer store and its window open: RSS of the real `onewindow` process vs a bare window.

    python benchmarks/store_memory.py --customers 1000000

A desk home (`ONEWINDOW_HOME`) is built once and cached by size: the desk is started once with `--demo`
(it seeds its embedded backend, creates its encrypted store, clerk1 signs in online, which lets them sign in
offline later), then N customers with one account each are written into that store, in clerk1's office.
No keyring is used (`PYTHON_KEYRING_BACKEND` is the failing one), so the store is kept under the demo
passphrase and the benchmark can open it.

The measured process is the desk itself, `python -m desktop --demo` (what `onewindow --demo` runs), started
with offscreen Qt against a server address where nothing listens: clerk1 signs in offline over the N
customers and the main window opens (an offline desk, so no sync replaces the customers with the server's).
The desk says itself when it is ready (`desktop.ready`, asked for by ONEWINDOW_READY_FILE): main window
shown, its first sync round over (here: offline), the loads the window started finished. The value is
the process's VmRSS then, read from /proc/<pid>/status (Linux); VmHWM (its peak) goes to stderr.
The floor is a bare PySide6 main window shown offscreen in a process that also opened one SQLCipher
connection, measured the same way. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BUDGET_MIB = 300.0
READY = "ONEWINDOW-BENCH-WINDOW-OPEN"  # the bare window's line
READY_ENV = "ONEWINDOW_READY_FILE"  # desktop.ready: the desk writes this file when its window is ready

# The floor: a bare PySide6 main window and one SQLCipher connection, in a process of its own.
_FLOOR = f"""
import sys
import sqlcipher3.dbapi2 as s
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
c = s.connect(':memory:'); c.execute('select 1').fetchall()
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1280, 800); w.show()
QTimer.singleShot(200, lambda: print("{READY}", flush=True))
app.exec()
"""


def desk_env(home: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_HOME=str(home),
                PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PYTHONPATH=str(ROOT))


def ensure_home(customers: int, cache_dir: Path | None) -> Path:
    """The cached desk home holding a store of `customers` customers in clerk1's office."""
    import tempfile

    from search_as_you_type import customer_row

    from desktop import paths
    from desktop.credentials import DEMO_PASSPHRASE
    from local_store import Store
    from local_store.engine import connect
    from local_store.keys import passphrase_store_key

    folder = (cache_dir or Path(tempfile.gettempdir()) / "onewindow-bench") / f"desk-home-{customers}"
    os.environ["ONEWINDOW_HOME"] = str(folder)
    store_path = paths.store_path()
    marker = folder / "built"
    if marker.exists():
        return folder
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop", "--demo", "--exit-when-ready"], env=desk_env(folder),
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    key = passphrase_store_key(store_path, DEMO_PASSPHRASE)
    store = Store.open(store_path, key)
    try:
        offices = json.loads(store.get_meta("session_offices") or "[]")
        assert offices, "the first run did not sign in"
        office = offices[0]
        rng = random.Random(20250303)
        for begin in range(0, customers, 50_000):
            chunk = range(begin, min(begin + 50_000, customers))
            rows = [{**customer_row(n, rng), "office_id": office, "id": f"bench-c{n:08d}"} for n in chunk]
            store.bulk_insert_customers(rows)
            raw = connect(store_path, key)
            with raw:
                raw.execute("BEGIN IMMEDIATE")
                raw.executemany(
                    "INSERT INTO account (id, office_id, version, customer_id, account_no, address, server_version)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(f"bench-a{n:08d}", office, 1, f"bench-c{n:08d}", f"{5100000000 + n}", rows[i]["address"], 1)
                     for i, n in enumerate(chunk)])
                raw.execute("COMMIT")
            raw.close()
        store.refresh_search_statistics()
    finally:
        store.close()
    marker.write_text(str(customers))
    print(f"built the desk home with {customers} customers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def status_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(rest.split()[0])
    return fields


def rss_when_ready(command: list[str], env: dict[str, str], ready_file: Path | None = None,
                   timeout: float = 300.0) -> dict[str, int]:
    """Start `command`, wait until it is ready, read its memory from /proc, then end it (this process only).

    Ready: with `ready_file`, when the process has written it (the desk's own signal, `desktop.ready`);
    without, when it prints the READY line (the bare window)."""
    if ready_file is not None:
        ready_file.unlink(missing_ok=True)
        env = {**env, READY_ENV: str(ready_file)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE if ready_file is None else subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + timeout
        if ready_file is not None:
            while time.monotonic() < deadline and process.poll() is None:
                if ready_file.exists() and ready_file.read_text().split()[:1] == [str(process.pid)]:
                    return status_kib(process.pid)
                time.sleep(0.05)
        else:
            assert process.stdout is not None
            for line in process.stdout:
                if line.strip() == READY:
                    return status_kib(process.pid)
                if time.monotonic() > deadline:
                    break
        raise RuntimeError(f"{command[:3]} never reported its window open (exit {process.poll()})")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    home = ensure_home(args.customers, args.cache_dir)
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: the desk works offline
    desk = rss_when_ready([sys.executable, "-m", "desktop", "--demo", "--server", nowhere], desk_env(home),
                          ready_file=home / "ready")
    floor = rss_when_ready([sys.executable, "-c", _FLOOR], desk_env(home))
    value, floor_mib = desk["VmRSS"] / 1024, floor["VmRSS"] / 1024
    print(f"desk with {args.customers} customers, window open: VmRSS {value:.1f} MiB, VmHWM "
          f"{desk['VmHWM'] / 1024:.1f} MiB; bare window + SQLCipher: VmRSS {floor_mib:.1f} MiB", file=sys.stderr)
    print(json.dumps({"bench": "store_memory", "value": round(value, 1), "floor": round(floor_mib, 1),
                      "ratio": round(value / floor_mib, 3), "budget": BUDGET_MIB, "ok": value <= BUDGET_MIB}))


if __name__ == "__main__":
    main()
