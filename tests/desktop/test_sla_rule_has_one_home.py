"""The SLA-state rule lives in domain.sla: the desk asks it and keeps no comparison of its own."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain import sla

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
DEADLINE_NAMES = frozenset({"due_at", "warn_at"})
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _deadline_comparisons(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and any(isinstance(op, ORDERING) for op in node.ops):
            names = {sub.attr if isinstance(sub, ast.Attribute) else sub.id
                     for part in (node.left, *node.comparators) for sub in ast.walk(part)
                     if isinstance(sub, ast.Attribute | ast.Name)}
            if names & DEADLINE_NAMES:
                found.append(f"{path.relative_to(DESKTOP.parent)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_desk_compares_no_deadline_itself() -> None:
    copies = [line for path in sorted(DESKTOP.rglob("*.py")) for line in _deadline_comparisons(path)]
    assert copies == []


def test_finished_late_is_overdue_when_finished() -> None:
    due = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    tick = timedelta(microseconds=1)
    assert not sla.finished_late(due, due)  # finished at the due instant: still in time
    assert sla.finished_late(due, due + tick)
    assert not sla.finished_late(due, due - tick)
    assert not sla.finished_late(None, due)  # a stage without a limit is never late
    for finished in (due - tick, due, due + tick, sla.overdue_from(due)):
        overdue = sla.sla_state(sla.Deadline(due_at=due, warn_at=due, provisional=False), finished)
        assert sla.finished_late(due, finished) is (overdue is sla.SlaState.OVERDUE)
