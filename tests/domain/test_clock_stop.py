"""A ticket's own clock stops when its workflow's clock-stop stage is done (a repair: 到达现场): from
then on it is judged at that instant, not at now, and is no longer warning or overdue work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain import sla
from domain.catalogue import load_catalogue

DUE = datetime(2026, 12, 7, 3, 7, tzinfo=UTC)
DEADLINE = sla.Deadline(due_at=DUE, warn_at=DUE - timedelta(minutes=9), provisional=False)
LATE_NOW = DUE + timedelta(hours=3, minutes=25)


@dataclass(frozen=True)
class Task:
    stage_code: str
    state: str
    completed_at: datetime | None = None


def test_every_type_names_its_clock_stop_stage_from_the_catalogue() -> None:
    catalogue = load_catalogue()
    stages = sla.clock_stop_stages(catalogue)
    assert stages["repair"] == "arrive"
    for ticket_type in catalogue.types:
        assert stages.get(ticket_type.code) == ticket_type.workflow.clock_stops_at
        if ticket_type.code in stages:
            assert stages[ticket_type.code] in {s.code for s in ticket_type.workflow.stages}


def test_a_repair_whose_crew_arrived_on_time_is_stopped_on_time_however_late_now_is() -> None:
    arrived = DUE - timedelta(hours=1)
    stop = sla.clock_stop("arrive", [Task("dispatch", "done", DUE - timedelta(hours=2)),
                                     Task("arrive", "done", arrived), Task("repair", "open")])
    assert stop == sla.ClockStop(at=arrived)
    clock = sla.ticket_clock(DEADLINE, LATE_NOW, stop)
    assert clock.stopped and clock.state is sla.SlaState.ON_TIME and not clock.stopped_late
    assert clock.live_state is None  # not on the 预警/超时 lists
    assert clock.late_by is None


def test_a_late_arrival_stops_the_clock_late_by_how_late_it_was() -> None:
    stop = sla.clock_stop("arrive", [Task("arrive", "done", DUE + timedelta(minutes=17))])
    clock = sla.ticket_clock(DEADLINE, LATE_NOW, stop)
    assert clock.stopped_late and clock.late_by == timedelta(minutes=17)
    assert clock.live_state is None


def test_the_stop_instant_is_judged_by_the_same_boundaries() -> None:
    tick = timedelta(microseconds=1)
    for at in (DEADLINE.warn_at - tick, DEADLINE.warn_at, DUE, DUE + tick):
        clock = sla.ticket_clock(DEADLINE, LATE_NOW, sla.ClockStop(at=at))
        assert clock.state is sla.sla_state(DEADLINE, at)
        assert clock.stopped_late is sla.finished_late(DUE, at)


def test_the_clock_runs_until_the_stage_is_done() -> None:
    for tasks in ([], [Task("arrive", "open")], [Task("arrive", "taken")], [Task("arrive", "cancelled")],
                  [Task("repair", "done", DUE)]):
        assert sla.clock_stop("arrive", tasks) is None
        clock = sla.ticket_clock(DEADLINE, LATE_NOW, sla.clock_stop("arrive", tasks))
        assert not clock.stopped and clock.live_state is sla.SlaState.OVERDUE
    assert sla.clock_stop(None, [Task("arrive", "done", DUE)]) is None  # a type whose clock never stops


def test_a_stage_done_on_this_desk_and_not_synced_stops_the_clock_at_an_unknown_instant() -> None:
    stop = sla.clock_stop("arrive", [Task("arrive", "done", None)])
    assert stop == sla.ClockStop(at=None)
    clock = sla.ticket_clock(DEADLINE, LATE_NOW, stop)
    assert clock.stopped and clock.state is None and clock.live_state is None and not clock.stopped_late


def test_a_reopened_and_redone_stage_stops_the_clock_at_its_first_recorded_completion() -> None:
    first, second = DUE - timedelta(minutes=5), DUE + timedelta(minutes=50)
    stop = sla.clock_stop("arrive", [Task("arrive", "done", second), Task("arrive", "done", first),
                                     Task("arrive", "done", None)])
    assert stop == sla.ClockStop(at=first)
