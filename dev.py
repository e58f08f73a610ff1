#!/usr/bin/env python3
"""Bootstrap and run OneWindow from a fresh clone: `python3 dev.py demo` or `python3 dev.py test`.

Creates `.venv` beside this file on first use (and again whenever pyproject.toml changes),
installs the project with its `dev` extra, then runs the requested task inside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".onewindow-installed"


def _pyproject_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs under whatever python3 the machine has
        sys.exit("OneWindow needs Python 3.11 or newer.")
    digest = _pyproject_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if not (BIN / "python").exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "-q", "--upgrade", "pip"], check=True)
    print("Installing OneWindow and its dependencies ...", flush=True)
    subprocess.run([*pip, "install", "-q", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(digest)


def run(*cmd: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(cmd), cwd=ROOT, env=env).returncode


def task_demo(args: list[str]) -> int:
    return run(str(BIN / "onewindow"), "--demo", *args)


def task_test(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for step in (
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "mypy"), "domain", "local_store", "backend"],
    ):
        if run(*step, env=env) != 0:
            return 1
    return run(str(BIN / "python"), "-m", "pytest", *args, env=env)


TASKS = {"demo": task_demo, "test": task_test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(f"usage: python3 dev.py {{{'|'.join(TASKS)}}} [args...]", file=sys.stderr)
        return 2
    ensure_venv()
    return TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
