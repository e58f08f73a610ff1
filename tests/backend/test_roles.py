"""The role × endpoint table, walked row by row: a role outside a row's set gets 403, inside never."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backend.permissions import ENDPOINT_ROLES, ROLES
from tests.backend.desk import Desk
from tests.backend.server_process import ServerProcess

USER_OF_ROLE = {"clerk": "clerk_a", "hotline": "hotline_a", "dispatcher": "dispatcher_a",
                "department": "marketing_a", "supervisor": "supervisor_a", "admin": "admin_a",
                "manager": "manager_a"}
SHA = "0" * 64
# A harmless request per table row; a row without one fails the test, so the table stays covered.
SAMPLES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/auth/me"): {"url": "/api/v1/auth/me"},
    ("POST", "/api/v1/auth/logout"): {"url": "/api/v1/auth/logout"},
    ("POST", "/api/v1/auth/password"): {
        "url": "/api/v1/auth/password", "json": {"old_password": "wrong-old", "new_password": "whatever123"}},
    ("POST", "/api/v1/sync/push"): {"url": "/api/v1/sync/push", "json": {"schema_version": 1, "client_id": "r", "mutations": []}},
    ("GET", "/api/v1/sync/pull"): {"url": "/api/v1/sync/pull", "params": {"scope": "calendar", "limit": 1}},
    ("GET", "/api/v1/sync/checksum"): {"url": "/api/v1/sync/checksum", "params": {"scope": "calendar"}},
    ("GET", "/api/v1/sync/events"): {"url": "/api/v1/sync/events", "params": {"scope": "office:elsewhere"}},
    ("GET", "/api/v1/audit"): {"url": "/api/v1/audit"},
    ("PUT", "/api/v1/attachments/{sha256}"): {
        "url": f"/api/v1/attachments/{SHA}", "content": b"", "headers": {"X-Attachment-Size": "1"}},
    ("HEAD", "/api/v1/attachments/{sha256}"): {"url": f"/api/v1/attachments/{SHA}"},
    ("GET", "/api/v1/attachments/{sha256}"): {"url": f"/api/v1/attachments/{SHA}"},
    ("POST", "/api/v1/dispatch/locks"): {
        "url": "/api/v1/dispatch/locks", "json": {"surveyor_ids": ["no-such-surveyor"], "day": "2026-03-02"}},
    ("DELETE", "/api/v1/dispatch/locks/{lock_id}"): {"url": "/api/v1/dispatch/locks/no-such-lock"},
    ("POST", "/api/v1/verification/sms"): {"url": "/api/v1/verification/sms", "json": {"customer_id": "nobody"}},
    ("POST", "/api/v1/verification/sms/check"): {
        "url": "/api/v1/verification/sms/check", "json": {"customer_id": "nobody", "code": "000000"}},
    ("POST", "/api/v1/presence"): {"url": "/api/v1/presence", "json": {"ticket_id": "none", "activity": "viewing"}},
    ("GET", "/api/v1/presence"): {"url": "/api/v1/presence", "params": {"ticket_id": "none"}},
    ("GET", "/api/v1/efficiency/overview"): {"url": "/api/v1/efficiency/overview", "params": {"office": "none"}},
    ("GET", "/api/v1/efficiency/series"): {"url": "/api/v1/efficiency/series", "params": {"office": "none"}},
    ("GET", "/api/v1/efficiency/process-map"): {
        "url": "/api/v1/efficiency/process-map", "params": {"type": "repair", "office": "none"}},
    ("GET", "/api/v1/efficiency/evaluations"): {"url": "/api/v1/efficiency/evaluations", "params": {"month": "2026-03"}},
    ("PUT", "/api/v1/efficiency/weights"): {
        "url": "/api/v1/efficiency/weights", "json": {"lead": 0.4, "peer": 0.3, "customer": 0.3, "office_id": "none"}},
    ("GET", "/api/v1/efficiency/rules"): {"url": "/api/v1/efficiency/rules", "params": {"office": "none"}},
    ("PUT", "/api/v1/efficiency/rules/{code}"): {
        "url": "/api/v1/efficiency/rules/x", "json": {"kind": "backlog_above", "office_id": "none"}},
    ("GET", "/api/v1/efficiency/alerts"): {"url": "/api/v1/efficiency/alerts", "params": {"office": "none"}},
    ("POST", "/api/v1/efficiency/alerts/{alert_id}/acknowledge"): {
        "url": "/api/v1/efficiency/alerts/none/acknowledge", "json": {"note": "x"}},
    ("POST", "/api/v1/efficiency/alerts/{alert_id}/resolve"): {
        "url": "/api/v1/efficiency/alerts/none/resolve", "json": {"note": "x"}},
    ("GET", "/api/v1/power-quality/points"): {"url": "/api/v1/power-quality/points"},
    ("GET", "/api/v1/power-quality/points/{point_id}/trend"): {
        "url": "/api/v1/power-quality/points/none/trend",
        "params": {"start": "2026-12-07T00:00:00+00:00", "end": "2026-12-07T01:00:00+00:00"}},
    ("GET", "/api/v1/outages/lookup"): {"url": "/api/v1/outages/lookup", "params": {"account_id": "nobody"}},
}


@pytest.fixture(scope="module")
def desks(server: ServerProcess) -> Iterator[dict[str, Desk]]:
    signed_in = {role: Desk(server.url, username) for role, username in USER_OF_ROLE.items()}
    yield signed_in
    for one in signed_in.values():
        one.close()


@pytest.mark.parametrize("endpoint", sorted(ENDPOINT_ROLES), ids=lambda e: f"{e[0]} {e[1]}")
def test_role_endpoint_table(endpoint: tuple[str, str], desks: dict[str, Desk]) -> None:
    sample = dict(SAMPLES[endpoint])
    for role in sorted(ROLES):
        d = desks[role]
        headers = {**d.headers, **sample.get("headers", {})}
        request = {k: v for k, v in sample.items() if k != "headers"}
        response = d.client.request(endpoint[0], headers=headers, **request)
        forbidden = response.status_code == 403 and (
            endpoint[0] == "HEAD" or response.json()["error"]["code"] == "forbidden"
        )
        assert forbidden == (role not in ENDPOINT_ROLES[endpoint]), (role, response.status_code, response.text)
        if endpoint == ("POST", "/api/v1/auth/logout") and response.status_code == 204:
            d.login(USER_OF_ROLE[role])
