"""A long pull doubles its page size while pages come back full, up to CATCH_UP_PAGE_LIMIT; a server that refuses
pages that big (an older one, 422) is asked again at the configured size, and the engine stays there."""

from __future__ import annotations

import asyncio

from desktop.sync.engine import CATCH_UP_PAGE_LIMIT, INITIAL_PAGES, SyncEngine, _Tally
from desktop.sync.errors import RequestRefused
from domain.sync import PullPage, ScopeChecksum

SCOPE = "office:x"


class Server:
    """`pages` full pages, then a last one; answers 422 above `max_limit`."""

    def __init__(self, pages: int, max_limit: int, count: int = 0) -> None:
        self.pages = pages
        self.count = count
        self.max_limit = max_limit
        self.asked: list[int] = []

    async def pull(self, scope: str, cursor: int, limit: int = 1000) -> PullPage:
        self.asked.append(limit)
        if limit > self.max_limit:
            raise RequestRefused(422, "invalid_input", "limit too large")
        return PullPage(scope=scope, changes=[], cursor=cursor + 1, has_more=cursor + 1 < self.pages,
                        checksum=None if cursor + 1 < self.pages else "0" * 16, count=0)

    async def checksum(self, scope: str) -> ScopeChecksum:
        return ScopeChecksum(scope=scope, cursor=0, checksum="0" * 16, count=self.count)


class Store:
    def __init__(self) -> None:
        self.applied: list[int] = []

    def apply_pull_page(self, page: PullPage) -> None:
        self.applied.append(page.cursor)


def _pull(server: Server, page_limit: int) -> tuple[SyncEngine, Store]:
    store = Store()
    engine = SyncEngine(store, server, scopes=[SCOPE], page_limit=page_limit, live=False)  # type: ignore[arg-type]
    outcome = asyncio.run(engine._pull_pages(SCOPE, 0, _Tally()))
    assert isinstance(outcome, ScopeChecksum)
    return engine, store


def test_pages_grow_while_full_up_to_the_catch_up_size() -> None:
    server = Server(pages=9, max_limit=CATCH_UP_PAGE_LIMIT)
    _, store = _pull(server, page_limit=1000)
    assert server.asked == [1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000, 20000]
    assert store.applied == list(range(1, 10))


def test_an_older_server_keeps_the_configured_page_size() -> None:
    server = Server(pages=5, max_limit=5000)
    engine, store = _pull(server, page_limit=2000)
    assert server.asked == [2000, 4000, 8000, 2000, 2000, 2000]  # refused once, then never asked again
    assert store.applied == list(range(1, 6)) and engine._page_cap == 2000


def test_a_page_limit_above_the_catch_up_size_is_kept() -> None:
    server = Server(pages=3, max_limit=50_000)
    _pull(server, page_limit=30_000)
    assert server.asked == [30_000, 30_000, 30_000]


def test_an_initial_sync_keeps_its_pages_small_enough_to_overlap() -> None:
    """40,000 rows to fetch: pages grow to 40,000 / INITIAL_PAGES, so downloads overlap applies."""
    server = Server(pages=10, max_limit=CATCH_UP_PAGE_LIMIT, count=40_000)
    _, store = _pull(server, page_limit=1000)
    cap = 40_000 // INITIAL_PAGES
    assert server.asked == [1000, 2000, 4000] + [cap] * 7
    assert store.applied == list(range(1, 11))


def test_an_initial_sync_of_a_large_scope_still_grows_to_the_catch_up_size() -> None:
    server = Server(pages=7, max_limit=CATCH_UP_PAGE_LIMIT, count=1_000_000)
    _pull(server, page_limit=1000)
    assert server.asked == [1000, 2000, 4000, 8000, 16000, 20000, 20000]


def test_a_small_initial_sync_never_goes_below_the_configured_page_size() -> None:
    server = Server(pages=3, max_limit=CATCH_UP_PAGE_LIMIT, count=3000)
    _pull(server, page_limit=1000)
    assert server.asked == [1000, 1000, 1000]
