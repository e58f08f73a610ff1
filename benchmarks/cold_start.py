"""Cold start of the desk to an interactive main window, against a bare PySide6 window
started in the same run. Budget (DESIGN.md): ratio ≤ 2.5.

Both are started as fresh processes, offscreen, several times; the median of each is
compared. The desk runs on the embedded default with an already seeded data directory
(seeding the demo office is a first-run cost, measured once and reported apart).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import time, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1280, 800); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ow-coldstart-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_HOME=str(home))
    desk = [sys.executable, "-m", "desktop", "--demo", "--exit-when-ready"]
    first_run = timed(desk, env)  # creates and seeds the embedded backend and the store
    bare = [timed([sys.executable, "-c", BARE], env) for _ in range(args.runs)]
    app = [timed(desk, env) for _ in range(args.runs)]
    value, floor = statistics.median(app), statistics.median(bare)
    print(f"first run (seeding the demo office): {first_run:.2f} s")
    print(f"bare PySide6 window: median {floor:.3f} s over {args.runs} runs")
    print(f"OneWindow to interactive main window: median {value:.3f} s over {args.runs} runs")
    ratio = value / floor
    print(json.dumps({"bench": "cold_start", "value": round(value, 4), "floor": round(floor, 4),
                      "ratio": round(ratio, 3), "budget": 2.5, "ok": ratio <= 2.5}))


if __name__ == "__main__":
    main()
