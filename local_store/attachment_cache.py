"""Attachments downloaded during a session (ID-card scans among them), kept in a SQLCipher file beside the
store under a key derived from the store's key: never a plaintext file, and dropped at sign-out."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from local_store.engine import connect

CACHE_SUFFIX = ".attachments"
_SCHEMA = "CREATE TABLE IF NOT EXISTS cached (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)"


def cache_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + CACHE_SUFFIX)


class AttachmentCache:
    """sha256 -> bytes, verified on the way in and out; one connection, opened on first use."""

    def __init__(self, path: Path, key: bytes) -> None:
        self._path = path
        self._key = key
        self._lock = threading.Lock()
        self._connection: sqlcipher.Connection | None = None

    def _db(self) -> sqlcipher.Connection:
        if self._connection is None:
            self._connection = connect(self._path, self._key)
            self._connection.execute(_SCHEMA)
        return self._connection

    def get(self, sha256: str) -> bytes | None:
        with self._lock:
            if self._connection is None and not self._path.exists():
                return None
            row = self._db().execute("SELECT data FROM cached WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            return None
        data = bytes(row[0])
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def put(self, sha256: str, data: bytes) -> None:
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("the attachment's content does not match its sha256")
        with self._lock:
            self._db().execute("INSERT OR REPLACE INTO cached (sha256, data) VALUES (?, ?)", (sha256, data))

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def purge(self) -> None:
        """Close and delete the cache file (with its WAL): nothing of this session's downloads stays."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            for suffix in ("", "-wal", "-shm", "-journal"):
                self._path.with_name(self._path.name + suffix).unlink(missing_ok=True)
