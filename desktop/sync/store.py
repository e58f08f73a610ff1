"""The part of local_store.Store the sync engine calls (see the contract in desktop/sync/__init__.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.sync import Mutation, MutationResult, PullPage, ScopeChecksum


class SyncStore(Protocol):
    client_id: str
    schema_version: int

    def pending_mutations(self, limit: int = 200, author: str | None = None) -> list[Mutation]: ...

    def outbox_size(self) -> int: ...

    def deliverable_size(self, author: str) -> int: ...  # what `author`'s session may push (docs/authorship.md)

    def apply_push_results(self, results: list[MutationResult]) -> None: ...

    def cursor(self, scope: str) -> int: ...

    def apply_pull_page(self, page: PullPage) -> None: ...

    def reset_scope(self, scope: str) -> None: ...

    def scope_checksum(self, scope: str) -> ScopeChecksum: ...

    def mark_synced(self, scope: str, at: datetime) -> None: ...

    def last_synced(self, scope: str) -> datetime | None: ...
