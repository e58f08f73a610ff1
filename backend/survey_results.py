"""Survey results from the surveyors' field devices: the assignment is done, its stage task completes,
and the workflow opens the stages that follow (the same engine path as a desk completing the stage)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.auth import Principal
from backend.channels import channel_key
from backend.context import AppContext, context
from backend.db.records import StageTaskRow, SurveyAssignmentRow, SurveyorRow
from backend.efficiency import facts as efficiency
from backend.http_errors import ApiError
from backend.store import Writer
from backend.sync.mutation_kit import Tx
from backend.workflow_engine import STAGE_TAKEN, move_stage
from domain import bounds, states

router = APIRouter(prefix="/api/v1/channels/field", tags=["channels"])
DONE = "done"
REPORTABLE = frozenset({"assigned", "accepted", "on_site"})
_OPEN_TASK = frozenset({"open", "taken", "transferred", "returned"})


class SurveyResult(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    assignment_id: str = Field(min_length=1, max_length=64)
    outcome: dict[str, Any]
    completed_at: datetime

    @field_validator("outcome")
    @classmethod
    def _outcome_bounded(cls, outcome: dict[str, Any]) -> dict[str, Any]:
        # The outcome is also nested twice inside the stage task's result (result.survey.*).
        bounds.check_json("survey_assignment.outcome", {"survey": {"outcome": outcome}})
        return outcome

    @field_validator("completed_at")
    @classmethod
    def _time_bounded(cls, completed_at: datetime) -> datetime:
        bounds.check_moment("completed_at", completed_at)
        return completed_at


class SurveyResultAnswer(BaseModel):
    assignment_id: str
    state: str
    ticket_id: str
    stage_task_state: str | None


@router.post("/survey-results", response_model=SurveyResultAnswer, dependencies=[Depends(channel_key)])
def survey_result(body: SurveyResult, ctx: AppContext = Depends(context)) -> SurveyResultAnswer:
    if body.completed_at.tzinfo is None:
        raise ApiError(400, "invalid_input", "时间须带时区 / `completed_at` needs a time zone")
    now = ctx.now()
    with ctx.database.write() as session:
        writer = Writer(session, now)
        assignment = writer.get("survey_assignment", body.assignment_id, lock=True)
        if assignment is None:
            raise ApiError(404, "not_found", "勘查单不存在 / no such survey assignment")
        if assignment.state == DONE:  # the device retried: the first report stands
            return _answer(session, assignment)
        if assignment.state not in REPORTABLE:
            label = states.state_label("survey_assignment", assignment.state)
            raise ApiError(409, "conflict", f"勘查单为「{label}」，不能回传结果 / the survey is {assignment.state}: "
                                            "no result can be reported")
        surveyor = session.get(SurveyorRow, assignment.surveyor_id) if assignment.surveyor_id else None
        field = Principal(
            staff_id=(surveyor.staff_id if surveyor is not None else None) or "system:field",
            username="system:field", role="admin", department=None, office_id=assignment.office_id,
            session_id="", offices=frozenset({assignment.office_id}),
        )
        tx = Tx(session=session, writer=writer, who=field, now=now, settings=ctx.settings)
        outcome = {"completed_at": body.completed_at.isoformat(), **body.outcome}
        writer.update("survey_assignment", assignment, {"state": DONE, "outcome": outcome})
        task = writer.get("stage_task", assignment.stage_task_id, lock=True) if assignment.stage_task_id else None
        if task is not None and task.state in _OPEN_TASK:
            changes: dict[str, Any] = {"result": {**(task.result or {}), "survey": outcome}}
            if task.state != STAGE_TAKEN or task.assignee_id is None:
                changes["assignee_id"] = field.staff_id
            move_stage(tx, task, DONE, changes)
        # as the push path does: the stage done, and a remote survey done is a customer trip avoided
        efficiency.refresh_ticket(session, assignment.ticket_id, now, field.staff_id)
        writer.finish()
        return _answer(session, assignment)


def _answer(session: Any, assignment: SurveyAssignmentRow) -> SurveyResultAnswer:
    task = session.get(StageTaskRow, assignment.stage_task_id) if assignment.stage_task_id else None
    return SurveyResultAnswer(assignment_id=assignment.id, state=assignment.state, ticket_id=assignment.ticket_id,
                              stage_task_state=task.state if task is not None else None)
