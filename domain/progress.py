"""The customer's progress lookup (进度查询): the ticket's lookup code and what the public page may show.

The code is made by the desk that accepts the ticket (a receipt printed offline must already carry a code that
works once the ticket has synced), carried by the ticket's create mutation, and checked and kept unique by the
server (docs/progress-lookup.md). Twelve characters of a 31-letter alphabet without 0/O, 1/I/L: about 59 bits,
so guessing any one of millions of codes at the page's rate limit takes far longer than a ticket lives.

What the page shows is decided here once (the HTML page and the app channel's JSON both ask): the ticket type,
its stages with their state and deadline, what the customer must still do, masked personal data — never a
staff member's name, a note, or a department's internal reason.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from domain import ticket_rules
from domain.catalogue_model import Catalogue, TicketType
from domain.errors import InvalidInput
from domain.info_requests import CUSTOMER, OPEN
from domain.masking import mask_customer_name, mask_phone
from domain.states import state_label

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed, nothing is mistaken
CODE_LENGTH = 12
GROUP = 4  # printed and shown as ABCD-EFGH-JKMN
PAGE_PATH = "/p"  # the public page: {base}/p/{code}; {base}/p alone asks for the code
_SEPARATORS = re.compile(r"[\s\-_.·—]+")

# A stage as the customer reads it: finished, being worked, stopped, not started yet.
DONE, WORKING, CANCELLED, PENDING = "done", "working", "cancelled", "pending"
STAGE_WORDS = {DONE: "已完成", WORKING: "办理中", CANCELLED: "已取消", PENDING: "未开始"}


def new_code() -> str:
    """A fresh lookup code from the operating system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_from_bytes(data: bytes) -> str:
    """A code spelled from random bytes (at least 8): the demo derives its codes from its seed, so a rebuilt demo
    office is the same office."""
    number = int.from_bytes(data, "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(letters)


def normalize(text: object) -> str | None:
    """The code a customer typed or a link carried (any case, grouped with spaces or dashes), or None when it
    cannot be one. Total: never raises."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = _SEPARATORS.sub("", text).upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def check_code(value: object) -> str:
    """A code as a desk sends it with a new ticket: exactly CODE_LENGTH letters of ALPHABET, else InvalidInput."""
    if not isinstance(value, str) or normalize(value) != value:
        raise InvalidInput(f"查询码须为 {CODE_LENGTH} 位（不含 0、1、I、L、O 的数字和大写字母）",
                           f"a lookup code is {CODE_LENGTH} characters of {ALPHABET}", field="progress_code")
    return value


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN: as printed on the receipt and read over the phone."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def check_base_url(value: str) -> str:
    """The public address the page is reached at (server configuration): http(s), a host, no query or fragment;
    returned without a trailing slash."""
    text = (value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidInput("公开地址须为 http(s)://主机[/路径]，不带查询参数",
                           "the public URL must be http(s)://host[/path] without a query", field="public_url")
    return text.rstrip("/")


def page_url(base: str, code: str | None = None) -> str:
    """The page of `code` under `base` (the QR code's payload), or the page that asks for a code."""
    root = base.rstrip("/") + PAGE_PATH
    return f"{root}/{code}" if code else root


# ---- what the page shows ----

@dataclass(frozen=True)
class StageProgress:
    name: str
    state: str  # DONE, WORKING, CANCELLED or PENDING
    state_text: str
    due_at: datetime | None
    completed_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class CustomerTodo:
    """One open request to the customer: the materials (by name) and/or words saying what to bring."""

    materials: tuple[str, ...]
    detail: str
    asked_at: datetime


@dataclass(frozen=True)
class Progress:
    number: str
    type_name: str
    state_text: str
    closed: bool
    accepted_at: datetime
    due_at: datetime | None
    due_provisional: bool
    customer_name: str  # masked
    customer_phone: str  # masked, "" when none
    stages: tuple[StageProgress, ...]
    todo: tuple[CustomerTodo, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        """The app channel's answer: the same content as the page, times in ISO 8601."""
        def moment(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "number": self.number, "type": self.type_name, "state": self.state_text, "closed": self.closed,
            "accepted_at": moment(self.accepted_at), "due_at": moment(self.due_at),
            "due_provisional": self.due_provisional, "customer": {"name": self.customer_name,
                                                                  "phone": self.customer_phone},
            "stages": [{"name": s.name, "state": s.state, "state_text": s.state_text, "due_at": moment(s.due_at),
                        "completed_at": moment(s.completed_at), "overdue": s.overdue} for s in self.stages],
            "customer_todo": [{"materials": list(t.materials), "detail": t.detail, "asked_at": moment(t.asked_at)}
                              for t in self.todo],
        }


def _customer_state(task_state: str | None) -> str:
    if task_state is None:
        return PENDING
    if task_state == "done":
        return DONE
    if task_state == "cancelled":
        return CANCELLED
    return WORKING  # open, taken, returned, transferred, escalated: the office is on it


def build_progress(
    ticket: Mapping[str, Any], tasks: Sequence[Mapping[str, Any]], requests: Iterable[Mapping[str, Any]],
    customer: Mapping[str, Any] | None, catalogue: Catalogue, now: datetime,
) -> Progress:
    """What the customer sees of `ticket` (rows as dicts: the ticket, its stage tasks, its 补充材料/信息 requests,
    its customer). Reads only the fields named here: nothing a staff member wrote about colleagues leaks."""
    try:
        ticket_type: TicketType | None = catalogue.ticket_type(str(ticket["type_code"]))
    except InvalidInput:
        ticket_type = None
    by_stage = {str(t["stage_code"]): t for t in tasks}
    stages: list[StageProgress] = []
    codes = [s.code for s in ticket_type.workflow.stages] if ticket_type is not None else list(by_stage)
    names = {s.code: s.name_zh for s in ticket_type.workflow.stages} if ticket_type is not None else {}
    for code in codes:
        task = by_stage.get(code)
        state = _customer_state(str(task["state"]) if task is not None else None)
        due = task.get("due_at") if task is not None else None
        sla_state = (ticket_rules.stage_sla(str(task["state"]), due, task.get("warn_at"), now)
                     if task is not None else None)
        stages.append(StageProgress(
            name=names.get(code, code), state=state, state_text=STAGE_WORDS[state], due_at=due,
            completed_at=task.get("completed_at") if task is not None else None,
            overdue=sla_state is not None and sla_state.value == "overdue",
        ))
    materials = {m.code: m.name_zh for m in catalogue.materials}
    todo = tuple(
        CustomerTodo(materials=tuple(materials.get(code, code) for code in r.get("materials") or ()),
                     detail=str(r.get("detail") or ""), asked_at=r["requested_at"])
        for r in sorted(requests, key=lambda r: r["requested_at"])
        if r.get("addressee") == CUSTOMER and r.get("state") == OPEN
    )
    state = str(ticket["state"])
    return Progress(
        number=str(ticket.get("number") or ""),
        type_name=ticket_type.name_zh if ticket_type is not None else str(ticket["type_code"]),
        state_text=state_label("ticket", state), closed=not ticket_rules.is_open_state(state),
        accepted_at=ticket["accepted_at"], due_at=ticket.get("due_at"),
        due_provisional=bool(ticket.get("deadline_provisional")),
        customer_name=mask_customer_name(customer.get("name"), customer.get("id_type")) if customer else "匿名",
        customer_phone=mask_phone(customer.get("phone")) if customer and customer.get("phone") else "",
        stages=tuple(stages), todo=todo,
    )
