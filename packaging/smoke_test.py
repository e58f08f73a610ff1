"""Smoke test of a built desk: `python packaging/smoke_test.py dist/onewindow/onewindow` (or an installed
launcher, `/usr/bin/onewindow`).

Runs the program's own `--smoke-test` (packaging/onewindow_main.py) offscreen in a fresh data directory:
the embedded demo backend starts, the demo clerk signs in, the main window opens, one customer search runs;
the program exits 0 only when the search found customers. Prints the time from start to exit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT_SECONDS = 300


def smoke_environment(home: str) -> dict[str, str]:
    """Offscreen, in its own data directory, on the embedded backend whatever the machine's settings say."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ONEWINDOW_")}
    env.update(QT_QPA_PLATFORM="offscreen", ONEWINDOW_HOME=home)
    return env


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    program = Path(args[0])
    if not program.is_file() or not os.access(program, os.X_OK):
        print(f"smoke test: {program} is not an executable file", file=sys.stderr)
        return 2
    home = tempfile.mkdtemp(prefix="onewindow-smoke-")
    try:
        started = time.monotonic()
        try:
            result = subprocess.run([str(program), "--smoke-test"], env=smoke_environment(home),
                                    timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"smoke test failed: no exit within {TIMEOUT_SECONDS} s", flush=True)
            return 1
        elapsed = time.monotonic() - started
        verdict = "passed" if result.returncode == 0 else f"failed (exit status {result.returncode})"
        print(f"smoke test {verdict} in {elapsed:.1f} s: {program}", flush=True)
        return 0 if result.returncode == 0 else 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
