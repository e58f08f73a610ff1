"""The statements of a desk's first sync, compiled once at startup instead of in the first desk's requests.

SQLAlchemy compiles each statement on its first use (the session lookup of every request, a scope's state,
a pull page): 0.1-0.3 s the first desk after a restart waited for, longer than the whole initial sync of a
small office. Run before the server answers: every statement reads, none finds anything, nothing is written.
"""

from __future__ import annotations

import contextlib
import logging

from backend.auth import AuthService
from backend.db.engine import Database
from backend.http_errors import ApiError
from backend.sync import pull as pulling
from backend.sync.pull_sql import pull_json

log = logging.getLogger(__name__)
# No office has an empty id: a scope nobody wrote, so each statement runs and returns nothing.
_NOBODY = "office:"


def warm_up(database: Database, auth: AuthService) -> None:
    """Never keeps the server from starting: a failure here (a database not migrated yet) surfaces in the
    first request, as it did without the warm-up."""
    try:
        _run(database, auth)
    except Exception:
        log.info("warm-up failed; the first requests compile their statements", exc_info=True)


def _run(database: Database, auth: AuthService) -> None:
    with contextlib.suppress(ApiError):
        auth.principal("warm-up")  # no such token: the session lookup runs and answers 401
    pulling.checksum(database, _NOBODY)
    pull_json(database, _NOBODY, 0, 1)
    pulling.page_json(pulling.mask_page(pulling.pull(database, _NOBODY, 0, 1)))
