"""A minimal desk for tests: signs in, pushes mutations, pulls pages."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.backend.server_process import PASSWORD

FIXED_NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in the office zone


class Desk:
    def __init__(self, base_url: str, username: str, password: str = PASSWORD) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.client_id = f"desk-{uuid.uuid4().hex[:8]}"
        self._seq = itertools.count(1)
        self.session = self.login(username, password)

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": password, "client_id": self.client_id}
        )
        assert response.status_code == 200, response.text
        session: dict[str, Any] = response.json()
        self.session = session
        return session

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.session['access_token']}", "X-OneWindow-Protocol": "1"}

    @property
    def office(self) -> str:
        return str(self.session["staff"]["office_id"])

    def mutation(self, entity: str, op: str, entity_id: str | None = None, **extra: Any) -> dict[str, Any]:
        return {
            "mutation_id": str(uuid.uuid4()),
            "client_id": self.client_id,
            "seq": next(self._seq),
            "entity": entity,
            "entity_id": entity_id or str(uuid.uuid4()),
            "op": op,
            "created_at": FIXED_NOW.isoformat(),
            **extra,
        }

    def push_raw(self, *mutations: dict[str, Any]) -> httpx.Response:
        body = {"schema_version": 1, "client_id": self.client_id, "mutations": list(mutations)}
        return self.client.post("/api/v1/sync/push", json=body, headers=self.headers)

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push_raw(*mutations)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def pull(self, scope: str, cursor: int = 0, limit: int = 1000) -> httpx.Response:
        return self.client.get(
            "/api/v1/sync/pull", params={"scope": scope, "cursor": cursor, "limit": limit}, headers=self.headers
        )

    def pull_all(self, scope: str) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, Any]]:
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        cursor = 0
        while True:
            response = self.pull(scope, cursor)
            assert response.status_code == 200, response.text
            page = response.json()
            for change in page["changes"]:
                key = (change["entity"], change["id"])
                if change["kind"] == "upsert":
                    rows[key] = change["data"]
                else:
                    rows.pop(key, None)
            cursor = page["cursor"]
            if not page["has_more"]:
                return rows, page

    def new_customer(self, **fields: Any) -> dict[str, Any]:
        values = {"name": "张三", "phone": "13800001111", "area_class": "urban", **fields}
        (result,) = self.push(self.mutation("customer", "create", fields=values))
        assert result["status"] == "applied", result
        record: dict[str, Any] = result["record"]
        return record

    def close(self) -> None:
        self.client.close()
