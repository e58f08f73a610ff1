"""Outages on the desk (docs/outage.md): which live event holds a customer's premises, read from the synced
grid and events, and the call linked to it instead of a new repair ticket (queued like any contact; the
server counts it on the event)."""

from __future__ import annotations

from datetime import datetime

import uuid6
from sqlalchemy import func, select, text

from domain.errors import InvalidInput
from domain.outage.events import NoticeWarning, OutageKind, event_on_path, notice_warning_text, plan_outage
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint
from domain.records import Interaction, OutageEvent
from domain.states import STATE_MACHINES
from local_store.actions import DeskActions
from local_store.reading import ReadSide
from local_store.rows import iso_utc
from local_store.schema import ENTITY_TABLES

_event = ENTITY_TABLES["outage_event"]
_device = ENTITY_TABLES["grid_device"]
_account = ENTITY_TABLES["account"]
_ticket = ENTITY_TABLES["ticket"]
_interaction = ENTITY_TABLES["interaction"]
LIVE_STATES = ("predicted", "active")  # told to callers, and a call may be linked to them
_MAX_DEPTH = 32  # a grid deeper than this is broken data, not a feeder


class Outages(DeskActions, ReadSide):
    def live_outages(self, office_id: str) -> list[OutageEvent]:
        """The office's events callers are told about, the newest first."""
        statement = (select(_event).where(_event.c.office_id == office_id, _event.c.state.in_(LIVE_STATES))
                     .order_by(_event.c.starts_at.desc()))
        return [e for e in self._many("outage_event", statement) if isinstance(e, OutageEvent)]

    def outage_board(self, office_id: str) -> list[OutageEvent]:
        """What the outage board lists: live and scheduled events, the largest first, then the oldest."""
        statement = (select(_event).where(_event.c.office_id == office_id,
                                          _event.c.state.in_((*LIVE_STATES, "scheduled")))
                     .order_by(_event.c.accounts_affected.desc(), _event.c.starts_at))
        return [e for e in self._many("outage_event", statement) if isinstance(e, OutageEvent)]

    def customers_in_outages(self, limit: int = 50) -> list[str]:
        """Customers with premises inside a live outage (the demo's simulated calls ring from some of them)."""
        statement = text(
            "WITH RECURSIVE area(id) AS ("
            " SELECT value FROM outage_event, json_each(outage_event.device_ids)"
            " WHERE outage_event.state IN ('predicted', 'active')"
            " UNION SELECT grid_device.id FROM grid_device JOIN area ON grid_device.parent_id = area.id)"
            " SELECT DISTINCT account.customer_id FROM account JOIN area ON account.transformer_id = area.id"
            " ORDER BY account.customer_id LIMIT :limit")
        with self._read() as connection:
            return [str(row[0]) for row in connection.execute(statement, {"limit": limit})]

    def storm_picture(self, office_id: str, since: datetime) -> tuple[list[OutageEvent], int]:
        """For storm mode (domain.outage.storm): the office's live outages, the largest first, and its outage
        calls since `since` — repair tickets accepted and calls linked to an outage event."""
        live = sorted(self.live_outages(office_id), key=lambda e: (-e.accounts_affected, e.starts_at))
        with self._read() as connection:
            repairs = connection.execute(select(func.count()).select_from(_ticket).where(
                _ticket.c.office_id == office_id, _ticket.c.type_code == "repair",
                _ticket.c.accepted_at >= iso_utc(since))).scalar()
            linked = connection.execute(select(func.count()).select_from(_interaction).where(
                _interaction.c.office_id == office_id, _interaction.c.outage_event_id.is_not(None),
                _interaction.c.at >= iso_utc(since))).scalar()
        return live, int(repairs or 0) + int(linked or 0)

    def office_grid(self, office_id: str) -> Grid:
        """The office's grid as synced: feeders, branch switches and 台区 with the accounts fed from each."""
        with self._read() as connection:
            devices = connection.execute(select(_device.c.id, _device.c.device_kind, _device.c.parent_id, _device.c.name)
                                         .where(_device.c.office_id == office_id)).all()
            points = connection.execute(select(_account.c.id, _account.c.transformer_id, _account.c.important).where(
                _account.c.office_id == office_id, _account.c.transformer_id.is_not(None))).all()
        return Grid.build([Device(d, DeviceKind(kind), parent, name) for d, kind, parent, name in devices],
                          [ServicePoint(a, t, bool(important)) for a, t, important in points])

    def plan_outage_event(self, *, office_id: str, kind: str, device_ids: list[str], starts_at: datetime,
                          ends_at: datetime, reason: str, staff_id: str | None) -> tuple[OutageEvent, tuple[NoticeWarning, ...]]:
        """A planned or temporary-maintenance outage dispatch entered, checked as the server checks it (InvalidInput,
        nothing stored) and queued; a missed notice period is warned, not refused. The counts are the desk's
        preview: the server counts who is inside again."""
        now = self._clock()
        planned = plan_outage(self.office_grid(office_id), kind, device_ids, starts_at, ends_at, reason, now)
        event = OutageEvent(
            id=str(uuid6.uuid7()), office_id=office_id, outage_kind=planned.kind.value,
            state=STATE_MACHINES[OutageKind(planned.kind).state_machine].initial, device_ids=list(planned.device_ids),
            reason=planned.reason, starts_at=starts_at, ends_at=ends_at, announced_at=now,
            notice_warning=notice_warning_text(planned.warnings),
            accounts_affected=len(planned.accounts), important_affected=len(planned.important),
            created_by=staff_id, created_at=now)
        with self._write() as connection:
            self._create(connection, event)
        return event, planned.warnings

    def grid_device_names(self, device_ids: list[str]) -> dict[str, str]:
        with self._read() as connection:
            rows = connection.execute(select(_device.c.id, _device.c.name).where(_device.c.id.in_(device_ids))).all()
        return {device_id: name for device_id, name in rows}

    def outage_for_customer(self, customer_id: str) -> OutageEvent | None:
        """The live event holding any of the customer's premises (the lowest device when events nest)."""
        with self._read() as connection:
            rows = connection.execute(select(_account.c.office_id, _account.c.transformer_id)
                                      .where(_account.c.customer_id == customer_id)).all()
            parents: dict[str, str | None] = {}
            paths: list[tuple[str, list[str]]] = []
            for office_id, transformer in rows:
                path: list[str] = []
                current: str | None = transformer
                while current is not None and len(path) < _MAX_DEPTH:
                    path.append(current)
                    if current not in parents:
                        parents[current] = connection.execute(
                            select(_device.c.parent_id).where(_device.c.id == current)).scalar()
                    current = parents[current]
                paths.append((office_id, path))
        for office_id, path in paths:
            live = self.live_outages(office_id)
            found = event_on_path(path, [(e.id, e.device_ids) for e in live])
            if found is not None:
                return next(e for e in live if e.id == found)
        return None

    def link_call_to_outage(self, *, office_id: str, customer_id: str | None, event_id: str,
                            staff_id: str | None = None, call_id: str | None = None,
                            caller_number: str | None = None, summary: str = "") -> Interaction:
        """The call, in the customer's timeline, linked to the live event instead of a new repair ticket."""
        event = self._one("outage_event", event_id)
        if not isinstance(event, OutageEvent) or event.state not in LIVE_STATES:
            raise InvalidInput("该停电事件已结束，请按普通报修受理", "this outage is over: take an ordinary repair instead",
                               field="outage_event_id")
        return self.record_interaction(office_id=office_id, channel="hotline", type="call", customer_id=customer_id,
                                       summary=summary or event.reason, staff_id=staff_id, call_id=call_id,
                                       caller_number=caller_number, outage_event_id=event.id)
