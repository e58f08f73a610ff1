"""The desk's sync engine: plain asyncio + httpx, no Qt (the Qt app wraps it).

- `ApiClient` (client.py): docs/api.md over one long-lived httpx.AsyncClient; expected failures
  are `SyncError`s (errors.py) with a sentence in Chinese and English.
- `SyncEngine` (engine.py): push the outbox, pull each scope, verify checksums, stay live on SSE.
- `desk_runner.py`: a headless desk process for the end-to-end fault suite and benchmarks.

The local store it drives (local_store/, written alongside) follows this contract:

# Contract between local_store/ (the desk's offline store) and desktop/sync/ (the sync engine)

Both sides are Python, no Qt. Wire models: domain/sync.py (Mutation, PushRequest, PushResponse, MutationResult, PullPage, Change, ScopeChecksum, row_hash/combine/format_checksum), rows: domain/records.py. HTTP API: docs/api.md.

```python
# local_store/__init__.py exports Store, open_store, StoreLocked, KeyringUnavailable ...
class Store:
    @classmethod
    def open(cls, path: Path, key: bytes) -> "Store": ...        # SQLCipher file; creates or migrates; wrong key -> StoreLocked
    def close(self) -> None: ...
    client_id: str        # UUID of this desk, created on first open, kept in the store
    desk_code: str        # short code used in provisional numbers P-<desk_code>-<n>
    schema_version: int

    # ---- what the sync engine calls (all synchronous, thread-safe: the engine runs them in an executor) ----
    def pending_mutations(self, limit: int = 200, author: str | None = None) -> list[Mutation]: ...   # oldest first, by seq; with author: what that person's session may deliver (docs/authorship.md)
    def outbox_size(self) -> int: ...
    def deliverable_size(self, author: str) -> int: ...     # how many of the outbox that person's session may deliver
    def sign_in_author(self, staff_id: str, label: str) -> None: ...  # each change saved from now on names staff_id (outbox.author, Mutation.author)
    def sign_out_author(self) -> None: ...
    def waiting_authors(self, author: str | None) -> list[tuple[str, int]]: ...  # (label, count) of others' changes waiting for their own session
    def apply_push_results(self, results: list[MutationResult]) -> None: ...  # one transaction; applied/merged -> store canonical record, final ticket number (provisional kept searchable), remove from outbox; rejected -> row back to server state (result.record), conflict row in the conflicts inbox, remove from outbox
    def cursor(self, scope: str) -> int: ...
    def apply_pull_page(self, page: PullPage) -> None: ...   # rows + cursor in ONE transaction; cursor never goes backwards; rows with pending outbox mutations keep the desk's own pending changes visible (read your own writes)
    def reset_scope(self, scope: str) -> None: ...           # must_resync: drop the scope's synced rows and cursor, KEEP the outbox (and locally created rows not yet pushed)
    def scope_checksum(self, scope: str) -> ScopeChecksum: ...  # over server versions of the scope's rows (entity, id, version) with domain.sync.row_hash/combine
    def mark_synced(self, scope: str, at: datetime) -> None: ...
    def last_synced(self, scope: str) -> datetime | None: ...
    # session material the sync engine needs between runs (not secret; tokens go to the keyring)
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
```
Scopes: "office:<office_id>" = rows whose office_id is that office; "calendar" = calendar_day rows.
"""

from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.errors import (
    AuthFailed,
    Offline,
    ProtocolTooOld,
    RequestRefused,
    ServerError,
    SessionExpired,
    SyncError,
    Throttled,
)
from desktop.sync.messages import ChangedEvent, Event, ScreenPopEvent, Session, StreamOpened
from desktop.sync.status import InitialSyncProgress, SyncReport, SyncStatus
from desktop.sync.store import SyncStore
from desktop.sync.tokens import MemoryTokenStore, TokenStore

__all__ = [
    "ApiClient",
    "AuthFailed",
    "Backoff",
    "ChangedEvent",
    "Event",
    "InitialSyncProgress",
    "MemoryTokenStore",
    "Offline",
    "ProtocolTooOld",
    "RequestRefused",
    "ScreenPopEvent",
    "ServerError",
    "Session",
    "SessionExpired",
    "StreamOpened",
    "SyncEngine",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "SyncStore",
    "Throttled",
    "TokenStore",
]
