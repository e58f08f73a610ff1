"""Every table, imported in one place so the metadata is complete."""

from backend.db.auth_tables import AccessToken, AuthSession, LoginThrottle, RefreshToken, StaffCredential
from backend.db.base import Base
from backend.db.desk_tables import DispatchLock, Presence, SmsCode, SmsMessage
from backend.db.notification_tables import MessageTemplate, OutboundMessage
from backend.db.ops_tables import (
    Attachment,
    AttachmentChunk,
    AuditEntry,
    ChannelRequest,
    ScreenPop,
    SlaTimer,
    TestClock,
)
from backend.db.power_quality_tables import PqInterval, PqPoint, PqWarning
from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ChangeLog, ClientState, MutationLedger, ScopeState, TicketCounter
from backend.efficiency.tables import (  # the efficiency monitor's tables
    EfficiencyEvent,
    EfficiencyFact,
    EfficiencyHistogram,
    EfficiencyTicket,
    EvaluationWeight,
)

__all__ = [
    "ROW_TYPES",
    "PqInterval",
    "PqPoint",
    "PqWarning",
    "AccessToken",
    "Attachment",
    "AttachmentChunk",
    "AuditEntry",
    "AuthSession",
    "Base",
    "ChangeLog",
    "ChannelRequest",
    "ClientState",
    "DispatchLock",
    "EfficiencyEvent",
    "EfficiencyFact",
    "EfficiencyHistogram",
    "EfficiencyTicket",
    "EvaluationWeight",
    "LoginThrottle",
    "MessageTemplate",
    "MutationLedger",
    "OutboundMessage",
    "Presence",
    "RefreshToken",
    "ScopeState",
    "ScreenPop",
    "SlaTimer",
    "SmsCode",
    "SmsMessage",
    "StaffCredential",
    "TestClock",
    "TicketCounter",
]
