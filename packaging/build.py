"""Build the frozen desk and check it: `python3 packaging/build.py [--deb] [--skip-install] [--skip-build]`.

Run by any python3 3.11+, it first makes sure of the project's .venv (as dev.py does) and runs itself there.

1. installs the `packaging` extra of pyproject.toml (the pinned PyInstaller) into the running environment;
2. builds the one-folder desk from packaging/onewindow.spec into dist/onewindow;
3. runs packaging/smoke_test.py on it (offscreen, embedded demo backend, fresh data directory, demo
   sign-in, one customer search) and prints the folder's size and the frozen start time;
4. with --deb, builds dist/onewindow_<version>_<arch>.deb from that folder (packaging/deb.py) and runs the
   smoke test again through the launcher of the package unpacked into a scratch root.

It takes minutes, so it is not part of the test command or CI; packaging/README.md records a run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "onewindow.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
FOLDER = DIST / "onewindow"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build and smoke-test the frozen OneWindow desk.")
    parser.add_argument("--deb", action="store_true", help="also build the .deb and smoke-test its launcher")
    parser.add_argument("--skip-install", action="store_true",
                        help="use the PyInstaller already installed (no pip run)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse dist/onewindow as it is (only the checks and the .deb)")
    args = parser.parse_args(argv)
    if args.skip_build and not (FOLDER / executable_name()).exists():
        parser.error(f"--skip-build needs a built desk in {FOLDER.relative_to(ROOT)}; run without it first")
    return args


def executable_name() -> str:
    return "onewindow.exe" if os.name == "nt" else "onewindow"


def packaging_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The pinned requirements of the `packaging` extra; each must name one exact version."""
    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    requirements = list(extras.get("packaging", []))
    if not requirements:
        raise SystemExit("pyproject.toml has no [project.optional-dependencies] packaging extra")
    loose = [requirement for requirement in requirements if "==" not in requirement]
    if loose:
        raise SystemExit(f"the packaging extra must pin exact versions, not: {', '.join(loose)}")
    return requirements


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(*cmd: str | Path) -> None:
    done = subprocess.run([str(part) for part in cmd], cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"failed (exit status {done.returncode}): {' '.join(str(part) for part in cmd)}")


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not in_project_venv():  # the frozen desk is built from the project's pinned environment, nothing else
        sys.path.insert(0, str(ROOT))
        import dev

        dev.ensure_venv()
        return subprocess.run([str(dev.BIN / "python"), __file__, *(sys.argv[1:] if argv is None else argv)]
                              ).returncode
    if not args.skip_install:
        step("installing the packaging extra")
        run(sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", *packaging_requirements())
    if not args.skip_build:
        step("building dist/onewindow with PyInstaller")
        started = time.monotonic()
        shutil.rmtree(FOLDER, ignore_errors=True)
        run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", DIST, "--workpath", WORK, SPEC)
        print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    print(f"folder size: {folder_size(FOLDER) / 2**20:.0f} MiB ({FOLDER.relative_to(ROOT)})", flush=True)

    step("smoke test of the frozen desk")
    run(sys.executable, ROOT / "packaging" / "smoke_test.py", FOLDER / executable_name())

    if args.deb:
        step("building and checking the .deb")
        run(sys.executable, ROOT / "packaging" / "deb.py", "--folder", FOLDER, "--out", DIST, "--check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
