"""The demo grid (docs/outage.md): feeders per town, two branch switches on each, 台区 below; every demo account
gets a 台区 of its own town; one live fault outage in the first county and a planned one in the second.

Placing an account uses its account number only (no draw from the customer generator's random stream), and
the grid has a random stream of its own, so the rest of the demo is the same with or without the grid.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.demo import ids, recipe
from domain.outage import plan as linkage
from domain.outage.events import OutageKind, affected, plan_outage
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint
from domain.records import Account, GridDevice, Office, OutageEvent
from domain.states import PLANNED_OUTAGE

_BRANCHES = 2  # per feeder
_AREAS_PER_BRANCH = 3
_AREAS_ON_FEEDER = 2
_TOWN_WEIGHT_PER_FEEDER = 12


def _feeders(weight: int) -> int:
    return max(1, round(weight / _TOWN_WEIGHT_PER_FEEDER))


@dataclass(frozen=True)
class GridLayout:
    """An office's demo grid and the 台区 of each town, in order."""

    devices: tuple[GridDevice, ...]
    town_areas: tuple[tuple[str, ...], ...]

    def transformer_for(self, town_index: int, number: int) -> str:
        """The 台区 of an account of this town, spread over the town's 台区 by the account's number."""
        areas = self.town_areas[town_index]
        return areas[number % len(areas)]


@functools.cache
def demo_grid(seed: int, office: Office, now: datetime) -> GridLayout:
    """Every device of the office's grid, parents before children; ids are UUIDv7 from the grid's own stream."""
    county = recipe.county(office.code)
    rng = random.Random(f"demo:{seed}:{office.code}:grid")
    built = now - timedelta(days=3 * 365)
    devices: list[GridDevice] = []
    town_areas: list[tuple[str, ...]] = []

    def device(kind: str, parent: str | None, name: str, area_class: str) -> str:
        devices.append(GridDevice(id=ids.uuid7_at(rng, built), office_id=office.id, device_kind=kind,  # type: ignore[arg-type]
                                  parent_id=parent, name=name, area_class=area_class))  # type: ignore[arg-type]
        return devices[-1].id

    for town in county.towns:
        areas: list[str] = []
        for f in range(_feeders(town.weight)):
            feeder_name = f"10kV{town.name[:2]}{f + 1}线"
            feeder = device("feeder", None, feeder_name, town.area_class)
            parents = []
            for b in range(_BRANCHES):
                branch = device("branch", feeder, f"{feeder_name}{b + 1}号分支", town.area_class)
                parents += [branch] * _AREAS_PER_BRANCH
            parents += [feeder] * _AREAS_ON_FEEDER
            for parent in parents:
                areas.append(device("transformer", parent, f"{town.name}{len(areas) + 1:02}号台区", town.area_class))
        town_areas.append(tuple(areas))
    return GridLayout(tuple(devices), tuple(town_areas))


def is_important(customer_class: str, number: int) -> bool:
    """About one high-voltage account in five stands for a hospital, water works or the like."""
    return customer_class == "01" and number % 5 == 0


def grid_of(devices: Sequence[GridDevice], accounts: Sequence[Account]) -> Grid:
    return Grid.build([Device(d.id, DeviceKind(d.device_kind), d.parent_id, d.name) for d in devices],
                      [ServicePoint(a.id, a.transformer_id, a.important) for a in accounts if a.transformer_id])


def demo_outages(seed: int, offices: Sequence[Office], devices: Sequence[GridDevice], accounts: Sequence[Account],
                 dispatchers: dict[str, str | None], now: datetime) -> list[OutageEvent]:
    """A fault on a branch switch of the first county's seat, confirmed and under repair; a planned outage of
    a feeder in the second county eight days ahead."""
    rng = random.Random(f"demo:{seed}:outages")
    grid = grid_of(devices, accounts)
    plan = linkage.load_plan()
    events: list[OutageEvent] = []
    first = offices[0]
    branch = [d for d in devices if d.office_id == first.id and d.device_kind == "branch"][1]  # the seat's 1线2号分支
    hit = affected(grid, [branch.id])
    started, confirmed = now - timedelta(minutes=40), now - timedelta(minutes=32)
    level = linkage.response_level(plan, len(hit.accounts), len(hit.important), 0)
    tasks = linkage.open_tasks(plan, level, branch.area_class, confirmed)
    events.append(OutageEvent(
        id=ids.uuid7_at(rng, started), office_id=first.id, outage_kind="fault", state="active",
        device_ids=[branch.id], reason=f"{branch.name}跌落式熔断器故障，抢修人员正在处理",
        starts_at=started, ends_at=linkage.estimated_restoration(plan, branch.area_class, confirmed),
        accounts_affected=len(hit.accounts), important_affected=len(hit.important), level=level.code,
        tasks=[{"code": t.code, "department": t.department.value, "title_zh": t.title_zh, "title_en": t.title_en,
                "due_at": t.due_at.isoformat()} for t in tasks],
        created_by=dispatchers.get(first.id), created_at=started, confirmed_at=confirmed,
        confirmed_by=dispatchers.get(first.id)))
    if len(offices) > 1:
        second = offices[1]
        feeder = next(d for d in devices if d.office_id == second.id and d.device_kind == "feeder")
        day = (now + timedelta(days=8)).replace(hour=0, minute=30, second=0, microsecond=0)
        planned = plan_outage(grid, OutageKind.planned, [feeder.id], day, day + timedelta(hours=7),
                              f"{feeder.name}检修及树障清理", now)
        events.append(OutageEvent(
            id=ids.uuid7_at(rng, now), office_id=second.id, outage_kind="planned",
            state=PLANNED_OUTAGE.initial, device_ids=[feeder.id], reason=planned.reason, starts_at=planned.starts_at,
            ends_at=planned.ends_at, announced_at=now, accounts_affected=len(planned.accounts),
            important_affected=len(planned.important), created_by=dispatchers.get(second.id), created_at=now))
    return events
