"""Survey dispatch board (勘查派工): queue, surveyors' timeline, suggestions, batch auto-assign, remote surveys."""

from desktop.dispatch.board import DispatchBoard

__all__ = ["DispatchBoard"]
