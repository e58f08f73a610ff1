"""Issue 13 items 10 and 14: sign-in and password change are throttled per name, per name and address,
and per address; a stranger cannot lock a colleague out; the password rule is enforced."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD, ServerProcess

DeskFactory = Callable[[str], Desk]





def _login(server: ServerProcess, username: str, password: str, address: str) -> httpx.Response:
    # The test server trusts loopback as a proxy (uvicorn's default), so X-Forwarded-For names the client.
    return httpx.post(f"{server.url}/api/v1/auth/login", headers={"X-Forwarded-For": address},
                      json={"username": username, "password": password, "client_id": "throttle"})


def test_a_stranger_cannot_lock_a_colleague_out(server: ServerProcess) -> None:
    attacker, colleague = "198.51.100.7", "203.0.113.9"
    codes = [_login(server, "supervisor_a", "wrong guess", attacker).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert _login(server, "supervisor_a", PASSWORD, colleague).status_code == 200


def test_one_address_guessing_many_names_is_locked_out(server: ServerProcess) -> None:
    address = "198.51.100.66"
    codes = [_login(server, f"guess_{n}", "wrong guess", address).status_code for n in range(20)]
    assert codes == [401] * 20
    locked = _login(server, "hotline_a", PASSWORD, address)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert _login(server, "hotline_a", PASSWORD, "203.0.113.66").status_code == 200


def test_password_change_is_throttled_like_sign_in(server: ServerProcess, desk: DeskFactory) -> None:
    d = desk("admin_a")
    headers = {**d.headers, "X-Forwarded-For": "198.51.100.99"}
    body = {"old_password": "not it at all", "new_password": "a fine new pass 7"}
    codes = [d.client.post("/api/v1/auth/password", json=body, headers=headers).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    # Still signed in: a wrong old password ends nothing.
    assert d.client.get("/api/v1/auth/me", headers=d.headers).status_code == 200


def test_password_change_applies_the_password_rule(server: ServerProcess, desk: DeskFactory) -> None:
    d = desk("clerk_b")
    for weak in ("short1", "1234567890123", "password123", "clerk_b-2026-pass"):
        answer = d.client.post("/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": weak},
                               headers=d.headers)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_input", weak
    assert d.client.get("/api/v1/auth/me", headers=d.headers).status_code == 200
