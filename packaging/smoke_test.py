"""Smoke test of a built desk: `python packaging/smoke_test.py dist/onewindow/onewindow`.

Runs the executable offscreen on the embedded demo backend in a fresh data directory
and expects it to reach an interactive main window and exit 0 (`--exit-when-ready`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    home = tempfile.mkdtemp(prefix="onewindow-smoke-")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_HOME=home)
    result = subprocess.run([sys.argv[1], "--demo", "--exit-when-ready"], env=env, timeout=300)
    print("smoke test", "passed" if result.returncode == 0 else f"failed ({result.returncode})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
