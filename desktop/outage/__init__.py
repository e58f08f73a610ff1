"""The 停电抢修 area (docs/outage.md): outage events, their plan tasks, confirmation and restoration."""

from desktop.outage.board import OutageBoard

__all__ = ["OutageBoard"]
