"""Who may call what: the role × endpoint table and the role × mutation table, in one place."""

from __future__ import annotations

from domain import roles as roles_policy

ROLES: frozenset[str] = frozenset(str(role) for role in roles_policy.Role)
_ALL = ROLES
_DESK = ROLES  # every signed-in desk syncs
_PLANNERS = frozenset(str(role) for role in roles_policy.PLANNER_ROLES)  # who books surveys
_VERIFIERS = frozenset(str(role) for role in roles_policy.VERIFIER_ROLES)  # who verifies a customer's identity
# Who attaches files to tickets: the metadata push and the upload of the bytes go together.
_ATTACHERS = frozenset(str(role) for role in roles_policy.ATTACHER_ROLES)
_MONITOR = frozenset(str(role) for role in roles_policy.EFFICIENCY_ROLES)  # the efficiency monitor

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
    ("GET", "/api/v1/efficiency/overview"): _MONITOR,
    ("GET", "/api/v1/efficiency/series"): _MONITOR,
    ("GET", "/api/v1/efficiency/process-map"): _MONITOR,
    ("GET", "/api/v1/efficiency/evaluations"): frozenset(str(r) for r in roles_policy.EVALUATION_READER_ROLES),
    ("PUT", "/api/v1/efficiency/weights"): frozenset(str(r) for r in roles_policy.WEIGHT_SETTER_ROLES),
    ("GET", "/api/v1/efficiency/rules"): _MONITOR,
    ("PUT", "/api/v1/efficiency/rules/{code}"): frozenset(str(r) for r in roles_policy.ALERT_HANDLER_ROLES),
    ("GET", "/api/v1/efficiency/alerts"): _MONITOR,
    ("POST", "/api/v1/efficiency/alerts/{alert_id}/acknowledge"):
        frozenset(str(r) for r in roles_policy.ALERT_HANDLER_ROLES),
    ("POST", "/api/v1/efficiency/alerts/{alert_id}/resolve"): frozenset(str(r) for r in roles_policy.ALERT_HANDLER_ROLES),
    ("GET", "/api/v1/power-quality/points"): frozenset(str(r) for r in roles_policy.POWER_QUALITY_ROLES),
    ("GET", "/api/v1/power-quality/points/{point_id}/trend"):
        frozenset(str(r) for r in roles_policy.POWER_QUALITY_ROLES),
    # The screen pop (docs/outage.md): the desks that answer customers or run repairs; not the prefecture's reader.
    ("GET", "/api/v1/outages/lookup"): _DESK - frozenset(str(r) for r in roles_policy.READ_ONLY_ROLES),
}

# (entity, op) → roles that may push it: domain.roles holds the policy, desk and server ask it.
MUTATION_ROLES: dict[tuple[str, str], frozenset[str]] = {
    key: frozenset(str(role) for role in roles) for key, roles in roles_policy.MUTATION_ROLES.items()
}


def allowed(method: str, path: str, role: str) -> bool:
    return role in ENDPOINT_ROLES.get((method, path), _ALL)
