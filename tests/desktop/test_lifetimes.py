"""Owned lifetimes (issue 14): operations counted and cancelled with their widget, the loop's Qt objects
deleted on the GUI thread, garbage collected there too, and no Qt object in a module global."""

from __future__ import annotations

import asyncio
import gc
import importlib
import pkgutil
import sys
import threading
from collections.abc import Callable

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import desktop
from desktop import messages
from desktop.event_loop import DeskEventLoop
from desktop.garbage import GuiThreadCollector
from desktop.operations import Operation, changes, in_flight, settle
from desktop.sync.store_thread import store_executor
from domain.errors import InvalidInput
from tests.desktop.support import wait


def blocked_work(release: threading.Event, order: list[str], outcome: BaseException | None = None,
                 started: threading.Event | None = None) -> object:
    def work() -> str:
        if started is not None:
            started.set()
        release.wait(30)
        order.append("work ended")
        if outcome is not None:
            raise outcome
        return "done"

    return work


def test_operations_are_counted_until_they_land(qtbot: QtBot, desk_loop: qasync.QEventLoop) -> None:
    release, order = threading.Event(), []
    before = in_flight()
    Operation(None, blocked_work(release, order)).success(order.append).run()
    assert in_flight() == before + 1
    release.set()
    wait(qtbot, settle())
    assert in_flight() == 0 and order == ["work ended", "done"]


@pytest.mark.parametrize("outcome", [None, InvalidInput("格式不对", "bad format")])
def test_closing_the_widget_cancels_its_operation_after_the_store_call(
    qtbot: QtBot, desk_loop: qasync.QEventLoop, outcome: BaseException | None
) -> None:
    widget = QWidget()
    started, release, order = threading.Event(), threading.Event(), []
    task = Operation(widget, blocked_work(release, order, outcome, started)).success(
        lambda _: order.append("success ran")
    ).failure(lambda _: order.append("failure ran")).run()
    qtbot.waitUntil(started.is_set)
    shiboken6.delete(widget)  # the window closed while its store call runs
    desk_loop.call_later(0.05, release.set)
    qtbot.waitUntil(task.done)
    assert task.cancelled()
    assert order == ["work ended"]  # the call ended in its thread; neither callback touched the dead widget


def test_a_failure_after_the_widget_is_gone_does_not_call_back(qtbot: QtBot, desk_loop: qasync.QEventLoop) -> None:
    widget = QWidget()
    order: list[str] = []

    async def fails() -> None:
        shiboken6.delete(widget)  # gone while the request was out, and the failure arrives in the same turn
        raise InvalidInput("格式不对", "bad format")

    task = Operation(widget, fails).failure(lambda _: order.append("failure ran")).run()
    qtbot.waitUntil(task.done)
    assert order == []


def test_changes_and_the_message_bridge_belong_to_the_application(qapp: QApplication) -> None:
    assert changes().parent() is qapp and changes() is changes()
    assert messages.bridge().parent() is qapp and messages.bridge() is messages.bridge()


def test_no_qt_object_lives_in_a_module_global(qapp: QApplication) -> None:
    for module_info in pkgutil.walk_packages(desktop.__path__, "desktop."):
        if module_info.name.endswith("__main__"):
            continue
        importlib.import_module(module_info.name)
    changes().announce({"ticket"})
    messages.info("")
    offenders = [
        f"{name}.{attr}"
        for name, module in list(sys.modules.items())
        if name == "desktop" or name.startswith("desktop.")
        for attr, value in vars(module).items()
        if isinstance(value, QObject)
    ]
    assert offenders == []


def test_the_loop_deletes_its_qt_objects_when_it_closes(qapp: QApplication) -> None:
    loop = DeskEventLoop(qapp)
    qobjects = [loop._timer, loop._QEventLoop__call_soon_signaller]
    loop.close()
    assert not any(shiboken6.isValid(qobject) for qobject in qobjects)


def test_sockets_opened_and_closed_leave_true_referenced(qapp: QApplication) -> None:
    """PySide6 6.12's signal.disconnect() drops a reference to True it never took; qasync called it for
    every socket it stopped watching, and enough of them abort the interpreter."""

    async def talk() -> None:
        async def answer(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(b"hi")
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await reader.read(2)
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()

    rounds = 40
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(rounds):
        loop = DeskEventLoop(qapp)
        loop.run_until_complete(talk())
        loop.close()
    del loop
    gc.collect()
    assert before - sys.getrefcount(True) < rounds  # qasync's own loop loses about five per round


class _Cycle:
    def __init__(self, finalized_in: list[str]) -> None:
        self.me = self
        self.finalized_in = finalized_in

    def __del__(self) -> None:
        self.finalized_in.append(threading.current_thread().name)


def test_garbage_is_collected_on_the_gui_thread_while_the_store_thread_allocates(qapp: QApplication) -> None:
    """The crash of issue 14: a closed loop's Qt objects, in a reference cycle, were destroyed by a
    collection that the store thread happened to trigger. The harness, like the app, collects here."""
    collector = GuiThreadCollector(qapp)
    try:
        assert not gc.isenabled()
        finalized_in: list[str] = []
        _Cycle(finalized_in)
        store_executor.submit(lambda: [{} for _ in range(200_000)]).result()
        assert finalized_in == []  # the store thread's allocations collected nothing
        gc.collect()
        assert finalized_in == [threading.current_thread().name]
    finally:
        collector.shutdown()


def _signal_disconnects(root: str) -> list[str]:
    """Every `something.disconnect(...)` call under `root` except `QObject.disconnect(connection)`."""
    import ast
    from pathlib import Path

    found = []
    for path in sorted(Path(root).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "disconnect"
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "QObject")):
                found.append(f"{path}:{node.lineno}")
    return found


def test_no_signal_is_disconnected_by_its_slot() -> None:
    """Each `signal.disconnect(slot)` drops a reference to True in PySide6 6.12: the desk (and its tests) keep
    the connection and end it with `drop_connection` — a desk signed in and out all day would otherwise abort."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert _signal_disconnects(str(root / "desktop")) + _signal_disconnects(str(root / "tests")) == []


def test_dropping_a_connection_leaves_true_referenced(qapp: QApplication) -> None:
    """The way the rule above asks for does not have the binding's bug (`signal.disconnect(slot)` 50 times
    would take 50 references)."""
    from desktop.operations import drop_connection

    def slot(_kinds: object) -> None:
        pass

    rounds = 50
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(rounds):
        drop_connection(changes().changed.connect(slot))
    gc.collect()
    assert before - sys.getrefcount(True) < rounds // 2


def test_a_change_during_a_read_asks_for_exactly_one_more_read(qapp: QApplication, qtbot: QtBot) -> None:
    from desktop.change_watch import ChangeWatch

    release = threading.Event()
    reads: list[int] = []
    shown: list[int] = []
    owner = QObject()

    def prepare() -> Callable[[], int]:
        number = len(reads) + 1
        reads.append(number)

        def read() -> int:
            if number == 1:
                release.wait(10)
            return number
        return read

    watch: ChangeWatch[int] = ChangeWatch(owner, frozenset({"ticket"}), prepare, shown.append)

    async def scenario() -> None:
        watch.start()
        for _ in range(3):
            changes().announce({"ticket"})
        changes().announce({"customer"})  # not watched
        assert reads == [1] and watch.busy
        release.set()
        await settle()
        watch.stop()
        changes().announce({"ticket"})  # no longer listened to
        await settle()

    loop = DeskEventLoop(qapp)
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
    assert reads == [1, 2] and shown == [1, 2] and not watch.busy


def test_emitting_a_signal_leaves_true_referenced(qapp: QApplication) -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit of a signal defined in Python (1,000 emits aborted a
    fresh interpreter with "bool_dealloc"; the desk, its charts' pyqtgraph included, emits thousands an hour): the
    pin is the release without it, and this fails on one that has it again."""

    class Emitter(QObject):
        fired = Signal(object)

    emitter = Emitter()
    heard: list[object] = []
    connection = emitter.fired.connect(heard.append)
    gc.collect()
    before = sys.getrefcount(True)
    for n in range(2_000):
        emitter.fired.emit(n)
    gc.collect()
    assert len(heard) == 2_000
    assert sys.getrefcount(True) >= before
    QObject.disconnect(connection)
