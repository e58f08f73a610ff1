"""补充材料/信息 in the demo's history: some stages asked the customer again for materials of the ticket type's one
set, some departments asked the type's lead department for information; most were met. Shares and texts come
from the recipe (resources/demo/tickets.toml, [info_requests]), so the two indicators they feed show something
true: 材料重复索要 and 信息共享质量 (domain.indicators)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from backend import rules
from backend.demo import ids
from backend.demo.recipe import tickets as ticket_recipe
from backend.demo.tickets import OfficeTickets, TicketDraft
from domain import info_requests
from domain.errors import DomainError
from domain.records import InfoRequest, StageTask


def demo_info_requests(source: OfficeTickets, drafts: list[TicketDraft]) -> list[InfoRequest]:
    """The office's requests, drawn from a generator of their own (the rest of the demo does not move)."""
    recipe = ticket_recipe().info_requests
    if recipe is None:
        return []
    rng = random.Random(f"demo:{source.seed}:{source.county.office_code}:info_requests")
    out: list[InfoRequest] = []
    for draft in drafts:
        lead = str(draft.ticket_type.department)
        materials = info_requests.askable_materials(draft.ticket_type)
        for task in draft.played.tasks:
            stage = draft.played.stage_of[task.id]
            if task.state == "cancelled" or stage.is_return_visit or task.completed_at == task.opened_at:
                continue  # the window's own acceptance, born done, asks nobody again
            asks_customer = task.department == lead or stage.is_survey  # who reads the customer's materials
            if materials and asks_customer and rng.random() < recipe.customer_share:
                material = rng.choice(materials)
                reason = rng.choice(recipe.customer_reasons).replace("{material}", _material_name(material))
                out.append(_request(rng, source, draft, task, info_requests.CUSTOMER, None, [material],
                                    rng.choice(recipe.customer_details), reason, recipe.met_share,
                                    rng.choice(recipe.met_notes)))
            if task.department != lead and rng.random() < recipe.department_share:
                pick = rng.randrange(min(len(recipe.department_details), len(recipe.department_reasons)))
                out.append(_request(rng, source, draft, task, info_requests.DEPARTMENT, lead, [],
                                    recipe.department_details[pick], recipe.department_reasons[pick],
                                    recipe.met_share, rng.choice(recipe.met_notes)))
    return out


def _request(rng: random.Random, source: OfficeTickets, draft: TicketDraft, task: StageTask, addressee: str,
             to_department: str | None, materials: list[str], detail: str, reason: str, met_share: float,
             met_note: str) -> InfoRequest:
    end = task.completed_at or source.now
    asked = _between(rng, task.opened_at, end, 0.1, 0.6)
    met_at: datetime | None = None
    if task.completed_at is not None or rng.random() < met_share:
        met_at = _between(rng, asked, end, 0.2, 0.9)
    if addressee == info_requests.CUSTOMER:
        met_by = source.staff.by_role.get("clerk") or source.staff.by_department.get(task.department)
    else:
        met_by = source.staff.by_department.get(to_department or "")
    return InfoRequest(
        id=ids.uuid7_at(rng, asked), office_id=source.office.id, ticket_id=draft.id, stage_task_id=task.id,
        department=task.department, addressee=addressee,  # type: ignore[arg-type]
        to_department=to_department, materials=materials, detail=detail, reason=reason,
        state=info_requests.MET if met_at is not None else info_requests.OPEN,
        requested_by=source.staff.by_department.get(task.department), requested_at=asked,
        met_at=met_at, met_by=met_by if met_at is not None else None,
        met_note=(met_note or None) if met_at is not None else None,
    )


def _material_name(code: str) -> str:
    try:
        return rules.catalogue().material(code).name_zh
    except DomainError:
        return code


def _between(rng: random.Random, start: datetime, end: datetime, low: float, high: float) -> datetime:
    span = max(end - start, timedelta())
    return start + span * rng.uniform(low, high)
