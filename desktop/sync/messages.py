"""The auth and live-event messages the desk reads (push/pull models live in domain/sync.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Session(BaseModel):
    """A signed-in session as the server hands it out on login and on each refresh."""

    model_config = ConfigDict(extra="ignore")

    access_token: str
    refresh_token: str
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    staff: dict[str, Any] = Field(default_factory=dict)
    scopes: list[str] = Field(default_factory=list)
    public_url: str | None = None  # where customers reach the progress page (docs/progress-lookup.md)


class ChangedEvent(BaseModel):
    """The scope's change sequence grew on the server: pull now."""

    model_config = ConfigDict(extra="ignore")

    scope: str
    cursor: int


class ScreenPopEvent(BaseModel):
    """An incoming hotline call for the signed-in agent: open the caller's card."""

    model_config = ConfigDict(extra="ignore")

    interaction_id: str
    call_id: str
    caller_number: str | None = None
    customer_ids: list[str] = Field(default_factory=list)


class StreamOpened(BaseModel):
    """The live stream (re)connected: anything may have changed while it was down."""


Event = StreamOpened | ChangedEvent | ScreenPopEvent
