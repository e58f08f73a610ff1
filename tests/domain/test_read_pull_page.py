"""`read_pull_page` reads a page exactly as `PullPage.model_validate_json` does: the same page from what a server
sends, the same refusal (ValidationError) of anything the model refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.sync import PullPage, read_pull_page


def _change(seq: int = 3, **fields: Any) -> dict[str, Any]:
    return {"seq": seq, "entity": "customer", "id": f"c-{seq}", "kind": "upsert", "version": 2,
            "data": {"id": f"c-{seq}", "name": "王\u2028", "nested": {"a": [1, 2.5, None, True]}}, **fields}


def _page(*changes: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    return {"scope": "office:o", "changes": list(changes), "cursor": 9, "has_more": True, "must_resync": False,
            "reason": None, "checksum": None, "count": None, **envelope}


def _same(body: bytes) -> None:
    try:
        expected = PullPage.model_validate_json(body)
    except ValidationError:
        with pytest.raises(ValidationError):
            read_pull_page(body)
        return
    page = read_pull_page(body)
    assert page == expected and page.model_dump() == expected.model_dump()
    assert [type(change) for change in page.changes] == [type(change) for change in expected.changes]


@pytest.mark.parametrize("page", [
    _page(),
    _page(_change(1), _change(2, kind="remove", data=None), _change(3, kind="delete", data=None)),
    _page(_change(4), has_more=False, checksum="00ff", count=7),
    _page(must_resync=True, reason="cursor_compacted", has_more=False),
    {k: v for k, v in _page().items() if k not in ("must_resync", "reason", "checksum", "count")},
])
def test_a_page_as_servers_send_it_reads_the_same(page: dict[str, Any]) -> None:
    _same(json.dumps(page, ensure_ascii=False).encode())


@pytest.mark.parametrize("change", [
    {k: v for k, v in _change().items() if k != "data"},  # data may be left out (None)
    {k: v for k, v in _change().items() if k != "version"},
    _change(extra="x"),
    _change(seq="3"), _change(seq=True), _change(seq=3.0), _change(seq=None),
    _change(version="2"), _change(version=2.5),
    _change(kind="upsertt"), _change(entity=1), _change(id=None),
    _change(data=[1]), _change(data="x"),
    [1, 2],
])
def test_an_odd_change_is_read_or_refused_as_the_model_does(change: Any) -> None:
    _same(json.dumps(_page(_change(1), change)).encode())


@pytest.mark.parametrize("body", [
    b"", b"{", b"[]", b"null", b'{"changes": 1}',
    json.dumps({k: v for k, v in _page().items() if k != "cursor"}).encode(),
    json.dumps(_page(surplus=1)).encode(),
    json.dumps(_page(has_more="yes")).encode(),
    json.dumps(_page(cursor=-1.5)).encode(),
])
def test_an_odd_envelope_is_read_or_refused_as_the_model_does(body: bytes) -> None:
    _same(body)


_json = st.recursive(st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                     max_leaves=8)


@given(st.lists(st.dictionaries(st.sampled_from(["seq", "entity", "id", "kind", "version", "data", "x"]), _json,
                                max_size=7), max_size=4))
def test_any_changes_are_read_or_refused_as_the_model_does(changes: list[dict[str, Any]]) -> None:
    _same(json.dumps(_page(*changes)).encode())
