"""Who did what when on a ticket, from what the store holds (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from desktop.tickets import labels
from domain.records import Evaluation, InfoRequest, Interaction, Note, Staff, StageTask, Ticket
from domain.sync import Mutation


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    pending: bool = False  # still in the outbox: done on this desk, not yet confirmed by the server


def _who(staff_id: str | None, staff: Mapping[str, Staff]) -> str:
    if staff_id is None:
        return ""
    person = staff.get(staff_id)
    return person.display_name if person is not None else staff_id


def ticket_history(ticket: Ticket, tasks: Iterable[StageTask], notes: Iterable[Note],
                   interactions: Iterable[Interaction], pending: Iterable[Mutation],
                   staff: Mapping[str, Staff], stage_names: Mapping[str, str], lang: str = "zh",
                   requests: Iterable[InfoRequest] = (),
                   material_names: Mapping[str, str] | None = None,
                   ratings: Iterable[Evaluation] = ()) -> list[HistoryEntry]:
    """Oldest first. Texts are built here in the desk's language (zh by default, en)."""
    en = lang.startswith("en")
    entries = [HistoryEntry(ticket.accepted_at, _who(ticket.accepted_by, staff),
                            "Accepted" if en else f"受理（{labels.channel_name(ticket.channel, lang)}）")]
    for task in tasks:
        name = stage_names.get(task.stage_code, task.stage_code)
        department = labels.department_name(task.department, lang)
        entries.append(HistoryEntry(task.opened_at, department,
                                    f"Stage opened: {name}" if en else f"环节开启：{name}"))
        if task.completed_at is not None:
            entries.append(HistoryEntry(task.completed_at, _who(task.assignee_id, staff) or department,
                                        f"Stage done: {name}" if en else f"环节完成：{name}"))
    for note in notes:
        kind = ("Reply to customer" if en else "答复客户") if note.visibility == "customer" else (
            "Internal note" if en else "内部备注")
        entries.append(HistoryEntry(note.at, _who(note.author_id, staff), f"{kind}：{note.body}"))
    for interaction in interactions:
        entries.append(HistoryEntry(interaction.at, _who(interaction.staff_id, staff), interaction.summary))
    tasks_by_id = {task.id: task for task in tasks}
    names = material_names or {}
    pending = list(pending)
    unsynced = {m.entity_id for m in pending if m.entity == "info_request"}  # asked or met on this desk, not yet sent
    met_here = {m.entity_id: m.created_at for m in pending if m.entity == "info_request" and m.op == "transition"}
    for request in requests:
        task = tasks_by_id.get(request.stage_task_id)
        stage = stage_names.get(task.stage_code, task.stage_code) if task is not None else ""
        asked = "；".join([*(names.get(code, code) for code in request.materials), *([request.detail] if request.detail
                                                                                      else [])])
        if request.addressee == "customer":
            what = (f"{stage}: asked the customer again for {asked} ({request.reason})" if en
                    else f"{stage}：向客户索要补充材料 {asked}（原因：{request.reason}）")
        else:
            other = labels.department_name(request.to_department, lang)
            what = (f"{stage}: asked {other} for {asked} ({request.reason})" if en
                    else f"{stage}：向{other}索要补充信息 {asked}（原因：{request.reason}）")
        waiting = request.id in unsynced
        entries.append(HistoryEntry(request.requested_at, _who(request.requested_by, staff)
                                    or labels.department_name(request.department, lang), what, pending=waiting))
        if request.state == "met":
            note = f"（{request.met_note}）" if request.met_note else ""
            done = f"Materials / information received{note}" if en else f"补充材料/信息已补齐{note}"
            at = request.met_at or met_here.get(request.id) or request.requested_at  # the server sets met_at
            entries.append(HistoryEntry(at, _who(request.met_by, staff), done, pending=waiting))
        elif request.state == "withdrawn":
            why = request.withdrawn_reason or ""
            done = f"Request withdrawn as asked by mistake ({why})" if en else f"索要有误，已撤回（原因：{why}）"
            at = request.withdrawn_at or met_here.get(request.id) or request.requested_at  # the server sets it
            entries.append(HistoryEntry(at, _who(request.withdrawn_by, staff), done, pending=waiting))
    for rating in ratings:  # the customer's own rating in the app (the return visit's is its note above)
        if rating.evaluator != "customer" or rating.channel != "app":
            continue
        what = f"The customer rated {rating.score}/5 in the app" if en else f"客户在网上国网 App 评价 {rating.score} 分"
        if rating.comment:
            what += f": {rating.comment}" if en else f"：{rating.comment}"
        entries.append(HistoryEntry(rating.at, "Customer app" if en else "网上国网", what))
    for mutation in pending:
        if mutation.transition is None:
            continue
        if mutation.entity not in ("ticket", "stage_task"):
            continue  # a request's 已补齐 / 撤回 is shown by its own entry above
        kind = "ticket" if mutation.entity == "ticket" else "stage_task"
        target = labels.state_name(kind, mutation.transition.to_state, lang)
        subject = stage_names.get(tasks_by_id[mutation.entity_id].stage_code, "") if mutation.entity_id in tasks_by_id \
            else ("ticket" if en else "工单")
        reason = f"（{mutation.transition.reason}）" if mutation.transition.reason else ""
        text = f"{subject} → {target}{reason}"
        entries.append(HistoryEntry(mutation.created_at, "", text, pending=True))
    entries.sort(key=lambda entry: entry.at)
    return entries
