"""Random local edits for the chaos soak: every entity kind a desk may write, through the store's own actions.

The edits are drawn from a seeded `random.Random` over the rows the desk holds (sorted by id), so a
schedule names its edits by seed. An edit the desk itself refuses (a rule of `domain/`) is counted as
`refused` and queues nothing: the soak's invariants are about what reached the outbox.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from domain.errors import DomainError
from domain.states import STATE_MACHINES

_SURNAMES = "王李张刘陈杨黄赵吴周"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(rng: random.Random) -> str:
    """A valid GB 11643 number (Beijing, born 1960-1999), check character computed."""
    body = f"110101{rng.randrange(1960, 2000)}0{rng.randrange(1, 10)}1{rng.randrange(9)}{rng.randrange(100, 1000)}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _connection(rng: random.Random) -> dict[str, Any]:
    return {"customer_name": f"{rng.choice(_SURNAMES)}某", "id_number": _resident_id(rng),
            "address": f"新村 {rng.randrange(1000)} 号", "contact_phone": _phone(rng),
            "requested_kw": rng.randrange(2, 20)}


# type code -> (its fields, its materials); a connection starts a workflow with stages and a survey.
_TICKET_TYPES: dict[str, tuple[Callable[[random.Random], dict[str, Any]], list[str]]] = {
    "enquiry": (lambda rng: {"enquiry_topic": rng.choice(["tariff", "policy", "outage"]),
                             "content": f"问题 {rng.randrange(10_000)}"}, []),
    "opinion": (lambda rng: {"content": f"意见 {rng.randrange(10_000)}"}, []),
    "suggestion": (lambda rng: {"content": f"建议 {rng.randrange(10_000)}"}, []),
    "connection_residential": (_connection, ["identity", "property_proof"]),
}


def _ids(store: Any, entity: str, office_id: str) -> list[str]:
    with store._raw() as db:
        return [row[0] for row in db.execute(f'SELECT id FROM "{entity}" WHERE office_id = ? ORDER BY id', (office_id,))]


def _phone(rng: random.Random) -> str:
    return f"13{rng.randrange(10)}{rng.randrange(10**8):08d}"


def _transition(store: Any, rng: random.Random, entity: str, office_id: str, role: str) -> bool:
    ids = _ids(store, entity, office_id)
    if not ids:
        return False
    entity_id = rng.choice(ids)
    with store._raw() as db:
        (state,) = db.execute(f'SELECT state FROM "{entity}" WHERE id = ?', (entity_id,)).fetchone()
    legal = [t for t in STATE_MACHINES[entity].transitions if t.source == state and role in t.roles]
    if not legal:
        return False
    move = rng.choice(legal)
    store.transition(entity, entity_id, move.target, role, "混沌测试" if move.reason_required else None)
    return True


def _accept(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    type_code = rng.choice(sorted(_TICKET_TYPES))
    fields, materials = _TICKET_TYPES[type_code]
    customers = _ids(store, "customer", office_id)
    store.accept_ticket(
        type_code=type_code, channel=rng.choice(["hall", "hotline"]), office_id=office_id,
        customer_id=rng.choice(customers) if customers and rng.random() < 0.5 else None,
        summary=f"soak {rng.randrange(10**6)}", fields=fields(rng), materials=materials,
    )
    return True


def _customer(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    store.create_customer(
        office_id=office_id, name=f"{rng.choice(_SURNAMES)}某{rng.randrange(100)}", phone=_phone(rng),
        address=f"测试路 {rng.randrange(1000)} 号", area_class=rng.choice(["urban", "rural", "remote"]),
    )
    return True


def _edit_customer(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    ids = _ids(store, "customer", office_id)
    if not ids:
        return False
    field = rng.choice(["phone", "address", "area_class", "name"])
    value = {"phone": _phone(rng), "address": f"新址 {rng.randrange(1000)} 号",
             "area_class": rng.choice(["urban", "rural", "remote"]),
             "name": f"{rng.choice(_SURNAMES)}改{rng.randrange(100)}"}[field]
    store.update_fields("customer", rng.choice(ids), {field: value})
    return True


def _edit_ticket(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    ids = _ids(store, "ticket", office_id)
    if not ids:
        return False
    ticket = store.ticket(rng.choice(ids))
    if ticket is None or ticket.type_code not in _TICKET_TYPES:
        return False
    if rng.random() < 0.5:
        store.update_fields("ticket", ticket.id, {"summary": f"改 {rng.randrange(10**6)}"})
    else:
        store.update_fields("ticket", ticket.id, {"fields": _TICKET_TYPES[ticket.type_code][0](rng)})
    return True


def _note(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    notes = _ids(store, "note", office_id)
    if notes and rng.random() < 0.4:
        store.update_fields("note", rng.choice(notes), {"body": f"改备注 {rng.randrange(10**6)}"})
        return True
    tickets = _ids(store, "ticket", office_id)
    if not tickets:
        return False
    store.add_note(rng.choice(tickets), f"备注 {rng.randrange(10**6)}")
    return True


def _verification(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    customers = _ids(store, "customer", office_id)
    if not customers:
        return False
    store.record_verification(rng.choice(customers), channel="hall", method="id_number_name",
                              outcome=rng.choice(["passed", "failed"]))
    return True


def _interaction(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    customers = _ids(store, "customer", office_id)
    tickets = _ids(store, "ticket", office_id)
    store.record_interaction(
        office_id=office_id, channel=rng.choice(["hall", "hotline"]), type=rng.choice(["visit", "call"]),
        customer_id=rng.choice(customers) if customers else None,
        ticket_id=rng.choice(tickets) if tickets and rng.random() < 0.5 else None,
        summary=f"来访 {rng.randrange(10**6)}",
    )
    return True


def _audit(store: Any, rng: random.Random, office_id: str, role: str) -> bool:
    store.append_audit("soak.look", f"ticket:{rng.randrange(10**6)}", {"n": rng.randrange(100)}, None)
    return True


# (kind, weight, edit); an edit returns False when the desk holds nothing it could apply to.
EDITS: list[tuple[str, int, Callable[[Any, random.Random, str, str], bool]]] = [
    ("ticket.create", 4, _accept),
    ("ticket.transition", 4, lambda s, r, o, role: _transition(s, r, "ticket", o, role)),
    ("ticket.update", 3, _edit_ticket),
    ("customer.create", 2, _customer),
    ("customer.update", 2, _edit_customer),
    ("note", 2, _note),
    ("verification", 1, _verification),
    ("interaction", 1, _interaction),
    ("stage_task.transition", 2, lambda s, r, o, role: _transition(s, r, "stage_task", o, role)),
    ("survey_assignment.transition", 1, lambda s, r, o, role: _transition(s, r, "survey_assignment", o, role)),
    ("audit", 1, _audit),
]


def random_edits(store: Any, rng: random.Random, count: int, role: str, office_id: str) -> dict[str, int]:
    """`count` random edits; returns how many of each kind were queued (and `refused` by the desk's rules)."""
    done: dict[str, int] = {}
    kinds = [kind for kind, _, _ in EDITS]
    weights = [weight for _, weight, _ in EDITS]
    edits = {kind: edit for kind, _, edit in EDITS}
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        try:
            made = edits[kind](store, rng, office_id, role)
        except DomainError:
            kind, made = "refused", True
        if made:
            done[kind] = done.get(kind, 0) + 1
    return done
