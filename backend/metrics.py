"""What an operator watches: Prometheus metrics at `GET /metrics` and readiness at `GET /readyz` (docs/operations.md).

Each server process has its own registry (several processes behind one address are scraped one by one, as
Prometheus does with replicas). Measured as they happen: HTTP request latency by route template and status class
(never the raw path: a customer id in a path would be a label), and push outcomes by result status. Read when
scraped, from the database: customer notifications waiting to be sent, SLA timers armed and those past their
instant but not yet fired (a timer loop that stopped shows here first), open change-log scopes' event streams.
Nothing here names a customer or a member of staff.

`/metrics` answers loopback clients; from elsewhere only with `Authorization: Bearer <ONEWINDOW_METRICS_TOKEN>`
(a reverse proxy forwards as loopback: do not route /metrics through it, or set the token).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.db.migrate import head_revision
from backend.db.ops_tables import SlaTimer
from backend.db.records import NotificationRow
from backend.http_errors import ApiError

if TYPE_CHECKING:
    from backend.context import AppContext
    from backend.sync.events import EventHub

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})


class Metrics:
    """One process's metrics."""

    def __init__(self, ctx: AppContext, hub: EventHub) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Histogram("onewindow_http_request_seconds", "HTTP requests by route and status class",
                                  ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.pushed = Counter("onewindow_push_mutations", "Pushed mutations by result status", ["status"],
                              registry=self.registry)
        self.registry.register(_Backlog(ctx, hub))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def count_push(self, statuses: Iterator[str]) -> None:
        for status in statuses:
            self.pushed.labels(status=status).inc()


class _Backlog(Collector):
    """Queues and timers, read from the database when scraped."""

    def __init__(self, ctx: AppContext, hub: EventHub) -> None:
        self._ctx = ctx
        self._hub = hub

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._ctx.now()
        with self._ctx.database.read() as session:
            notifications = dict(session.execute(
                select(NotificationRow.state, func.count()).where(NotificationRow.state.in_(("queued", "sending")))
                .group_by(NotificationRow.state)).all())
            armed = session.execute(select(func.count()).select_from(SlaTimer).where(
                SlaTimer.fired_at.is_(None), SlaTimer.cancelled.is_(False))).scalar_one()
            late = session.execute(select(func.count()).select_from(SlaTimer).where(
                SlaTimer.fired_at.is_(None), SlaTimer.cancelled.is_(False), SlaTimer.fire_at <= now)).scalar_one()
        waiting = GaugeMetricFamily("onewindow_notifications_waiting", "Customer notifications not yet sent",
                                    labels=["state"])
        for state in ("queued", "sending"):
            waiting.add_metric([state], int(notifications.get(state, 0)))
        yield waiting
        yield GaugeMetricFamily("onewindow_sla_timers_armed", "SLA timers armed, not yet fired", value=int(armed))
        yield GaugeMetricFamily("onewindow_sla_timers_late", "SLA timers past their instant and not yet fired",
                                value=int(late))
        yield GaugeMetricFamily("onewindow_event_streams", "Desks' live event streams open on this process",
                                value=self._hub.open_streams())


class RequestTiming:
    """ASGI middleware: each HTTP request's time to its response's start (a live event stream counts until its
    headers go out, not for the hours it stays open), by method, route template and status class."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        observed = False

        def observe(status: int) -> None:
            nonlocal observed
            if not observed:
                observed = True
                path = getattr(scope.get("route"), "path", None)
                self.metrics.requests.labels(
                    method=scope["method"], route=path if isinstance(path, str) else "unmatched",
                    status=f"{status // 100}xx").observe(time.perf_counter() - started)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                observe(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            observe(500)  # no response started: the request failed inside


def router(metrics: Metrics, ctx: AppContext, token: str | None) -> APIRouter:
    operations = APIRouter(tags=["operations"])

    @operations.get("/metrics", include_in_schema=False)
    def scrape(request: Request) -> Response:
        given = request.headers.get("authorization", "")
        if token is not None:
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise ApiError(401, "unauthorized", "需要指标口令 / the metrics token is required")
        elif (request.client.host if request.client else "") not in _LOOPBACK:
            raise ApiError(403, "forbidden", "指标只对本机开放 / metrics answer loopback clients only")
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @operations.get("/readyz", include_in_schema=False)
    def ready() -> Any:
        """Ready when the database answers and holds the schema this server was built for; 503 otherwise."""
        try:
            with ctx.database.read() as session:
                session.execute(text("SELECT 1"))
                current = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception as error:  # the database is away: not ready, say why in words an operator reads
            raise ApiError(503, "not_ready",
                           f"数据库不可用 / the database does not answer ({type(error).__name__})") from None
        expected = head_revision()
        if current != expected:
            raise ApiError(503, "not_ready", f"数据库结构为 {current}，需要 {expected} / schema {current}, needs "
                                             f"{expected}: run onewindow-server migrate")
        return {"status": "ready", "schema_version": expected}

    return operations
