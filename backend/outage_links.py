"""A fault call linked to a live outage instead of a new repair ticket (docs/outage.md): the desk creates the
call's interaction naming the event; the server checks the event is live and of the caller's office and
counts the call and the caller on the event in the same transaction, so a replayed push never counts twice
(the mutation ledger answers a replay without running the handler again)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.db.records import InteractionRow
from backend.sync.mutation_kit import Rejected, Tx

LINKABLE_STATES = ("predicted", "active")
LINKABLE_CONTACTS = ("call", "visit", "app_request")


def link_call(tx: Tx, interaction: Any) -> None:
    event = tx.writer.get("outage_event", interaction.outage_event_id, lock=True)
    if event is None or event.office_id != interaction.office_id:
        raise Rejected("not_found", "停电事件不存在 / no such outage event in this office")
    if event.state not in LINKABLE_STATES:
        raise Rejected("invalid_input", "该停电事件已结束，请按普通报修受理 / this outage is over: take an ordinary "
                                        "repair instead")
    if interaction.type not in LINKABLE_CONTACTS:
        raise Rejected("invalid_input", "只有来电、来访或网上报修可关联停电事件 / only a call, a visit or an app "
                                        "request can be linked to an outage")
    # A caller not heard before adds one; the count may also hold callers the event was predicted from
    # (backend/outage_prediction.py), who filed repair tickets rather than linked calls.
    new_caller = interaction.customer_id is not None and tx.session.execute(
        select(InteractionRow.id).where(InteractionRow.outage_event_id == event.id,
                                        InteractionRow.customer_id == interaction.customer_id).limit(1)
    ).first() is None
    tx.writer.update("outage_event", event, {"call_count": event.call_count + 1,
                                             "caller_count": event.caller_count + int(new_caller)})


