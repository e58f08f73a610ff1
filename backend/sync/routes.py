"""HTTP routes of /api/v1/sync."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from backend.auth import Principal
from backend.context import AppContext, context, principal, protocol
from backend.sync import pull as pulling
from backend.sync.events import EventHub
from backend.sync.pull_sql import pull_json
from backend.sync.push import push_async
from domain import bounds
from domain.sync import PullPage, PushRequest, PushResponse, ScopeChecksum

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], dependencies=[Depends(protocol)])


@router.post("/push", response_model=PushResponse)
async def push(request: Request, body: PushRequest, who: Principal = Depends(principal),
               ctx: AppContext = Depends(context)) -> Response:
    answer = await push_async(ctx, who, body)
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.count_push(result.status for result in answer.results)
    # Serialised once here: FastAPI would otherwise dump, re-validate and dump the model again.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/pull", response_model=PullPage, response_model_exclude_none=False)
def pull(
    scope: str = Query(min_length=1, max_length=96, pattern=bounds.SCOPE_FIELD_PATTERN),
    cursor: int = Query(default=0, ge=0, le=2**62),
    limit: int = Query(default=1000, ge=1, le=pulling.MAX_LIMIT),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> Response:
    pulling.check_scope(who, scope)
    if pulling.sees_full_identity(who):  # nothing to mask: on SQLite the rows come back as JSON already
        return Response(pull_json(ctx.database, scope, cursor, limit), media_type="application/json")
    # Built as plain dicts and dumped once: pydantic per change dominated a 5,000-row page.
    page = pulling.mask_page(pulling.pull(ctx.database, scope, cursor, limit))
    return Response(pulling.page_json(page), media_type="application/json")


@router.get("/checksum", response_model=ScopeChecksum)
def checksum(
    scope: str = Query(min_length=1, max_length=96, pattern=bounds.SCOPE_FIELD_PATTERN),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> ScopeChecksum:
    pulling.check_scope(who, scope)
    return pulling.checksum(ctx.database, scope)


@router.get("/events", response_class=StreamingResponse)
async def events(
    request: Request,
    scope: str = Query(min_length=1, max_length=96, pattern=bounds.SCOPE_FIELD_PATTERN),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> StreamingResponse:
    pulling.check_scope(who, scope)
    hub: EventHub = request.app.state.events
    current = (await run_in_threadpool(pulling.checksum, ctx.database, scope)).cursor
    return StreamingResponse(
        hub.stream(scope, who.staff_id, who.session_id, current),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
