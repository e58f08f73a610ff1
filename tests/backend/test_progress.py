"""The progress lookup over real HTTP against a server process, on SQLite and PostgreSQL: the desk's code kept
(a bad one refused, a taken one replaced), the page and the app channel's JSON reading the ticket's live state
with masked data and no staff names, a wrong code answered alike whatever it is, every value escaped, and the
limits per address, for wrong codes and overall (docs/progress-lookup.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain import progress
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import CONNECTION_FIELDS, move, tasks_of
from tests.harness.processes import CHANNEL_KEY, ServerProcess, serving

DeskFactory = Callable[[str], Desk]


@pytest.fixture(scope="module")
def lookup_server(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own (its lookups do not spend the shared server's counters), limits wide enough."""
    env = {"ONEWINDOW_PROGRESS_PER_ADDRESS": "1000", "ONEWINDOW_PROGRESS_MISSES": "1000",
           "ONEWINDOW_PROGRESS_OVERALL": "5000"}
    with serving(db_kind, tmp_path_factory.mktemp(f"progress-{db_kind}"), env=env) as (process,):
        process.set_clock(FIXED_NOW)
        yield process


@pytest.fixture
def desks(lookup_server: ServerProcess) -> Iterator[DeskFactory]:
    opened: list[Desk] = []

    def open_desk(username: str) -> Desk:
        opened.append(Desk(lookup_server.url, username))
        return opened[-1]

    yield open_desk
    for one in opened:
        one.close()


def accept(clerk: Desk, code: str | None, **extra_fields: Any) -> dict[str, Any]:
    customer = clerk.new_customer(name="张三丰", phone="13912345678")
    fields: dict[str, Any] = {
        "type_code": "connection_residential", "channel": "hall", "customer_id": customer["id"], "summary": "新装",
        "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"],
        "accepted_at": FIXED_NOW.isoformat(), "provisional_number": "P-desk-7", **extra_fields,
    }
    if code is not None:
        fields["progress_code"] = code
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields=fields))
    return result


def page(server: ServerProcess, path: str) -> httpx.Response:
    return httpx.get(server.url + path, timeout=30)


def test_the_page_reads_the_tickets_live_state_masked_and_without_staff(
        lookup_server: ServerProcess, desks: DeskFactory) -> None:
    clerk, marketing = desks("clerk_a"), desks("marketing_a")
    code = progress.new_code()
    ticket = accept(clerk, code)
    assert ticket["status"] == "applied", ticket
    assert ticket["record"]["progress_code"] == code  # the desk's code stands: it is on the receipt already

    first = page(lookup_server, f"/p/{code}")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    assert "no-referrer" in first.headers["referrer-policy"] and "script-src" not in first.headers[
        "content-security-policy"]
    text = first.text
    assert ticket["ticket_number"] in text and "低压居民新装" in text and "张**" in text
    assert "张三丰" not in text and "13912345678" not in text and "139****5678" in text
    for name in (clerk.session["staff"]["display_name"], marketing.session["staff"]["display_name"]):
        assert name not in text
    survey = tasks_of(marketing, ticket["entity_id"])["survey"]
    assert all(name in text for name in ("受理", "现场勘查", "合同签订", "装表接电", "回访", "归档"))

    # The department takes and completes the survey: the page shows it at once.
    taken = move(marketing, "stage_task", survey, "taken")
    assert taken["status"] == "applied", taken
    done = move(marketing, "stage_task", taken["record"], "done")
    assert done["status"] == "applied", done
    answer = httpx.get(f"{lookup_server.url}/api/v1/channels/app/progress/{progress.grouped(code).lower()}",
                       headers={"X-Channel-Key": CHANNEL_KEY}, timeout=30).json()
    stages = {stage["name"]: stage for stage in answer["stages"]}
    assert stages["现场勘查"]["state"] == "done" and stages["现场勘查"]["completed_at"]
    assert stages["受理"]["state"] == "done" and stages["归档"]["state"] == "pending"
    assert answer["number"] == ticket["ticket_number"] and answer["type"] == "低压居民新装"
    assert answer["customer"] == {"name": "张**", "phone": "139****5678"}
    assert "accepted_by" not in str(answer) and clerk.session["staff"]["display_name"] not in str(answer)
    again = page(lookup_server, f"/p/{code}").text
    assert again.count("已完成") > text.count("已完成")


def test_what_the_customer_must_bring_is_shown_escaped(lookup_server: ServerProcess, desks: DeskFactory) -> None:
    clerk, marketing = desks("clerk_a"), desks("marketing_a")
    code = progress.new_code()
    ticket = accept(clerk, code)
    survey = tasks_of(marketing, ticket["entity_id"])["survey"]
    (asked,) = marketing.push(marketing.mutation("info_request", "create", fields={
        "ticket_id": ticket["entity_id"], "stage_task_id": survey["id"], "addressee": "customer",
        "materials": ["property_proof"], "detail": "<script>alert(1)</script>请带原件",
        "reason": "复印件不清晰", "requested_at": FIXED_NOW.isoformat()}))
    assert asked["status"] == "applied", asked
    text = page(lookup_server, f"/p/{code}").text
    assert "需要您补充" in text and "&lt;script&gt;alert(1)&lt;/script&gt;请带原件" in text
    assert "<script>" not in text
    assert "复印件不清晰" not in text  # the department's reason stays inside the office


def test_a_wrong_code_is_answered_alike_whatever_it_is(lookup_server: ServerProcess, desks: DeskFactory) -> None:
    ticket = accept(desks("clerk_a"), progress.new_code())
    unknown = progress.new_code()
    answers = [page(lookup_server, f"/p/{path}") for path in
               (unknown, ticket["ticket_number"], "P-desk-7", ticket["entity_id"], "x" * 12)]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.text.split("查询时间")[0] for a in answers}
    assert len(bodies) == 1  # nothing tells a number that exists from one that does not
    assert ticket["ticket_number"] not in answers[1].text
    api = httpx.get(f"{lookup_server.url}/api/v1/channels/app/progress/{unknown}",
                    headers={"X-Channel-Key": CHANNEL_KEY}, timeout=30)
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    keyless = httpx.get(f"{lookup_server.url}/api/v1/channels/app/progress/{unknown}", timeout=30)
    assert keyless.status_code == 401


def test_the_form_takes_a_typed_code_in_any_case_with_dashes(lookup_server: ServerProcess, desks: DeskFactory) -> None:
    code = progress.new_code()
    accept(desks("clerk_a"), code)
    assert page(lookup_server, "/p").status_code == 200
    typed = httpx.get(f"{lookup_server.url}/p", params={"code": " " + progress.grouped(code).lower() + " "},
                      timeout=30, follow_redirects=True)
    assert typed.status_code == 200 and str(typed.url).endswith(f"/p/{code}")


def test_a_bad_code_from_a_desk_is_refused_and_a_taken_one_replaced(
        lookup_server: ServerProcess, desks: DeskFactory) -> None:
    clerk = desks("clerk_a")
    for bad in ("SHORT", "O" * 12, "abcdefghjkmn", 12345):
        refused = accept(clerk, bad)  # type: ignore[arg-type]
        assert refused["status"] == "rejected" and refused["code"] == "invalid_input", refused
        assert "查询码" in refused["reason"]
    code = progress.new_code()
    first = accept(clerk, code)
    second = accept(clerk, code)
    assert second["status"] == "applied"
    fresh = second["record"]["progress_code"]
    assert fresh != code and progress.normalize(fresh) == fresh
    assert first["ticket_number"] in page(lookup_server, f"/p/{code}").text
    assert second["ticket_number"] in page(lookup_server, f"/p/{fresh}").text
    without = accept(clerk, None)  # a channel or an older desk sends none: the server makes one
    assert progress.normalize(without["record"]["progress_code"]) == without["record"]["progress_code"]


def test_lookups_are_limited_per_address_for_misses_and_overall(db_kind: str, tmp_path: Path) -> None:
    env = {"ONEWINDOW_PROGRESS_PER_ADDRESS": "4", "ONEWINDOW_PROGRESS_MISSES": "2",
           "ONEWINDOW_PROGRESS_OVERALL": "1000"}
    with serving(db_kind, tmp_path, env=env) as (server,):
        server.set_clock(FIXED_NOW)
        desk = Desk(server.url, "clerk_a")
        try:
            code = progress.new_code()
            assert accept(desk, code)["status"] == "applied"
            assert [page(server, f"/p/{progress.new_code()}").status_code for _ in range(2)] == [404, 404]
            limited = page(server, f"/p/{progress.new_code()}")  # a third wrong code within 10 minutes
            assert limited.status_code == 429 and "查询过于频繁" in limited.text
            assert int(limited.headers["retry-after"]) > 0
            assert page(server, f"/p/{code}").status_code == 429  # even the right one: this address guessed
            server.set_clock(FIXED_NOW + timedelta(minutes=11))
            assert [page(server, f"/p/{code}").status_code for _ in range(4)] == [200] * 4
            assert page(server, f"/p/{code}").status_code == 429  # the fifth lookup within the minute
            server.set_clock(FIXED_NOW + timedelta(minutes=12, seconds=1))
            assert page(server, f"/p/{code}").status_code == 200
        finally:
            desk.close()
    overall = {"ONEWINDOW_PROGRESS_PER_ADDRESS": "1000", "ONEWINDOW_PROGRESS_MISSES": "1000",
               "ONEWINDOW_PROGRESS_OVERALL": "3"}
    (tmp_path / "overall").mkdir()
    with serving(db_kind, tmp_path / "overall", env=overall) as (server,):
        server.set_clock(FIXED_NOW)
        statuses = [httpx.get(f"{server.url}/api/v1/channels/app/progress/{progress.new_code()}",
                              headers={"X-Channel-Key": CHANNEL_KEY}, timeout=30).status_code for _ in range(4)]
        assert statuses == [404, 404, 404, 429]  # the app channel counts overall
        assert page(server, f"/p/{progress.new_code()}").status_code == 429


def test_a_public_address_that_is_not_one_stops_the_server_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.settings import Settings

    monkeypatch.setenv("ONEWINDOW_PUBLIC_URL", "https://service.example.cn/")
    assert Settings.from_env(db="sqlite:///x.db").public_url == "https://service.example.cn"
    monkeypatch.setenv("ONEWINDOW_PUBLIC_URL", "service.example.cn")
    with pytest.raises(SystemExit) as stopped:
        Settings.from_env(db="sqlite:///x.db")
    assert "ONEWINDOW_PUBLIC_URL" in str(stopped.value) and "公开地址" in str(stopped.value)
