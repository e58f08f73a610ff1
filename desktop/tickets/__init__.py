"""The tickets area: queues, ticket detail with its workflow graph, stage work, return visits,
notifications and the coordination lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.tickets.area import TicketsArea

__all__ = ["TicketsArea"]


def __getattr__(name: str) -> object:
    # Imported on first use, so the Qt-free modules here (export, progress) load without Qt widgets.
    if name == "TicketsArea":
        from desktop.tickets.area import TicketsArea

        return TicketsArea
    raise AttributeError(name)
