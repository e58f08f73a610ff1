"""Ratings of a ticket as first-class records: 主责评价 (lead), 协作互评 (peer), 客户评价 (customer)."""

from __future__ import annotations

import uuid6

from domain.errors import InvalidInput
from domain.records import Evaluation
from local_store.actions import DeskActions, _build


class Ratings(DeskActions):
    def record_evaluation(
        self,
        ticket_id: str,
        evaluator: str,
        score: int,
        *,
        from_department: str | None = None,
        to_department: str | None = None,
        comment: str = "",
        by: str | None = None,
    ) -> Evaluation:
        """One rating of a ticket (主责评价 lead, 协作互评 peer, 客户评价 customer), queued as a create."""
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise InvalidInput("评分须为 1 至 5 分", "a rating is a whole number from 1 to 5", field="score")
        if evaluator in ("lead", "peer") and not (from_department and to_department):
            raise InvalidInput("部门互评须写明评价部门和被评价部门", "a department rating names both departments",
                               field="to_department")
        with self._write() as connection:
            ticket = self._require(connection, "ticket", ticket_id)
            evaluation = _build(
                Evaluation,
                {
                    "id": str(uuid6.uuid7()),
                    "office_id": ticket["office_id"],
                    "ticket_id": ticket_id,
                    "evaluator": evaluator,
                    "from_department": from_department,
                    "to_department": to_department,
                    "score": score,
                    "comment": comment.strip(),
                    "by": by,
                    "at": self._clock(),
                },
            )
            self._create(connection, evaluation)
            return evaluation
