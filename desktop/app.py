"""The desk's life cycle: backend (embedded or remote), encrypted store, sign-in (online, or offline
for staff who signed in online here lately), main window, sync engine, inactivity lock — and back
to sign-in after signing out."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import shiboken6
from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop import display, messages, offline_login, paths, public_url, ready
from desktop.actions import ActionRegistry
from desktop.conflicts_dialog import ConflictsInboxDialog
from desktop.context import DeskContext
from desktop.credentials import DeskKeys, KeyringTokenStore, embedded_database_key, open_desk_store
from desktop.i18n import current_language
from desktop.lock import DeskLock
from desktop.login import LoginDialog, login_failure_text
from desktop.main_window import Area, MainWindow
from desktop.offline_login import OfflineSession
from desktop.operations import Operation, changes, drop_connection, report_sync_failure, run_in_store, settle
from desktop.settings import Settings
from desktop.settings_dialog import SettingsDialog
from desktop.sync.authorship import sign_in_author, sign_out_author
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.errors import Offline, SyncError
from desktop.sync.messages import ScreenPopEvent
from desktop.sync.status import SyncStatus
from domain import roles as roles_policy
from domain.records import Staff
from local_store import Store

log = logging.getLogger(__name__)

# Which roles see which area: domain.roles (the backend enforces the same roles on every pull and push).
AREA_ROLES = {area: {str(role) for role in roles} for area, roles in roles_policy.AREA_ROLES.items()}
AREA_ORDER = ("frontdesk", "tickets", "dispatch", "outage", "efficiency", "power_quality")
# The area each role works in, shown first (and on Ctrl+1); a role not named lands on the tickets.
HOME_AREA = {"clerk": "frontdesk", "hotline": "frontdesk", "dispatcher": "dispatch", "department": "tickets",
             "supervisor": "tickets", "admin": "tickets", "manager": "efficiency"}
# The list a role's tickets area opens on, where it is not the area's own choice: a supervisor watches timeliness.
HOME_QUEUE = {"supervisor": "warning"}

SIGN_OUT_PUSH_SECONDS = 10.0
DEMO_USER = "clerk1"
DEMO_PASSWORD = "demo1234"



def utc_now() -> datetime:
    return datetime.now(UTC)


def ordered_areas(areas: list[Area], role: str) -> list[Area]:
    """The role's own area first (where it lands, Ctrl+1), the others in the usual order."""
    home = HOME_AREA.get(role, "tickets")
    return sorted(areas, key=lambda area: (area.id != home, AREA_ORDER.index(area.id)))


@dataclass
class Options:
    demo: bool = False
    server: str | None = None
    exit_when_ready: bool = False
    user: str | None = None  # demo mode: sign in as this demo account (default the hall clerk)


class Desk(QObject):
    """Owns everything that lives longer than one window."""

    def __init__(
        self, app: QApplication, settings: Settings, options: Options, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.options = options
        self.clock = clock
        self.embedded: Any = None
        self.keys = DeskKeys()  # where the data keys come from, known once the store is open
        self.store: Store | None = None
        self.api: ApiClient | None = None
        self.tokens: KeyringTokenStore | None = None
        self.engine: SyncEngine | None = None
        self.window: MainWindow | None = None
        self._window_connection: QMetaObject.Connection | None = None
        self.lock: DeskLock | None = None
        self.staff: Staff | None = None
        self.offline_mode = False  # signed in offline; the server needs the password once it is back
        self.reconnect_backoff = Backoff(base=2.0, cap=60.0)
        self._engine_task: asyncio.Task[None] | None = None
        self._signed_out = asyncio.Event()
        self._first_sign_in = True
        self._public_url = ""  # the server's address for customers, as last learned (desktop.public_url)
        self._asking_password = False
        self._conflicts_dialog: ConflictsInboxDialog | None = None
        self._conflict_count_timer = QTimer(self)
        self._conflict_count_timer.setSingleShot(True)
        self._conflict_count_timer.setInterval(300)
        self._conflict_count_timer.timeout.connect(self._count_conflicts)
        self._listening = [changes().changed.connect(self._schedule_conflict_count),
                           settings.changed.connect(self._on_setting_changed)]
        self.working_offline = False  # the user chose 离线工作: sync is paused until they turn it off
        self._quitting = False
        self._demo_rng = random.Random()
        self._demo_calls = 0  # 模拟来电 alternates a known customer's number and an unknown one
        self._ready = ready.from_environment()  # only when a benchmark asks (ONEWINDOW_READY_FILE)

    # ---- start-up ----

    async def _backend_url(self) -> str:
        """The server this session talks to: --server, else the settings' address, else the embedded backend
        (started on first need). Read again at every sign-in, so a new address in the settings needs no restart."""
        backend_url = self.options.server or self.settings.get("backend/url")
        if backend_url:
            return str(backend_url)
        if self.embedded is None:
            from backend.embedded import start_embedded

            db_path = paths.embedded_db_path()
            db_path.parent.mkdir(parents=True, exist_ok=True)
            key = await embedded_database_key(self.keys, db_path)
            self.embedded = await asyncio.get_running_loop().run_in_executor(
                None, lambda: start_embedded(db_path, key=key, seed_demo=self.options.demo)
            )
        return str(self.embedded.url)

    def _on_setting_changed(self, name: str) -> None:
        if name != "backend/url" or self.window is None or self.api is None:
            return
        # The address typed in the settings wins over --server for the rest of this run.
        self.options.server = None
        new_url = self.settings.get("backend/url") or (self.embedded.url if self.embedded is not None else "")
        if new_url.rstrip("/") == self.api.base_url.rstrip("/"):
            return
        messages.info(QCoreApplication.translate("Desk", "服务器地址已更改：请在新服务器上重新登录。"))
        self.sign_out()

    async def run(self) -> int:
        self.store = await self._open_store()
        if self.store is None:
            return 1
        try:
            while True:
                backend_url = await self._backend_url()
                session = await self._sign_in(backend_url)
                if session is None:
                    return 0
                # Only this person's scopes stay readable on the desk (the outbox stays, each change for its author).
                store = self.store
                full_identity = Staff.model_validate(session.staff).role in roles_policy.VERIFIER_ROLES
                offline = isinstance(session, OfflineSession)
                # Rows pulled for a role that sees identities otherwise are pulled again (never kept for a role
                # that may not hold them; a clerk signing in offline keeps masked rows until online).
                decided = full_identity if not (offline and full_identity) else None
                await run_in_store(functools.partial(store.limit_to_scopes, list(session.scopes), full_identity=decided))
                waiting = await sign_in_author(store, session.staff)  # from now on, changes saved here are theirs
                self._public_url = await run_in_store(functools.partial(public_url.recall, store))
                self._open_window(session)
                if self.window is not None:
                    self.window.sync_status.show_waiting(waiting)  # others' changes wait for their own session
                if self.options.exit_when_ready:
                    await asyncio.sleep(0)
                    return 0
                self._signed_out.clear()
                await self._signed_out.wait()
                if self.window is None:  # the window was closed: quit
                    return 0
                await self._close_session()
                if self._quitting:
                    return 0
        finally:
            await self.shutdown()

    async def _open_store(self) -> Store | None:
        from desktop.tickets.attachments_panel import remove_plaintext_cache

        opened = await open_desk_store(paths.store_path(), demo=self.options.demo)
        remove_plaintext_cache(paths.data_dir())  # downloads cached in clear by older versions
        if opened is None:
            return None
        self.keys = opened.keys
        return opened.store

    # ---- session ----

    def _online_authenticator(self, api: ApiClient) -> Callable[[str, str], Any]:
        """Sign in against the server and keep the slow hash that allows offline login later."""
        store = self.store
        assert store is not None

        async def authenticate(username: str, password: str) -> Any:
            session = await api.login(username, password, store.client_id)
            now = self.clock()

            def remember() -> None:
                offline_login.remember_online_login(
                    store, username, password, dict(session.staff), list(session.scopes), now=now
                )
                public_url.remember(store, session.public_url)  # for the receipts' QR codes, offline too

            await run_in_store(remember)
            return session

        return authenticate

    async def _sign_in(self, backend_url: str) -> Any:
        assert self.store is not None
        self.tokens = KeyringTokenStore(backend_url)
        self.api = ApiClient(backend_url, token_store=self.tokens, ca_file=self.settings.get("security/ca_file"))
        online = self._online_authenticator(self.api)
        store = self.store

        async def authenticate(username: str, password: str) -> Any:
            try:
                return await online(username, password)
            except Offline:
                now, days = self.clock(), self.settings.get("security/offline_login_days")
                return await run_in_store(
                    lambda: offline_login.offline_login(store, username, password, now=now, max_days=days),
                )

        notice, username = "", ""
        if self.options.demo and self._first_sign_in:
            self._first_sign_in = False
            username = self.options.user or DEMO_USER
            try:
                return await authenticate(username, DEMO_PASSWORD)
            except Exception as exc:  # a mistyped --user: the login dialog says why and lets them choose
                text = login_failure_text(exc)
                if text is None:
                    raise
                notice = QCoreApplication.translate("Desk", "演示账号 %1 未能登录：").replace("%1", username) + text
        hint = (QCoreApplication.translate("Desk", "演示账号：clerk1、hotline1、dispatcher1、supervisor1 …，密码 demo1234")
                if self.options.demo else "")
        dialog = LoginDialog(authenticate, hint=hint, username=username, notice=notice)
        return await self._run_login_dialog(dialog)

    @staticmethod
    async def _run_login_dialog(dialog: LoginDialog) -> Any:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def finished(code: int) -> None:
            if not done.done():
                done.set_result(code)

        dialog.finished.connect(finished)
        dialog.open()
        code = await done
        session = dialog.session if code == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return session

    def _open_window(self, session: Any) -> None:
        assert self.store is not None and self.api is not None
        staff = self.staff = Staff.model_validate(session.staff)
        self.offline_mode = isinstance(session, OfflineSession)
        if self.offline_mode and self.tokens is not None:
            # A refresh token left from another run may belong to someone else: sync waits for this person.
            self.tokens.set_refresh_token(None)
        actions = ActionRegistry(self.settings, self, demo=self.options.demo)
        self.engine = SyncEngine(
            self.store, self.api, scopes=list(session.scopes), on_status=self._show_status,
            on_changes=changes().announce, screen_pop=self._screen_pop, reauthenticate=self._reauthenticate,
            on_failure=report_sync_failure,  # logged by the engine, shown here; it retries with backoff
            close_client=False,  # the desk pushes and logs out with it after the engine stops
            author=staff.id,  # only this person's changes go out under their session (docs/authorship.md)
            on_numbered=self._tell_numbered,
        )
        context = DeskContext(store=self.store, staff=staff, settings=self.settings, actions=actions, engine=self.engine,
                              demo=self.options.demo, public_url=self._public_url)
        staff_line = display.staff_line(staff, current_language())  # their own name in full, the role in words
        self.window = MainWindow(self.settings, actions, self._areas(context), staff_line)
        landing_queue = HOME_QUEUE.get(staff.role)
        tickets = self.window.areas.get("tickets")
        if landing_queue is not None and tickets is not None and hasattr(tickets, "choose_queue"):
            tickets.choose_queue(landing_queue)
        actions.bind("sync.now", self.sync_now)
        actions.bind("sync.conflicts", self.open_conflicts)
        actions.bind("app.settings", self.open_settings)
        actions.bind("session.lock", self._lock_now)
        actions.bind("session.sign_out", self.sign_out)
        actions.bind("app.quit", self.quit)
        if actions.has("demo.simulate_call"):
            actions.bind("demo.simulate_call", self.simulate_call)
        work_offline = actions.action("sync.work_offline")
        work_offline.setCheckable(True)
        work_offline.toggled.connect(self.work_offline)
        self.window.sync_status.conflicts_clicked.connect(self.open_conflicts)
        self.window.sync_status.sign_in_clicked.connect(self.sync_now)
        store, username = self.store, staff.username
        self.lock = DeskLock(
            self.window, staff_line,
            verify=lambda password: offline_login.password_matches(store, username, password),
            sign_out=self.sign_out,
            minutes=lambda: self.settings.get("security/lock_minutes"),
            on_lock=lambda locked: actions.set_enabled(not locked),
        )
        self.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._window_connection = self.window.destroyed.connect(self._window_gone)
        self.window.show()
        if self.offline_mode:
            assert isinstance(session, OfflineSession)
            when = display.datetime_text(session.online_login_at)
            messages.warning(
                QCoreApplication.translate("Desk", "无法连接服务器，已离线登录（凭据来自 %1 在本机的在线登录）。网络恢复后会请您再输入一次密码以继续同步。")
                .replace("%1", when)
            )
        self._schedule_conflict_count()
        self._engine_task = asyncio.ensure_future(self.engine.run())
        if self._ready is not None:
            self._ready.shown()

    @staticmethod
    def _areas(context: DeskContext) -> list[Area]:
        from desktop.dispatch import DispatchBoard
        from desktop.frontdesk import FrontDesk
        from desktop.tickets import TicketsArea

        areas = []
        if context.role in AREA_ROLES["frontdesk"]:
            areas.append(Area("frontdesk", QCoreApplication.translate("Desk", "前台受理"), lambda: FrontDesk(context)))
        areas.append(Area("tickets", QCoreApplication.translate("Desk", "工单协同"), lambda: TicketsArea(context)))
        if context.role in AREA_ROLES["dispatch"]:
            areas.append(Area("dispatch", QCoreApplication.translate("Desk", "勘查派工"), lambda: DispatchBoard(context)))
        if context.role in AREA_ROLES["outage"]:
            from desktop.outage import OutageBoard

            areas.append(Area("outage", QCoreApplication.translate("Desk", "停电抢修"), lambda: OutageBoard(context)))
        if context.role in AREA_ROLES["efficiency"]:
            from desktop.efficiency import EfficiencyMonitor

            areas.append(Area("efficiency", QCoreApplication.translate("Desk", "效能监控"),
                              lambda: EfficiencyMonitor(context)))
        if context.role in AREA_ROLES["power_quality"]:
            from desktop.power_quality import PowerQualityArea

            areas.append(Area("power_quality", QCoreApplication.translate("Desk", "电能质量"),
                              lambda: PowerQualityArea(context)))
        return ordered_areas(areas, context.role)

    def quit(self) -> None:
        """退出: the session closes as on signing out (areas stopped, outbox pushed), then the desk stops."""
        self._quitting = True
        self.sign_out()

    # ---- signing in again while the window stays open ----

    async def _reauthenticate(self) -> bool:
        """The engine needs a fresh session: wait for the server to answer, then ask for the password."""
        failures = 0
        while True:
            try:
                assert self.api is not None
                await self.api.health()
                break
            except SyncError:  # still unreachable: keep working offline and look again later
                failures += 1
                await asyncio.sleep(self.reconnect_backoff.delay(failures))
        while self.lock is not None and self.lock.locked:
            await asyncio.sleep(1.0)
        return await self.ask_password_again()

    async def ask_password_again(self) -> bool:
        """The login dialog pre-filled with the signed-in staff member; True once the server accepted them."""
        if self._asking_password or self.api is None or self.staff is None or self.window is None:
            return False
        self._asking_password = True
        try:
            notice = (QCoreApplication.translate("Desk", "服务器已恢复连接。请再输入一次密码，以便上传离线期间的工作。") if self.offline_mode
                      else QCoreApplication.translate("Desk", "登录已过期。请再输入一次密码以继续同步。"))
            dialog = LoginDialog(self._online_authenticator(self.api), username=self.staff.username,
                                 lock_username=True, notice=notice, parent=self.window)
            session = await self._run_login_dialog(dialog)
        finally:
            self._asking_password = False
        if session is None:
            messages.warning(QCoreApplication.translate("Desk", "未重新登录：工作照常保存在本机，点状态栏的「重新登录以继续同步」可随时上传。"))
            return False
        self.offline_mode = False
        messages.info(QCoreApplication.translate("Desk", "已重新登录，正在同步。"))
        return True

    def work_offline(self, on: bool) -> None:
        """离线工作 on: sync stops (changes stay in the outbox); off: it starts again. No restart either way."""
        engine = self.engine
        if engine is None or on == self.working_offline:
            return
        self.working_offline = on
        if on:
            async def pause() -> None:
                await engine.stop()
                if self.engine is engine:
                    self._show_status(engine.status)

            asyncio.ensure_future(pause())
            messages.info(QCoreApplication.translate("Desk", "已切换为离线工作：修改保存在本机，恢复联网后上传。"))
            return
        stopping = self._engine_task

        async def resume() -> None:
            if stopping is not None:  # a pause may still be stopping it
                await asyncio.gather(stopping, return_exceptions=True)
            if self.engine is engine and not self.working_offline:
                await engine.run()

        self._engine_task = asyncio.ensure_future(resume())
        messages.info(QCoreApplication.translate("Desk", "已恢复联网，正在同步。"))

    def sync_now(self) -> None:
        engine = self.engine
        if engine is None:
            return
        if self.working_offline:
            messages.info(QCoreApplication.translate("Desk", "正在离线工作：取消「离线工作」后才会同步。"))
            return
        if engine.status.auth_required:
            async def again() -> None:
                if await self.ask_password_again() and self.engine is engine:
                    engine.notify_signed_in()

            asyncio.ensure_future(again())
            return
        if engine.status.online is False:
            messages.warning(QCoreApplication.translate(
                "Desk", "当前离线，无法连接服务器：修改已保存在本机，正在重试，连接恢复后自动上传。"))
        engine.sync_now()

    @staticmethod
    def _tell_numbered(numbered: list[tuple[str, str]]) -> None:
        """A ticket accepted offline got the server's number: say which, the open screens re-read it."""
        pairs = "、".join(f"{provisional} → {number}" for provisional, number in numbered)
        messages.info(QCoreApplication.translate("Desk", "临时编号已换为正式编号：%1").replace("%1", pairs))

    # ---- shell services ----

    def open_conflicts(self) -> ConflictsInboxDialog | None:
        if self.window is None or self.store is None:
            return None
        if self._conflicts_dialog is not None:
            self._conflicts_dialog.raise_()
            self._conflicts_dialog.activateWindow()
            return self._conflicts_dialog
        dialog = ConflictsInboxDialog(self.store, self.engine, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(lambda _id: self._schedule_conflict_count())
        dialog.destroyed.connect(self._conflicts_dialog_gone)
        self._conflicts_dialog = dialog
        dialog.show()
        return dialog

    def _conflicts_dialog_gone(self, _obj: QObject | None = None) -> None:
        self._conflicts_dialog = None

    def open_settings(self) -> SettingsDialog | None:
        if self.window is None:
            return None
        dialog = SettingsDialog(self.settings, self.window.actions_registry, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _lock_now(self) -> None:
        if self.lock is not None:
            self.lock.lock()

    def _schedule_conflict_count(self, _kinds: object = None) -> None:
        self._conflict_count_timer.start()

    def _count_conflicts(self) -> None:
        store = self.store
        if store is None or self.window is None:
            return
        Operation(self, lambda: len(store.conflicts())).success(self._show_conflict_count).run()

    def _show_conflict_count(self, count: int) -> None:
        if self.window is not None:
            self.window.sync_status.show_conflicts(count)

    def simulate_call(self) -> None:
        """模拟来电 (demo mode): the embedded backend's hotline channel rings this desk's agent."""
        from desktop import demo_call

        embedded, store, staff = self.embedded, self.store, self.staff
        if embedded is None or embedded.channel_key is None or store is None or staff is None:
            messages.warning(QCoreApplication.translate("Desk", "模拟来电只能在演示模式的内置服务器上使用。"))
            return
        known = self._demo_calls % 2 == 0
        self._demo_calls += 1
        rng, now = self._demo_rng, self.clock()

        async def call() -> None:
            number = await run_in_store(demo_call.known_caller_number, store, rng) if known else None
            number = number or demo_call.unknown_caller_number(rng)
            try:
                await demo_call.ring(embedded.url, embedded.channel_key, staff.username, number, now)
            except httpx.HTTPError:
                log.warning("the simulated call did not reach the embedded backend", exc_info=True)
                messages.warning(QCoreApplication.translate("Desk", "模拟来电未能送达内置服务器。"))

        asyncio.ensure_future(call())

    def _screen_pop(self, event: ScreenPopEvent) -> None:
        from desktop.frontdesk import FrontDesk

        if self.window is None or (self.lock is not None and self.lock.locked):
            return
        front_desk = self.window.areas.get("frontdesk")
        if isinstance(front_desk, FrontDesk):
            self.window.show_area("frontdesk")
            self.window.activateWindow()
            front_desk.handle_screen_pop(event.caller_number or "", list(event.customer_ids), call_id=event.call_id)

    def _show_status(self, status: SyncStatus) -> None:
        if self._ready is not None:
            self._ready.sync_status(status)
        if self.window is None:
            return
        self.window.sync_status.show_status(
            online=bool(status.online) and not self.working_offline, outbox=status.outbox, last_sync=status.last_synced,
            auth_required=status.auth_required,
        )
        self._schedule_conflict_count()

    # ---- ending ----

    def sign_out(self) -> None:
        self._signed_out.set()

    def _window_gone(self, _obj: QWidget | None = None) -> None:
        self.window = None
        self._signed_out.set()

    @staticmethod
    async def _push_before_sign_out(engine: SyncEngine) -> None:
        """Push what this staff member queued while their session still signs it; the server checks each
        mutation against the pusher's role, so the next person at this desk must not carry it."""
        if engine.status.online is not True or engine.status.auth_required:
            return
        try:
            await asyncio.wait_for(engine.sync_once(), timeout=SIGN_OUT_PUSH_SECONDS)
        except Exception:  # offline or slow: the outbox keeps it for this staff member's next session
            log.info("sign-out push did not finish; the outbox keeps the rest")

    async def _close_session(self) -> None:
        if self.lock is not None:
            if shiboken6.isValid(self.lock):  # gone already when the window was closed
                self.lock.stop()
            self.lock = None
        if self.engine is not None:
            await self.engine.stop()
            if not self.working_offline:
                await self._push_before_sign_out(self.engine)
            self.engine = None
        self.working_offline = False
        if self.api is not None:
            try:
                await self.api.logout()
            except Exception:  # signing out offline still ends the local session
                log.info("logout could not reach the server")
            await self.api.aclose()
            self.api = None
        if self.store is not None and self.staff is not None:
            await sign_out_author(self.store)  # nothing saved from here on is theirs
        self.staff = None
        self.offline_mode = False
        if self._conflicts_dialog is not None:
            self._conflicts_dialog.close()
        if self.window is not None:
            window, self.window = self.window, None
            for area in window.areas.values():
                shutdown = getattr(area, "shutdown", None)
                if callable(shutdown):
                    shutdown()
            if self._window_connection is not None:
                drop_connection(self._window_connection)
                self._window_connection = None
            window.close()
            window.deleteLater()
        if self.store is not None:
            self.store.drop_attachment_cache()  # this session's downloads (ID-card scans) go with it

    async def shutdown(self) -> None:
        await self._close_session()
        # The change bridge outlives this desk: a later announcement must not restart its timer (which
        # would then die with the desk, maybe in whichever thread the garbage collector runs).
        for connection in self._listening:
            drop_connection(connection)
        self._listening = []
        self._conflict_count_timer.stop()
        await settle()  # the operations of the closed window end (their store calls too) before the store closes
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.embedded is not None:
            embedded, self.embedded = self.embedded, None
            await asyncio.get_running_loop().run_in_executor(None, embedded.stop)
