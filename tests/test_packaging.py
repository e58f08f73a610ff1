"""The installer scripts' small parts (packaging/): argument checks, the pinned extra, the .deb's desktop entry,
dependencies and launcher. The frozen build itself takes minutes and is run by packaging/build.py, not here."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402


def load(name: str) -> ModuleType:
    """A script of packaging/ by its file ("packaging" is also a PyPI library's name, so not imported by it)."""
    spec = importlib.util.spec_from_file_location(f"onewindow_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load("build")
deb = load("deb")
smoke = load("smoke_test")
frozen_main = load("onewindow_main")


def test_the_packaging_extra_pins_pyinstaller_exactly() -> None:
    requirements = build.packaging_requirements()
    assert any(requirement.startswith("pyinstaller==") for requirement in requirements)
    assert all("==" in requirement for requirement in requirements)


def test_a_loose_packaging_requirement_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n[project.optional-dependencies]\npackaging = ["pyinstaller>=6"]\n')
    with pytest.raises(SystemExit, match="pin exact versions"):
        build.packaging_requirements(pyproject)


def test_skip_build_without_a_built_desk_is_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build, "FOLDER", build.ROOT / "dist" / tmp_path.name)  # a folder nothing was built in
    with pytest.raises(SystemExit):
        build.parse_args(["--skip-build"])
    assert "needs a built desk" in capsys.readouterr().err


def test_smoke_test_flag_stands_alone() -> None:
    assert frozen_main.is_smoke_run(["--smoke-test"])
    assert not frozen_main.is_smoke_run(["--demo", "--user", "clerk1"])
    with pytest.raises(SystemExit, match="no other arguments"):
        frozen_main.is_smoke_run(["--smoke-test", "--server", "https://elsewhere"])


def test_smoke_test_refuses_a_missing_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke.main([str(tmp_path / "onewindow")]) == 2
    assert "not an executable file" in capsys.readouterr().err
    assert smoke.main([]) == 2


def test_smoke_environment_is_offscreen_in_its_own_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEWINDOW_READY_FILE", "/elsewhere/ready")
    env = smoke.smoke_environment("/scratch/home")
    assert env["ONEWINDOW_HOME"] == "/scratch/home"
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert "ONEWINDOW_READY_FILE" not in env


def test_desktop_entry_names_the_launcher_and_icon_in_chinese_first() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(deb.desktop_entry())
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "onewindow" and entry["Icon"] == "onewindow"
    assert entry["Name[zh_CN]"] == "一窗通" and entry["Name"] == "OneWindow"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")


def test_depends_names_every_library_qt_needs_and_a_chinese_font() -> None:
    entries = [entry.strip() for entry in deb.depends().split(",")]
    for choices in dev.SYSTEM_LIBRARIES.values():
        assert " | ".join(choices) in entries
    assert any(entry.startswith(dev.CJK_FONT_PACKAGE) for entry in entries)
    assert len(entries) == len(set(entries))
    if deb.glibc_version():  # frozen against this C library: older systems are refused by apt, not at start
        assert entries[0] == f"libc6 (>= {deb.glibc_version()})"


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_the_package_lays_out_opt_launcher_entry_and_icons(tmp_path: Path) -> None:
    folder = tmp_path / "onewindow"
    folder.mkdir()
    program = folder / "onewindow"  # a one-line program in place of the frozen desk: the launcher's target
    program.write_text('#!/bin/sh\necho "desk started with: $*"\n')
    program.chmod(0o755)
    package = deb.build(folder, tmp_path / "out", "1.2.3")
    assert package.name == f"onewindow_1.2.3_{deb.debian_arch()}.deb"
    listing = subprocess.run(["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/onewindow/onewindow", "./usr/bin/onewindow", "./usr/share/applications/onewindow.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/onewindow.svg",
                 "./usr/share/icons/hicolor/256x256/apps/onewindow.png"):
        assert path in listing
    assert "root/root" in listing
    fields = subprocess.run(["dpkg-deb", "-f", str(package), "Package", "Version", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert "Package: onewindow" in fields and "Version: 1.2.3" in fields and "libxcb-cursor0" in fields

    root = tmp_path / "root"  # unpacked elsewhere than /: the launcher finds the desk relative to itself
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
    started = subprocess.run([str(root / "usr/bin/onewindow"), "--user", "clerk1"], capture_output=True, text=True,
                             check=True, env=dict(os.environ))
    assert started.stdout.strip() == "desk started with: --user clerk1"


def test_building_from_a_folder_without_the_desk_says_so(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no built desk"):
        deb.build(tmp_path, tmp_path / "out", "1.0")
