"""补充材料/信息 on the desk (domain.info_requests): a request recorded on a stage, queued for the server in the
same transaction as its row; 已补齐 and 撤回 (asked by mistake) as transition intents. The server's rules are asked first (who may ask,
what a request must say), so bad input stores nothing."""

from __future__ import annotations

from collections.abc import Sequence

import uuid6
from sqlalchemy import select

from domain import info_requests
from domain.errors import DomainError, InvalidInput
from domain.records import InfoRequest
from domain.roles import may_answer_info_request, may_request_info, may_withdraw_info_request
from local_store.actions import DeskActions, _build
from local_store.reading import ReadSide
from local_store.schema import ENTITY_TABLES

_request = ENTITY_TABLES["info_request"]
_ticket = ENTITY_TABLES["ticket"]
_survey = ENTITY_TABLES["survey_assignment"]


class InfoRequests(DeskActions, ReadSide):
    def request_info(self, stage_task_id: str, *, addressee: str, reason: str, materials: Sequence[str] = (),
                     detail: str = "", to_department: str | None = None, role: str,
                     department: str | None, requested_by: str | None = None) -> InfoRequest:
        """Ask the customer (materials and/or words) or another department (words) again on this stage, with a
        reason; raises InvalidInput, storing nothing, when the request is not allowed or incomplete."""
        with self._write() as connection:
            stage = self._require(connection, "stage_task", stage_task_id)
            ticket = self._require(connection, "ticket", str(stage["ticket_id"]))
            if not may_request_info(role, department, str(stage["department"])):
                raise InvalidInput("只有办理此环节的部门可以索要补充材料/信息",
                                   "only the department working this stage may ask for more", field="stage_task_id")
            try:
                ticket_type = self.catalogue.ticket_type(str(ticket["type_code"]))
            except DomainError:
                ticket_type = None
            checked = info_requests.check_request(
                addressee=addressee, stage_department=str(stage["department"]), stage_state=str(stage["state"]),
                to_department=to_department, materials=materials, detail=detail, reason=reason,
                known_materials=info_requests.askable_materials(ticket_type))
            request = _build(InfoRequest, {
                "id": str(uuid6.uuid7()), "office_id": stage["office_id"], "ticket_id": stage["ticket_id"],
                "stage_task_id": stage_task_id, "department": stage["department"], "addressee": checked.addressee,
                "to_department": checked.to_department, "materials": list(checked.materials),
                "detail": checked.detail, "reason": checked.reason, "state": info_requests.OPEN,
                "requested_by": requested_by, "requested_at": self._clock(),
            })
            self._create(connection, request)
            return request

    def meet_info_request(self, request_id: str, note: str = "", *, role: str,
                          department: str | None) -> InfoRequest:
        """已补齐: what was asked has arrived (open → met), with an optional note of what came."""
        current = self.info_request(request_id)
        if current is None:
            raise InvalidInput("找不到补充材料/信息记录", "no such request", field="id")
        if not may_answer_info_request(role, department, current.department, current.addressee,
                                       current.to_department):
            raise InvalidInput("您不能确认此项已补齐", "you may not mark this request met", field="department")
        cleaned = info_requests.check_answer(note)
        met = self.transition("info_request", request_id, info_requests.MET, role,
                              fields={"met_note": cleaned} if cleaned else None)
        assert isinstance(met, InfoRequest)
        return met

    def withdraw_info_request(self, request_id: str, reason: str, *, role: str,
                              department: str | None) -> InfoRequest:
        """撤回: the request was asked by mistake (open → withdrawn, with the reason); the indicators then ignore
        it. Only the department that asked or a supervisor; raises InvalidInput, storing nothing, otherwise."""
        current = self.info_request(request_id)
        if current is None:
            raise InvalidInput("找不到补充材料/信息记录", "no such request", field="id")
        if not may_withdraw_info_request(role, department, current.department):
            raise InvalidInput("只有索要的部门或主管可以撤回", "only the department that asked or a supervisor may "
                               "withdraw this request", field="department")
        cleaned = info_requests.check_withdrawal(current.state, reason)
        withdrawn = self.transition("info_request", request_id, info_requests.WITHDRAWN, role, reason=cleaned,
                                    fields={"withdrawn_reason": cleaned})
        assert isinstance(withdrawn, InfoRequest)
        return withdrawn

    # ---- reads ----

    def info_request(self, request_id: str) -> InfoRequest | None:
        found = self._one("info_request", request_id)
        return found if isinstance(found, InfoRequest) else None

    def asked_ticket_ids(self, office_id: str, addressee: str | None = None) -> set[str]:
        """The office's tickets with a request not withdrawn (to `addressee` only, when named): the monitor's
        drill-down."""
        statement = (select(_request.c.ticket_id).distinct()
                     .where(_request.c.office_id == office_id,
                            _request.c.state.is_distinct_from(info_requests.WITHDRAWN)))
        if addressee is not None:
            statement = statement.where(_request.c.addressee == addressee)
        with self._read() as connection:
            return {str(row[0]) for row in connection.execute(statement)}

    def asked_stage_ids(self, office_id: str) -> set[str]:
        """The office's stage tasks on which something was asked again (信息共享质量's drill-down); withdrawn
        requests were not really asked."""
        statement = (select(_request.c.stage_task_id).distinct()
                     .where(_request.c.office_id == office_id,
                            _request.c.state.is_distinct_from(info_requests.WITHDRAWN)))
        with self._read() as connection:
            return {str(row[0]) for row in connection.execute(statement)}

    def tickets_sparing_trips(self, office_id: str) -> set[str]:
        """The office's tickets that spared the customer a trip beyond the online application (客户少跑次数,
        domain.indicators.trips_avoided): a request to another department not withdrawn, or a survey done remotely.
        The monitor's drill-down adds the tickets accepted online."""
        shared = (select(_request.c.ticket_id).where(
            _request.c.office_id == office_id, _request.c.addressee == info_requests.DEPARTMENT,
            _request.c.state.is_distinct_from(info_requests.WITHDRAWN)))
        remote = select(_survey.c.ticket_id).where(_survey.c.office_id == office_id, _survey.c.mode == "remote",
                                                   _survey.c.state == "done")
        with self._read() as connection:
            return {str(row[0]) for row in connection.execute(shared.union(remote))}

    def customer_open_requests(self, customer_id: str) -> list[InfoRequest]:
        """What is still asked of this customer: the open requests to the customer on their tickets, oldest first
        (the customer card shows them, so the hall takes the materials at the counter)."""
        tickets = select(_ticket.c.id).where(_ticket.c.customer_id == customer_id)
        statement = (select(_request)
                     .where(_request.c.ticket_id.in_(tickets), _request.c.addressee == info_requests.CUSTOMER,
                            _request.c.state == info_requests.OPEN)
                     .order_by(_request.c.requested_at, _request.c.id))
        return self._many("info_request", statement)

    def info_requests(self, ticket_id: str) -> list[InfoRequest]:
        """A ticket's requests, oldest first."""
        statement = (select(_request).where(_request.c.ticket_id == ticket_id)
                     .order_by(_request.c.requested_at, _request.c.id))
        return self._many("info_request", statement)
