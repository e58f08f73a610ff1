"""Departments working one ticket in parallel from their own desks against one real backend process:
a high-voltage connection accepted at the hall opens its parallel stages for four departments at once;
design and engineering complete theirs on different desks; the next stage opens on both; an offline
completion that meets an online cancellation lands in the conflicts inbox with the server's state."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from domain.records import StageTask, Ticket
from local_store import Store
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import PASSWORD, Backend, create_users

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

OFFICE = "E1"
STAFF = {  # username: (role, department)
    "hall": ("clerk", None),
    "mkt": ("department", "marketing"),
    "design": ("department", "design"),
    "eng": ("department", "engineering"),
    "boss": ("supervisor", None),
}
HV_CONNECTION = {
    "customer_name": "岚川县精工机械有限公司", "credit_code": "91533921MA6K1XH25A", "address": "岚川县工业园区8号",
    "contact_phone": "13912345678", "requested_kva": 630, "voltage_level": "kv10", "load_class": "third",
}
HV_MATERIALS = ["business_licence", "identity", "property_proof", "application_form", "load_list"]


@dataclass
class Desk:
    """One department's desk: its own encrypted store, API client and sync engine."""

    username: str
    role: str
    store: Store
    api: ApiClient
    engine: SyncEngine | None = None
    office_id: str = ""

    async def sign_in(self) -> None:
        session = await self.api.login(self.username, PASSWORD, self.store.client_id)
        self.office_id = session.staff["office_id"]
        self.engine = SyncEngine(self.store, self.api, scopes=list(session.scopes), live=False, close_client=False)

    async def sync(self) -> None:
        assert self.engine is not None
        await self.engine.sync_once()

    def tasks(self, ticket_id: str) -> dict[str, StageTask]:
        return {task.stage_code: task for task in self.store.stage_tasks(ticket_id)}

    def work(self, task: StageTask, outcome: str) -> None:
        """Take the task and complete it with a result, as the ticket detail's buttons do."""
        self.store.transition("stage_task", task.id, "taken", self.role)
        self.store.transition("stage_task", task.id, "done", self.role, fields={"result": {"outcome": outcome}})


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    server = start_office(tmp_path / "office.db")
    yield server
    server.stop()


def start_office(db: Path) -> Backend:
    """A server process on a new database holding the office's STAFF."""
    for username, (role, department) in STAFF.items():
        create_users_with_department(db, username, role, department)
    return Backend(db).start()


def create_users_with_department(db: Path, username: str, role: str, department: str | None) -> None:
    if department is None:
        create_users(db, OFFICE, username, role=role)
        return
    from backend.db.migrate import upgrade
    from backend.seeding import create_user
    from backend.settings import database_url

    url = database_url(str(db))
    upgrade(url)
    create_user(url, username=username, role=role, office=OFFICE, password=PASSWORD, department=department)


def open_desk(tmp_path: Path, username: str, url: str) -> Desk:
    store = Store.open(tmp_path / f"{username}.db", os.urandom(32), desk_code=username.upper())
    return Desk(username, STAFF[username][0], store, ApiClient(url))


def test_parallel_stages_across_desks_and_an_offline_conflict(tmp_path: Path, backend: Backend) -> None:
    link = FaultProxy(backend.port)
    link.start()
    desks = {name: open_desk(tmp_path, name, link.url if name == "mkt" else backend.url) for name in STAFF}
    try:
        asyncio.run(collaborate(desks, link, backend))
    finally:
        for desk in desks.values():
            desk.store.close()
        link.stop()


async def collaborate(desks: dict[str, Desk], link: FaultProxy, backend: Backend) -> None:
    try:
        await work_one_ticket(desks, link, backend)
    finally:
        for desk in desks.values():
            await desk.api.aclose()


async def work_one_ticket(desks: dict[str, Desk], link: FaultProxy, backend: Backend) -> None:
    for desk in desks.values():
        await desk.sign_in()
    hall, mkt, design, eng, boss = (desks[name] for name in ("hall", "mkt", "design", "eng", "boss"))

    # Accepted once at the hall; the server numbers it and opens the survey for marketing.
    accepted = hall.store.accept_ticket(
        type_code="connection_hv_single", channel="hall", office_id=hall.office_id,
        summary="新装 630kVA 专变", fields=HV_CONNECTION, materials=HV_MATERIALS,
    )
    await hall.sync()
    ticket = hall.store.ticket(accepted.id)
    assert ticket is not None and ticket.number is not None

    # Marketing surveys and answers the supply plan from its own desk.
    await mkt.sync()
    mkt.work(mkt.tasks(ticket.id)["survey"], "现场具备供电条件")
    await mkt.sync()
    mkt.work(mkt.tasks(ticket.id)["supply_plan"], "10kV 单电源供电方案已答复")
    await mkt.sync()

    # Every department's desk now sees the parallel stages open together.
    for desk in desks.values():
        await desk.sync()
    parallel = {"design_review": "design", "fees": "marketing", "contract": "marketing",
                "grid_works": "engineering", "dispatch_agreement": "dispatch"}
    for desk in (design, eng, mkt):
        tasks = desk.tasks(ticket.id)
        assert {code: tasks[code].department for code in parallel} == parallel
        assert all(tasks[code].state == "open" for code in parallel)
        assert "mid_inspection" not in tasks and "metering" not in tasks  # still waiting on prerequisites

    # Design and engineering complete theirs on different desks, at the same time.
    design.work(design.tasks(ticket.id)["design_review"], "设计文件审查通过")
    eng.work(eng.tasks(ticket.id)["grid_works"], "配套电网工程完工")
    await asyncio.gather(design.sync(), eng.sync())
    await asyncio.gather(design.sync(), eng.sync())  # each pulls the other's completion

    # The next stage (mid-inspection, operations) is open on both desks; grid works done on both.
    for desk in (design, eng):
        tasks = desk.tasks(ticket.id)
        assert tasks["design_review"].state == "done" and tasks["grid_works"].state == "done"
        assert tasks["mid_inspection"].state == "open" and tasks["mid_inspection"].department == "operations"
        assert "metering" not in tasks  # still blocked on fees, contract, dispatch and inspections

    # Marketing's link drops; offline, it completes the fees stage...
    link.partition()
    mkt.work(mkt.tasks(ticket.id)["fees"], "业务费已收讫")
    assert mkt.tasks(ticket.id)["fees"].state == "done"  # the desk reads its own write at once
    assert mkt.store.outbox_size() == 2

    # ...while the supervisor cancels the ticket online.
    await boss.sync()
    current = boss.store.ticket(ticket.id)
    assert current is not None
    boss.store.transition("ticket", ticket.id, "cancelled", "supervisor", reason="客户撤回用电申请")
    await boss.sync()

    # The link returns: marketing's completion is rejected, shown with the reason and server state.
    link.heal()
    await mkt.sync()
    assert mkt.store.outbox_size() == 0
    conflicts = mkt.store.conflicts()
    assert conflicts, "the offline completion should land in the conflicts inbox"
    assert all(entry.reason for entry in conflicts)
    assert any(entry.mutation.entity_id == mkt.tasks(ticket.id)["fees"].id for entry in conflicts)
    cancelled = mkt.store.ticket(ticket.id)
    assert isinstance(cancelled, Ticket) and cancelled.state == "cancelled"
    assert mkt.tasks(ticket.id)["fees"].state != "done"  # back to the server's state

    # Quiet period: every desk converges on the server's scope checksum.
    for desk in desks.values():
        await desk.sync()
    scope = f"office:{hall.office_id}"
    _, server_checksum, server_count = backend.checksum(scope)
    for desk in desks.values():
        mine = desk.store.scope_checksum(scope)
        assert (mine.checksum, mine.count) == (server_checksum, server_count), desk.username
