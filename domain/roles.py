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
