"""Build the Debian/Ubuntu package from the PyInstaller folder:
`python packaging/deb.py --folder dist/onewindow --out dist [--check]`.

The package holds the frozen desk under /opt/onewindow, a launcher /usr/bin/onewindow, a desktop entry
(/usr/share/applications/onewindow.desktop) and its icon (hicolor, SVG and 256 px PNG). It depends on the
system libraries Qt's xcb platform plugin loads (the list dev.py checks for the demo) and on a Chinese font.
With --check it unpacks the package into a scratch root (`dpkg-deb -x`) and runs packaging/smoke_test.py
through the unpacked launcher.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dev import CJK_FONT_PACKAGE, SYSTEM_LIBRARIES  # noqa: E402 -- one list of what Qt needs from the system

PACKAGE = "onewindow"
INSTALL_DIR = "opt/onewindow"
ICON_SOURCES = ROOT / "packaging" / "linux"

# /usr/bin/onewindow: finds the desk relative to itself (/usr/bin/../../opt/onewindow), so the same file works
# installed and unpacked into a scratch root.
LAUNCHER = """#!/bin/sh
# OneWindow (一窗通) desk launcher, installed by the onewindow package.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/onewindow/onewindow" "$@"
"""


def desktop_entry() -> str:
    """The freedesktop.org entry: Chinese name first (the staff's language), English as the fallback."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=OneWindow",
        "Name[zh_CN]=一窗通",
        "GenericName=Service desk",
        "GenericName[zh_CN]=供电营业服务台",
        "Comment=Utility service desk: one window for every customer request",
        "Comment[zh_CN]=供电服务一窗受理：客户身份核验、工单协同、勘查派工",
        "Exec=onewindow",
        "TryExec=onewindow",
        "Icon=onewindow",
        "Terminal=false",
        "Categories=Office;",
        "StartupWMClass=onewindow",
        "",
    ])


def glibc_version() -> str:
    """The C library the desk was frozen against: it runs on that version or newer only."""
    name, version = platform.libc_ver()
    return version if name == "glibc" and version else ""


def depends() -> str:
    """Debian Depends: the C library of the build, one entry per package Qt needs (alternatives such as the
    t64 renames joined with |), a CJK font."""
    glibc = glibc_version()
    entries: list[str] = [f"libc6 (>= {glibc})"] if glibc else []
    for choices in SYSTEM_LIBRARIES.values():
        entry = " | ".join(choices)
        if entry not in entries:
            entries.append(entry)
    entries.append(f"{CJK_FONT_PACKAGE} | fonts-wqy-microhei")
    return ", ".join(entries)


def debian_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def control(version: str, arch: str, installed_kib: int) -> str:
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version}",
        "Section: misc",
        "Priority: optional",
        f"Architecture: {arch}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {depends()}",
        "Maintainer: OneWindow maintainers <onewindow@localhost>",
        "Description: OneWindow (一窗通) utility service desk",
        " The desk of county service halls, the 95598 hotline and dispatch: one screen for an",
        " identity-verified customer, offline-first, synced with the office's OneWindow server.",
        "",
    ])


def check_folder(folder: Path) -> None:
    if not (folder / "onewindow").is_file():
        raise SystemExit(f"{folder} holds no built desk (onewindow); run packaging/build.py first")


def build(folder: Path, out: Path, version: str) -> Path:
    check_folder(folder)
    arch = debian_arch()
    with tempfile.TemporaryDirectory(prefix="onewindow-deb-") as staging_name:
        staging = Path(staging_name)
        shutil.copytree(folder, staging / INSTALL_DIR, symlinks=True)
        launcher = staging / "usr/bin/onewindow"
        launcher.parent.mkdir(parents=True)
        launcher.write_text(LAUNCHER, encoding="utf-8")
        launcher.chmod(0o755)
        entry = staging / "usr/share/applications/onewindow.desktop"
        entry.parent.mkdir(parents=True)
        entry.write_text(desktop_entry(), encoding="utf-8")
        for source, target in (("onewindow.svg", "scalable/apps/onewindow.svg"),
                               ("onewindow.png", "256x256/apps/onewindow.png")):
            icon = staging / "usr/share/icons/hicolor" / target
            icon.parent.mkdir(parents=True)
            shutil.copyfile(ICON_SOURCES / source, icon)
        for path in staging.rglob("*"):  # root-owned modes whatever the build user's umask was
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        size_kib = sum(path.stat().st_size for path in staging.rglob("*") if path.is_file()) // 1024
        (staging / "DEBIAN").mkdir()
        (staging / "DEBIAN/control").write_text(control(version, arch, size_kib), encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        package = out / f"{PACKAGE}_{version}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(package)], check=True)
    return package


def check(deb: Path) -> int:
    """Unpack into a scratch root and run the smoke test through its launcher."""
    with tempfile.TemporaryDirectory(prefix="onewindow-root-") as root_name:
        root = Path(root_name)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        entry = root / "usr/share/applications/onewindow.desktop"
        if shutil.which("desktop-file-validate"):
            subprocess.run(["desktop-file-validate", str(entry)], check=True)
        return subprocess.run([sys.executable, str(ROOT / "packaging/smoke_test.py"), str(root / "usr/bin/onewindow")]
                              ).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deb.py", description="Build the OneWindow .deb from the PyInstaller folder.")
    parser.add_argument("--folder", type=Path, default=ROOT / "dist/onewindow", help="the PyInstaller one-folder build")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb is written")
    parser.add_argument("--version", default=project_version(), help="package version (default: pyproject's)")
    parser.add_argument("--check", action="store_true", help="unpack into a scratch root and smoke-test the launcher")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not shutil.which("dpkg-deb"):
        parser.error("dpkg-deb is needed (Debian/Ubuntu: apt-get install dpkg)")
    deb = build(args.folder, args.out, args.version)
    print(f"built {deb} ({deb.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return check(deb) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
