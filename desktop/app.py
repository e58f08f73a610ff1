"""The desk's life cycle: backend (embedded or remote), encrypted store, sign-in, main
window, sync engine — and back to sign-in after signing out."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QWidget

from desktop import messages, paths
from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.credentials import SERVICE, KeyringTokenStore
from desktop.login import LoginDialog
from desktop.main_window import Area, MainWindow
from desktop.operations import changes
from desktop.settings import Settings
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.messages import ScreenPopEvent
from desktop.sync.status import SyncStatus
from domain.masking import mask_name
from domain.records import Staff
from local_store import KeyringUnavailable, Store, load_or_create_store_key, passphrase_store_key

log = logging.getLogger(__name__)

# Which roles see which area; the backend enforces the same roles on every pull and push.
AREA_ROLES = {
    "frontdesk": {"clerk", "hotline", "supervisor", "admin"},
    "dispatch": {"dispatcher", "supervisor", "admin"},
}

DEMO_USER = "clerk1"
DEMO_PASSWORD = "demo1234"
# Used only in demo mode on a machine without a keyring; the data is the fictional demo office.
DEMO_PASSPHRASE = "onewindow-demo-office"


def tr(text: str) -> str:
    return QCoreApplication.translate("Desk", text)


@dataclass
class Options:
    demo: bool = False
    server: str | None = None
    exit_when_ready: bool = False


class Desk(QObject):
    """Owns everything that lives longer than one window."""

    def __init__(self, app: QApplication, settings: Settings, options: Options) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.options = options
        self.embedded: Any = None
        self.store: Store | None = None
        self.api: ApiClient | None = None
        self.engine: SyncEngine | None = None
        self.window: MainWindow | None = None
        self._engine_task: asyncio.Task[None] | None = None
        self._signed_out = asyncio.Event()
        self._first_sign_in = True

    # ---- start-up ----

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        backend_url = self.options.server or self.settings.get("backend/url")
        if not backend_url:
            from backend.embedded import start_embedded

            db_path = paths.embedded_db_path()
            db_path.parent.mkdir(parents=True, exist_ok=True)
            self.embedded = await loop.run_in_executor(
                None, lambda: start_embedded(db_path, seed_demo=self.options.demo)
            )
            backend_url = self.embedded.url
        self.store = await self._open_store()
        if self.store is None:
            return 1
        try:
            while True:
                session = await self._sign_in(backend_url)
                if session is None:
                    return 0
                self._open_window(session)
                if self.options.exit_when_ready:
                    await asyncio.sleep(0)
                    return 0
                self._signed_out.clear()
                await self._signed_out.wait()
                if self.window is None:  # the window was closed: quit
                    return 0
                await self._close_session()
        finally:
            await self.shutdown()

    async def _open_store(self) -> Store | None:
        path = paths.store_path()
        try:
            key = load_or_create_store_key(SERVICE, f"store-key:{path}")
        except KeyringUnavailable:
            passphrase = DEMO_PASSPHRASE if self.options.demo else self._ask_passphrase()
            if passphrase is None:
                return None
            if self.options.demo:
                messages.warning(tr("本机没有系统密钥环：演示数据用演示口令加密保存。"))
            key = passphrase_store_key(path, passphrase)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, lambda: Store.open(path, key))

    def _ask_passphrase(self) -> str | None:
        text, ok = QInputDialog.getText(
            None,
            tr("本机数据口令"),
            tr("这台电脑没有可用的系统密钥环，无法自动保管本机数据的密钥。\n"
               "请输入本机数据口令（客户数据只会加密保存）："),
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    # ---- session ----

    async def _sign_in(self, backend_url: str) -> Any:
        assert self.store is not None
        self.api = ApiClient(backend_url, token_store=KeyringTokenStore(backend_url))
        client_id = self.store.client_id
        api = self.api

        async def authenticate(username: str, password: str) -> Any:
            return await api.login(username, password, client_id)

        if self.options.demo and self._first_sign_in:
            self._first_sign_in = False
            return await authenticate(DEMO_USER, DEMO_PASSWORD)
        dialog = LoginDialog(authenticate, hint=tr("演示账号：clerk1、hotline1、dispatcher1、supervisor1 …，密码 demo1234"))
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        dialog.finished.connect(lambda code: done.done() or done.set_result(code))
        dialog.open()
        code = await done
        return dialog.session if code == QDialog.DialogCode.Accepted else None

    def _open_window(self, session: Any) -> None:
        assert self.store is not None and self.api is not None
        staff = Staff.model_validate(session.staff)
        actions = ActionRegistry(self.settings, self)
        self.engine = SyncEngine(
            self.store, self.api, scopes=list(session.scopes), on_status=self._show_status,
            on_changes=changes().announce, screen_pop=self._screen_pop,
        )
        context = DeskContext(store=self.store, staff=staff, settings=self.settings, actions=actions, engine=self.engine)
        staff_line = f"{mask_name(staff.display_name)} · {staff.role}"
        self.window = MainWindow(self.settings, actions, self._areas(context), staff_line)
        actions.bind("sync.now", self.engine.notify_local_change)
        actions.bind("session.sign_out", self.sign_out)
        self.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window.destroyed.connect(self._window_gone)
        self.window.show()
        self._engine_task = asyncio.ensure_future(self.engine.run())

    @staticmethod
    def _areas(context: DeskContext) -> list[Area]:
        from desktop.dispatch import DispatchBoard
        from desktop.frontdesk import FrontDesk
        from desktop.tickets import TicketsArea

        areas = []
        if context.role in AREA_ROLES["frontdesk"]:
            areas.append(Area("frontdesk", tr("前台受理"), lambda: FrontDesk(context)))
        areas.append(Area("tickets", tr("工单协同"), lambda: TicketsArea(context)))
        if context.role in AREA_ROLES["dispatch"]:
            areas.append(Area("dispatch", tr("勘查派工"), lambda: DispatchBoard(context)))
        return areas

    def _screen_pop(self, event: ScreenPopEvent) -> None:
        from desktop.frontdesk import FrontDesk

        if self.window is None:
            return
        front_desk = self.window.areas.get("frontdesk")
        if isinstance(front_desk, FrontDesk):
            self.window.show_area("frontdesk")
            self.window.activateWindow()
            front_desk.handle_screen_pop(event.caller_number or "", list(event.customer_ids))

    def _show_status(self, status: SyncStatus) -> None:
        if self.window is None:
            return
        self.window.sync_status.show_status(
            online=bool(status.online), outbox=status.outbox, last_sync=status.last_synced, conflicts=status.conflicts
        )

    def sign_out(self) -> None:
        self._signed_out.set()

    def _window_gone(self, _obj: QWidget | None = None) -> None:
        self.window = None
        self._signed_out.set()

    async def _close_session(self) -> None:
        if self.engine is not None:
            await self.engine.stop()
            self.engine = None
        if self.api is not None:
            try:
                await self.api.logout()
            except Exception:  # signing out offline still ends the local session
                log.info("logout could not reach the server")
            await self.api.aclose()
            self.api = None
        if self.window is not None:
            window, self.window = self.window, None
            for area in window.areas.values():
                shutdown = getattr(area, "shutdown", None)
                if callable(shutdown):
                    shutdown()
            window.destroyed.disconnect(self._window_gone)
            window.close()
            window.deleteLater()

    async def shutdown(self) -> None:
        await self._close_session()
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.embedded is not None:
            embedded, self.embedded = self.embedded, None
            await asyncio.get_running_loop().run_in_executor(None, embedded.stop)
