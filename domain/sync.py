"""The sync protocol's wire models, shared by the desk and the backend.

Push: the desk sends its outbox in order; each mutation carries an idempotency key
(`mutation_id`), the desk's id and sequence number, and either changed fields with
their base values or a state transition as an intent. The server answers each one
with applied / merged / rejected and never applies a mutation id twice.

Pull: per scope (`office:<id>`, `calendar`), a change sequence that only grows.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain import bounds
from domain.errors import InvalidInput

PROTOCOL_VERSION = 1
# The oldest protocol a server still accepts; older desks get a clear "please upgrade".
MIN_PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-OneWindow-Protocol"

MutationOp = Literal["create", "update", "transition", "delete"]
ResultStatus = Literal["applied", "merged", "rejected"]
ChangeKind = Literal["upsert", "remove", "delete"]  # remove: left the scope; delete: gone


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


_ID = Field(min_length=1, max_length=bounds.ID_MAX_LENGTH)
_BIGINT = bounds.JSON_INT_MAX  # a sequence or version a database column can hold


class TransitionIntent(_Wire):
    """ "Move from `from_state` to `to_state`": the server checks it, never a raw status write."""

    from_state: str = Field(max_length=32)
    to_state: str = Field(max_length=32)
    reason: str | None = None

    @field_validator("reason")
    @classmethod
    def _reason_bounded(cls, reason: str | None) -> str | None:
        return bounds.check_text("transition.reason", reason)


class Mutation(_Wire):
    mutation_id: str = _ID  # UUIDv7, the idempotency key
    client_id: str = _ID
    seq: int = Field(ge=1, le=_BIGINT)  # per-client, grows by one per mutation
    entity: str = Field(min_length=1, max_length=32)
    entity_id: str = _ID
    op: MutationOp
    base_version: int | None = Field(default=None, ge=0, le=_BIGINT)
    fields: dict[str, Any] = Field(default_factory=dict)
    base: dict[str, Any] = Field(default_factory=dict)  # base values of the changed fields
    transition: TransitionIntent | None = None
    created_at: datetime
    # Staff id of who made the change, stamped by the desk when it was saved (docs/authorship.md). Optional in
    # protocol 1: a desk of an older version sends none; the server then only knows the delivering session.
    author: str | None = Field(default=None, min_length=1, max_length=bounds.ID_MAX_LENGTH)

    @model_validator(mode="after")
    def _within_bounds(self) -> Mutation:
        """Ids and the time within domain.bounds: what the desk's own code writes, so a breach refuses the
        request. The changed values are checked by `value_problem`, one mutation at a time."""
        bounds.check_id("mutation.mutation_id", self.mutation_id)
        bounds.check_id("mutation.client_id", self.client_id)
        bounds.check_id("mutation.entity_id", self.entity_id)
        bounds.check_id("mutation.author", self.author)
        bounds.check_moment("mutation.created_at", self.created_at)
        return self

    def value_problem(self) -> InvalidInput | None:
        """Why a changed value is out of domain.bounds, or None. Asked per mutation — by the desk before it
        queues one, by the server before it applies one — so one bad value is one rejection in the conflicts
        inbox, never a refused batch that strands the outbox behind it."""
        try:
            for values in (self.fields, self.base):
                if len(values) > bounds.JSON_MAX_FIELDS:
                    raise InvalidInput(
                        f"{self.entity}：字段过多", f"{self.entity}: too many fields", field=self.entity
                    )
                for name, value in values.items():
                    bounds.check_text("mutation.field_name", name)
                    bounds.check_json(f"{self.entity}.{name[:64]}", value)
        except InvalidInput as problem:
            return problem
        return None


class PushRequest(_Wire):
    protocol: int = Field(default=PROTOCOL_VERSION, ge=0, le=2**31)
    schema_version: int = Field(ge=0, le=2**31)
    client_id: str = _ID
    mutations: list[Mutation] = Field(max_length=500)


class FieldConflict(_Wire):
    field: str
    base: Any = None
    mine: Any = None
    theirs: Any = None


class MutationResult(_Wire):
    mutation_id: str
    status: ResultStatus
    entity: str
    entity_id: str
    version: int | None = None
    record: dict[str, Any] | None = None  # the canonical server row after the mutation
    ticket_number: str | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    code: str | None = None  # stable machine code of a rejection
    reason: str | None = None  # the human sentence for the conflicts inbox


class PushResponse(_Wire):
    results: list[MutationResult]
    server_time: datetime


class Change(_Wire):
    seq: int
    entity: str
    id: str
    kind: ChangeKind
    version: int
    data: dict[str, Any] | None = None


class PullPage(_Wire):
    scope: str
    changes: list[Change]
    cursor: int  # where the next pull starts; never smaller than the one sent
    has_more: bool
    must_resync: bool = False
    reason: str | None = None
    checksum: str | None = None  # scope checksum at `cursor`, sent with the last page
    count: int | None = None


class ScopeChecksum(_Wire):
    scope: str
    cursor: int
    checksum: str
    count: int


_MASK64 = (1 << 64) - 1


def row_hash(entity: str, entity_id: str, version: int) -> int:
    """A 64-bit digest of one row's identity and version, the unit of the scope checksum."""
    digest = hashlib.sha256(f"{entity}|{entity_id}|{version}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def combine(total: int, add: int = 0, remove: int = 0) -> int:
    """Order-independent running checksum: a sum modulo 2**64, so either side can update it in place."""
    return (total + add - remove) & _MASK64


def format_checksum(total: int) -> str:
    return f"{total:016x}"


def scope_of_office(office_id: str) -> str:
    return f"office:{office_id}"


CALENDAR_SCOPE = "calendar"


_CHANGE_FIELDS = frozenset(Change.model_fields)
_CHANGE_KINDS = frozenset(("upsert", "remove", "delete"))
_set_attribute = object.__setattr__


def _change(item: Any) -> Change | None:
    """A `Change` from a decoded JSON object whose fields have exactly the wire types, else None (pydantic decides).

    Built as `model_construct` builds it, for the checked values only: validating each change through the
    model was most of the time a desk spent reading a page."""
    if type(item) is not dict or item.keys() != _CHANGE_FIELDS:
        return None
    data = item["data"]
    if (type(item["seq"]) is not int or type(item["version"]) is not int or type(item["entity"]) is not str
            or type(item["id"]) is not str or item["kind"] not in _CHANGE_KINDS
            or (data is not None and type(data) is not dict)):
        return None
    change = Change.__new__(Change)
    _set_attribute(change, "__dict__", item)
    _set_attribute(change, "__pydantic_fields_set__", _CHANGE_FIELDS)
    _set_attribute(change, "__pydantic_extra__", None)
    _set_attribute(change, "__pydantic_private__", None)
    return change


def read_pull_page(body: bytes) -> PullPage:
    """`PullPage.model_validate_json(body)`, several times faster for a page as servers send it.

    The envelope is validated by the model; each change whose fields have exactly the wire's JSON types is taken
    as it is (`_change`); anything else (a missing field, a string for a number, an unknown kind) goes through
    the model, which accepts or refuses it as it always did (ValidationError)."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        return PullPage.model_validate_json(body)  # raises the model's own error
    items = decoded.get("changes") if type(decoded) is dict else None
    if type(items) is not list:
        return PullPage.model_validate_json(body)
    changes: list[Change] = []
    append = changes.append
    for item in items:
        change = _change(item)
        if change is None:
            return PullPage.model_validate_json(body)
        append(change)
    page = PullPage.model_validate({**decoded, "changes": []})
    page.changes = changes
    return page
