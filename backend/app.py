"""The FastAPI application: `create_app(settings)` wires storage, auth, sync, workflow and channels."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, ConfigDict

from backend import (
    attachments,
    audit,
    auth_routes,
    channels,
    dispatch_locks,
    power_quality,
    power_quality_report,
    presence,
    progress,
    sms_verification,
    survey_results,
)
from backend import evaluations as _evaluations  # noqa: F401  (registers the evaluation handler)
from backend import info_requests as _info_requests  # noqa: F401  (registers the 补充材料/信息 handlers)
from backend import survey_booking as _survey_booking  # noqa: F401  (registers survey assignment handlers)
from backend import workflow_engine as _workflow  # noqa: F401  (registers ticket handlers)
from backend.auth import AuthService
from backend.clock import DatabaseClock
from backend.compression import GzipUnlessLoopback
from backend.context import AppContext, context
from backend.db.engine import open_database
from backend.db.migrate import schema_version
from backend.efficiency import alerts as efficiency_alerts
from backend.efficiency import api as efficiency_api
from backend.http_errors import ApiError, install
from backend.limits import BodyReadTimeout, BodySizeLimit
from backend.metrics import Metrics, RequestTiming
from backend.metrics import router as metrics_router
from backend.notifications import NotificationSender  # also registers the notification handler
from backend.outage_prediction import OutagePredictor
from backend.outages import router as outages_router  # also registers the outage event handlers
from backend.settings import Clock, Settings
from backend.sms import gateway_for
from backend.supervision import ActionReminders  # also registers the meeting and 督办 handlers
from backend.sync import mutations as _mutations  # noqa: F401  (registers the mutation handlers)
from backend.sync.events import EventHub
from backend.sync.routes import router as sync_router
from backend.sync.warm_up import warm_up
from backend.timers import TimerRunner
from domain.sync import PROTOCOL_VERSION

log = logging.getLogger(__name__)


class ClockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    now: datetime


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """The application; `clock` overrides settings.clock (tests inject one)."""
    database = open_database(settings.db_url)
    now: Clock = clock or settings.clock
    test_clock = DatabaseClock(database, now) if settings.test_clock else None
    if test_clock is not None:
        now = test_clock
    ctx = AppContext(settings=settings, database=database, clock=now, auth=AuthService(database, settings, now))
    hub = EventHub(database, settings.events_poll_seconds, settings.ping_seconds, now)
    timers = TimerRunner(ctx)
    alerts = efficiency_alerts.AlertRunner(ctx)  # anomaly rules after pushes (debounced) and on a timer
    sms = gateway_for(settings.sms_gateway, database, settings)
    notifier = NotificationSender(ctx, sms)  # customer notifications (docs/notifications.md)
    reminders = ActionReminders(ctx)  # late 督办 actions (docs/coordination.md)
    predictor = OutagePredictor(ctx)  # 故障研判 of the offices' repair calls (docs/outage.md)
    version = schema_version()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(warm_up, database, ctx.auth)
        log.info("serving: protocol %s, schema %s, database %s, process %d", PROTOCOL_VERSION, version,
                 "SQLite" if database.is_sqlite else "PostgreSQL", os.getpid())
        await hub.start()
        await timers.start()
        await notifier.start()
        await alerts.start()
        await reminders.start()
        await predictor.start()
        try:
            yield
        finally:
            await predictor.stop()
            await reminders.stop()
            await alerts.stop()
            await notifier.stop()
            await timers.stop()
            await hub.stop()
            if ctx.writer is not None:
                await asyncio.to_thread(ctx.writer.stop)
            database.dispose()

    app = FastAPI(title="OneWindow backend", version=str(PROTOCOL_VERSION), lifespan=lifespan)
    app.state.ctx = ctx
    app.state.events = hub
    app.state.timers = timers
    app.state.sms = sms
    app.state.notifier = notifier
    app.state.reminders = reminders
    install(app)
    app.add_middleware(GzipUnlessLoopback, minimum_size=1024)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(BodyReadTimeout, idle_seconds=settings.body_idle_seconds,
                       total_seconds=settings.body_total_seconds)

    metrics = Metrics(ctx, hub)  # docs/operations.md
    app.state.metrics = metrics
    app.add_middleware(RequestTiming, metrics=metrics)
    app.include_router(metrics_router(metrics, ctx, settings.metrics_token))

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, object]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "schema_version": version}

    app.include_router(auth_routes.router)
    app.include_router(sync_router)
    app.include_router(audit.router)
    app.include_router(channels.router)
    app.include_router(progress.app_router)
    app.include_router(progress.page_router)  # the customer's progress page, /p (docs/progress-lookup.md)
    app.include_router(power_quality.router)
    app.include_router(power_quality.reading)
    app.include_router(power_quality_report.router)
    app.include_router(attachments.router)
    app.include_router(survey_results.router)
    app.include_router(dispatch_locks.router)
    app.include_router(sms_verification.router)
    app.include_router(presence.router)
    app.include_router(outages_router)
    app.include_router(efficiency_api.router)
    app.include_router(efficiency_alerts.router)

    if test_clock is not None:
        testing = APIRouter(prefix="/api/v1/test", tags=["test"], include_in_schema=False)

        @testing.post("/clock")
        def set_clock(body: ClockBody, ctx: AppContext = Depends(context)) -> dict[str, str]:
            if body.now.tzinfo is None:
                raise ApiError(400, "invalid_input", "时间须带时区 / the time needs a time zone")
            test_clock.set(body.now)
            fired = timers.run_due()
            notifier.run_due()  # a message whose retry time came is handed over now
            reminders.run_due()  # a 督办 whose due day has passed is reminded now
            predictor.run_due()  # repair calls accepted at the new time are judged now
            return {"now": body.now.isoformat(), "fired": str(fired)}

        app.include_router(testing)
        app.include_router(sms_verification.testing_router)
    return app
