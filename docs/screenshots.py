"""Make the README screenshots from the real demo desk, one per role's main screen (run under a display):

    ONEWINDOW_HOME=$(mktemp -d) xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots.py

Each role is its own run of the desk, as `onewindow --demo --user NAME` starts it (the first run seeds the
embedded demo office in ONEWINDOW_HOME, the others reuse it); the script then drives the window as that
person would and grabs it:

- clerk1: the front desk, a customer with open tickets verified with the (simulated) ID card reader;
- hotline1: the front desk on the hotline, a caller with a repair under way;
- dispatcher1: the dispatch board, the first unassigned survey selected with its explained suggestions;
- marketing1: the tickets area, a connection ticket's stage graph;
- supervisor1: the tickets area on the overdue and warning lists, then the efficiency monitor (效能监控) of the
  office, with its tiles, alerts and department ranking;
- dispatch1: the outage board (停电抢修), the live fault with its emergency plan's tasks;
- operations1: 电能质量, the important customer's supply over the THD limit with its trend and warning.

`--user NAME` makes only that role's screenshot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import qasync
import shiboken6
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTableView

from desktop.app import Desk, Options
from desktop.i18n import install_language
from desktop.settings import Settings

OUT = Path(__file__).resolve().parent
SIZE = (1440, 900)


async def until(predicate: Callable[[], object], timeout: float = 120.0) -> None:
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
    print("wrote", OUT / name, flush=True)


async def open_customer_with_open_ticket(desk: Desk, type_prefix: str = "", skip: int = 0) -> None:
    """Search the customer by name as a clerk types it, open the card."""
    assert desk.window is not None and desk.store is not None
    queue = desk.store.ticket_queue(None, offset=0, limit=500)
    found = [t for t in queue if t.customer_id and t.state not in ("closed", "cancelled", "archived")
             and t.type_code.startswith(type_prefix)]
    ticket = found[min(skip, len(found) - 1)]
    customer = desk.store.customer(ticket.customer_id)
    assert customer is not None
    area = desk.window.areas["frontdesk"]
    area.findChild(QLineEdit, "customerSearch").setText(customer.name)
    results = area.findChild(QTableView, "customerResults")
    await until(lambda: results.model().rowCount() > 0)
    area.open_customer(customer.id)
    await asyncio.sleep(0.5)


async def clerk(desk: Desk) -> None:
    await open_customer_with_open_ticket(desk)
    assert desk.window is not None
    area = desk.window.areas["frontdesk"]
    dialog = area.open_verification()
    dialog.findChild(QPushButton, "readIdCard").click()
    await until(lambda: area.card.revealed, timeout=10)
    if shiboken6.isValid(dialog):
        dialog.close()
    await asyncio.sleep(1.0)
    grab(desk, "screenshot-frontdesk.png")


async def hotline(desk: Desk) -> None:
    await open_customer_with_open_ticket(desk, "repair", skip=1)  # not the clerk's customer
    await asyncio.sleep(1.0)
    grab(desk, "screenshot-hotline.png")


async def dispatcher(desk: Desk) -> None:
    assert desk.window is not None
    board = desk.window.areas["dispatch"]
    await until(lambda: board.queue_model.rowCount() > 0)
    board.queue_view.selectRow(0)
    await until(lambda: board.suggestion_model.rowCount() > 0 or board.explanation.text(), timeout=10)
    await asyncio.sleep(1.0)
    grab(desk, "screenshot-dispatch.png")


async def department(desk: Desk) -> None:
    assert desk.window is not None and desk.store is not None
    area = desk.window.areas["tickets"]
    connection = next(
        t for t in desk.store.ticket_queue(None, offset=0, limit=500)
        if t.type_code.startswith("connection") and t.state == "in_progress"
    )
    area.open_ticket(connection.id)
    await asyncio.sleep(1.5)
    grab(desk, "screenshot-tickets.png")


async def supervisor(desk: Desk) -> None:
    assert desk.window is not None
    area = desk.window.areas["tickets"]
    area.choose_queue("overdue" if area.counts.get("overdue") else "warning")
    await until(lambda: area.model.rowCount() > 0, timeout=10)
    area.table.selectRow(0)
    await asyncio.sleep(1.5)
    grab(desk, "screenshot-supervisor.png")
    await monitor(desk)


async def monitor(desk: Desk) -> None:
    """The supervisor opens 效能监控: the office's tiles (with 客户少跑次数 and the app's ratings), its alerts and
    trend, the department ranking — fetched live."""
    assert desk.window is not None
    desk.window.show_area("efficiency")
    area = desk.window.areas["efficiency"]
    await until(lambda: getattr(area, "snapshot", None) is not None and not area.snapshot.cached
                and area.ranking.rowCount() > 0, timeout=60)
    await asyncio.sleep(1.5)
    grab(desk, "screenshot-efficiency.png")


async def repair_command(desk: Desk) -> None:
    """调度's staff on the outage board: the live fault, its emergency plan's tasks and deadlines."""
    assert desk.window is not None and desk.store is not None
    desk.window.show_area("outage")
    board = desk.window.areas["outage"]
    assert desk.staff is not None
    office = desk.staff.office_id
    await until(lambda: bool(desk.store and desk.store.outage_board(office)))
    await asyncio.sleep(1.0)
    assert board.isVisible()
    grab(desk, "screenshot-outage.png")


async def power_quality(desk: Desk) -> None:
    """运检's staff on 电能质量: the supply over the THD limit, its trend against the limit line, its warning."""
    assert desk.window is not None
    desk.window.show_area("power_quality")
    area = desk.window.areas["power_quality"]
    await until(lambda: area.snapshot is not None and not area.snapshot.cached, timeout=60)
    warned = next(p for p in area.snapshot.points if p.get("open_warnings"))
    area.select_point(warned["id"])
    area.show_figure("thd")
    await until(lambda: area.snapshot.trend(warned["id"], str(area.period.currentData())) is not None, timeout=60)
    await until(lambda: area.tickets.rowCount() > 0, timeout=30)
    await asyncio.sleep(1.5)
    grab(desk, "screenshot-power-quality.png")


ROLES: dict[str, Callable[[Desk], Awaitable[None]]] = {
    "clerk1": clerk, "hotline1": hotline, "dispatcher1": dispatcher, "marketing1": department,
    "supervisor1": supervisor, "dispatch1": repair_command, "operations1": power_quality,
}


async def drive(desk: Desk, user: str) -> None:
    try:
        await until(lambda: desk.window is not None)
        assert desk.window is not None
        desk.window.resize(*SIZE)
        await until(lambda: desk.engine is not None and desk.engine.status.last_synced is not None)
        await ROLES[user](desk)
    finally:
        desk.quit()


def shoot(user: str) -> int:
    app = QApplication(sys.argv[:1])
    install_language(app, "zh_CN")
    app.setQuitOnLastWindowClosed(False)
    desk = Desk(app, Settings(), Options(demo=True, user=user))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        driver = loop.create_task(drive(desk, user))
        loop.run_until_complete(desk.run())
        if driver.done() and driver.exception():
            raise driver.exception()  # type: ignore[misc]
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", choices=sorted(ROLES), help="only this role's screenshot")
    args = parser.parse_args(argv)
    if args.user:
        return shoot(args.user)
    for user in ROLES:  # one desk process per role, as `onewindow --demo --user NAME` would be
        code = subprocess.run([sys.executable, __file__, "--user", user], env=dict(os.environ)).returncode
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
