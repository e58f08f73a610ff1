"""What an operator watches (docs/operations.md), on SQLite and PostgreSQL: /readyz says ready when the database
answers with this server's schema; /metrics exposes request latency by route template (no ids in labels), push
outcomes by status and the queues read at scrape time, to loopback — and to others only with the metrics token."""

from __future__ import annotations

import httpx

from tests.backend.desk import Desk
from tests.harness.processes import ServerProcess


def _value(exposition: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    prefix = f"{name}{{{wanted}}} " if labels else f"{name} "
    lines = [line for line in exposition.splitlines() if line.startswith(prefix)]
    return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0


def test_ready_and_metrics(server: ServerProcess) -> None:
    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    before = httpx.get(f"{server.url}/metrics")
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/plain")
    applied = _value(before.text, "onewindow_push_mutations_total", status="applied")

    clerk = Desk(server.url, "clerk_a")
    try:
        customer = clerk.new_customer()  # one applied push
        (refused,) = clerk.push(clerk.mutation("customer", "create", customer["id"], fields={"name": "重复"}))
        assert refused["status"] == "rejected"
        clerk.client.get(f"/api/v1/customers/{customer['id']}", headers=clerk.headers)
    finally:
        clerk.close()

    after = httpx.get(f"{server.url}/metrics").text
    assert _value(after, "onewindow_push_mutations_total", status="applied") == applied + 1
    assert _value(after, "onewindow_push_mutations_total", status="rejected") >= 1
    assert _value(after, "onewindow_http_request_seconds_count", method="POST", route="/api/v1/sync/push",
                  status="2xx") >= 2
    assert customer["id"] not in after  # route templates, never a path with an id in it
    for gauge in ("onewindow_sla_timers_armed", "onewindow_sla_timers_late", "onewindow_event_streams"):
        assert f"\n{gauge} " in after
    assert 'onewindow_notifications_waiting{state="queued"}' in after


def test_metrics_elsewhere_than_loopback_need_the_token(tmp_path_factory: object, db_kind: str) -> None:
    from pathlib import Path

    from tests.harness.processes import serving

    folder = Path(str(tmp_path_factory.mktemp(f"metrics-{db_kind}")))  # type: ignore[attr-defined]
    with serving(db_kind, folder, env={"ONEWINDOW_METRICS_TOKEN": "scrape-me"}) as (server,):
        assert httpx.get(f"{server.url}/metrics").status_code == 401
        assert httpx.get(f"{server.url}/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        good = httpx.get(f"{server.url}/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert good.status_code == 200 and "onewindow_push_mutations" in good.text
