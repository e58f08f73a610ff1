"""The demo organisation: the county offices, their staff accounts and their surveyors."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from backend.demo import ids, recipe
from backend.demo.people import PeopleMaker
from domain.calendar import WorkingCalendar
from domain.records import LeavePeriod, Office, Staff, Surveyor
from domain.sla import OFFICE_ZONE

_SURVEYORS_PER_OFFICE = 8
# (shift start, shift end, working weekdays): most work the office day; one covers Saturdays instead of Mondays.
_ROSTERS = (
    (time(8, 30), time(17, 30), (0, 1, 2, 3, 4)),
    (time(8, 30), time(17, 30), (0, 1, 2, 3, 4)),
    (time(9, 0), time(18, 0), (0, 1, 2, 3, 4)),
    (time(8, 0), time(16, 30), (0, 1, 2, 3, 4)),
    (time(8, 30), time(17, 30), (1, 2, 3, 4, 5)),
)


@dataclass(frozen=True)
class DemoStaff:
    """A staff record with its plain demo password (the loader hashes it)."""

    record: Staff
    password: str


def demo_offices(seed: int, *, now: datetime) -> list[Office]:
    """The county offices of the demo prefecture, in the order of places.toml."""
    places = recipe.places()
    rng = random.Random(f"demo:{seed}:offices")
    founded = now - timedelta(days=3 * 365)
    offices: list[Office] = []
    for county in places.counties:
        office_id = ids.uuid7_at(rng, founded)
        offices.append(
            Office(
                id=office_id,
                office_id=office_id,
                code=county.office_code,
                name=county.office_name,
                prefecture=places.prefecture,
            )
        )
    return offices


def demo_staff(seed: int, offices: list[Office], *, now: datetime) -> list[DemoStaff]:
    """Every account of resources/demo/accounts.toml, attached to its office."""
    accounts = recipe.accounts()
    rng = random.Random(f"demo:{seed}:staff")
    hired = now - timedelta(days=2 * 365)
    return [
        DemoStaff(
            Staff(
                id=ids.uuid7_at(rng, hired),
                office_id=offices[account.office - 1].id,
                username=account.username,
                display_name=account.display_name,
                role=account.role,
                department=account.department,
            ),
            accounts.password,
        )
        for account in accounts.accounts
    ]


def demo_surveyors(seed: int, office: Office, *, now: datetime) -> list[Surveyor]:
    """The office's surveyors: the county seat shared by three, each town covered by at least two."""
    county = recipe.county(office.code)
    rng = random.Random(f"demo:{seed}:{county.office_code}:surveyors")
    maker = PeopleMaker(rng, county, recipe.places(), recipe.names(), now.date())
    towns = [t.name for t in county.towns]
    positions = {t.name: (t.x_km, t.y_km) for t in county.towns}
    hired = now - timedelta(days=365)
    surveyors: list[Surveyor] = []
    for i in range(_SURVEYORS_PER_OFFICE):
        # Surveyor i covers towns i and i+1 round the list; the first three also cover the seat.
        own = [towns[1 + i % (len(towns) - 1)], towns[1 + (i + 1) % (len(towns) - 1)]]
        territories = ([towns[0]] if i < 3 else []) + own
        skills = ["low_voltage"]
        if i in (0, 3, 6):
            skills.append("high_voltage")
        if i in (1, 2, 5):
            skills.append("remote_video")
        home_x, home_y = positions[territories[0]]
        name = maker.resident(min_age=24, max_age=55)[0]
        surveyors.append(
            Surveyor(
                id=ids.uuid7_at(rng, hired),
                office_id=office.id,
                name=name,
                territories=territories,
                skills=skills,
                home_x_km=round(home_x + rng.uniform(-2, 2), 1),
                home_y_km=round(home_y + rng.uniform(-2, 2), 1),
                daily_capacity=rng.choice((4, 5, 6, 6, 7, 8)),
            )
        )
    return _with_rosters(surveyors, random.Random(f"demo:{seed}:{county.office_code}:rosters"), now)


def _with_rosters(surveyors: list[Surveyor], rng: random.Random, now: datetime) -> list[Surveyor]:
    """Shifts, working weekdays, driving speed, and leave around `now`: one away until the next working day
    is over, one taking that afternoon off, one back from last week's leave (own stream: the rest is unchanged)."""
    today = now.astimezone(OFFICE_ZONE).date()
    tomorrow = WorkingCalendar.default().add_working_days(today, 1)  # the next working day
    away, afternoon, back = rng.sample(range(len(surveyors)), 3)
    leave = {
        away: LeavePeriod(start=_at(today, time(0)), end=_at(tomorrow + timedelta(days=1), time(0)), reason="年休假"),
        afternoon: LeavePeriod(start=_at(tomorrow, time(13, 0)), end=_at(tomorrow, time(17, 30)), reason="事假"),
        back: LeavePeriod(start=_at(today - timedelta(days=8), time(0)), end=_at(today - timedelta(days=6), time(0)),
                          reason="培训"),
    }
    rostered: list[Surveyor] = []
    for i, surveyor in enumerate(surveyors):
        shift_start, shift_end, work_days = rng.choice(_ROSTERS)
        rostered.append(surveyor.model_copy(update={
            "shift_start": shift_start, "shift_end": shift_end, "work_days": list(work_days),
            "speed_kmh": float(rng.choice((25, 30, 30, 35, 40))), "leave": [leave[i]] if i in leave else [],
        }))
    return rostered


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, OFFICE_ZONE)
