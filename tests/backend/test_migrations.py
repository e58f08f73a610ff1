"""The shipped Alembic revisions build exactly the tables the models declare, and 0002 keeps existing rows valid."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from backend.db.migrate import head_revision, upgrade
from backend.db.models import Base
from backend.db.records import SurveyAssignmentRow, SurveyorRow
from backend.settings import database_url
from backend.store import row_to_record
from tests.backend.conftest import fresh_database


def test_head_matches_the_models(db_kind: str, tmp_path: Path) -> None:
    databases = fresh_database(db_kind, tmp_path)
    url = database_url(next(databases))
    try:
        assert upgrade(url) == head_revision() == "0013"
        engine = create_engine(url)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        engine.dispose()
    finally:
        for _ in databases:
            pass


def test_0002_gives_existing_surveyors_and_surveys_the_record_defaults(tmp_path: Path) -> None:
    url = database_url(str(tmp_path / "old.db"))
    config = Config()
    engine = create_engine(url)
    with as_file(files("backend.db.migrations")) as location, engine.begin() as connection:
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text("INSERT INTO surveyor (id, office_id, version, name, territories, skills, home_x_km,"
                                " home_y_km, daily_capacity) VALUES ('s1', 'o1', 1, '李', '[]', '[]', 0, 0, 6)"))
        connection.execute(text("INSERT INTO survey_assignment (id, office_id, version, ticket_id, mode, state)"
                                " VALUES ('a1', 'o1', 1, 't1', 'on_site', 'unassigned')"))
        command.upgrade(config, "head")
    with Session(engine) as session:
        worker = row_to_record("surveyor", session.get(SurveyorRow, "s1"))
        job = row_to_record("survey_assignment", session.get(SurveyAssignmentRow, "a1"))
    engine.dispose()
    assert worker.model_dump()["work_days"] == [0, 1, 2, 3, 4] and str(worker.model_dump()["shift_start"]) == "08:30:00"
    assert job.model_dump()["urgency"] == "normal" and job.model_dump()["outcome"] == {}


def test_0010_counts_every_stage_done_before_it_as_shared(db_kind: str, tmp_path: Path) -> None:
    """No request could be recorded before 0010: the sums and each ticket's stored contribution get
    stages_shared = stages_done, so the upkeep goes on from what a rebuild would give."""
    databases = fresh_database(db_kind, tmp_path)
    try:
        _check_0010(database_url(next(databases)))
    finally:
        for _ in databases:
            pass


def _check_0010(url: str) -> None:
    config = Config()
    engine = create_engine(url)
    with as_file(files("backend.db.migrations")) as location, engine.begin() as connection:
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
        connection.execute(text("INSERT INTO efficiency_fact (office_id, department, stage_code, type_code, channel,"
                                " day, stages_done, work_minutes) VALUES ('o1', 'marketing', 'survey', 'x', 'hall',"
                                " '2026-03-02', 3, 90)"))
        connection.execute(text(
            "INSERT INTO efficiency_ticket (ticket_id, office_id, states, facts) VALUES ('t1', 'o1', '{}', "
            "'[[\"o1\", \"*\", \"*\", \"x\", \"hall\", \"2026-03-02\", {\"accepted\": 1}], "
            "[\"o1\", \"marketing\", \"survey\", \"x\", \"hall\", \"2026-03-02\", {\"stages_done\": 1, \"work_minutes\": 30}]]')"))
        command.upgrade(config, "head")
        shared = connection.execute(text("SELECT stages_shared, asked_again FROM efficiency_fact")).one()
        facts = connection.execute(text("SELECT facts FROM efficiency_ticket WHERE ticket_id = 't1'")).scalar_one()
    engine.dispose()
    assert tuple(shared) == (3, 0)
    import json
    stored = json.loads(facts) if isinstance(facts, str) else facts
    assert stored[0][6] == {"accepted": 1}
    assert stored[1][6] == {"stages_done": 1, "stages_shared": 1, "work_minutes": 30}


def test_0013_gives_every_existing_ticket_its_own_lookup_code(db_kind: str, tmp_path: Path) -> None:
    """Tickets accepted before the progress lookup get a code each (domain.progress), all different."""
    from domain.progress import normalize

    databases = fresh_database(db_kind, tmp_path)
    try:
        url = database_url(next(databases))
        config = Config()
        engine = create_engine(url)
        with as_file(files("backend.db.migrations")) as location, engine.begin() as connection:
            config.set_main_option("script_location", str(location))
            config.attributes["connection"] = connection
            command.upgrade(config, "0011")
            for n in range(3):
                connection.execute(text(
                    "INSERT INTO ticket (id, office_id, version, type_code, channel, state, summary, fields, materials, "
                    "accepted_at, deadline_provisional) VALUES (:id, 'o1', 1, 'enquiry', 'hall', 'accepted', '', '{}', "
                    "'[]', '2026-03-02 01:00:00', false)"), {"id": f"t{n}"})
            command.upgrade(config, "head")
            codes = [code for (code,) in connection.execute(text("SELECT progress_code FROM ticket ORDER BY id"))]
        engine.dispose()
    finally:
        for _ in databases:
            pass
    assert len(set(codes)) == 3 and all(normalize(code) == code for code in codes)
