"""Issue 13 item 6: account control from `onewindow-server` ends sessions and refuses surprises."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD, ServerProcess

DeskFactory = Callable[[str], Desk]
NEW_PASSWORD = "another long one 2"


def cli(server: ServerProcess, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", args[0], "--db", server.db, *args[1:]],
        input=stdin, capture_output=True, text=True, timeout=60, check=False,
    )


def new_user(server: ServerProcess) -> str:
    username = f"cli_{secrets.token_hex(4)}"
    made = cli(server, "create-user", "--username", username, "--role", "clerk", "--office", "county-a",
               "--password", PASSWORD)
    assert made.returncode == 0, made.stderr
    return username


def refused_soon(desk: Desk, headers: dict[str, str]) -> int:
    """The status of /auth/me once the server's short principal cache (auth.PRINCIPAL_TTL) has let go."""
    deadline = time.monotonic() + 20
    while True:
        status = desk.client.get("/api/v1/auth/me", headers=headers).status_code
        if status != 200 or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def test_create_user_refuses_an_existing_user_and_an_unknown_office(server: ServerProcess) -> None:
    username = new_user(server)
    again = cli(server, "create-user", "--username", username, "--role", "clerk", "--office", "county-a",
                "--password", NEW_PASSWORD)
    assert again.returncode == 2 and "set-password" in again.stderr
    unknown = cli(server, "create-user", "--username", f"x{username}", "--role", "clerk", "--office", "county-zz",
                  "--password", PASSWORD)
    assert unknown.returncode == 2 and "unknown office" in unknown.stderr
    weak = cli(server, "create-user", "--username", f"y{username}", "--role", "clerk", "--office", "county-a",
               "--password", "12345678")
    assert weak.returncode == 2
    assert httpx.post(f"{server.url}/api/v1/auth/login", json={
        "username": username, "password": NEW_PASSWORD, "client_id": "x"}).status_code == 401


def test_set_password_ends_every_session(server: ServerProcess, desk: DeskFactory) -> None:
    username = new_user(server)
    d = desk(username)
    old = d.session
    changed = cli(server, "set-password", "--username", username, "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert changed.returncode == 0, changed.stderr
    assert d.client.post("/api/v1/auth/refresh", json={"refresh_token": old["refresh_token"]}).status_code == 401
    assert refused_soon(d, d.headers) == 401
    d.login(username, NEW_PASSWORD)


def test_a_disabled_user_can_neither_sign_in_nor_refresh(server: ServerProcess, desk: DeskFactory) -> None:
    username = new_user(server)
    d = desk(username)
    session = d.session
    assert cli(server, "disable-user", "--username", username).returncode == 0
    login = httpx.post(f"{server.url}/api/v1/auth/login",
                       json={"username": username, "password": PASSWORD, "client_id": "x"})
    assert login.status_code == 403 and login.json()["error"]["code"] == "account_disabled"
    assert d.client.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}).status_code == 401
    assert refused_soon(d, d.headers) == 401
    assert cli(server, "enable-user", "--username", username).returncode == 0
    d.login(username, PASSWORD)
    assert d.client.get("/api/v1/auth/me", headers=d.headers).status_code == 200


def test_set_password_on_an_unknown_user_is_refused(server: ServerProcess) -> None:
    result = cli(server, "set-password", "--username", "nobody_at_all", "--password", NEW_PASSWORD)
    assert result.returncode == 2 and "no user" in result.stderr
