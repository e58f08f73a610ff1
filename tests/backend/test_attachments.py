"""Attachments over HTTP: the metadata record first, the bytes by sha256 in resumable chunks, `uploaded` synced."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection

DeskFactory = Callable[[str], Desk]
SCOPE = "office:county-a"


def _content() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(3000)  # fresh per test: the server is shared by the session


def _metadata(desk: Desk, ticket_id: str, content: bytes, **overrides: Any) -> dict[str, Any]:
    fields = {"ticket_id": ticket_id, "sha256": hashlib.sha256(content).hexdigest(), "filename": "户口本.png",
              "media_type": "image/png", "size": len(content), "created_at": FIXED_NOW.isoformat(),
              "created_by": "someone-else", "uploaded": True, **overrides}
    return desk.mutation("attachment", "create", fields=fields)


def _put(desk: Desk, content: bytes, offset: int, chunk: bytes) -> Any:
    sha = hashlib.sha256(content).hexdigest()
    return desk.client.put(f"/api/v1/attachments/{sha}", params={"offset": offset}, content=chunk,
                           headers={**desk.headers, "X-Attachment-Size": str(len(content)), "Content-Type": "image/png"})


def test_metadata_first_then_the_upload_marks_it_uploaded(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    ticket = create_connection(clerk)
    content = _content()
    (result,) = clerk.push(_metadata(clerk, ticket["entity_id"], content))
    assert result["status"] == "applied", result
    record = result["record"]
    assert record["uploaded"] is False and record["version"] == 1  # the server decides, not the desk
    assert record["created_by"] == clerk.session["staff"]["id"] and record["office_id"] == "county-a"

    assert _put(clerk, content, 0, content[:1000]).json()["received"] == 1000
    head = clerk.client.head(f"/api/v1/attachments/{record['sha256']}", headers=clerk.headers)
    assert (head.headers["X-Received"], head.headers["X-Complete"]) == ("1000", "false")
    rows, _ = clerk.pull_all(SCOPE)
    assert rows[("attachment", record["id"])]["uploaded"] is False

    assert _put(clerk, content, 0, content[:10]).status_code == 409  # resume where the server stands, not at 0
    assert _put(clerk, content, 1000, content[1000:]).json()["complete"] is True
    other_desk = desk("hotline_a")
    rows, _ = other_desk.pull_all(SCOPE)
    synced = rows[("attachment", record["id"])]
    assert synced["uploaded"] is True and synced["version"] == 2
    download = other_desk.client.get(f"/api/v1/attachments/{record['sha256']}", headers=other_desk.headers)
    assert download.status_code == 200 and download.content == content


def test_a_record_pushed_after_its_content_arrived_is_uploaded_at_once(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    ticket = create_connection(clerk)
    content = _content()
    assert _put(clerk, content, 0, content).json()["complete"] is True
    (result,) = clerk.push(_metadata(clerk, ticket["entity_id"], content))
    assert result["status"] == "applied" and result["record"]["uploaded"] is True


def test_another_office_can_neither_attach_nor_download(desk: DeskFactory) -> None:
    clerk, stranger = desk("clerk_a"), desk("clerk_b")
    ticket = create_connection(clerk)
    content = _content()
    (refused,) = stranger.push(_metadata(stranger, ticket["entity_id"], content))
    assert (refused["status"], refused["code"]) == ("rejected", "out_of_scope")
    (applied,) = clerk.push(_metadata(clerk, ticket["entity_id"], content))
    assert _put(clerk, content, 0, content).json()["complete"] is True
    download = stranger.client.get(f"/api/v1/attachments/{applied['record']['sha256']}", headers=stranger.headers)
    assert download.status_code == 404
    rows, _ = stranger.pull_all("office:county-b")
    assert ("attachment", applied["entity_id"]) not in rows


def test_bad_metadata_is_rejected(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    ticket = create_connection(clerk)
    content = _content()
    results = clerk.push(
        _metadata(clerk, "no-such-ticket", content),
        _metadata(clerk, ticket["entity_id"], content, media_type="text/html"),
        _metadata(clerk, ticket["entity_id"], content, sha256="not-a-hash"),
    )
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "not_found"), ("rejected", "invalid_input"), ("rejected", "invalid_input")]
    admin = desk("admin_a")
    (forbidden,) = admin.push(_metadata(admin, ticket["entity_id"], content))
    assert forbidden["status"] == "rejected"
