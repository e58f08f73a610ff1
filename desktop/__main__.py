"""`onewindow` / `python -m desktop`: start the desk."""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication

from desktop import messages, paths
from desktop.app import Desk, Options
from desktop.event_loop import DeskEventLoop
from desktop.garbage import GuiThreadCollector
from desktop.i18n import install_language
from desktop.settings import Settings
from desktop.theme import apply_theme


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onewindow", description="OneWindow (一窗通) service desk")
    parser.add_argument("--demo", action="store_true", help="seed the embedded backend with the demo office and sign in as the hall clerk")
    parser.add_argument("--server", help="backend address, e.g. http://office-host:8600 (default: embedded backend)")
    parser.add_argument("--user", metavar="NAME", help="with --demo: sign in as this demo account (clerk1, hotline1, "
                        "dispatcher1, marketing1, supervisor1, ...; password demo1234)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="language of this run")
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)  # cold-start benchmark
    args = parser.parse_args(argv)
    if args.user and not args.demo:
        parser.error("--user signs in to a demo account and needs --demo")
    return args


def configure_logging() -> None:
    path = paths.log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def install_excepthook() -> None:
    """An exception escaping a slot is logged with its traceback and shown once, never lost."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        logging.getLogger("desktop").error("uncaught exception", exc_info=(kind, value, tb))
        messages.error(
            QApplication.translate("Desk", "程序出现意外错误，详情已记录。"),
            "".join(traceback.format_exception(kind, value, tb)),
        )

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("OneWindow")
    app.setApplicationDisplayName(QApplication.translate("Desk", "一窗通"))
    settings = Settings()
    install_language(app, args.lang or settings.get("ui/language"))
    apply_theme(app, settings.get("ui/theme"))
    install_excepthook()
    app.setQuitOnLastWindowClosed(False)
    desk = Desk(app, settings, Options(demo=args.demo, server=args.server, exit_when_ready=args.exit_when_ready,
                                         user=args.user))
    collector = GuiThreadCollector(app)  # garbage is collected on this thread only (desktop/garbage.py)
    loop = DeskEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(desk.run())
    finally:
        collector.shutdown()


if __name__ == "__main__":
    sys.exit(main())
