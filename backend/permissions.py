"""Who may call what: the role × endpoint table and the role × mutation table, in one place."""

from __future__ import annotations

ROLES: frozenset[str] = frozenset({"clerk", "hotline", "dispatcher", "department", "supervisor", "admin"})
_ALL = ROLES
_DESK = ROLES  # every signed-in desk syncs
_PLANNERS = frozenset({"dispatcher", "supervisor", "admin"})  # who books surveys
_VERIFIERS = frozenset({"clerk", "hotline", "supervisor", "admin"})  # who verifies a customer's identity
# Who attaches files to tickets: the metadata push and the upload of the bytes go together.
_ATTACHERS = frozenset({"clerk", "hotline", "dispatcher", "department", "supervisor"})

# (method, path template) → roles allowed; an endpoint missing here is open to every signed-in role.
ENDPOINT_ROLES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/auth/me"): _ALL,
    ("POST", "/api/v1/auth/logout"): _ALL,
    ("POST", "/api/v1/auth/password"): _ALL,
    ("POST", "/api/v1/sync/push"): _DESK,
    ("GET", "/api/v1/sync/pull"): _DESK,
    ("GET", "/api/v1/sync/checksum"): _DESK,
    ("GET", "/api/v1/sync/events"): _DESK,
    ("GET", "/api/v1/audit"): frozenset({"supervisor", "admin"}),
    ("PUT", "/api/v1/attachments/{sha256}"): _ATTACHERS,
    ("HEAD", "/api/v1/attachments/{sha256}"): _ALL,
    ("GET", "/api/v1/attachments/{sha256}"): _ALL,
    ("POST", "/api/v1/dispatch/locks"): _PLANNERS,
    ("DELETE", "/api/v1/dispatch/locks/{lock_id}"): _PLANNERS,
    ("POST", "/api/v1/verification/sms"): _VERIFIERS,
    ("POST", "/api/v1/verification/sms/check"): _VERIFIERS,
    ("POST", "/api/v1/presence"): _ALL,
    ("GET", "/api/v1/presence"): _ALL,
}

# (entity, op) → roles that may push it; state transitions are further checked by domain.states.
MUTATION_ROLES: dict[tuple[str, str], frozenset[str]] = {
    ("ticket", "create"): frozenset({"clerk", "hotline", "supervisor", "admin"}),
    ("ticket", "update"): frozenset({"clerk", "hotline", "dispatcher", "department", "supervisor", "admin"}),
    ("ticket", "transition"): _ALL,
    ("stage_task", "update"): frozenset({"dispatcher", "department", "supervisor", "admin"}),
    ("stage_task", "transition"): _ALL,  # domain.states decides who makes which move
    ("survey_assignment", "update"): frozenset({"dispatcher", "supervisor", "admin"}),
    ("survey_assignment", "transition"): frozenset({"dispatcher", "department", "supervisor", "admin"}),
    ("customer", "create"): frozenset({"clerk", "hotline", "supervisor", "admin"}),
    ("customer", "update"): frozenset({"clerk", "hotline", "supervisor", "admin"}),
    ("account", "create"): frozenset({"clerk", "supervisor", "admin"}),
    ("account", "update"): frozenset({"clerk", "supervisor", "admin"}),
    ("interaction", "create"): _ALL,
    ("verification", "create"): frozenset({"clerk", "hotline", "supervisor", "admin"}),
    ("note", "create"): _ALL,
    ("evaluation", "create"): frozenset({"clerk", "hotline", "department", "supervisor", "admin"}),
    ("note", "update"): _ALL,
    ("attachment", "create"): _ATTACHERS,
    ("audit", "create"): _ALL,
}


def allowed(method: str, path: str, role: str) -> bool:
    return role in ENDPOINT_ROLES.get((method, path), _ALL)
