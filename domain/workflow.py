"""Workflow DAGs: stages with prerequisites and time limits, and the questions asked of them.

A stage may start once all its prerequisites are done, so stages that do not depend
on each other run in parallel ("一次受理、并行办理、限时完成"). A ticket type's overall
limit runs from acceptance until the stage named by `clock_stops_at` is done (for a
connection, 装表接电; for a repair, 到达现场); later stages (回访, 归档) carry their own limits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from domain.errors import InvalidInput
from domain.language import pick
from domain.roles import Department

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class AreaClass(StrEnum):
    urban = "urban"
    rural = "rural"
    remote = "remote"

    def label(self, lang: str = "zh") -> str:
        return pick(*_AREA_LABELS[self], lang)


_AREA_LABELS = {AreaClass.urban: ("城区", "urban"), AreaClass.rural: ("农村", "rural"),
                AreaClass.remote: ("特殊边远", "remote")}


class Sureness(StrEnum):
    official = "official"
    practice = "practice"
    open = "open"


class Limit(BaseModel):
    """A time limit as data: exactly one measure, its source text, how sure we are and since when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    working_days: int | None = Field(default=None, ge=0)
    minutes: int | None = Field(default=None, gt=0)
    minutes_by_area: dict[AreaClass, Annotated[int, Field(gt=0)]] | None = None
    warning_fraction: float = Field(default=0.8, gt=0, lt=1)
    sure: Sureness
    source: Annotated[str, StringConstraints(min_length=1)]
    effective: date

    @model_validator(mode="after")
    def _one_measure(self) -> Limit:
        measures = [m for m in (self.working_days, self.minutes, self.minutes_by_area) if m is not None]
        if len(measures) != 1:
            raise ValueError("a time limit needs exactly one of working_days, minutes or minutes_by_area")
        if self.minutes_by_area is not None and set(self.minutes_by_area) != set(AreaClass):
            raise ValueError(f"minutes_by_area needs every area class: {', '.join(AreaClass)}")
        return self

    def __hash__(self) -> int:  # the by-area dict would make a frozen model unhashable
        areas = tuple(sorted(self.minutes_by_area.items())) if self.minutes_by_area is not None else None
        return hash((self.working_days, self.minutes, areas, self.warning_fraction, self.sure, self.source,
                     self.effective))

    @property
    def unit(self) -> Literal["working_days", "minutes"]:
        return "working_days" if self.working_days is not None else "minutes"

    def amount(self, area: AreaClass | None = None) -> int:
        """The limit in its unit; by area, the given area's value or the worst case when none is given."""
        if self.working_days is not None:
            return self.working_days
        if self.minutes is not None:
            return self.minutes
        assert self.minutes_by_area is not None  # guaranteed by _one_measure
        return self.minutes_by_area[area] if area is not None else max(self.minutes_by_area.values())


class Stage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name_zh: str
    name_en: str
    department: Department
    prerequisites: tuple[str, ...] = ()
    limit: Limit | None = None  # None: no limit of its own (an instant step such as 受理)
    is_survey: bool = False
    is_return_visit: bool = False

    def name(self, lang: str = "zh") -> str:
        return pick(self.name_zh, self.name_en, lang)


class Workflow(BaseModel):
    """Stages in declaration order; the graph is checked by the catalogue, which knows file and line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name_zh: str
    name_en: str
    stages: tuple[Stage, ...]
    clock_stops_at: str | None = None

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise InvalidInput(f"流程「{self.name_zh}」没有环节「{code}」", f"workflow {self.code} has no stage {code}",
                           field="stage")


def open_stages(workflow: Workflow, done: Collection[str]) -> list[Stage]:
    """Stages not done whose prerequisites are all done: the work that may start now."""
    return [s for s in workflow.stages if s.code not in done and all(p in done for p in s.prerequisites)]


def blocked_stages(workflow: Workflow, done: Collection[str]) -> list[Stage]:
    """Stages not done that still wait for at least one prerequisite."""
    return [s for s in workflow.stages if s.code not in done and not all(p in done for p in s.prerequisites)]


def is_complete(workflow: Workflow, done: Collection[str]) -> bool:
    return all(s.code in done for s in workflow.stages)


class _Node(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def prerequisites(self) -> Sequence[str]: ...


def find_cycle(stages: Sequence[_Node]) -> list[str] | None:
    """A cycle among the stages as codes in the direction work flows (first code repeated last), or None."""
    by_code = {s.code: s for s in stages}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = 1
        path.append(code)
        for prerequisite in by_code[code].prerequisites:
            if prerequisite not in by_code:
                continue
            if state.get(prerequisite) == 1:
                cycle = path[path.index(prerequisite):] + [prerequisite]
                return list(reversed(cycle))  # read in the direction work flows
            if prerequisite not in state and (found := visit(prerequisite)) is not None:
                return found
        path.pop()
        state[code] = 2
        return None

    for stage in stages:
        if stage.code not in state and (found := visit(stage.code)) is not None:
            return found
    return None


def topological_order(workflow: Workflow) -> list[Stage]:
    """Stages so that each comes after its prerequisites; ties keep declaration order."""
    cycle = find_cycle(workflow.stages)
    if cycle is not None:
        raise InvalidInput(f"流程「{workflow.name_zh}」有循环：{' → '.join(cycle)}",
                           f"workflow {workflow.code} has a cycle: {' -> '.join(cycle)}", field="prerequisites")
    ordered: list[Stage] = []
    placed: set[str] = set()
    known = {s.code for s in workflow.stages}
    while len(ordered) < len(workflow.stages):
        for stage in workflow.stages:
            if stage.code not in placed and all(p in placed or p not in known for p in stage.prerequisites):
                ordered.append(stage)
                placed.add(stage.code)
                break
    return ordered


def clocked_stages(workflow: Workflow) -> set[str]:
    """Codes of the stages the overall limit covers: the clock stage and everything it waits on."""
    if workflow.clock_stops_at is None:
        return {s.code for s in workflow.stages}
    by_code = {s.code: s for s in workflow.stages}
    covered: set[str] = set()
    pending = [workflow.clock_stops_at]
    while pending:
        code = pending.pop()
        if code in covered or code not in by_code:
            continue
        covered.add(code)
        pending.extend(by_code[code].prerequisites)
    return covered


def critical_path(workflow: Workflow, *, area: AreaClass | None = None) -> tuple[list[str], int]:
    """The longest chain of stage limits among the clocked stages, and its length in the workflow's unit."""
    covered = clocked_stages(workflow)
    longest: dict[str, tuple[int, list[str]]] = {}
    for stage in topological_order(workflow):
        if stage.code not in covered:
            continue
        own = stage.limit.amount(area) if stage.limit is not None else 0
        before = [longest[p] for p in stage.prerequisites if p in longest]
        length, chain = max(before, key=lambda item: item[0], default=(0, []))
        longest[stage.code] = (length + own, [*chain, stage.code])
    if not longest:
        return [], 0
    total, chain = max(longest.values(), key=lambda item: item[0])
    return chain, total


def fits_limit(workflow: Workflow, overall: int | Limit, *, area: AreaClass | None = None) -> bool:
    """Whether the critical path fits the overall limit (an amount in the workflow's unit, or a Limit).

    With a by-area Limit and no area given, every area class must fit.
    """
    if isinstance(overall, Limit):
        areas = list(AreaClass) if overall.minutes_by_area is not None and area is None else [area]
        return all(critical_path(workflow, area=a)[1] <= overall.amount(a) for a in areas)
    return critical_path(workflow, area=area)[1] <= overall
