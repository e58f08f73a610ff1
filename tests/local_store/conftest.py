"""Fixtures for store tests: a real SQLCipher file in tmp_path, an in-memory keyring, a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import keyring
import keyring.backend
import pytest

from domain.catalogue import Choice, FieldType, Material, TicketField
from domain.errors import InvalidInput, InvalidTransition
from domain.identity import resident_id_check_char
from domain.sync import Change, PullPage
from local_store import Store
from tests.harness.clocks import TickingClock

OFFICE = "office-1"
SCOPE = f"office:{OFFICE}"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A dict-backed keyring: tests never touch the machine's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


# Advances one second per reading (from 3 March 2025, 01:00 UTC), so every event has a distinct, predictable time.
ManualClock = TickingClock


def resident_id(serial: int, birth: str = "19800101") -> str:
    first17 = f"110101{birth}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


class StubCatalogue:
    """Two ticket types in the catalogue's own models, independent of the packaged TOML data."""

    def __init__(self) -> None:
        repair = SimpleNamespace(
            code="repair",
            name_zh="故障报修",
            name_en="Fault repair",
            channels=("hall", "hotline"),
            fields=(
                TicketField(name="fault_kind", label_zh="故障类型", label_en="Fault kind", type=FieldType.choice,
                            required=True, choices=(Choice(code="no_power", name_zh="无电", name_en="No power"),)),
                TicketField(name="contact_phone", label_zh="联系电话", label_en="Contact phone",
                            type=FieldType.phone, required=True),
                TicketField(name="households", label_zh="户数", label_en="Households", type=FieldType.int),
            ),
            materials=(),
            optional_materials=(),
            workflow=None,  # no stages of its own: any stage task a test seeds blocks 办结 until done
        )
        connection = SimpleNamespace(
            code="new_connection",
            name_zh="低压居民新装",
            name_en="Residential new connection",
            channels=("hall",),
            fields=(),
            materials=("id_copy",),
            optional_materials=("property_deed",),
            workflow=None,
        )
        self.types = {t.code: t for t in (repair, connection)}
        self.materials = {
            "id_copy": Material(code="id_copy", name_zh="身份证复印件", name_en="Copy of ID card"),
            "property_deed": Material(code="property_deed", name_zh="房产证明", name_en="Property deed"),
        }

    def ticket_type(self, code: str) -> Any:
        if code not in self.types:
            raise InvalidInput(f"未知的业务类型「{code}」", f"unknown ticket type {code!r}", field="ticket_type")
        return self.types[code]

    def material(self, code: str) -> Material:
        return self.materials[code]


_ALLOWED = {("ticket", "accepted", "in_progress"), ("ticket", "in_progress", "closed")}


def stub_transition(kind: str, current: str, to: str, role: str, reason: str | None) -> str:
    if (kind, current, to) not in _ALLOWED:
        raise InvalidTransition(f"不能从{current}变为{to}", f"cannot move from {current} to {to}")
    return to


@pytest.fixture
def key() -> bytes:
    return bytes(range(32))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def open_test_store(path: Path, key: bytes, clock: ManualClock) -> Store:
    return Store.open(
        path, key, clock=clock, desk_code="D1", catalogue=StubCatalogue(),  # type: ignore[arg-type]
        transition_rule=stub_transition,
    )


@pytest.fixture
def store(tmp_path: Path, key: bytes, clock: ManualClock) -> Iterator[Store]:
    opened = open_test_store(tmp_path / "desk.db", key, clock)
    try:
        yield opened
    finally:
        opened.close()


# ---- server-side rows as they arrive in pull pages ---------------------------------------------

def customer_data(n: int, version: int = 1, **overrides: Any) -> dict[str, Any]:
    data = {
        "id": f"cust-{n}",
        "office_id": OFFICE,
        "version": version,
        "name": ["张伟", "王秀英", "李建国", "欧阳明月"][n % 4] + ("" if n < 4 else str(n)),
        "id_type": "resident",
        "id_number": resident_id(n),
        "phone": f"1390000{n:04d}",
        "address": f"北京市东城区和平里{n}号",
        "customer_class": "03",
        "area_class": "urban",
    }
    return data | overrides


def account_data(n: int, customer_n: int, version: int = 1) -> dict[str, Any]:
    return {"id": f"acct-{n}", "office_id": OFFICE, "version": version, "customer_id": f"cust-{customer_n}",
            "account_no": f"{3300000000 + n}", "address": f"北京市东城区和平里{customer_n}号"}


def ticket_data(n: int, customer_n: int, version: int = 1, **overrides: Any) -> dict[str, Any]:
    data = {"id": f"tick-{n}", "office_id": OFFICE, "version": version, "number": f"GD{20250000 + n}",
            "type_code": "repair", "channel": "hotline", "customer_id": f"cust-{customer_n}",
            "state": "accepted", "accepted_at": f"2025-03-0{1 + n % 3}T0{n % 10}:00:00Z",
            "due_at": f"2025-03-1{n % 10}T00:00:00Z"}
    return data | overrides


def page(changes: list[tuple[str, dict[str, Any]]], cursor: int, *, start_seq: int = 1, **extra: Any) -> PullPage:
    return PullPage(
        scope=SCOPE,
        changes=[
            Change(seq=start_seq + i, entity=entity, id=data["id"], kind="upsert", version=data["version"], data=data)
            for i, (entity, data) in enumerate(changes)
        ],
        cursor=cursor,
        has_more=False,
        **extra,
    )


def seed(store: Store, customers: int = 4) -> None:
    changes: list[tuple[str, dict[str, Any]]] = []
    for n in range(customers):
        changes.append(("customer", customer_data(n)))
        changes.append(("account", account_data(n, n)))
        changes.append(("ticket", ticket_data(n, n)))
    store.apply_pull_page(page(changes, cursor=len(changes)))
