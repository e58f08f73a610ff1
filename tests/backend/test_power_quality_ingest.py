"""Power-quality intervals in (issue 17), over real HTTP on SQLite and PostgreSQL: the monitoring system's
key, a batch checked whole, each point and interval stored once, a persisting excursion warning once per
point and limit even when two server processes judge the same data at once, and the import command."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select, text

from backend.db.engine import open_database
from backend.db.records import StaffRow
from backend.power_quality import register_point
from backend.settings import database_url
from backend.store import Writer
from domain import power_quality as pq
from domain.records import Customer
from tests.backend.desk import Desk
from tests.harness.processes import ROOT, ServerProcess, serving

KEY = "test-monitoring-key"
URL = "/api/v1/channels/power-quality/intervals"
T0 = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def servers(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ...]]:
    folder = tmp_path_factory.mktemp(f"pq-{db_kind}")
    with serving(db_kind, folder, replicas=2, env={"ONEWINDOW_MONITORING_KEY": KEY}) as started:
        database = open_database(database_url(str(started[0].db)))
        try:
            with database.write() as session:
                office = session.execute(select(StaffRow.office_id).where(StaffRow.username == "clerk_a")).scalar_one()
                writer = Writer(session, T0)
                writer.insert(Customer(id="cust-1", office_id=office, name="精密制造有限公司", customer_class="02",
                                       area_class="urban", created_at=T0))
                writer.finish()
            for point_id, kv, contract in (("pt-10kv", 10.0, {}), ("pt-fab", 10.0, {"harmonics.thd_max": 3.0}),
                                           ("pt-race", 10.0, {}), ("pt-file", 0.38, {})):
                register_point(database, pq.MonitoringPoint(point_id, "cust-1", kv, 3, contract=contract),
                               office_id=office, name=point_id, account_id=None, account_manager_id=None,
                               now=T0)
        finally:
            database.dispose()
        yield started


def interval(point: str, n: int, **values: Any) -> dict[str, Any]:
    return {"point_id": point, "start": (T0 + timedelta(minutes=10 * n)).isoformat(), **values}


def post(server: ServerProcess, intervals: list[dict[str, Any]], key: str | None = KEY) -> httpx.Response:
    headers = {"X-Monitoring-Key": key} if key is not None else {}
    return httpx.post(server.url + URL, json={"intervals": intervals}, headers=headers, timeout=30)


def query(server: ServerProcess, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(database_url(str(server.db)))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement), params)]
    finally:
        engine.dispose()


def rows(server: ServerProcess, point: str) -> int:
    return int(query(server, "SELECT count(*) FROM pq_interval WHERE point_id = :p", p=point)[0][0])


def warnings(server: ServerProcess, point: str) -> list[tuple[Any, ...]]:
    return query(server, "SELECT limit_id, what, count, within FROM pq_warning WHERE point_id = :p", p=point)


def test_only_the_monitoring_systems_key_gets_in(servers: tuple[ServerProcess, ...]) -> None:
    batch = [interval("pt-10kv", 0, thd=1.0)]
    assert post(servers[0], batch, key=None).status_code == 401
    assert post(servers[0], batch, key="wrong").status_code == 401
    assert rows(servers[0], "pt-10kv") == 0


def test_each_interval_is_stored_once_and_a_changed_resend_is_told(servers: tuple[ServerProcess, ...]) -> None:
    batch = [interval("pt-10kv", n, thd=1.0, voltage_deviation=[1.0, -1.0, 0.5]) for n in range(3)]
    first = post(servers[0], batch)
    assert first.status_code == 200, first.text
    assert (first.json()["stored"], first.json()["repeated"], first.json()["conflicting"]) == (3, 0, 0)
    again = post(servers[1], [*batch, interval("pt-10kv", 2, thd=2.5), interval("pt-10kv", 3, thd=1.0)]).json()
    assert (again["stored"], again["repeated"], again["conflicting"]) == (1, 2, 1)
    assert rows(servers[0], "pt-10kv") == 4
    assert server_thd(servers[0], "pt-10kv", 2) == 1.0  # the first values stand


def server_thd(server: ServerProcess, point: str, n: int) -> float:
    found = query(server, "SELECT thd FROM pq_interval WHERE point_id = :p ORDER BY start", p=point)
    return float(found[n][0])


@pytest.mark.parametrize(("bad", "said"), [
    ({"thd": -1.0}, "THD"),
    ({"harmonics": {"1": 2.0}}, "谐波次数"),
    ({"voltage_deviation": [1.0, 2.0]}, "1相或3相"),
    ({"start": "2026-12-07T00:05:00+00:00"}, "10分钟"),
    ({"point_id": "pt-unknown"}, "未登记"),
])
def test_one_bad_interval_refuses_the_batch_and_stores_nothing(servers: tuple[ServerProcess, ...],
                                                               bad: dict[str, Any], said: str) -> None:
    before = rows(servers[0], "pt-fab")
    batch = [interval("pt-fab", 100, thd=1.0), {**interval("pt-fab", 101, thd=1.0), **bad}]
    refused = post(servers[0], batch)
    assert refused.status_code == 400 and said in refused.json()["error"]["message"], refused.text
    assert rows(servers[0], "pt-fab") == before


def test_a_batch_too_large_is_refused(servers: tuple[ServerProcess, ...]) -> None:
    batch = [interval("pt-fab", 200 + n, thd=1.0) for n in range(5001)]
    assert post(servers[0], batch).status_code in (400, 413)
    assert rows(servers[0], "pt-fab") == 0


def test_a_persisting_excursion_warns_once_against_the_contract_limit(servers: tuple[ServerProcess, ...]) -> None:
    # the contract tightens THD to 3.0 %: 3.5 is within the standard's 4.0 yet outside the contract
    quiet = post(servers[0], [interval("pt-fab", n, thd=3.5 if n in (1, 3, 5) else 2.0) for n in range(6)]).json()
    assert quiet["warnings"] == [] and warnings(servers[0], "pt-fab") == []
    loud = post(servers[0], [interval("pt-fab", 6, thd=3.6)]).json()  # 4 of the last 6 are outside
    assert [(w["limit_id"], w["what"], w["count"], w["within"], w["worst_value"]) for w in loud["warnings"]] == [
        ("harmonics.6_10kv.contract", "thd", 4, 6, 3.6)]
    still = post(servers[1], [interval("pt-fab", 7, thd=3.9)]).json()  # the same limit: the warning is open
    assert still["warnings"] == []
    assert warnings(servers[0], "pt-fab") == [("harmonics.6_10kv.contract", "thd", 4, 6)]
    # the warning opened one 主动服务 governance ticket, 监测诊断 open for 运检 with its deadline
    ticket = loud["warnings"][0]["ticket_id"]
    assert query(servers[0], "SELECT type_code, channel, customer_id, number FROM ticket WHERE id = :t", t=ticket)[0][:3] \
        == ("pq_governance", "proactive", "cust-1")
    assert query(servers[0], "SELECT stage_code, department, state FROM stage_task WHERE ticket_id = :t AND due_at IS "
                 "NOT NULL", t=ticket) == [("diagnose", "operations", "open")]
    assert governance_tickets(servers[0], "pt-fab") == 1


def test_two_server_processes_judging_at_once_open_one_warning(servers: tuple[ServerProcess, ...]) -> None:
    history = [interval("pt-race", n, unbalance=1.0) for n in range(5)]
    assert post(servers[0], history).status_code == 200
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(2)

    def send(server: ServerProcess, n: int) -> None:
        barrier.wait()  # each process stores an interval of its own over the short-time limit, then judges
        answers.append(post(server, [interval("pt-race", n, unbalance=4.5)]))

    threads = [threading.Thread(target=send, args=(s, 5 + i)) for i, s in enumerate(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a.status_code == 200 for a in answers)
    opened = [w["limit_id"] for a in answers for w in a.json()["warnings"]]
    stored = [row[0] for row in warnings(servers[0], "pt-race")]
    assert sorted(stored) == sorted(set(stored)) and "unbalance.short" in stored
    assert sorted(opened) == sorted(stored)  # each warning was reported by exactly one of the two
    assert governance_tickets(servers[0], "pt-race") == len(stored)  # one governance ticket per warning


def test_the_import_command_checks_the_whole_file_first(servers: tuple[ServerProcess, ...], tmp_path: Path) -> None:
    good = [json.dumps(interval("pt-file", n, thd=1.0, voltage_deviation=[0.5, 0.5, 0.5])) for n in range(7000)]
    path = tmp_path / "intervals.jsonl"
    path.write_text("\n".join([*good, '{"point_id": "pt-file", "start": "nonsense"}']), encoding="utf-8")
    refused = run_cli(servers[0], "pq-import", str(path))
    assert refused.returncode == 2 and "line 7001" in refused.stderr
    assert rows(servers[0], "pt-file") == 0
    path.write_text("\n".join(good), encoding="utf-8")
    done = run_cli(servers[0], "pq-import", str(path))
    assert done.returncode == 0 and "stored 7000" in done.stdout, done.stderr
    assert run_cli(servers[0], "pq-import", str(path)).stdout.startswith("stored 0, already there 7000")


@pytest.mark.parametrize(("customer", "contract", "said"), [
    ("cust-1", '{"harmonics.thd_max": 6.0}', "looser"),
    ("nobody", "{}", "No such customer"),
])
def test_a_point_with_a_looser_contract_or_unknown_customer_is_refused(
        servers: tuple[ServerProcess, ...], customer: str, contract: str, said: str) -> None:
    office = query(servers[0], "SELECT office_id FROM customer WHERE id = 'cust-1'")[0][0]
    refused = run_cli(servers[0], "pq-point", "--id", "pt-refused", "--office", office, "--customer", customer,
                      "--name", "x", "--kv", "10", "--contract", contract)
    assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    assert query(servers[0], "SELECT count(*) FROM pq_point WHERE id = :p", p="pt-refused")[0][0] == 0


def governance_tickets(server: ServerProcess, point: str) -> int:
    """The point's governance tickets: all of them, whether or not a warning names them."""
    statement = ("SELECT fields FROM ticket WHERE type_code = 'pq_governance'" if "://" not in str(server.db)
                 else "SELECT CAST(fields AS TEXT) FROM ticket WHERE type_code = 'pq_governance'")
    return sum(1 for (fields,) in query(server, statement) if json.loads(fields)["monitoring_point"] == point)


def run_cli(server: ServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend.cli", args[0], "--db", str(server.db), *args[1:]],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def read(server: ServerProcess, username: str, path: str, **params: Any) -> httpx.Response:
    desk = Desk(server.url, username)
    try:
        return desk.client.get(path, params=params, headers=desk.headers)
    finally:
        desk.close()


def test_the_points_and_a_trend_are_read_by_those_who_work_them(servers: tuple[ServerProcess, ...]) -> None:
    batch = [interval("pt-10kv", 300 + n, thd=1.0 + n / 10, unbalance=0.5, voltage_deviation=[1.0, -2.0, 0.5])
             for n in range(12)]
    assert post(servers[0], batch).status_code == 200
    assert read(servers[0], "clerk_a", "/api/v1/power-quality/points").status_code == 403
    assert read(servers[0], "clerk_b", "/api/v1/power-quality/points").status_code == 403
    points = read(servers[0], "marketing_a", "/api/v1/power-quality/points")
    assert points.status_code == 200, points.text
    by_id = {p["id"]: p for p in points.json()}
    assert by_id["pt-10kv"]["customer_name"] == "精密制造有限公司"
    assert by_id["pt-10kv"]["last_interval"] == (T0 + timedelta(minutes=10 * 311)).isoformat().replace("+00:00", "Z")
    assert [w["limit_id"] for w in by_id["pt-fab"]["open_warnings"]] == ["harmonics.6_10kv.contract"]
    start = T0 + timedelta(minutes=10 * 300)
    trend = read(servers[0], "supervisor_a", "/api/v1/power-quality/points/pt-10kv/trend",
                 start=start.isoformat(), end=(start + timedelta(hours=2)).isoformat(), buckets=2)
    assert trend.status_code == 200, trend.text
    answer = trend.json()
    assert answer["bucket_minutes"] == 60 and [b["intervals"] for b in answer["buckets"]] == [6, 6]
    low, high, mean = answer["buckets"][0]["figures"]["thd"]
    assert (low, high) == (1.0, 1.5) and abs(mean - 1.25) < 1e-9
    assert answer["buckets"][1]["figures"]["dev_b"] == [-2.0, -2.0, -2.0]
    assert {lim["id"] for lim in answer["limits"]} >= {"harmonics.6_10kv", "unbalance.short"}
    fab = read(servers[0], "supervisor_a", "/api/v1/power-quality/points/pt-fab/trend",
               start=T0.isoformat(), end=(T0 + timedelta(hours=2)).isoformat()).json()
    contract = next(lim for lim in fab["limits"] if lim["quantity"] == "harmonics")
    assert (contract["thd_max"], contract["source"]) == (3.0, "contract")


@pytest.mark.parametrize("params", [
    {"start": "2026-12-07T02:00:00+00:00", "end": "2026-12-07T01:00:00+00:00"},
    {"start": "2026-12-07T00:00:00", "end": "2026-12-07T01:00:00"},
    {"start": "2025-01-01T00:00:00+00:00", "end": "2026-12-07T00:00:00+00:00"},
])
def test_a_bad_trend_period_is_refused(servers: tuple[ServerProcess, ...], params: dict[str, str]) -> None:
    assert read(servers[0], "supervisor_a", "/api/v1/power-quality/points/pt-10kv/trend", **params).status_code == 400


def test_a_point_of_another_prefecture_office_or_unknown_is_not_found(servers: tuple[ServerProcess, ...]) -> None:
    refused = read(servers[0], "supervisor_a", "/api/v1/power-quality/points/nope/trend",
                   start=T0.isoformat(), end=(T0 + timedelta(hours=1)).isoformat())
    assert refused.status_code == 404
