"""Issue 13 item 11: attachment access follows the records the caller may read, never who uploaded first."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection

DeskFactory = Callable[[str], Desk]


def _content() -> bytes:
    return b"%PDF-1.4\n" + secrets.token_bytes(5000)


def _url(content: bytes) -> str:
    return f"/api/v1/attachments/{hashlib.sha256(content).hexdigest()}"


def _put(desk: Desk, content: bytes, offset: int, chunk: bytes, size: int | None = None) -> Any:
    return desk.client.put(_url(content), params={"offset": offset}, content=chunk, headers={
        **desk.headers, "X-Attachment-Size": str(size or len(content)), "Content-Type": "application/pdf"})


def _attach(desk: Desk, content: bytes) -> dict[str, Any]:
    ticket = create_connection(desk)
    fields = {"ticket_id": ticket["entity_id"], "sha256": hashlib.sha256(content).hexdigest(), "filename": "身份证.pdf",
              "media_type": "application/pdf", "size": len(content), "created_at": FIXED_NOW.isoformat(),
              "created_by": "x", "uploaded": False}
    (result,) = desk.push(desk.mutation("attachment", "create", fields=fields))
    assert result["status"] == "applied", result
    record: dict[str, Any] = result["record"]
    return record


def test_a_started_or_failed_upload_does_not_own_the_hash(desk: DeskFactory) -> None:
    owner, squatter = desk("clerk_a"), desk("clerk_b")
    for attempt in ("started", "failed"):
        content = _content()
        if attempt == "started":
            assert _put(squatter, content, 0, b"x" * 10).status_code == 200
        else:
            garbage = secrets.token_bytes(len(content))
            assert _put(squatter, content, 0, garbage).status_code == 409  # hash_mismatch
        record = _attach(owner, content)
        done = _put(owner, content, 0, content)
        assert done.status_code == 200 and done.json()["complete"] is True, (attempt, done.text)
        download = owner.client.get(_url(content), headers=owner.headers)
        assert download.status_code == 200 and download.content == content
        rows, _ = owner.pull_all("office:county-a")
        assert rows[("attachment", record["id"])]["uploaded"] is True
        # The squatter's office holds no record: nothing to see.
        assert squatter.client.get(_url(content), headers=squatter.headers).status_code == 404


def test_knowing_a_hash_is_not_having_the_file(desk: DeskFactory) -> None:
    owner, stranger = desk("clerk_a"), desk("clerk_b")
    content = _content()
    _attach(owner, content)
    assert _put(owner, content, 0, content).json()["complete"] is True
    # The stranger names the same hash on a ticket of its own office.
    record = _attach(stranger, content)
    assert record["uploaded"] is False
    assert stranger.client.get(_url(content), headers=stranger.headers).status_code == 404
    assert stranger.client.head(_url(content), headers=stranger.headers).status_code == 404
    assert _put(stranger, content, 0, content[:100]).status_code == 409  # a part proves nothing
    assert stranger.client.get(_url(content), headers=stranger.headers).status_code == 404
    # Sending the whole file proves it.
    assert _put(stranger, content, 0, content).json()["complete"] is True
    download = stranger.client.get(_url(content), headers=stranger.headers)
    assert download.status_code == 200 and download.content == content


def test_head_and_get_answer_alike_for_stored_and_unknown_hashes(desk: DeskFactory) -> None:
    owner, stranger = desk("clerk_a"), desk("clerk_b")
    content = _content()
    _attach(owner, content)
    assert _put(owner, content, 0, content).json()["complete"] is True
    unknown = _content()
    for method in ("HEAD", "GET"):
        stored = stranger.client.request(method, _url(content), headers=stranger.headers).status_code
        missing = stranger.client.request(method, _url(unknown), headers=stranger.headers).status_code
        assert stored == missing == 404, method
    assert owner.client.head(_url(content), headers=owner.headers).headers["X-Complete"] == "true"
