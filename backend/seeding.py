"""Accounts and demo data: `create-user`, `seed-demo`, and the shipped calendar as synced rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from backend import timers
from backend.auth import set_password
from backend.bulk import bulk_insert
from backend.db.engine import Database, open_database
from backend.db.records import CalendarDayRow, OfficeRow, StaffRow
from backend.db.sync_tables import TicketCounter
from backend.permissions import ROLES
from domain import sla, ticket_rules
from domain.calendar import WorkingCalendar
from domain.catalogue import load_catalogue
from domain.records import CalendarDay, Office, Record, Staff


def _now() -> datetime:
    return datetime.now(UTC)


def ensure_calendar(database: Database) -> int:
    """Store the shipped calendar as calendar_day rows once, so desks receive it by sync."""
    with database.write() as session:
        if session.execute(select(func.count()).select_from(CalendarDayRow)).scalar():
            return 0
        records = WorkingCalendar.default().to_records()
        rows: list[Record] = [
            CalendarDay(id=f"cal-{day.isoformat()}", office_id="*", day=day, working=False, name=name)
            for day, name in records.holidays
        ]
        rows += [
            CalendarDay(id=f"cal-{day.isoformat()}", office_id="*", day=day, working=True, name="调休上班")
            for day in records.workdays
        ]
        return bulk_insert(session, rows, _now())


def create_user(
    url: str,
    *,
    username: str,
    role: str,
    office: str,
    password: str,
    department: str | None = None,
    display_name: str | None = None,
) -> str:
    """Create (or reset the password of) a staff member; an unknown office is created with that code."""
    if role not in ROLES:
        raise SystemExit(f"unknown role {role!r}; one of {', '.join(sorted(ROLES))}")
    if len(password) < 8:
        raise SystemExit("the password needs at least 8 characters")
    database = open_database(url)
    try:
        ensure_calendar(database)
        now = _now()
        with database.write() as session:
            office_row = session.execute(
                select(OfficeRow).where(or_(OfficeRow.id == office, OfficeRow.code == office))
            ).scalar_one_or_none()
            to_insert: list[Record] = []
            office_id = office_row.id if office_row is not None else office
            if office_row is None:
                to_insert.append(Office(id=office, office_id=office, code=office, name=office, prefecture=""))
            staff = session.execute(select(StaffRow).where(StaffRow.username == username)).scalar_one_or_none()
            staff_id = staff.id if staff is not None else str(uuid.uuid4())
            if staff is None:
                to_insert.append(
                    Staff(
                        id=staff_id, office_id=office_id, username=username,
                        display_name=display_name or username, role=role, department=department,
                    )
                )
            bulk_insert(session, to_insert, now)
            session.flush()
            set_password(session, staff_id, password, now)
        return staff_id
    finally:
        database.dispose()


def seed_demo(url: str, *, seed: int, customers_per_office: int, now: datetime | None = None) -> str:
    """Load the demo office(s) from backend.demo into an empty database, its history ending `now` (the clock's)."""
    from backend import demo
    from backend.demo.power_quality import seed_power_quality
    from backend.efficiency import facts as efficiency
    from backend.efficiency.tables import EfficiencyEvent

    database = open_database(url)
    try:
        ensure_calendar(database)
        with database.read() as session:
            if session.execute(select(func.count()).select_from(OfficeRow)).scalar():
                return "database already has offices: demo not loaded"
        now = now or _now()
        data = demo.generate(seed, customers_per_office, now=now)
        with database.write() as session:
            records: list[Record] = list(data.offices)
            passwords: dict[str, str] = {}
            for person in data.staff:
                record, password = _staff_and_password(person)
                records.append(record)
                passwords[record.id] = password
            for name in ("customers", "accounts", "tickets", "stage_tasks", "interactions", "verifications",
                         "notes", "surveyors", "survey_assignments", "evaluations", "meetings",
                         "supervision_actions", "info_requests",
                         "grid_devices", "outage_events"):
                records.extend(getattr(data, name, ()) or ())
            count = bulk_insert(session, records, now)
            session.flush()
            _advance_ticket_counters(session, [t.number for t in data.tickets if t.number])
            _arm_timers(session, data)
            if data.stage_events:  # what the monitor would have observed of the seeded stages
                session.execute(insert(EfficiencyEvent), [vars(event) for event in data.stage_events])
            efficiency.rebuild(session)  # the monitor's facts for the seeded history (later pushes keep them)
            for staff_id, password in passwords.items():
                set_password(session, staff_id, password, now)
        intervals = seed_power_quality(database, data, now, url)
        return f"loaded {count} demo records and {intervals} power-quality intervals"
    finally:
        database.dispose()


def _arm_timers(session: Session, data: Any) -> None:
    """Open demo tickets and stage tasks get their warning and overdue timers, as if accepted live; a
    ticket whose clock-stop stage is done already (a repair whose crew arrived) has no ticket timer,
    as the workflow engine cancels it when that stage is done."""
    stop_stages = sla.clock_stop_stages(load_catalogue())
    tasks_of: dict[str, list[Any]] = {}
    for task in data.stage_tasks:
        tasks_of.setdefault(task.ticket_id, []).append(task)
    for ticket in data.tickets:
        stopped = sla.clock_stop(stop_stages.get(ticket.type_code), tasks_of.get(ticket.id, ()))
        if ticket_rules.is_open(ticket) and stopped is None:
            timers.schedule(session, "ticket", ticket, ticket.id)
    for task in data.stage_tasks:
        if task.state in ("open", "taken"):
            timers.schedule(session, "stage_task", task, task.ticket_id)


def _advance_ticket_counters(session: Session, numbers: list[str]) -> None:
    """Demo tickets carry numbers already: the daily counters start after them, so new numbers stay unique."""
    highest: dict[str, int] = {}
    for number in numbers:
        if len(number) == 16 and number.startswith("GD") and number[2:].isdigit():
            day, serial = number[2:10], int(number[10:])
            highest[day] = max(highest.get(day, 0), serial)
    for day, serial in highest.items():
        row = session.get(TicketCounter, day)
        if row is None:
            session.add(TicketCounter(day=day, last=serial))
        else:
            row.last = max(row.last, serial)


def _staff_and_password(person: object) -> tuple[Staff, str]:
    """Demo staff come as (Staff, password) pairs or as objects with .staff/.record and .password."""
    if isinstance(person, tuple):
        return person[0], person[1]
    record = getattr(person, "staff", None) or getattr(person, "record", None)
    return record, person.password  # type: ignore[attr-defined,return-value]
