#!/usr/bin/env python3
"""Bootstrap and run OneWindow from a fresh clone: `python3 dev.py demo` or `python3 dev.py test`.

Creates `.venv` beside this file on first use (and again whenever pyproject.toml changes),
installs the project with its `dev` extra, then runs the requested task inside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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
    _quiet(*pip, "install", "-q", "--upgrade", "pip")
    print("Installing OneWindow and its dependencies (the first run takes about a minute) ...", flush=True)
    _quiet(*pip, "install", "-q", "-e", f"{ROOT}[dev]")
    STAMP.write_text(digest)


def _quiet(*cmd: str) -> None:
    """Run an install step; its output (setuptools' notices about editable installs) is shown only if it fails."""
    done = subprocess.run(list(cmd), capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        sys.exit(f"Installing failed (exit status {done.returncode}); pip's output is above.")


def run(*cmd: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(cmd), cwd=ROOT, env=env).returncode


# What Qt's xcb platform plugin (and a Chinese screen) needs from the system, by the file ldd looks for,
# as the Debian/Ubuntu package that ships it (the first name apt knows is taken: Ubuntu 24.04 renamed some).
SYSTEM_LIBRARIES: dict[str, tuple[str, ...]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0",),
    "libxcb-icccm.so.4": ("libxcb-icccm4",),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1",),
    "libxcb-image.so.0": ("libxcb-image0",),
    "libxcb-render-util.so.0": ("libxcb-render-util0",),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0",),
    "libxkbcommon.so.0": ("libxkbcommon0",),
    "libxcb-randr.so.0": ("libxcb-randr0",),
    "libxcb-shape.so.0": ("libxcb-shape0",),
    "libxcb-shm.so.0": ("libxcb-shm0",),
    "libxcb-sync.so.1": ("libxcb-sync1",),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0",),
    "libxcb-xkb.so.1": ("libxcb-xkb1",),
    "libxcb-render.so.0": ("libxcb-render0",),
    "libxcb-util.so.1": ("libxcb-util1",),
    "libxcb.so.1": ("libxcb1",),
    "libX11-xcb.so.1": ("libx11-xcb1",),
    "libX11.so.6": ("libx11-6",),
    "libSM.so.6": ("libsm6",),
    "libICE.so.6": ("libice6",),
    "libEGL.so.1": ("libegl1",),
    "libGL.so.1": ("libgl1",),
    "libOpenGL.so.0": ("libopengl0",),
    "libfontconfig.so.1": ("libfontconfig1",),
    "libfreetype.so.6": ("libfreetype6",),
    "libdbus-1.so.3": ("libdbus-1-3",),
    "libglib-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
}
CJK_FONT_PACKAGE = "fonts-noto-cjk"


def qt_platform_plugin() -> Path | None:
    """The xcb platform plugin of the PySide6 installed in .venv, if there is one."""
    for candidate in sorted(VENV.glob("lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so")):
        return candidate
    return None


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ldd reports as "not found", in order, once each."""
    missing: list[str] = []
    for line in ldd_output.splitlines():
        name, _, where = line.strip().partition("=>")
        if "not found" in where and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def packages_for(libraries: list[str], cjk_font: bool, known: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """(Debian packages to install, libraries no package is known for)."""
    packages: list[str] = []
    unknown: list[str] = []
    for library in libraries:
        choices = SYSTEM_LIBRARIES.get(library)
        if choices is None:
            unknown.append(library)
            continue
        package = next((name for name in choices if known(name)), choices[-1])
        if package not in packages:
            packages.append(package)
    if not cjk_font:
        packages.append(CJK_FONT_PACKAGE)
    return packages, unknown


def apt_knows(package: str) -> bool:
    if not shutil.which("apt-cache"):
        return False
    found = subprocess.run(["apt-cache", "show", "--no-all-versions", package],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return found.returncode == 0


def has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


def needs_xcb() -> bool:
    """The desk will open through Qt's xcb plugin: Linux, and no other platform asked for."""
    if not sys.platform.startswith("linux"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return not platform or platform.startswith("xcb")


def install_command(packages: list[str]) -> list[str]:
    return ["apt-get", "install", "-y", "--no-install-recommends", *packages]


def plugin_missing_libraries(plugin: Path) -> list[str]:
    if not shutil.which("ldd"):
        return []
    return missing_libraries(subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout)


def check_system(
    *, libraries: list[str] | None = None, cjk_font: bool | None = None, as_root: bool | None = None,
    apt: bool | None = None, known: Callable[[str], bool] = apt_knows,
) -> bool:
    """True when the desk can open its window here; installs what is missing when it may, else says how.

    The arguments stand in for what is probed on this machine (tests pass them)."""
    if libraries is None:
        plugin = qt_platform_plugin()
        if not needs_xcb() or plugin is None:
            return True
        libraries = plugin_missing_libraries(plugin)
    packages, unknown = packages_for(libraries, has_cjk_font() if cjk_font is None else cjk_font, known)
    if not packages and not unknown:
        return True
    if unknown:
        print("Qt's window system plugin needs libraries no known package provides: " + ", ".join(unknown),
              file=sys.stderr)
    if not packages:
        return False
    as_root = (os.name == "posix" and os.geteuid() == 0) if as_root is None else as_root
    apt = bool(shutil.which("apt-get")) if apt is None else apt
    if as_root and apt:
        print("Installing the system libraries the desk's window needs: " + " ".join(packages), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=False, env=env)
        installed = subprocess.run(install_command(packages), env=env).returncode == 0
        return installed and not unknown
    if apt:
        print("The desk's window needs system libraries this machine lacks. Install them with:\n\n    "
              + " ".join(["sudo", *install_command(packages)]) + "\n\nthen run `python3 dev.py demo` again.",
              file=sys.stderr)
    else:
        print("The desk's window needs system libraries this machine lacks: " + ", ".join(libraries or ["-"])
              + (", and a Chinese (CJK) font" if CJK_FONT_PACKAGE in packages else "")
              + ". (On Debian/Ubuntu the packages are: " + " ".join(packages) + ".)", file=sys.stderr)
    return False


def task_demo(args: list[str]) -> int:
    if not check_system():
        return 1
    return run(str(BIN / "onewindow"), "--demo", *args)


def task_test(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for step in (
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "mypy"), "domain", "local_store", "backend"],
    ):
        if run(*step, env=env) != 0:
            return 1
    # faulthandler from the interpreter's first instruction: a crash anywhere (Qt teardown included) prints every
    # thread's Python stack before the process dies (issue 14).
    return run(str(BIN / "python"), "-X", "faulthandler", "-m", "pytest", *args, env=env)


TASKS = {"demo": task_demo, "test": task_test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(f"usage: python3 dev.py {{{'|'.join(TASKS)}}} [args...]", file=sys.stderr)
        return 2
    ensure_venv()
    return TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
