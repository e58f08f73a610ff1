"""In-process embedded servers (backend.embedded, what the desk runs in demo mode) on encrypted SQLite.

Seeding the demo office (1500 customers per office) takes many seconds; `DemoTemplate` seeds it once per
session and each `start_copy` starts a server on a byte copy of that database, so every test module still
has a database of its own.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from backend.db.engine import encrypted_sqlite_url
from backend.embedded import EmbeddedServer, start_embedded

DEMO_SEED = 2026  # what start_embedded seeds with
DEMO_CUSTOMERS_PER_OFFICE = 1500


@dataclass
class DemoTemplate:
    """The demo office seeded once into `folder`, exactly as start_embedded(seed_demo=True) seeds it."""

    folder: Path
    key: bytes = field(default_factory=lambda: os.urandom(32))
    _copies: int = 0

    def __post_init__(self) -> None:
        from backend.db.migrate import upgrade
        from backend.seeding import seed_demo

        self.path = self.folder / "template.db"
        url = encrypted_sqlite_url(str(self.path), self.key)
        upgrade(url)
        seed_demo(url, seed=DEMO_SEED, customers_per_office=DEMO_CUSTOMERS_PER_OFFICE)

    def start_copy(self, folder: Path) -> tuple[EmbeddedServer, str]:
        """A demo-mode embedded server on a new copy of the template in `folder`; and its database URL."""
        self._copies += 1
        path = folder / f"demo-{self._copies}.db"
        for suffix in ("", "-wal"):  # the engines are disposed: no -shm to carry, a WAL only if not checkpointed
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{path}{suffix}")
        server = start_embedded(path, key=self.key, seed_demo=True)  # finds the offices: loads nothing more
        return server, encrypted_sqlite_url(str(path), self.key)
