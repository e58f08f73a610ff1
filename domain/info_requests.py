"""补充材料/信息: a department working a stage asks again — the customer for materials (codes of the
catalogue's materials, or words) or another department for information — with a reason; the request is
marked met when what was asked arrives. The rules both sides ask (desk before queueing, server on push).

The study behind OneWindow says data is collected once and shared by all (一次采集、多方共享) and the
customer brings one set of materials once: every such request is where that broke, and the efficiency
monitor counts them (domain.indicators: `materials_asked_again_per_thousand`, `information_sharing_quality`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain import bounds
from domain.catalogue_model import TicketType
from domain.errors import InvalidInput
from domain.roles import Department
from domain.ticket_rules import is_unfinished_stage

OPEN = "open"
MET = "met"
WITHDRAWN = "withdrawn"  # asked by mistake: taken back with a reason, and no longer counted as asked again
CUSTOMER = "customer"
DEPARTMENT = "department"
ADDRESSEES: dict[str, tuple[str, str]] = {CUSTOMER: ("客户", "the customer"), DEPARTMENT: ("其他部门", "another department")}
REASON_MIN = 2  # characters: "补正" says something, "a" does not
_DEPARTMENTS = frozenset(str(d) for d in Department)


@dataclass(frozen=True)
class CheckedRequest:
    """What a request asks, cleaned: materials without repeats, text stripped."""

    addressee: str
    to_department: str | None
    materials: tuple[str, ...]
    detail: str
    reason: str


def check_request(*, addressee: str, stage_department: str, stage_state: str, to_department: str | None,
                  materials: Sequence[str], detail: str, reason: str,
                  known_materials: Iterable[str]) -> CheckedRequest:
    """Raise InvalidInput (naming the field) unless the request says whom it asks, what, and why.

    To the customer: at least one material code (each one of `known_materials`, the catalogue's) or words in
    `detail`, and no department. To a department: another department than the stage's own, words in
    `detail` saying what, no material codes. Always a reason; the stage must still be being worked."""
    if not is_unfinished_stage(stage_state):
        raise InvalidInput("此环节已办结，不能再索要材料或信息", "this stage is finished: nothing more can be asked on it",
                           field="stage_task_id")
    cleaned_detail = (detail or "").strip()
    cleaned_reason = (reason or "").strip()
    codes = tuple(dict.fromkeys(code.strip() for code in materials if code and code.strip()))
    if addressee == CUSTOMER:
        if to_department:
            raise InvalidInput("向客户索要材料时不填部门", "a request to the customer names no department",
                               field="to_department")
        known = set(known_materials)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise InvalidInput(f"未知的材料「{unknown[0]}」", f"unknown material {unknown[0]!r}", field="materials")
        if not codes and not cleaned_detail:
            raise InvalidInput("请选择需补充的材料或写明需补充的内容", "name the materials or say what is needed",
                               field="materials")
    elif addressee == DEPARTMENT:
        if to_department not in _DEPARTMENTS:
            raise InvalidInput("请选择被索要信息的部门", "name the department asked", field="to_department")
        if to_department == stage_department:
            raise InvalidInput("不能向本部门索要信息", "a department does not ask itself", field="to_department")
        if codes:
            raise InvalidInput("向部门索要信息时请写明内容，不选材料", "a request to a department says what in words",
                               field="materials")
        if not cleaned_detail:
            raise InvalidInput("请写明需要对方部门提供的信息", "say what the other department is to provide",
                               field="detail")
    else:
        raise InvalidInput("请选择向客户还是向其他部门索要", "ask the customer or another department", field="addressee")
    if len(cleaned_reason) < REASON_MIN:
        raise InvalidInput("请写明原因", "give the reason", field="reason")
    bounds.check_text("info_request.detail", cleaned_detail)
    bounds.check_text("info_request.reason", cleaned_reason)
    if len(codes) > bounds.LIST_MAX_ITEMS:
        raise InvalidInput(f"材料超过 {bounds.LIST_MAX_ITEMS} 项", f"more than {bounds.LIST_MAX_ITEMS} materials",
                           field="materials")
    return CheckedRequest(addressee, to_department if addressee == DEPARTMENT else None, codes, cleaned_detail,
                          cleaned_reason)


def askable_materials(ticket_type: TicketType | None) -> tuple[str, ...]:
    """The material codes a request to the customer may name: the ticket type's one set of materials and its
    optional ones (anything else is asked in words)."""
    if ticket_type is None:
        return ()
    return tuple(dict.fromkeys((*ticket_type.materials, *ticket_type.optional_materials)))


def check_answer(note: str | None) -> str:
    """The note saying what arrived (may be empty), stripped and within bounds."""
    cleaned = (note or "").strip()
    bounds.check_text("info_request.met_note", cleaned)
    return cleaned


def check_withdrawal(state: str, reason: str | None) -> str:
    """The reason a request asked by mistake is withdrawn, stripped; raises InvalidInput unless the request is still
    open (a met one was needed after all) and the reason says something."""
    if state != OPEN:
        raise InvalidInput("只有待补充的索要可以撤回", "only a request still awaited can be withdrawn", field="state")
    cleaned = (reason or "").strip()
    if len(cleaned) < REASON_MIN:
        raise InvalidInput("请写明撤回原因", "give the reason for withdrawing", field="reason")
    bounds.check_text("info_request.withdrawn_reason", cleaned)
    return cleaned


def counts_as_asked(state: str | None) -> bool:
    """A request counts in the indicators (材料重复索要, 信息共享质量) unless it was withdrawn as asked by mistake."""
    return state != WITHDRAWN
