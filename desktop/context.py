"""What every screen is handed: the store, who is signed in, and the shared desk services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.records import Staff

if TYPE_CHECKING:
    from desktop.actions import ActionRegistry
    from desktop.settings import Settings
    from local_store import Store


@dataclass
class DeskContext:
    store: Store
    staff: Staff
    settings: Settings
    actions: ActionRegistry
    # The desk's sync engine (desktop.sync.engine.SyncEngine) or None in a store-only test.
    engine: Any = None
    # Demo mode: the simulated ID card reader (and other demo-only aids) are offered only then.
    demo: bool = False
    # Work typed but not saved yet, kept for this sign-in only (an intake form's draft per customer id);
    # signing out drops the context and with it every draft.
    drafts: dict[str, Any] = field(default_factory=dict)
    # Where customers reach the server's progress page (desktop.public_url); "" until learned online once.
    public_url: str = ""

    @property
    def office_id(self) -> str:
        return self.staff.office_id

    @property
    def role(self) -> str:
        return self.staff.role

    @property
    def channel(self) -> str:
        """The channel this desk accepts on: the hotline for 95598 agents, the hall for everyone else."""
        return "hotline" if self.staff.role == "hotline" else "hall"

    def notify_local_change(self) -> None:
        """A local write queued an outbox row: ask the sync engine to push soon."""
        if self.engine is not None:
            self.engine.notify_local_change()
