"""Reads for the tickets area and the dispatch board: a ticket's notes, contacts and ratings, the office's
staff and surveyors, stage tasks by follower or period, survey assignments by state and time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, or_, select

from domain.records import (
    STORED,
    Evaluation,
    Interaction,
    Note,
    Staff,
    StageTask,
    SurveyAssignment,
    Surveyor,
    Ticket,
)
from local_store.queue import ACTIVE_TASK_STATES, OPEN_TICKET_STATES
from local_store.reading import ReadSide
from local_store.rows import iso_utc
from local_store.schema import ENTITY_TABLES

T = TypeVar("T")
_CHUNK = 500  # stay well under SQLite's bound-parameter limit
_ticket = ENTITY_TABLES["ticket"]
_task = ENTITY_TABLES["stage_task"]
_customer = ENTITY_TABLES["customer"]
_survey = ENTITY_TABLES["survey_assignment"]
# The columns the queue's "current stage" and SLA cells need: no JSON to decode per row.
_TASK_SUMMARY = ("id", "office_id", "version", "ticket_id", "stage_code", "department", "state", "assignee_id",
                 "opened_at", "due_at", "warn_at")


def _chunks(items: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


class OfficeReads(ReadSide):
    # ---- one ticket ------------------------------------------------------------------------------

    def ticket_notes(self, ticket_id: str) -> list[Note]:
        table = ENTITY_TABLES["note"]
        return self._many("note", select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.at, table.c.id))

    def ticket_interactions(self, ticket_id: str) -> list[Interaction]:
        table = ENTITY_TABLES["interaction"]
        statement = select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.at, table.c.id)
        return self._many("interaction", statement)

    def ticket_evaluations(self, ticket_id: str) -> list[Evaluation]:
        table = ENTITY_TABLES["evaluation"]
        statement = select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.at, table.c.id)
        return self._many("evaluation", statement)

    # ---- many tickets ----------------------------------------------------------------------------

    def tickets_by_id(self, ids: Iterable[str]) -> dict[str, Ticket]:
        found: dict[str, Ticket] = {}
        for chunk in _chunks(sorted(set(ids))):
            for ticket in self._many("ticket", select(_ticket).where(_ticket.c.id.in_(chunk))):
                found[ticket.id] = ticket
        return found

    def customer_names(self, ids: Iterable[str | None]) -> dict[str, str]:
        """Names only (screens mask them): two columns, no record building, for a page of tickets."""
        return {customer_id: name for customer_id, (name, _id_type) in self.customer_names_and_id_types(ids).items()}

    def customer_names_and_id_types(self, ids: Iterable[str | None]) -> dict[str, tuple[str, str]]:
        """(name, id_type) by customer id: a screen masks a person's name, not an organisation's."""
        found: dict[str, tuple[str, str]] = {}
        with self._read() as connection:
            for chunk in _chunks(sorted({i for i in ids if i})):
                statement = select(_customer.c.id, _customer.c.name, _customer.c.id_type).where(
                    _customer.c.id.in_(chunk))
                found.update({row.id: (row.name, row.id_type or "resident") for row in connection.execute(statement)})
        return found

    def active_stage_tasks(self, ticket_ids: Sequence[str]) -> dict[str, list[StageTask]]:
        """The active stage tasks of each ticket (without their result and reason), oldest first."""
        by_ticket: dict[str, list[StageTask]] = {ticket_id: [] for ticket_id in ticket_ids}
        columns = [_task.c[name] for name in _TASK_SUMMARY]
        with self._read() as connection:
            for chunk in _chunks(ticket_ids):
                statement = (
                    select(*columns)
                    .where(_task.c.ticket_id.in_(chunk), _task.c.state.in_(ACTIVE_TASK_STATES))
                    .order_by(_task.c.opened_at, _task.c.id)
                )
                for row in connection.execute(statement).mappings():
                    task = StageTask.model_validate(dict(row), context=STORED)
                    by_ticket[task.ticket_id].append(task)
        return by_ticket

    def done_stage_tasks(self, ticket_ids: Sequence[str], stage_codes: Iterable[str]) -> dict[str, list[StageTask]]:
        """Each ticket's done tasks of these stages (a clock-stop stage: domain.sla.clock_stop), with their
        completion time."""
        codes = sorted(set(stage_codes))
        by_ticket: dict[str, list[StageTask]] = {}
        if not codes:
            return by_ticket
        columns = [_task.c[name] for name in (*_TASK_SUMMARY, "completed_at")]
        with self._read() as connection:
            for chunk in _chunks(ticket_ids):
                statement = select(*columns).where(
                    _task.c.ticket_id.in_(chunk), _task.c.state == "done", _task.c.stage_code.in_(codes))
                for row in connection.execute(statement).mappings():
                    task = StageTask.model_validate(dict(row), context=STORED)
                    by_ticket.setdefault(task.ticket_id, []).append(task)
        return by_ticket

    # ---- stage tasks -----------------------------------------------------------------------------

    def tasks_for(self, office_id: str, staff_id: str, department: str | None = None) -> list[StageTask]:
        """Every stage task of the office's open tickets someone follows: accepted by them, or with a task of
        theirs (assigned to them, or of their department)."""
        mine = _task.c.assignee_id == staff_id
        if department:
            mine = or_(mine, _task.c.department == department)
        involved = select(_task.c.ticket_id).where(mine)
        followed = select(_ticket.c.id).where(
            _ticket.c.office_id == office_id,
            _ticket.c.state.in_(OPEN_TICKET_STATES),
            or_(_ticket.c.accepted_by == staff_id, _ticket.c.id.in_(involved)),
        )
        statement = select(_task).where(_task.c.ticket_id.in_(followed)).order_by(_task.c.opened_at, _task.c.id)
        return self._many("stage_task", statement)

    def stage_tasks_between(self, office_id: str, start: datetime, end: datetime) -> list[StageTask]:
        """The office's stage tasks still active, or opened or completed in [start, end)."""
        lower, upper = iso_utc(start), iso_utc(end)
        statement = select(_task).where(
            _task.c.office_id == office_id,
            or_(
                _task.c.state.in_(ACTIVE_TASK_STATES),
                and_(_task.c.opened_at >= lower, _task.c.opened_at < upper),
                and_(_task.c.completed_at >= lower, _task.c.completed_at < upper),
            ),
        )
        return self._many("stage_task", statement.order_by(_task.c.opened_at, _task.c.id))

    # ---- people ----------------------------------------------------------------------------------

    def office_staff(self, office_id: str, *, include_inactive: bool = False) -> list[Staff]:
        table = ENTITY_TABLES["staff"]
        statement = select(table).where(table.c.office_id == office_id)
        if not include_inactive:
            statement = statement.where(table.c.active.is_(True))
        return self._many("staff", statement.order_by(table.c.department, table.c.display_name, table.c.id))

    def surveyors(self, office_id: str) -> list[Surveyor]:
        table = ENTITY_TABLES["surveyor"]
        return self._many("surveyor", select(table).where(table.c.office_id == office_id).order_by(table.c.id))

    # ---- surveys ---------------------------------------------------------------------------------

    def survey_assignment(self, assignment_id: str) -> SurveyAssignment | None:
        found = self._one("survey_assignment", assignment_id)
        return found if isinstance(found, SurveyAssignment) else None

    def survey_assignments(
        self,
        office_id: str,
        *,
        states: Iterable[str] | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
    ) -> list[SurveyAssignment]:
        """The office's surveys, by id; `start_before` / `end_after` keep bookings overlapping that span
        (and so drop unbooked rows)."""
        statement = select(_survey).where(_survey.c.office_id == office_id)
        if states is not None:
            statement = statement.where(_survey.c.state.in_(list(states)))
        if start_before is not None:
            statement = statement.where(_survey.c.start < iso_utc(start_before))
        if end_after is not None:
            statement = statement.where(_survey.c.end > iso_utc(end_after))
        return self._many("survey_assignment", statement.order_by(_survey.c.id))
