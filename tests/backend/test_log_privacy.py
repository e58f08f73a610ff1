"""No server log line carries a full ID number or mobile number (issue 13, item 8).

Runs request flows that handle ID numbers and phones, with their error paths (bad and naive times,
bad identity values, failed sign-ins, channel calls), against the session's shared servers, then
scans their whole log files: everything the backend tests ran on them before this test, and this."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from domain.errors import InvalidInput
from domain.identity import resident_id_check_char, validate_resident_id
from tests.backend.desk import Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess

ID_17 = "44030619900101123"
ID_NUMBER = ID_17 + resident_id_check_char(ID_17)
WRONG_ID = ID_17 + ("0" if ID_NUMBER[-1] != "0" else "1")  # full length, wrong check character
PHONE = "13912345678"
OTHER_PHONE = "15887654321"
CALLER = "18611112222"
SECRETS = (ID_NUMBER, WRONG_ID, PHONE, OTHER_PHONE, CALLER)

_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def leaks(text: str) -> list[str]:
    """Full resident ID numbers (valid ones, or any this test sent) and mobile numbers in `text`."""
    found = [secret for secret in SECRETS if secret in text]
    for match in _ID_LIKE.finditer(text):
        try:
            validate_resident_id(match.group())
        except InvalidInput:
            continue
        found.append(match.group())
    found.extend(match.group() for match in _MOBILE_LIKE.finditer(text))
    return found


def test_leaks_finds_what_it_should() -> None:
    assert leaks(f"x {ID_NUMBER} y") and leaks(f"phone={PHONE}") and leaks("'13712345678'")
    assert not leaks("138****5678 440306********1234 GD20260302000001 2026-12-07 02:30:00,123")
    assert not leaks("id 0191b6c4-7e5a-7b7c-9d1e-1a2b3c4d5e6f port 52135")


def exercise(server: ServerProcess) -> None:
    now = datetime.now(UTC)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for username in (PHONE, ID_NUMBER):  # people type their phone or ID number as the user name
            refused = client.post("/api/v1/auth/login",
                                  json={"username": username, "password": PHONE, "client_id": "desk-log"})
            assert refused.status_code in (400, 401, 429), refused.text
    clerk = Desk(server.url, "clerk_a")
    try:
        customer = clerk.new_customer(name="赵六", id_number=ID_NUMBER, phone=PHONE)
        naive_customer = {"name": "赵六", "id_number": ID_NUMBER, "phone": PHONE, "created_at": "2026-03-02T09:00:00"}
        (rejected,) = clerk.push(clerk.mutation("customer", "create", fields=naive_customer))
        assert rejected["status"] == "rejected"
        for bad in ({"name": "赵六", "id_number": WRONG_ID, "phone": PHONE}, {"name": "赵六", "phone": "1391234567"}):
            (rejected,) = clerk.push(clerk.mutation("customer", "create", fields=bad))
            assert rejected["status"] == "rejected" and rejected["code"] == "invalid_input"
        naive_mutation = clerk.mutation("customer", "create", fields={"name": "赵六", "phone": PHONE})
        assert clerk.push_raw({**naive_mutation, "created_at": "2026-03-02T09:00:00"}).status_code == 400
        (updated,) = clerk.push(clerk.mutation("customer", "update", customer["id"], fields={"phone": OTHER_PHONE},
                                               base={"phone": PHONE}))
        assert updated["status"] == "applied", updated
        (contact,) = clerk.push(clerk.mutation("interaction", "create", fields={
            "customer_id": customer["id"], "channel": "hotline", "type": "call", "at": now.isoformat(),
            "caller_number": CALLER, "summary": f"回电 {OTHER_PHONE[:3]}"}))
        assert contact["status"] == "applied", contact
        sms = clerk.client.post("/api/v1/verification/sms", headers=clerk.headers, json={"customer_id": customer["id"]})
        assert sms.status_code in (200, 409, 429), sms.text
        channel = {"X-Channel-Key": CHANNEL_KEY}
        call = {"call_id": f"call-{uuid.uuid4()}", "caller_number": CALLER, "agent_username": "hotline_a",
                "at": now.isoformat()}
        assert httpx.post(f"{server.url}/api/v1/channels/hotline/calls", json=call, headers=channel).status_code == 200
        naive_call = {**call, "call_id": f"call-{uuid.uuid4()}", "at": "2026-03-02T09:00:00"}
        assert httpx.post(f"{server.url}/api/v1/channels/hotline/calls", json=naive_call, headers=channel).status_code < 500
        app = {"request_id": f"req-{uuid.uuid4()}", "account_no": "A-none", "id_number": ID_NUMBER, "name": "赵六",
               "real_name_verified": True, "type_code": "enquiry", "summary": "咨询", "fields": {}}
        assert httpx.post(f"{server.url}/api/v1/channels/app/requests", json=app, headers=channel).status_code < 500
        rows, _ = clerk.pull_all("office:county-a")
        assert rows[("customer", customer["id"])]["phone"] == OTHER_PHONE
    finally:
        clerk.close()


def scan(log_path: Path) -> None:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    assert not leaks(text), [line for line in text.splitlines() if leaks(line)][:5]


def test_no_server_log_line_carries_a_full_id_number_or_phone(
    server: ServerProcess, clocked_server: ServerProcess
) -> None:
    exercise(server)
    for one in (server, clocked_server):
        scan(one.log_path)
