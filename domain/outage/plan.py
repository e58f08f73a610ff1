"""The emergency linkage plan (应急联动预案): response levels, and the parallel tasks a level opens.

Data in resources/outage/plan.toml. An event's level is the highest whose thresholds (customers affected,
important customers affected, expected hours without power) it meets in any one respect; confirming the
event opens that level's tasks for 调度, 运检, 客服 and 营销 at once, each with its deadline — the crew's
arrival by the area class of the event's place (45 / 90 / 120 min, 十项承诺 art. 3) — and says who is told
at each step.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.errors import InvalidInput
from domain.language import pick
from domain.roles import Department
from domain.workflow import AreaClass

Step = Literal["confirmed", "on_site", "restored"]
# Who may be told: a department, the office's supervisors, the prefecture, the government's emergency
# office, or the customers inside the event (through the notification gateway).
Audience = Literal["dispatch", "operations", "service", "marketing", "design", "engineering", "metering",
                   "supervisor", "prefecture", "government", "customers"]
LEVEL_ORDER = ("IV", "III", "II", "I")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanTask(_Model):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    department: Department
    title_zh: Annotated[str, Field(min_length=1, max_length=100)]
    title_en: Annotated[str, Field(min_length=1, max_length=200)]
    minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] | None = None
    arrival: bool = False
    restoration: bool = False

    @model_validator(mode="after")
    def _one_limit(self) -> PlanTask:
        if (self.minutes is not None) + self.arrival + self.restoration != 1:
            raise ValueError(f"task {self.code!r} needs exactly one of minutes, arrival = true, restoration = true")
        return self

    def title(self, lang: str = "zh") -> str:
        return pick(self.title_zh, self.title_en, lang)


class Inform(_Model):
    step: Step
    who: list[Audience] = Field(min_length=1)


class Level(_Model):
    code: Literal["I", "II", "III", "IV"]
    name_zh: str
    name_en: str
    customers: Annotated[int, Field(ge=0)]
    important: Annotated[int, Field(ge=0)]
    hours: Annotated[float, Field(ge=0)]
    checklist: list[str] = []
    checklist_en: list[str] = []
    task: list[PlanTask] = Field(min_length=1)
    inform: list[Inform] = []

    @model_validator(mode="after")
    def _consistent(self) -> Level:
        codes = [t.code for t in self.task]
        if len(set(codes)) != len(codes):
            raise ValueError(f"level {self.code}: a task code is repeated")
        if self.checklist_en and len(self.checklist_en) != len(self.checklist):
            raise ValueError(f"level {self.code}: checklist_en must match checklist item for item")
        return self

    def name(self, lang: str = "zh") -> str:
        return pick(self.name_zh, self.name_en, lang)

    def informed(self, step: str) -> tuple[str, ...]:
        return tuple(w for i in self.inform if i.step == step for w in i.who)


class Plan(_Model):
    version: str
    effective: date
    arrival: dict[AreaClass, Annotated[int, Field(ge=1, le=24 * 60)]]
    restoration: dict[AreaClass, Annotated[int, Field(ge=1, le=7 * 24 * 60)]]
    level: list[Level] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Plan:
        for table in ("arrival", "restoration"):
            missing = set(AreaClass) - set(getattr(self, table))
            if missing:
                raise ValueError(f"[{table}] lacks {sorted(missing)}")
        codes = [lv.code for lv in self.level]
        if sorted(codes, key=LEVEL_ORDER.index) != codes or len(set(codes)) != len(codes):
            raise ValueError("levels are listed once each, from IV (lowest) up to I")
        lowest = self.level[0]
        if lowest.customers or lowest.important or lowest.hours:
            raise ValueError("the lowest level has zero thresholds: every confirmed event has a level")
        return self

    def level_named(self, code: str) -> Level:
        found = next((lv for lv in self.level if lv.code == code), None)
        if found is None:
            raise InvalidInput(f"预案中没有响应级别「{code}」", f"the plan has no response level {code!r}", field="level")
        return found


def parse_plan(text: str) -> Plan:
    """The plan from TOML text, or InvalidInput saying what is wrong where."""
    try:
        return Plan.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as err:
        raise InvalidInput(f"应急预案 TOML 语法错误：{err}", f"emergency plan: TOML syntax error: {err}",
                           field="plan") from err
    except ValidationError as err:
        lines = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()]
        raise InvalidInput("应急预案有误：\n" + "\n".join(lines), "the emergency plan is invalid:\n" + "\n".join(lines),
                           field="plan") from err


@functools.cache
def load_plan() -> Plan:
    return parse_plan(files("resources.outage").joinpath("plan.toml").read_text(encoding="utf-8"))


def response_level(plan: Plan, customers: int, important: int, expected_hours: float) -> Level:
    """The highest level any one of whose thresholds the event meets (the lowest level when none is)."""
    chosen = plan.level[0]
    for level in plan.level[1:]:
        if customers >= level.customers > 0 or important >= level.important > 0 or expected_hours >= level.hours > 0:
            chosen = level
    return chosen


@dataclass(frozen=True)
class OpenedTask:
    code: str
    department: Department
    title_zh: str
    title_en: str
    due_at: datetime


def open_tasks(plan: Plan, level: Level, area_class: AreaClass | str, confirmed_at: datetime) -> list[OpenedTask]:
    """The tasks confirming an event opens, all at once, each with its deadline."""
    area = AreaClass(area_class)
    arrival = timedelta(minutes=plan.arrival[area])
    restoration = timedelta(minutes=plan.restoration[area])
    opened = []
    for task in level.task:
        if task.arrival:
            limit = arrival
        elif task.restoration:
            limit = arrival + restoration
        else:
            assert task.minutes is not None  # the model allows exactly one kind of limit
            limit = timedelta(minutes=task.minutes)
        opened.append(OpenedTask(task.code, task.department, task.title_zh, task.title_en, confirmed_at + limit))
    return opened


def estimated_restoration(plan: Plan, area_class: AreaClass | str, since: datetime) -> datetime:
    """The first estimate told to callers before the crew gives its own: the official limits, end to end."""
    area = AreaClass(area_class)
    return since + timedelta(minutes=plan.arrival[area] + plan.restoration[area])


def thresholds(plan: Plan) -> Mapping[str, tuple[int, int, float]]:
    return {lv.code: (lv.customers, lv.important, lv.hours) for lv in plan.level}
