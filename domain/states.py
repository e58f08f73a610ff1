"""State machines for tickets, stage tasks, repair orders and survey assignments.

Each transition names the roles that may make it and whether a reason is required.
Supervisors and admins may make any legal transition. Desk and backend both ask
`transition()`, so a move refused on one side is refused on the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import InvalidInput, InvalidTransition
from domain.language import pick
from domain.roles import Role


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[Role]
    reason_required: bool = False


@dataclass(frozen=True, eq=False)
class StateMachine:
    kind: str
    name_zh: str
    name_en: str
    initial: str
    states: Mapping[str, tuple[str, str]]  # state -> (zh, en)
    transitions: tuple[Transition, ...]

    def find(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.target == target), None)

    def label(self, state: str, lang: str = "zh") -> str:
        return pick(*self.states[state], lang)

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(self.states) - {t.source for t in self.transitions}


_OVERSEERS = frozenset({Role.supervisor, Role.admin})


def _t(source: str, target: str, *roles: Role, reason: bool = False) -> Transition:
    return Transition(source, target, frozenset(roles) | _OVERSEERS, reason)


_FRONT = (Role.clerk, Role.hotline)  # the people who take the customer's request
_STAFF = Role.department

TICKET = StateMachine(
    kind="ticket", name_zh="工单", name_en="ticket", initial="accepted",
    states={"accepted": ("已受理", "accepted"), "in_progress": ("处理中", "in progress"),
            "awaiting_visit": ("待回访", "awaiting return visit"), "closed": ("已归档", "closed"),
            "cancelled": ("已撤销", "cancelled"), "reopened": ("已重启", "reopened")},
    transitions=(
        _t("accepted", "in_progress", *_FRONT, _STAFF),
        _t("accepted", "closed", *_FRONT),  # answered at the window or on the call
        _t("accepted", "cancelled", *_FRONT, reason=True),
        _t("in_progress", "awaiting_visit", *_FRONT, _STAFF),
        _t("in_progress", "closed", *_FRONT, _STAFF),
        _t("in_progress", "cancelled", *_FRONT, reason=True),
        _t("awaiting_visit", "closed", *_FRONT),  # the return visit is recorded
        _t("awaiting_visit", "in_progress", *_FRONT, reason=True),  # customer not satisfied: rework
        _t("closed", "reopened", *_FRONT, reason=True),  # the same event raised again (repeat complaint)
        _t("reopened", "in_progress", *_FRONT, _STAFF),
        _t("reopened", "cancelled", *_FRONT, reason=True),
    ),
)

STAGE_TASK = StateMachine(
    kind="stage_task", name_zh="环节任务", name_en="stage task", initial="open",
    states={"open": ("待办", "open"), "taken": ("已接", "taken"), "done": ("已完成", "done"),
            "returned": ("已回退", "returned"), "transferred": ("已转派", "transferred"),
            "escalated": ("已升级", "escalated"), "cancelled": ("已取消", "cancelled")},
    transitions=(
        _t("open", "taken", _STAFF),
        _t("open", "transferred", _STAFF, reason=True),
        _t("open", "escalated", _STAFF, reason=True),
        _t("open", "cancelled", *_FRONT, reason=True),  # follows the ticket's cancellation
        _t("taken", "done", _STAFF),
        _t("taken", "returned", _STAFF, reason=True),
        _t("taken", "transferred", _STAFF, reason=True),
        _t("taken", "escalated", _STAFF, reason=True),
        _t("taken", "cancelled", *_FRONT, reason=True),
        _t("returned", "open", _STAFF),
        _t("returned", "cancelled", *_FRONT, reason=True),
        _t("transferred", "taken", _STAFF),
        _t("transferred", "open", _STAFF, reason=True),  # the receiving side declines it
        _t("escalated", "open"),  # only a supervisor decides what happens next
        _t("escalated", "taken"),
        _t("escalated", "cancelled", reason=True),
    ),
)

REPAIR_ORDER = StateMachine(
    kind="repair_order", name_zh="抢修单", name_en="repair order", initial="dispatched",
    states={"dispatched": ("已派", "dispatched"), "received": ("已接", "received"),
            "on_site": ("到达现场", "on site"), "repaired": ("抢修完成", "repaired"),
            "archived": ("归档", "archived"), "returned": ("回退", "returned")},
    transitions=(
        _t("dispatched", "received", _STAFF),
        _t("dispatched", "returned", _STAFF, reason=True),
        _t("received", "on_site", _STAFF),
        _t("received", "returned", _STAFF, reason=True),
        _t("on_site", "repaired", _STAFF),
        _t("on_site", "returned", _STAFF, reason=True),  # e.g. the fault is inside the customer's installation
        _t("repaired", "archived", Role.hotline, _STAFF),
        _t("returned", "dispatched", Role.hotline),
        _t("returned", "archived", Role.hotline, reason=True),
    ),
)

SURVEY_ASSIGNMENT = StateMachine(
    kind="survey_assignment", name_zh="勘查派工", name_en="survey assignment", initial="unassigned",
    states={"unassigned": ("待派工", "unassigned"), "assigned": ("已派工", "assigned"),
            "accepted": ("已接受", "accepted"), "on_site": ("已到场", "on site"), "done": ("已完成", "done"),
            "returned": ("已退回", "returned"), "cancelled": ("已取消", "cancelled")},
    transitions=(
        _t("unassigned", "assigned", Role.dispatcher),
        _t("unassigned", "cancelled", Role.dispatcher, reason=True),
        _t("assigned", "accepted", _STAFF),
        _t("assigned", "unassigned", Role.dispatcher),
        _t("assigned", "returned", _STAFF, reason=True),
        _t("assigned", "cancelled", Role.dispatcher, reason=True),
        _t("accepted", "on_site", _STAFF),
        _t("accepted", "returned", _STAFF, reason=True),
        _t("accepted", "cancelled", Role.dispatcher, reason=True),
        _t("on_site", "done", _STAFF),
        _t("returned", "assigned", Role.dispatcher),
        _t("returned", "unassigned", Role.dispatcher),
        _t("returned", "cancelled", Role.dispatcher, reason=True),
    ),
)

# A 督办 (docs/coordination.md): the assigned department closes it with a result (domain.roles.may_close_action
# checks it is theirs); only a supervisor cancels one, with a reason. Closed is final: a new one is raised instead.
SUPERVISION_ACTION = StateMachine(
    kind="supervision_action", name_zh="督办事项", name_en="supervision action", initial="open",
    states={"open": ("办理中", "open"), "done": ("已办结", "done"), "cancelled": ("已撤销", "cancelled")},
    transitions=(
        _t("open", "done", _STAFF),
        _t("open", "cancelled", reason=True),
    ),
)

# 补充材料/信息 (domain.info_requests): met when what was asked arrives (domain.roles.may_answer_info_request
# says who); withdrawn, with a reason, when it was asked by mistake (domain.roles.may_withdraw_info_request: the
# asking department or a supervisor). Both are final — asking again is a new request.
INFO_REQUEST = StateMachine(
    kind="info_request", name_zh="补充材料/信息", name_en="request for materials or information", initial="open",
    states={"open": ("待补充", "awaiting"), "met": ("已补齐", "met"), "withdrawn": ("已撤回", "withdrawn")},
    transitions=(
        _t("open", "met", *_FRONT, _STAFF),
        _t("open", "withdrawn", _STAFF, reason=True),
    ),
)

# Outage events (docs/outage.md). A fault event (故障停电) is proposed by call clustering and confirmed or dismissed
# by repair command in 调度/运检; a planned one (计划停电) is entered by dispatch and goes live on its window.
# Restoration is undone with a reason when calls continue, and the event is live again.
_COMMAND = (Role.dispatcher, _STAFF)
OUTAGE_EVENT = StateMachine(
    kind="outage_event", name_zh="故障停电事件", name_en="fault outage event", initial="predicted",
    states={"predicted": ("研判中", "predicted"), "active": ("停电中", "active"),
            "restored": ("已复电", "restored"), "cancelled": ("已撤销", "cancelled")},
    transitions=(
        _t("predicted", "active", *_COMMAND),
        _t("predicted", "cancelled", *_COMMAND, reason=True),
        _t("active", "restored", *_COMMAND),
        _t("restored", "active", *_COMMAND, reason=True),  # calls continue: re-opened
    ),
)

PLANNED_OUTAGE = StateMachine(
    kind="planned_outage", name_zh="计划停电", name_en="planned outage", initial="scheduled",
    states={"scheduled": ("已计划", "scheduled"), "active": ("停电中", "active"),
            "restored": ("已复电", "restored"), "cancelled": ("已撤销", "cancelled")},
    transitions=(
        _t("scheduled", "active", *_COMMAND),
        _t("scheduled", "cancelled", *_COMMAND, reason=True),
        _t("active", "restored", *_COMMAND),
        _t("restored", "active", *_COMMAND, reason=True),
    ),
)

STATE_MACHINES: dict[str, StateMachine] = {
    m.kind: m for m in (TICKET, STAGE_TASK, REPAIR_ORDER, SURVEY_ASSIGNMENT, SUPERVISION_ACTION, INFO_REQUEST,
                                 OUTAGE_EVENT, PLANNED_OUTAGE)
}


def _machine(kind: str) -> StateMachine:
    machine = STATE_MACHINES.get(kind)
    if machine is None:
        raise InvalidInput(f"未知的状态机「{kind}」", f"unknown state machine {kind!r}", field="kind")
    return machine


def _state(machine: StateMachine, state: str) -> str:
    if state not in machine.states:
        raise InvalidInput(f"{machine.name_zh}没有状态「{state}」", f"a {machine.name_en} has no state {state!r}",
                           field="state")
    return state


def _role(role: str) -> Role:
    if role not in {r.value for r in Role}:
        raise InvalidInput(f"未知的角色「{role}」", f"unknown role {role!r}", field="role")
    return Role(role)


def transition(kind: str, current: str, to: str, role: str, reason: str | None = None) -> str:
    """The new state, or InvalidTransition saying (in zh and en) why the move is not allowed."""
    machine = _machine(kind)
    _state(machine, current)
    _state(machine, to)
    who = _role(role)
    zh_from, zh_to = machine.label(current), machine.label(to)
    en_from, en_to = machine.label(current, "en"), machine.label(to, "en")
    step = machine.find(current, to)
    if step is None:
        raise InvalidTransition(f"不能从「{zh_from}」变为「{zh_to}」",
                                f"a {machine.name_en} cannot go from '{en_from}' to '{en_to}'", field="state")
    if who not in step.roles:
        raise InvalidTransition(f"{who.label()}无权把{machine.name_zh}从「{zh_from}」变为「{zh_to}」",
                                f"a {who.label('en')} may not move a {machine.name_en} from '{en_from}' to '{en_to}'",
                                field="role")
    if step.reason_required and not (reason and reason.strip()):
        raise InvalidTransition(f"从「{zh_from}」变为「{zh_to}」须填写原因",
                                f"moving a {machine.name_en} from '{en_from}' to '{en_to}' needs a reason",
                                field="reason")
    return to


def allowed_transitions(kind: str, current: str, role: str) -> list[str]:
    """The states this role may move to from the current one, in the order the machine lists them."""
    machine = _machine(kind)
    _state(machine, current)
    who = _role(role)
    return [t.target for t in machine.transitions if t.source == current and who in t.roles]


def needs_reason(kind: str, current: str, to: str) -> bool:
    """Whether the form for this move must ask for a reason (False when the move is not legal at all)."""
    step = _machine(kind).find(current, to)
    return step is not None and step.reason_required


def state_label(kind: str, state: str, lang: str = "zh") -> str:
    machine = _machine(kind)
    return machine.label(_state(machine, state), lang)
