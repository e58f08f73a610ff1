"""Helpers for the tests on a clocked server: move its clock, seed surveyors and surveys straight into its database."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from backend.bulk import bulk_insert
from backend.db.engine import open_database
from backend.settings import database_url
from domain.records import Record, SurveyAssignment, Surveyor
from domain.sla import OFFICE_ZONE
from tests.backend.desk import FIXED_NOW
from tests.backend.server_process import ServerProcess

OFFICE = "county-a"


def set_clock(server: ServerProcess, now: datetime) -> None:
    response = httpx.post(f"{server.url}/api/v1/test/clock", json={"now": now.isoformat()})
    assert response.status_code == 200, response.text


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the office's time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=OFFICE_ZONE)


def seed(server: ServerProcess, *records: Record) -> None:
    database = open_database(database_url(server.db))
    try:
        with database.write() as session:
            bulk_insert(session, records, FIXED_NOW)
    finally:
        database.dispose()


def surveyor(**fields: Any) -> Surveyor:
    values: dict[str, Any] = {"id": str(uuid.uuid4()), "office_id": OFFICE, "name": "李勘查", "territories": ["north"],
                              "skills": ["low_voltage"], "daily_capacity": 3, **fields}
    return Surveyor.model_validate(values)


def survey(**fields: Any) -> SurveyAssignment:
    values: dict[str, Any] = {"id": str(uuid.uuid4()), "office_id": OFFICE, "ticket_id": str(uuid.uuid4()),
                              "territory": "north", "required_skill": "low_voltage", "duration_minutes": 60, **fields}
    return SurveyAssignment.model_validate(values)
