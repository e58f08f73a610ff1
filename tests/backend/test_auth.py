"""Sign-in, refresh rotation, reuse detection, logout, password change, throttling."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD, ServerProcess


def test_login_gives_session_with_scopes(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    d = desk("clerk_a")
    assert d.session["scopes"] == ["office:county-a", "calendar"]
    assert d.session["staff"]["role"] == "clerk"
    me = d.client.get("/api/v1/auth/me", headers=d.headers)
    assert me.status_code == 200
    assert me.json()["staff"]["username"] == "clerk_a"


def test_wrong_password_is_refused(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "clerk_a", "password": "nope", "client_id": "x"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_missing_token_is_unauthenticated(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    response = httpx.get(f"{server.url}/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_refresh_rotates_and_reuse_revokes_the_family(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    d = desk("hotline_a")
    first = d.session
    rotated = d.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    reused = d.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "refresh_reused"
    # The whole family is gone: the newest refresh token and its access token no longer work.
    after = d.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    me = d.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert me.status_code == 401


def test_logout_ends_the_session(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    d = desk("dispatcher_a")
    headers = d.headers
    assert d.client.get("/api/v1/auth/me", headers=headers).status_code == 200  # the server now knows the token
    assert d.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert d.client.get("/api/v1/auth/me", headers=headers).status_code == 401
    refresh = d.client.post("/api/v1/auth/refresh", json={"refresh_token": d.session["refresh_token"]})
    assert refresh.status_code == 401


def test_password_change_ends_every_session(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    one, two = desk("marketing_a"), desk("marketing_a")
    assert two.client.get("/api/v1/auth/me", headers=two.headers).status_code == 200
    new = "a brand new pass"
    changed = one.client.post(
        "/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": new}, headers=one.headers
    )
    assert changed.status_code == 204
    try:
        assert one.client.get("/api/v1/auth/me", headers=one.headers).status_code == 401
        assert two.client.get("/api/v1/auth/me", headers=two.headers).status_code == 401
        one.login("marketing_a", new)
    finally:
        back = one.client.post(
            "/api/v1/auth/password", json={"old_password": new, "new_password": PASSWORD}, headers=one.headers
        )
        assert back.status_code == 204


def test_five_failures_throttle_with_retry_after(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    body = {"username": "nobody_here", "password": "wrong", "client_id": "x"}
    codes = [httpx.post(f"{server.url}/api/v1/auth/login", json=body).status_code for _ in range(5)]
    assert codes == [401] * 5
    throttled = httpx.post(f"{server.url}/api/v1/auth/login", json=body)
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= 60


def test_old_protocol_is_refused_with_426(server: ServerProcess, desk: Callable[[str], Desk]) -> None:
    d = desk("clerk_a")
    response = d.client.get(
        "/api/v1/sync/checksum", params={"scope": "calendar"}, headers={**d.headers, "X-OneWindow-Protocol": "0"}
    )
    assert response.status_code == 426
    assert response.json()["error"]["code"] == "protocol_too_old"
