"""Who works the desk (roles) and which department owns a piece of work, with zh/en labels."""

from __future__ import annotations

from enum import StrEnum

from domain.language import pick


class Role(StrEnum):
    clerk = "clerk"
    hotline = "hotline"
    dispatcher = "dispatcher"
    department = "department"
    supervisor = "supervisor"
    admin = "admin"
    manager = "manager"  # prefecture level (地市): reads every office's efficiency monitor, changes nothing

    def label(self, lang: str = "zh") -> str:
        return pick(*_ROLE_LABELS[self], lang)


class Department(StrEnum):
    marketing = "marketing"
    design = "design"
    engineering = "engineering"
    operations = "operations"
    metering = "metering"
    dispatch = "dispatch"
    service = "service"

    def label(self, lang: str = "zh") -> str:
        return pick(*_DEPARTMENT_LABELS[self], lang)


_ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.clerk: ("营业厅柜员", "Service-hall clerk"),
    Role.hotline: ("95598坐席", "95598 hotline agent"),
    Role.dispatcher: ("勘查派工员", "Survey dispatcher"),
    Role.department: ("部门人员", "Department staff"),
    Role.supervisor: ("班长/主任", "Supervisor"),
    Role.admin: ("系统管理员", "Administrator"),
    Role.manager: ("地市管理人员", "Prefecture manager"),
}

_DEPARTMENT_LABELS: dict[Department, tuple[str, str]] = {
    Department.marketing: ("营销", "Marketing"),
    Department.design: ("设计", "Design"),
    Department.engineering: ("工程", "Engineering"),
    Department.operations: ("运检", "Operations and maintenance"),
    Department.metering: ("计量", "Metering"),
    Department.dispatch: ("调度", "Dispatch and control"),
    Department.service: ("客服", "Customer service"),
}


def label(value: Role | Department, lang: str = "zh") -> str:
    """The name a person reads for a role or a department ("zh" by default, "en" for English)."""
    return value.label(lang)


# ---- role policy: who may do what (the server enforces it, the desk offers only what it allows) ----

# Read-only roles push nothing but their own audit trail (what they looked at): the prefecture manager.
READ_ONLY_ROLES = frozenset({Role.manager})
_ALL_ROLES = frozenset(Role) - READ_ONLY_ROLES
_OVERSEE = frozenset({Role.supervisor, Role.admin})
_FRONT_ROLES = frozenset({Role.clerk, Role.hotline}) | _OVERSEE  # who takes the customer's request
_PLANNERS = frozenset({Role.dispatcher}) | _OVERSEE  # who books surveys
# Who attaches files to tickets: the metadata push and the upload of the bytes go together.
ATTACHER_ROLES = frozenset({Role.clerk, Role.hotline, Role.dispatcher, Role.department, Role.supervisor})

# (entity, op) -> roles that may push it; state transitions are further checked by domain.states.
MUTATION_ROLES: dict[tuple[str, str], frozenset[Role]] = {
    ("ticket", "create"): _FRONT_ROLES,
    ("ticket", "update"): _ALL_ROLES,
    ("ticket", "transition"): _ALL_ROLES,
    ("stage_task", "update"): frozenset({Role.dispatcher, Role.department}) | _OVERSEE,
    ("stage_task", "transition"): _ALL_ROLES,  # domain.states decides who makes which move
    ("survey_assignment", "update"): _PLANNERS,
    ("survey_assignment", "transition"): _PLANNERS | {Role.department},
    ("customer", "create"): _FRONT_ROLES,
    ("customer", "update"): _FRONT_ROLES,
    ("account", "create"): frozenset({Role.clerk}) | _OVERSEE,
    ("account", "update"): frozenset({Role.clerk}) | _OVERSEE,
    ("interaction", "create"): _ALL_ROLES,
    ("verification", "create"): _FRONT_ROLES,
    ("note", "create"): _ALL_ROLES,
    ("note", "update"): _ALL_ROLES,  # only the note's author: see may_edit_note
    ("evaluation", "create"): _FRONT_ROLES | {Role.department},
    ("attachment", "create"): ATTACHER_ROLES,
    ("audit", "create"): _ALL_ROLES | READ_ONLY_ROLES,  # the server sets who and when: see backend mutations
    ("notification", "create"): _FRONT_ROLES,  # contacting the customer: see CONTACT_ROLES
    # Coordination meetings and 督办 (docs/coordination.md): a supervisor records and assigns; the assigned
    # department closes its own (may_close_action), the supervisor cancels.
    ("meeting", "create"): _OVERSEE,
    ("meeting", "update"): _OVERSEE,
    ("supervision_action", "create"): _OVERSEE,
    ("supervision_action", "transition"): _OVERSEE | {Role.department},
    # 补充材料/信息 (domain.info_requests): asked by the department working the stage (may_request_info);
    # marked met by whoever receives what was asked (may_answer_info_request); withdrawn by the asking department
    # or a supervisor (may_withdraw_info_request).
    ("info_request", "create"): _OVERSEE | {Role.department},
    ("info_request", "transition"): _FRONT_ROLES | {Role.department},
    # Outage events (docs/outage.md): repair command — the dispatcher and 调度 / 运检 staff (may_command_outages)
    # — enters planned outages, confirms, restores and corrects events.
    ("grid_device", "create"): frozenset({Role.admin}),  # the grid is imported by an admin
    ("outage_event", "create"): _PLANNERS | {Role.department},
    ("outage_event", "update"): _PLANNERS | {Role.department},
    ("outage_event", "transition"): _PLANNERS | {Role.department},
}

# 主责评价 and 协作互评 are the departments' (and their supervisor's); 客户评价 is taken at the window or on the phone.
EVALUATOR_ROLES: dict[str, frozenset[Role]] = {
    "lead": frozenset({Role.department}) | _OVERSEE,
    "peer": frozenset({Role.department}) | _OVERSEE,
    "customer": _FRONT_ROLES,
}

# Which areas of the desk a role sees (the server scopes every pull and push the same way).
AREA_ROLES: dict[str, frozenset[Role]] = {
    "frontdesk": _FRONT_ROLES,
    "tickets": _ALL_ROLES,
    "dispatch": _PLANNERS,
    # The efficiency monitor (效能监控): a supervisor sees their office, a manager every office of the
    # prefecture side by side; an admin administers them all.
    "efficiency": _OVERSEE | READ_ONLY_ROLES,
    # 停电抢修 (docs/outage.md): repair command works it (may_command_outages); other staff follow it.
    "outage": _PLANNERS | {Role.department},
    # 电能质量 (docs/power-quality.md): who reads important customers' power quality (POWER_QUALITY_ROLES).
    "power_quality": _OVERSEE | READ_ONLY_ROLES | {Role.department},
}

VERIFIER_ROLES = _FRONT_ROLES  # who verifies a customer's identity
EFFICIENCY_ROLES = AREA_ROLES["efficiency"]  # who reads the efficiency monitor
# The multi-party evaluation totals are also shown to the departments rated (their own office's).
EVALUATION_READER_ROLES = EFFICIENCY_ROLES | {Role.department}
WEIGHT_SETTER_ROLES = _OVERSEE  # who sets an office's evaluation weights
ALERT_HANDLER_ROLES = _OVERSEE  # who sets an office's anomaly rules and acknowledges / resolves its alerts
CONTACT_ROLES = _FRONT_ROLES  # who may have the server text a customer (docs/notifications.md)
PLANNER_ROLES = _PLANNERS
SUPERVISOR_ROLES = _OVERSEE  # who records coordination meetings and assigns 督办 actions
# Who reads important customers' power quality: the departments that work its governance tickets (运检, the
# account managers in 营销), supervisors, and the prefecture's manager read-only.
POWER_QUALITY_ROLES = AREA_ROLES["power_quality"]


def _is(role: str | Role, allowed: frozenset[Role]) -> bool:
    return role in {r.value for r in allowed}


def sees_department_scores_alone(role: str | Role) -> bool:
    """Reads the evaluation totals without the monitor (department staff: 本部门评价 in the tickets area)."""
    return _is(role, EVALUATION_READER_ROLES - EFFICIENCY_ROLES)


def may_mutate(role: str | Role, entity: str, op: str) -> bool:
    """Whether this role may push `op` on `entity` at all (unknown pairs: nobody)."""
    allowed = MUTATION_ROLES.get((entity, op))
    return allowed is not None and _is(role, allowed)


def may_evaluate(role: str | Role, evaluator: str, department: str | None = None,
                 visit_department: str | None = Department.service) -> bool:
    """Whether this role may give an evaluation of this kind ("lead", "peer" or "customer"). The customer's
    rating is recorded by whoever makes the return visit: the front desk, or staff of the department that
    owns the ticket's return-visit stage (`visit_department`, 客服 in the catalogue)."""
    if evaluator == "customer" and role == Role.department and department is not None \
            and department == visit_department:
        return True
    allowed = EVALUATOR_ROLES.get(evaluator)
    return allowed is not None and _is(role, allowed)


def _within_reach(role: str | Role, own_office: str, own_prefecture: str | None, office: str,
                  prefecture: str | None) -> bool:
    """Which offices a reader reaches: an admin every office, a manager every office of their prefecture,
    anyone else their own office."""
    if role == Role.admin:
        return True
    if role == Role.manager:
        return own_prefecture is not None and own_prefecture == prefecture
    return office == own_office


def may_read_office(role: str | Role, own_office: str, own_prefecture: str | None, office: str,
                    prefecture: str | None) -> bool:
    """Whose indicators a role reads: a supervisor their own office, a manager every office of their
    prefecture, an admin every office; nobody else reads the monitor."""
    return may_see_area(role, "efficiency") and _within_reach(role, own_office, own_prefecture, office, prefecture)


def may_read_power_quality(role: str | Role, own_office: str, own_prefecture: str | None, office: str,
                           prefecture: str | None) -> bool:
    """Whose important customers' power quality a role reads: a department member or supervisor their own
    office's, a manager every office of their prefecture, an admin every office; nobody else."""
    return _is(role, POWER_QUALITY_ROLES) and _within_reach(role, own_office, own_prefecture, office, prefecture)


def may_set_evaluation_weights(role: str | Role) -> bool:
    """The office's weights of the multi-party score are set by its supervisor (or an admin)."""
    return _is(role, WEIGHT_SETTER_ROLES)


def may_see_area(role: str | Role, area: str) -> bool:
    allowed = AREA_ROLES.get(area)
    return allowed is not None and _is(role, allowed)


def may_work_stage(role: str | Role, own_department: str | None, stage_department: str) -> bool:
    """Department staff work only their own department's stages; the other roles are checked by domain.states."""
    return role != Role.department or own_department == stage_department


def may_edit_note(staff_id: str | None, author_id: str | None) -> bool:
    """Only the author rewrites a note (a note with no recorded author is nobody's to rewrite)."""
    return staff_id is not None and staff_id == author_id


def may_handle_alerts(role: str | Role) -> bool:
    """An office's anomaly rules are set, and its alerts acknowledged or resolved, by its supervisor (or an admin)."""
    return _is(role, ALERT_HANDLER_ROLES)


OUTAGE_DEPARTMENTS = frozenset({Department.dispatch, Department.operations})  # repair command (抢修指挥)


def may_command_outages(role: str | Role, own_department: str | None) -> bool:
    """Outage events are entered, confirmed and restored by repair command: a dispatcher, staff of 调度 or 运检,
    or a supervisor or an admin."""
    if _is(role, _PLANNERS):
        return True
    return role == Role.department and own_department in {d.value for d in OUTAGE_DEPARTMENTS}


def may_supervise(role: str | Role) -> bool:
    """Coordination meetings are recorded, and 督办 actions assigned and cancelled, by a supervisor (or an admin)."""
    return _is(role, SUPERVISOR_ROLES)


def may_close_action(role: str | Role, own_department: str | None, action_department: str) -> bool:
    """A 督办 is closed by staff of the department it was assigned to (or by a supervisor or an admin)."""
    if _is(role, SUPERVISOR_ROLES):
        return True
    return role == Role.department and own_department is not None and own_department == action_department


def may_request_info(role: str | Role, own_department: str | None, stage_department: str) -> bool:
    """补充材料/信息 is asked on a stage by staff of the department working it (or by a supervisor or an admin)."""
    if _is(role, SUPERVISOR_ROLES):
        return True
    return role == Role.department and own_department is not None and own_department == stage_department


def may_answer_info_request(role: str | Role, own_department: str | None, asking_department: str,
                            addressee: str, to_department: str | None) -> bool:
    """A request is marked met by who receives what was asked: the asking department, the department asked,
    the front desk when the customer brings materials (or a supervisor or an admin)."""
    if _is(role, SUPERVISOR_ROLES):
        return True
    if addressee == "customer" and _is(role, _FRONT_ROLES):
        return True
    return role == Role.department and own_department is not None and own_department in (
        asking_department, to_department)


def may_withdraw_info_request(role: str | Role, own_department: str | None, asking_department: str) -> bool:
    """A request asked by mistake is withdrawn by its author's department — the department that asked — or by a
    supervisor or an admin; never by the customer's front desk or the department asked."""
    if _is(role, SUPERVISOR_ROLES):
        return True
    return role == Role.department and own_department is not None and own_department == asking_department
