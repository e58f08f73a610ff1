"""Make the README screenshots from the real demo desk (run under a display, e.g. Xvfb):

    ONEWINDOW_HOME=$(mktemp -d) xvfb-run -s "-screen 0 1440x900x24" .venv/bin/python docs/screenshots.py

It starts the desk on the embedded demo backend, then drives it as a clerk would: finds
a customer with open tickets, verifies them with the (simulated) ID card reader, and
grabs the window; then opens a connection ticket's stage graph; then signs in as the
dispatcher and grabs the board with the suggestions for the first unassigned survey.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import qasync
import shiboken6
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTableView

from desktop.app import Desk, Options
from desktop.i18n import install_language
from desktop.login import LoginDialog
from desktop.settings import Settings

OUT = Path(__file__).resolve().parent


async def until(predicate: Callable[[], object], timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the desk did not get there in time")
        await asyncio.sleep(0.1)


def grab(desk: Desk, name: str) -> None:
    assert desk.window is not None
    QApplication.processEvents()
    desk.window.grab().save(str(OUT / name))
    print("wrote", OUT / name)


async def front_desk(desk: Desk) -> None:
    assert desk.window is not None and desk.store is not None and desk.engine is not None
    await until(lambda: desk.engine is not None and desk.engine.status.last_synced is not None)
    store = desk.store
    queue = store.ticket_queue(None, offset=0, limit=200)
    ticket = next(t for t in queue if t.customer_id and t.state not in ("closed", "cancelled"))
    customer = store.customer(ticket.customer_id)
    assert customer is not None
    area = desk.window.areas["frontdesk"]
    box = area.findChild(QLineEdit, "customerSearch")
    box.setText(customer.name)
    results = area.findChild(QTableView, "customerResults")
    await until(lambda: results.model().rowCount() > 0)
    area.open_customer(customer.id)
    await asyncio.sleep(0.5)
    dialog = area.open_verification()
    dialog.findChild(QPushButton, "readIdCard").click()
    await until(lambda: area.card.revealed, timeout=10)
    if shiboken6.isValid(dialog):
        dialog.close()
    await asyncio.sleep(1.0)
    grab(desk, "screenshot-frontdesk.png")


async def tickets(desk: Desk) -> None:
    assert desk.window is not None and desk.store is not None
    desk.window.show_area("tickets")
    area = desk.window.areas["tickets"]
    connection = next(
        t for t in desk.store.ticket_queue(None, offset=0, limit=500)
        if t.type_code.startswith("connection") and t.state == "in_progress"
    )
    area.open_ticket(connection.id)
    await asyncio.sleep(1.5)
    grab(desk, "screenshot-tickets.png")


async def dispatch_board(desk: Desk) -> None:
    """Sign out, sign in as the dispatcher, pick the first unassigned survey: its suggestions explain themselves."""
    desk.sign_out()
    dialog = await login_dialog()
    dialog.username.setText("dispatcher1")
    dialog.password.setText("demo1234")
    dialog.submit()
    await until(lambda: desk.window is not None and "dispatch" in desk.window.areas)
    await until(lambda: desk.engine is not None and desk.engine.status.last_synced is not None)
    assert desk.window is not None
    desk.window.show_area("dispatch")
    board = desk.window.areas["dispatch"]
    await until(lambda: board.queue_model.rowCount() > 0)
    board.queue_view.selectRow(0)
    await until(lambda: board.suggestion_model.rowCount() > 0, timeout=10)
    await asyncio.sleep(1.0)
    grab(desk, "screenshot-dispatch.png")


async def login_dialog() -> LoginDialog:
    found: list[LoginDialog] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
        return bool(found)

    await until(visible)
    return found[0]


async def drive(desk: Desk) -> None:
    try:
        await until(lambda: desk.window is not None)
        await front_desk(desk)
        await tickets(desk)
        await dispatch_board(desk)
    finally:
        desk.sign_out()
        desk.window = None


def main() -> int:
    app = QApplication(sys.argv[:1])
    settings = Settings()
    install_language(app, "zh_CN")
    app.setQuitOnLastWindowClosed(False)
    desk = Desk(app, settings, Options(demo=True))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        driver = loop.create_task(drive(desk))
        loop.run_until_complete(desk.run())
        if driver.done() and driver.exception():
            raise driver.exception()  # type: ignore[misc]
    return 0


if __name__ == "__main__":
    sys.exit(main())
