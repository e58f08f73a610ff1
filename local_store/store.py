"""The desk's encrypted offline store: open it, and everything the UI and the sync engine ask of it.

The contract with the sync engine (desktop/sync/) is in local_store/README.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Self

import uuid6
from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.exc import SQLAlchemyError

from domain.catalogue import Catalogue
from local_store import checksums, deferred_indexes
from local_store.actions import TransitionRule
from local_store.attachment_cache import AttachmentCache, cache_path
from local_store.attachments import AttachmentQueue
from local_store.base import Clock, set_meta_in, utc_now
from local_store.engine import WRITE_OPTION, connect, create_store_engine
from local_store.info_requests import InfoRequests
from local_store.migrate import current_revision, schema_version, upgrade
from local_store.notifications import Notifications
from local_store.office_reads import OfficeReads
from local_store.outages import Outages
from local_store.ratings import Ratings
from local_store.replay import FTS_INSERT_ABOVE, SQL, TOP_CUSTOMER_ROWID, driver, insert_values
from local_store.rows import to_row
from local_store.schema import ENTITY_TABLES, meta, server_shadow, sync_scope
from local_store.search import CustomerSearch
from local_store.supervision import Supervision
from local_store.sync_side import SyncSide

log = logging.getLogger(__name__)

OUTBOX_RECORD_SUFFIX = ".outbox"
STORE_FILE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".salt", OUTBOX_RECORD_SUFFIX)


def _meta_value(connection: Connection, key: str) -> str | None:
    return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def _restore_deferred_indexes(engine: Engine) -> None:
    """Indexes a long pull dropped and did not live to build again (local_store.deferred_indexes) are built
    before the migrations run: they expect the schema the pull found."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        db = driver(connection)
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
            return  # a new file
        if built := deferred_indexes.restore(db):
            log.info("built %d index(es) an interrupted pull had left to its end", built)


def _derived_key(key: bytes, purpose: str) -> bytes:
    """A separate 32-byte key for another file of this store (one secret, one key per use)."""
    return hmac.new(key, f"onewindow:{purpose}".encode(), hashlib.sha256).digest()


def outbox_record_path(path: Path) -> Path:
    """A small unencrypted sidecar holding only how many changes the store has not pushed yet, so a desk
    whose key was lost can still say what moving the store aside would leave behind."""
    return path.with_name(path.name + OUTBOX_RECORD_SUFFIX)


def recorded_outbox(path: Path) -> tuple[int, str | None] | None:
    """(unpushed changes, when counted) as last recorded beside the store at `path`; None if never."""
    try:
        data = json.loads(outbox_record_path(Path(path)).read_text("utf-8"))
        return int(data["outbox"]), data.get("at")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def rekey_store(path: Path, old_key: bytes, new_key: bytes) -> None:
    """Re-encrypt the store at `path` from `old_key` to `new_key` (the WAL is checkpointed first, so no
    page under the old key stays behind). StoreLocked when `old_key` does not open it."""
    if len(new_key) != 32:
        raise ValueError("the store key must be 32 bytes")
    connection = connect(Path(path), old_key)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def move_store_aside(path: Path, now: datetime) -> Path:
    """Rename the store file and its companions (WAL, salt, outbox record) to `<name>.lost-<time>`: kept,
    never deleted, so the old data can still be opened if its key turns up. Returns the new store path."""
    path = Path(path)
    target = path.with_name(f"{path.name}.lost-{now:%Y%m%d-%H%M%S}")
    for suffix in STORE_FILE_SUFFIXES:
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.replace(target.with_name(target.name + suffix))
    return target


class Store(SyncSide, Ratings, Notifications, Supervision, InfoRequests, Outages, AttachmentQueue, OfficeReads,
            CustomerSearch):
    """One desk's SQLCipher store. Thread-safe: every call takes its own pooled connection."""

    @classmethod
    def open(
        cls,
        path: Path,
        key: bytes,
        *,
        clock: Clock = utc_now,
        desk_code: str | None = None,
        catalogue: Catalogue | None = None,
        transition_rule: TransitionRule | None = None,
    ) -> Self:
        """Open (or create) the store at `path`, migrating it to the current schema; wrong key -> StoreLocked."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_store_engine(path, key)
        try:
            _restore_deferred_indexes(engine)
            upgrade(engine)
            store = cls(engine, clock)
            store._catalogue = catalogue
            store._transition_rule = transition_rule
            store._initialise_identity(desk_code)
            store.schema_version = schema_version(current_revision(engine))
            store._path = path
            store.outbox_size()
            # Downloads belong to one session: a cache left by a crash goes now.
            store._attachment_cache = AttachmentCache(cache_path(path), _derived_key(key, "attachment-cache"))
            store._attachment_cache.purge()
        except BaseException:
            engine.dispose()
            raise
        return store

    def _initialise_identity(self, desk_code: str | None) -> None:
        with self._write() as connection:
            client_id = _meta_value(connection, "client_id")
            if client_id is None:
                client_id = str(uuid6.uuid7())
                set_meta_in(connection, "client_id", client_id)
            code = _meta_value(connection, "desk_code")
            if desk_code is not None and desk_code != code:
                code = self._checked_desk_code(desk_code)
                set_meta_in(connection, "desk_code", code)
            elif code is None:
                code = client_id.replace("-", "")[-6:].upper()  # random tail of the UUIDv7
                set_meta_in(connection, "desk_code", code)
        self.client_id = client_id
        self.desk_code = code

    @staticmethod
    def _checked_desk_code(code: str) -> str:
        from domain.errors import InvalidInput

        cleaned = code.strip().upper()
        if not cleaned.isascii() or not cleaned.isalnum() or not 1 <= len(cleaned) <= 12:
            raise InvalidInput("窗口代码应为1至12位字母或数字", "A desk code has 1 to 12 letters or digits", field="desk_code")
        return cleaned

    _path: Path | None = None
    _recorded_outbox: int | None = None

    def outbox_size(self) -> int:
        """The outbox count, also recorded beside the store when it changes (see `recorded_outbox`)."""
        count = super().outbox_size()
        if count != self._recorded_outbox and self._path is not None:
            record = outbox_record_path(self._path)
            partial = record.with_name(record.name + ".part")
            try:
                partial.write_text(json.dumps({"outbox": count, "at": self._clock().isoformat()}), "utf-8")
                partial.replace(record)
            except OSError:  # only a hint for a lost key; never worth failing the caller
                return count
            self._recorded_outbox = count
        return count

    # ---- the signed-in session's scopes -------------------------------------------------------------

    def limit_to_scopes(self, scopes: Iterable[str], *, full_identity: bool | None = None) -> int:
        """Keep only what the signed-in session may see: searches show its offices' customers; rows of other
        offices (an earlier session's scopes) are dropped with their scope cursors, so the desk never shows
        another office's customers. The outbox and rows with pending changes stay until they are delivered.

        `full_identity` says whether the session's role receives customers' ID numbers, phones and names
        whole (domain.roles.VERIFIER_ROLES) or masked by the server. When it differs from the rows on the
        desk (a clerk signing in where department staff worked, or the other way round), the offices' rows
        are dropped and pulled again as this role receives them: a clerk is never left with masked
        customers, and a role that may not hold full identities never keeps another role's.
        Returns how many rows were dropped."""
        wanted = set(scopes)
        offices = frozenset(scope.removeprefix("office:") for scope in wanted if scope.startswith("office:"))
        self._session_offices = offices
        if full_identity is not None:
            self._match_identity(full_identity, sorted(scope for scope in wanted if scope.startswith("office:")))
        dropped = 0
        with self._write() as connection:
            previous = _meta_value(connection, "session_offices")
            set_meta_in(connection, "session_offices", json.dumps(sorted(offices)))
            if previous is not None and set(json.loads(previous)) <= offices:
                return 0  # the same offices or more: nothing of another office can be here
            for entity, table in ENTITY_TABLES.items():
                if entity == "calendar_day":
                    continue
                pending = select(server_shadow.c.entity_id).where(server_shadow.c.entity == entity)
                result = connection.execute(
                    delete(table).where(table.c.office_id.not_in(offices), table.c.id.not_in(pending)))
                dropped += max(result.rowcount, 0)
            other_scopes = sync_scope.c.scope.like("office:%") & sync_scope.c.scope.not_in(sorted(wanted))
            connection.execute(delete(sync_scope).where(other_scopes))
        return dropped

    def _match_identity(self, full_identity: bool, office_scopes: list[str]) -> None:
        wanted = "full" if full_identity else "masked"
        with self._write() as connection:
            previous = _meta_value(connection, "identity_visibility")
        if previous == wanted:
            return
        # Rows pulled under the other visibility (or by a version that did not record it): pull them again.
        # The record is written after the reset, so a crash in between resets again at the next sign-in.
        for scope in office_scopes:
            self.reset_scope(scope)
        with self._write() as connection:
            set_meta_in(connection, "identity_visibility", wanted)
        if previous is not None:
            log.info("identity visibility now %s: %d office scope(s) pulled again", wanted, len(office_scopes))

    # ---- attachments downloaded in this session (encrypted, dropped at sign-out) --------------------

    _attachment_cache: AttachmentCache | None = None

    def cached_attachment(self, sha256: str) -> bytes | None:
        return self._attachment_cache.get(sha256) if self._attachment_cache is not None else None

    def cache_attachment(self, sha256: str, data: bytes) -> None:
        if self._attachment_cache is not None:
            self._attachment_cache.put(sha256, data)

    def drop_attachment_cache(self) -> None:
        """Delete this session's downloaded attachments (at sign-out)."""
        if self._attachment_cache is not None:
            self._attachment_cache.purge()

    def close(self) -> None:
        if self._attachment_cache is not None:
            self._attachment_cache.purge()
        try:
            self.outbox_size()  # the last count, should the key be lost before the next start
        except SQLAlchemyError:
            log.warning("could not count the outbox while closing the store")
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def bulk_insert_customers(self, rows: list[dict]) -> None:
        """Raw DB-API executemany of wire customer dicts (the floor of the initial-sync benchmark).

        Leaves the same searchable store as a pull: the FTS rows are added in one batch; running scope
        checksums become unknown (rescanned on the next `scope_checksum`).
        """
        values = []
        for data in rows:
            row = to_row("customer", data)
            row["server_version"] = data.get("version")
            values.append(insert_values("customer", row))
        with self._write() as connection:
            db = driver(connection)
            top = db.execute(TOP_CUSTOMER_ROWID).fetchone()[0]
            db.executemany(SQL["customer"]["insert"], values)
            db.execute(FTS_INSERT_ABOVE, (top,))
            checksums.forget_all(db)
