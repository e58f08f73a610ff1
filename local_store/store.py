"""The desk's encrypted offline store: open it, and everything the UI and the sync engine ask of it.

The contract with the sync engine (desktop/sync/) is in local_store/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

import uuid6
from sqlalchemy import Connection, select

from domain.catalogue import Catalogue
from local_store import checksums
from local_store.actions import TransitionRule
from local_store.attachments import AttachmentQueue
from local_store.base import Clock, set_meta_in, utc_now
from local_store.engine import create_store_engine
from local_store.migrate import current_revision, schema_version, upgrade
from local_store.office_reads import OfficeReads
from local_store.ratings import Ratings
from local_store.replay import FTS_INSERT_ABOVE, SQL, TOP_CUSTOMER_ROWID, driver, insert_values
from local_store.rows import to_row
from local_store.schema import meta
from local_store.search import CustomerSearch
from local_store.sync_side import SyncSide


def _meta_value(connection: Connection, key: str) -> str | None:
    return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


class Store(SyncSide, Ratings, AttachmentQueue, OfficeReads, CustomerSearch):
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
            upgrade(engine)
            store = cls(engine, clock)
            store._catalogue = catalogue
            store._transition_rule = transition_rule
            store._initialise_identity(desk_code)
            store.schema_version = schema_version(current_revision(engine))
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

    def close(self) -> None:
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
