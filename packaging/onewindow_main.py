"""Entry point of the frozen desk (PyInstaller's script, see onewindow.spec).

`onewindow [options]` is the desk, exactly as `python -m desktop`. `onewindow --smoke-test` is the
installed program checking itself: the embedded demo backend in the data directory it is given
(ONEWINDOW_HOME, a fresh one in packaging/smoke_test.py; a temporary one when none is given), the demo
clerk signed in, the main window shown and its first sync over, one customer search typed into the front
desk's search box; exit 0 only when that search found customers and Qt's own words were found in Chinese
(its translations collected). It lives here, not in desktop/, because only the frozen build needs it, and
it drives the real desk through its public parts (Desk, the search panel) without changing them.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
import time
from pathlib import Path

SMOKE_FLAG = "--smoke-test"
SMOKE_QUERY = "王"  # a surname the demo office's customers carry by the hundred (resources/demo/names.toml)
SCREENSHOT_ENV = "ONEWINDOW_SMOKE_SCREENSHOT"  # a PNG of the window with the search results, to look at
SMOKE_SECONDS = 240.0  # the whole check, start to search results, on a slow shared machine


def is_smoke_run(argv: list[str]) -> bool:
    """Whether this run is the smoke test; `--smoke-test` stands alone (it signs in to the demo by itself)."""
    if SMOKE_FLAG not in argv:
        return False
    rest = [arg for arg in argv if arg != SMOKE_FLAG]
    if rest:
        raise SystemExit(f"{SMOKE_FLAG} takes no other arguments: {' '.join(rest)}")
    return True


def import_every_desk_module() -> int:
    """Every module of desktop/, imported: an area the demo clerk does not open (the efficiency monitor's
    charts, the outage board) still fails the smoke test when the build left out a library it needs."""
    import desktop

    names = [module.name for module in pkgutil.walk_packages(desktop.__path__, "desktop.")]
    for name in names:
        importlib.import_module(name)
    return len(names)


def run_smoke_test() -> int:
    import desktop.__main__ as desk_main
    from desktop import i18n, ready
    from desktop.frontdesk.search_panel import CustomerSearchPanel

    report: dict[str, object] = {}
    started = time.monotonic()
    # Never the user's own data directory: the demo office would be seeded into it.
    scratch = tempfile.mkdtemp(prefix="onewindow-smoke-")
    os.environ.setdefault("ONEWINDOW_HOME", scratch)
    os.environ[ready.ENV] = str(Path(scratch) / "ready")  # the desk says when its window is up and synced

    class SmokeDesk(desk_main.Desk):
        async def run(self) -> int:
            watcher = asyncio.ensure_future(self._search_once())
            try:
                return await super().run()
            finally:
                watcher.cancel()

        async def _search_once(self) -> None:
            deadline = started + SMOKE_SECONDS
            try:
                while not (self._ready is not None and self._ready.written and self.window is not None):
                    if time.monotonic() > deadline:
                        raise TimeoutError("the main window was not ready in time")
                    await asyncio.sleep(0.05)
                report["ready_seconds"] = time.monotonic() - started
                report["qt_words_chinese"] = i18n.qt_words_installed()  # Qt's own dialogs found their .qm
                panels = self.window.findChildren(CustomerSearchPanel)
                if not panels:
                    raise LookupError("the demo clerk's window has no customer search")
                panel = panels[0]
                found: asyncio.Future[int] = asyncio.get_running_loop().create_future()

                def results(text: str, count: int) -> None:
                    if text == SMOKE_QUERY and not found.done():
                        found.set_result(count)

                panel.model.resultsReady.connect(results)
                panel.box.setText(SMOKE_QUERY)  # as typed: the debounced search as you type
                report["customers"] = await asyncio.wait_for(found, max(deadline - time.monotonic(), 1.0))
                report["search_seconds"] = time.monotonic() - started - float(report["ready_seconds"])  # type: ignore[arg-type]
                report["desk_modules"] = import_every_desk_module()
                screenshot = os.environ.get(SCREENSHOT_ENV)
                if screenshot:
                    report["screenshot"] = self.window.grab().save(screenshot)  # grab() paints it now
            except Exception as error:  # noqa: BLE001 -- any failure is the smoke test's verdict, printed below
                report["error"] = f"{type(error).__name__}: {error}"
            finally:
                self.quit()  # as 退出 does: session closed, outbox pushed, embedded backend stopped

    desk_main.Desk = SmokeDesk  # type: ignore[misc]
    try:
        code = desk_main.main(["--demo"])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["exit"] = code
    report["total_seconds"] = time.monotonic() - started
    customers = report.get("customers")
    passed = (code == 0 and isinstance(customers, int) and customers > 0 and "error" not in report
              and report.get("qt_words_chinese") is True)
    print("onewindow smoke test:", "passed" if passed else "FAILED", report, flush=True)
    return 0 if passed else 1


def main() -> int:
    argv = sys.argv[1:]
    if is_smoke_run(argv):
        return run_smoke_test()
    from desktop.__main__ import main as desk

    return desk(argv)


if __name__ == "__main__":
    sys.exit(main())
