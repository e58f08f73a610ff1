"""The business catalogue: ticket types, their form fields, materials, time limits and workflows.

The catalogue is data (`resources/catalogue/*.toml`), versioned, with a source and a
sureness for every limit. Loading checks it whole and reports every problem with the
file and line to fix, so a bad edit never reaches a desk.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib.resources import files
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, StringConstraints, ValidationError

from domain.catalogue_model import (
    Catalogue,
    Channel,
    Choice,
    Family,
    FieldType,
    FrozenModel,
    Material,
    TicketField,
    TicketType,
)
from domain.errors import CatalogueError
from domain.roles import Department
from domain.workflow import (
    AreaClass,
    Code,
    Limit,
    Stage,
    Sureness,
    Workflow,
    clocked_stages,
    critical_path,
    find_cycle,
)

__all__ = [
    "AreaClass", "Catalogue", "CatalogueProblem", "Channel", "Choice", "Family", "FieldType",
    "InvalidCatalogue", "Limit", "Material", "Stage", "Sureness", "TicketField", "TicketType", "Workflow",
    "load_catalogue", "parse_catalogue", "parse_catalogue_files",
]

# --- the shape of the TOML files -------------------------------------------------------------

class _Meta(FrozenModel):
    version: Annotated[str, StringConstraints(min_length=1)]
    effective: date
    note: str = ""


class _FieldEntry(FrozenModel):
    name: Code
    label_zh: str
    label_en: str
    type: FieldType
    choices: list[Choice] = []
    minimum: int | None = None
    maximum: int | None = None
    when: Literal["any", "future", "past"] = "any"
    chars: Literal["any", "name", "code"] = "any"


class _StageEntry(FrozenModel):
    code: Code
    name_zh: str
    name_en: str
    department: str | None = None  # None: owned by the ticket type's department
    prerequisites: list[str] = []
    limit: Limit | None = None
    is_survey: bool = False
    is_return_visit: bool = False


class _WorkflowEntry(FrozenModel):
    code: Code
    name_zh: str
    name_en: str
    clock_stops_at: str | None = None
    stages: list[_StageEntry] = Field(min_length=1)


class _TypeEntry(FrozenModel):
    code: Code
    family: str
    name_zh: str
    name_en: str
    channels: list[str] = Field(min_length=1)
    department: str
    workflow: str
    required_fields: list[str] = []
    optional_fields: list[str] = []
    materials: list[str] = []
    optional_materials: list[str] = []
    needs_return_visit: bool
    time_limit: Limit


class _File(FrozenModel):
    materials: list[Material] = []
    fields: list[_FieldEntry] = []
    workflows: list[_WorkflowEntry] = []
    types: list[_TypeEntry] = []


# --- problems, located by file and line -------------------------------------------------------

@dataclass(frozen=True)
class CatalogueProblem:
    filename: str
    line: int
    message_zh: str
    message_en: str


class InvalidCatalogue(CatalogueError):
    """Every problem found in the catalogue data, each with its file and line."""

    def __init__(self, problems: Sequence[CatalogueProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "\n".join(f"{p.filename} 第 {p.line} 行：{p.message_zh}" for p in self.problems),
            "\n".join(f"{p.filename} line {p.line}: {p.message_en}" for p in self.problems),
        )


_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")

Path = Sequence[str | int]


class _TomlLines:
    """Finds the line of a value in TOML text by its path, the way pydantic reports a location."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [(i, re.sub(r"\s+", "", m[1])) for i, line in enumerate(self.lines)
                        if (m := _HEADER.match(line))]

    def line_of(self, path: Path, value: str | None = None) -> int:
        start, end, prefix, best, i = -1, len(self.lines), "", 0, 0  # start -1: the root table
        while i < len(path) and isinstance(key := path[i], str):
            name = f"{prefix}.{key}" if prefix else key
            tables = [h for h, n in self.headers if start < h < end and n == name]
            after = path[i + 1] if i + 1 < len(path) else None
            index = after if isinstance(after, int) else None
            if tables:
                if index is not None and index >= len(tables):
                    break
                start = best = tables[index or 0]
                end = min(end, next((h for h, n in self.headers if h > start and not n.startswith(name + ".")),
                                    len(self.lines)))
                prefix, i = name, i + (1 if index is None else 2)
                continue
            own_end = min(end, next((h for h, _ in self.headers if h > start), len(self.lines)))
            key_pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            found = next((j for j in range(start + 1, own_end) if key_pattern.match(self.lines[j])), None)
            if found is None:
                break
            best = found
            if index is not None and self.lines[found].rstrip().endswith("["):
                # One inline table per line in a multi-line array: the n-th such line is element n.
                closing = next((j for j in range(found + 1, own_end) if self.lines[j].lstrip().startswith("]")),
                               own_end)
                items = [j for j in range(found + 1, closing) if self.lines[j].lstrip().startswith("{")]
                best = items[index] if index < len(items) else best
            if value is not None:
                quoted = (f'"{value}"', f"'{value}'")
                best = next((j for j in range(best, own_end) if any(q in self.lines[j] for q in quoted)), best)
            break
        return best + 1


class _Report:
    def __init__(self, texts: Mapping[str, str]) -> None:
        self.lines = {name: _TomlLines(text) for name, text in texts.items()}
        self.problems: list[CatalogueProblem] = []

    def add(self, filename: str, path: Path, zh: str, en: str, value: str | None = None) -> None:
        self.at(filename, self.lines[filename].line_of(path, value), zh, en)

    def at(self, filename: str, line: int, zh: str, en: str) -> None:
        problem = CatalogueProblem(filename, line, zh, en)
        if problem not in self.problems:  # a shared workflow would otherwise repeat its problem per type
            self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidCatalogue(self.problems)


# --- loading ----------------------------------------------------------------------------------

@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue (read once per process)."""
    folder = files("resources.catalogue")
    texts = {item.name: item.read_text(encoding="utf-8") for item in folder.iterdir() if item.name.endswith(".toml")}
    return parse_catalogue_files(texts)


def parse_catalogue(text: str, filename: str = "catalogue.toml") -> Catalogue:
    return parse_catalogue_files({filename: text})


def parse_catalogue_files(texts: Mapping[str, str]) -> Catalogue:
    """Parse and check catalogue files together (they may refer to each other); raise InvalidCatalogue."""
    report = _Report(texts)
    raw: dict[str, dict[str, Any]] = {}
    for filename in sorted(texts):
        try:
            raw[filename] = tomllib.loads(texts[filename])
        except tomllib.TOMLDecodeError as err:
            line = int(m[1]) if (m := re.search(r"at line (\d+)", str(err))) else 1
            report.at(filename, line, f"TOML 语法错误：{err}", f"TOML syntax error: {err}")
    report.raise_if_any()
    meta = _read_meta(raw, report)
    report.raise_if_any()
    assert meta is not None  # _read_meta reports when there is none
    parsed: dict[str, _File] = {}
    for filename, data in raw.items():
        body = {k: v for k, v in data.items() if k != "catalogue"}
        _fill_limit_defaults(body, meta.effective)
        try:
            parsed[filename] = _File.model_validate(body)
        except ValidationError as err:
            for e in err.errors():
                report.add(filename, [p for p in e["loc"] if isinstance(p, str | int)],
                           f"数据格式错误：{e['msg']}", f"invalid data: {e['msg']}")
    report.raise_if_any()  # the cross checks below need well-formed entries
    catalogue = _build(meta, parsed, report)
    report.raise_if_any()
    return catalogue


def _read_meta(raw: Mapping[str, dict[str, Any]], report: _Report) -> _Meta | None:
    holders = [name for name, data in raw.items() if "catalogue" in data]
    if not holders:
        report.at(min(raw, default="catalogue.toml"), 1, "缺少 [catalogue] 表（版本与生效日期）",
                  "missing the [catalogue] table (version and effective date)")
        return None
    for extra in holders[1:]:
        report.add(extra, ["catalogue"], f"[catalogue] 表重复，已在 {holders[0]} 中定义",
                   f"duplicate [catalogue] table, already defined in {holders[0]}")
    try:
        return _Meta.model_validate(raw[holders[0]]["catalogue"])
    except ValidationError as err:
        for e in err.errors():
            report.add(holders[0], ["catalogue", *[p for p in e["loc"] if isinstance(p, str | int)]],
                       f"数据格式错误：{e['msg']}", f"invalid data: {e['msg']}")
        return None


def _fill_limit_defaults(body: dict[str, Any], effective: date) -> None:
    """Limits default to the catalogue's effective date; stage limits are our allocation unless told."""
    for entry in _tables(body.get("types")):
        if isinstance(limit := entry.get("time_limit"), dict):
            limit.setdefault("effective", effective)
    for workflow in _tables(body.get("workflows")):
        for stage in _tables(workflow.get("stages")):
            if isinstance(limit := stage.get("limit"), dict):
                limit.setdefault("effective", effective)
                limit.setdefault("sure", Sureness.practice.value)
                limit.setdefault("source", "一窗通环节分配 / OneWindow allocation of the overall limit")


def _tables(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- cross checks: references, graphs, limits -------------------------------------------------

def _values(enum: type[StrEnum]) -> set[str]:
    return {member.value for member in enum}


def _amount(amount: int, unit: str, lang: str) -> str:
    if unit == "working_days":
        return f"{amount} working days" if lang == "en" else f"{amount}个工作日"
    return f"{amount} minutes" if lang == "en" else f"{amount}分钟"


def _area_note(area: AreaClass | None, lang: str) -> str:
    if area is None:
        return ""
    return f" ({area.label('en')})" if lang == "en" else f"（{area.label()}）"


def _build(meta: _Meta, parsed: Mapping[str, _File], report: _Report) -> Catalogue:
    materials = _index(report, "materials", [(f, i, m.code, m) for f, p in parsed.items()
                                                     for i, m in enumerate(p.materials)])
    fields = _index(report, "fields", [(f, i, e.name, e) for f, p in parsed.items()
                                               for i, e in enumerate(p.fields)])
    workflows = _index(report, "workflows", [(f, i, w.code, w) for f, p in parsed.items()
                                                     for i, w in enumerate(p.workflows)])
    for filename, i, field in fields.values():
        _check_field(filename, i, field, report)
    sound = {code for code, (filename, i, w) in workflows.items() if _check_workflow(filename, i, w, report)}
    entries = _index(report, "types", [(f, i, t.code, t) for f, p in parsed.items()
                                               for i, t in enumerate(p.types)])
    types = [built for filename, i, entry in entries.values()
             if (built := _build_type(filename, i, entry, materials, fields, workflows, sound, report)) is not None]
    families = list(Family)
    types.sort(key=lambda t: families.index(t.family))
    return Catalogue(version=meta.version, effective=meta.effective, types=tuple(types),
                     materials=tuple(m for _, _, m in materials.values()))


T = TypeVar("T")
_NOUNS = {"materials": ("材料", "material"), "fields": ("字段", "field"), "workflows": ("流程", "workflow"),
          "types": ("业务类型", "ticket type")}
_KEYS = {"materials": "code", "fields": "name", "workflows": "code", "types": "code"}


def _index(report: _Report, table: str, items: list[tuple[str, int, str, T]]) -> dict[str, tuple[str, int, T]]:
    """Entries by code across all files; a second entry with the same code is a problem."""
    found: dict[str, tuple[str, int, T]] = {}
    zh, en = _NOUNS[table]
    for filename, i, code, item in items:
        if code in found:
            report.add(filename, [table, i, _KEYS[table]], f"{zh}代码「{code}」重复（已在 {found[code][0]} 中定义）",
                       f"duplicate {en} code {code!r} (already defined in {found[code][0]})")
        else:
            found[code] = (filename, i, item)
    return found


def _check_field(filename: str, i: int, field: _FieldEntry, report: _Report) -> None:
    at: list[str | int] = ["fields", i]
    if field.type == FieldType.choice and not field.choices:
        report.add(filename, [*at, "type"], f"选择字段「{field.label_zh}」没有选项",
                   f"choice field {field.name!r} has no choices")
    if field.type != FieldType.choice and field.choices:
        report.add(filename, [*at, "choices"], f"字段「{field.label_zh}」不是选择字段，不能有选项",
                   f"field {field.name!r} is not a choice field but has choices")
    for key, applies, kind in (("minimum", FieldType.int, "整数"), ("maximum", FieldType.int, "整数"),
                               ("when", FieldType.date, "日期"), ("chars", FieldType.text, "文本")):
        if getattr(field, key) not in (None, "any") and field.type != applies:
            report.add(filename, [*at, key], f"字段「{field.label_zh}」不是{kind}字段，不能有 {key}",
                       f"field {field.name!r} is not a {applies} field but has {key}")
    if field.minimum is not None and field.maximum is not None and field.minimum > field.maximum:
        report.add(filename, [*at, "minimum"], f"字段「{field.label_zh}」的最小值大于最大值",
                   f"field {field.name!r} has minimum above maximum")
    for j, choice in enumerate(field.choices):
        if choice.code in {c.code for c in field.choices[:j]}:
            report.add(filename, [*at, "choices", j], f"字段「{field.label_zh}」的选项「{choice.code}」重复",
                       f"field {field.name!r} repeats choice {choice.code!r}")


def _check_workflow(filename: str, i: int, workflow: _WorkflowEntry, report: _Report) -> bool:
    """Report what is wrong with one workflow's graph; True when it is sound."""
    count = len(report.problems)
    at: list[str | int] = ["workflows", i]
    codes: set[str] = set()
    for j, stage in enumerate(workflow.stages):
        if stage.code in codes:
            report.add(filename, [*at, "stages", j, "code"], f"流程「{workflow.name_zh}」的环节代码「{stage.code}」重复",
                       f"workflow {workflow.code!r} repeats stage code {stage.code!r}")
        codes.add(stage.code)
        if stage.department is not None and stage.department not in _values(Department):
            report.add(filename, [*at, "stages", j, "department"], f"未知的部门「{stage.department}」",
                       f"unknown department {stage.department!r}")
    for j, stage in enumerate(workflow.stages):
        for prerequisite in stage.prerequisites:
            if prerequisite not in codes:
                report.add(filename, [*at, "stages", j, "prerequisites"],
                           f"环节「{stage.name_zh}」的前置环节「{prerequisite}」不存在",
                           f"stage {stage.code!r} waits on unknown stage {prerequisite!r}", value=prerequisite)
    if workflow.clock_stops_at is not None and workflow.clock_stops_at not in codes:
        report.add(filename, [*at, "clock_stops_at"], f"计时终点环节「{workflow.clock_stops_at}」不存在",
                   f"clock_stops_at names unknown stage {workflow.clock_stops_at!r}")
    cycle = find_cycle(workflow.stages)
    if cycle is not None:
        j = next(j for j, s in enumerate(workflow.stages) if s.code == cycle[-1])
        report.add(filename, [*at, "stages", j, "prerequisites"],
                   f"流程「{workflow.name_zh}」有循环：{' → '.join(cycle)}",
                   f"workflow {workflow.code!r} has a cycle: {' -> '.join(cycle)}", value=cycle[-2])
    return len(report.problems) == count


def _build_type(filename: str, i: int, entry: _TypeEntry, materials: Mapping[str, Any],
                fields: Mapping[str, tuple[str, int, _FieldEntry]],
                workflows: Mapping[str, tuple[str, int, _WorkflowEntry]], sound: set[str],
                report: _Report) -> TicketType | None:
    count = len(report.problems)
    at: list[str | int] = ["types", i]
    for key, value, known, zh, en in [
        ("family", entry.family, _values(Family), "业务大类", "family"),
        ("department", entry.department, _values(Department), "部门", "department"),
        ("workflow", entry.workflow, set(workflows), "流程", "workflow"),
        *[("channels", c, _values(Channel), "受理渠道", "channel") for c in entry.channels],
        *[("materials", m, set(materials), "材料", "material") for m in entry.materials],
        *[("optional_materials", m, set(materials), "材料", "material") for m in entry.optional_materials],
        *[("required_fields", f, set(fields), "字段", "field") for f in entry.required_fields],
        *[("optional_fields", f, set(fields), "字段", "field") for f in entry.optional_fields],
    ]:
        if value not in known:
            report.add(filename, [*at, key], f"未知的{zh}「{value}」", f"unknown {en} {value!r}", value=value)
    for name in set(entry.required_fields) & set(entry.optional_fields):
        report.add(filename, [*at, "optional_fields"], f"字段「{name}」不能既必填又选填",
                   f"field {name!r} is both required and optional", value=name)
    if len(report.problems) > count or entry.workflow not in sound:
        return None
    wf_file, wf_i, wf = workflows[entry.workflow]
    workflow = Workflow(code=wf.code, name_zh=wf.name_zh, name_en=wf.name_en, clock_stops_at=wf.clock_stops_at,
                        stages=tuple(Stage(code=s.code, name_zh=s.name_zh, name_en=s.name_en,
                                           department=Department(s.department or entry.department),
                                           prerequisites=tuple(s.prerequisites), limit=s.limit,
                                           is_survey=s.is_survey, is_return_visit=s.is_return_visit)
                                     for s in wf.stages))
    if entry.needs_return_visit != any(s.is_return_visit for s in workflow.stages):
        report.add(filename, [*at, "needs_return_visit"],
                   f"needs_return_visit 与流程「{wf.name_zh}」是否有回访环节不一致",
                   f"needs_return_visit disagrees with whether workflow {wf.code!r} has a return-visit stage")
    _check_limits(filename, i, entry, workflow, wf_file, wf_i, report)
    if len(report.problems) > count:
        return None
    resolved = [(name, True) for name in entry.required_fields] + [(name, False) for name in entry.optional_fields]
    return TicketType(
        code=entry.code, family=Family(entry.family), name_zh=entry.name_zh, name_en=entry.name_en,
        channels=tuple(Channel(c) for c in dict.fromkeys(entry.channels)), department=Department(entry.department),
        fields=tuple(TicketField(required=required, **fields[name][2].model_dump()) for name, required in resolved),
        materials=tuple(entry.materials), optional_materials=tuple(entry.optional_materials),
        needs_return_visit=entry.needs_return_visit, time_limit=entry.time_limit, workflow=workflow)


def _check_limits(filename: str, i: int, entry: _TypeEntry, workflow: Workflow, wf_file: str, wf_i: int,
                  report: _Report) -> None:
    """Stages the overall clock covers must use its unit, each fit in it, and their critical path too."""
    overall = entry.time_limit
    timed = [(j, s, s.limit) for j, s in enumerate(workflow.stages)
             if s.code in clocked_stages(workflow) and s.limit is not None]
    by_area = overall.minutes_by_area is not None or any(limit.minutes_by_area is not None for _, _, limit in timed)
    areas: list[AreaClass | None] = list(AreaClass) if by_area else [None]
    units_agree = True
    for j, stage, limit in timed:
        where: list[str | int] = ["workflows", wf_i, "stages", j, "limit"]
        if limit.unit != overall.unit:
            units_agree = False
            report.add(wf_file, where,
                       f"环节「{stage.name_zh}」的时限单位与业务类型「{entry.name_zh}」的总时限单位不同",
                       f"stage {stage.code!r} counts in {limit.unit}, ticket type {entry.code!r} in {overall.unit}")
            continue
        for area in areas:
            if limit.amount(area) > overall.amount(area):
                report.add(wf_file, where,
                           f"环节「{stage.name_zh}」时限{_amount(limit.amount(area), limit.unit, 'zh')}，超过业务类型"
                           f"「{entry.name_zh}」的总时限{_amount(overall.amount(area), overall.unit, 'zh')}"
                           f"{_area_note(area, 'zh')}",
                           f"stage {stage.code!r} allows {_amount(limit.amount(area), limit.unit, 'en')}, more than"
                           f" the {_amount(overall.amount(area), overall.unit, 'en')} of ticket type {entry.code!r}"
                           f"{_area_note(area, 'en')}")
                break
    if not units_agree:
        return
    for area in areas:
        chain, total = critical_path(workflow, area=area)
        if total > overall.amount(area):
            names = " → ".join(workflow.stage(code).name_zh for code in chain)
            report.add(filename, ["types", i, "time_limit"],
                       f"业务类型「{entry.name_zh}」的关键路径 {names} 共{_amount(total, overall.unit, 'zh')}，"
                       f"超过总时限{_amount(overall.amount(area), overall.unit, 'zh')}{_area_note(area, 'zh')}",
                       f"critical path of {entry.code!r} ({' -> '.join(chain)}) takes"
                       f" {_amount(total, overall.unit, 'en')}, more than its"
                       f" {_amount(overall.amount(area), overall.unit, 'en')}{_area_note(area, 'en')}")
            break
