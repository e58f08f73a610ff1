"""`python3 dev.py demo` on a fresh machine: what Qt's xcb plugin lacks is found before the app starts, and
either installed (root with apt) or named in one exact command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402

# What ldd printed for PySide6 6.x's libqxcb.so on a fresh Debian 12 (trimmed).
FRESH_DEBIAN_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd4a5f2000)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f0c1c000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-image.so.0 => not found
\tlibxcb-render-util.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0c1bf00000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c1bc00000)
"""
FRESH_DEBIAN_PACKAGES = ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                         "libxcb-render-util0", "libxkbcommon-x11-0", "fonts-noto-cjk"]


def test_missing_libraries_are_read_from_ldd_once_each() -> None:
    assert dev.missing_libraries(FRESH_DEBIAN_LDD) == [
        "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
        "libxcb-render-util.so.0", "libxkbcommon-x11.so.0"]


def test_packages_for_a_fresh_debian_include_a_cjk_font() -> None:
    packages, unknown = dev.packages_for(dev.missing_libraries(FRESH_DEBIAN_LDD), False, lambda _name: True)
    assert packages == FRESH_DEBIAN_PACKAGES and unknown == []


def test_renamed_packages_take_the_name_apt_knows() -> None:
    packages, _ = dev.packages_for(["libglib-2.0.so.0"], True, lambda name: name == "libglib2.0-0")
    assert packages == ["libglib2.0-0"]


def test_without_root_the_one_exact_command_is_printed_and_the_demo_stops(capsys: pytest.CaptureFixture[str]
                                                                           ) -> None:
    ok = dev.check_system(libraries=dev.missing_libraries(FRESH_DEBIAN_LDD), cjk_font=False, as_root=False,
                          apt=True, known=lambda _name: True)
    assert not ok
    err = capsys.readouterr().err
    command = "sudo apt-get install -y --no-install-recommends " + " ".join(FRESH_DEBIAN_PACKAGES)
    assert [line.strip() for line in err.splitlines() if "apt-get" in line] == [command]


def test_nothing_missing_starts_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert dev.check_system(libraries=[], cjk_font=True, as_root=False, apt=True)
    assert capsys.readouterr().err == ""


def test_without_apt_the_libraries_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert not dev.check_system(libraries=["libxcb-cursor.so.0"], cjk_font=True, as_root=True, apt=False,
                                known=lambda _name: True)
    err = capsys.readouterr().err
    assert "libxcb-cursor.so.0" in err and "libxcb-cursor0" in err


def test_offscreen_runs_need_no_xcb(monkeypatch: pytest.MonkeyPatch) -> None:
    """`dev.py test` runs Qt offscreen: nothing is checked, a machine without the libraries runs the tests."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not dev.needs_xcb()
    assert dev.check_system()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and the xcb plugin are Linux's")
def test_this_machine_is_probed_with_the_real_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = dev.qt_platform_plugin()
    if plugin is None:
        pytest.skip("PySide6 is not installed in .venv")
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True)
    assert "libQt6XcbQpa" in ldd.stdout  # the probe sees the plugin's own dependencies
    assert dev.plugin_missing_libraries(plugin) == dev.missing_libraries(ldd.stdout)
