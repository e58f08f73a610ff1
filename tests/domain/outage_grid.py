"""A small hand-built grid for the outage tests.

    F1 ─┬─ B1 ─┬─ T1, T2, T3
        ├─ B2 ─┬─ T4, T5
        └─ T6
    F2 ─┬─ T7, T8

Every 台区 has 20 accounts "<T>-01" … "<T>-20"; T1-01 and T7-01 are important customers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.outage.clustering import FaultCall
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint

T0 = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
F, B, T = DeviceKind.feeder, DeviceKind.branch, DeviceKind.transformer
DEVICES = [
    Device("F1", F, None, "10kV岚城线"), Device("F2", F, None, "10kV河口线"),
    Device("B1", B, "F1", "岚城线1号分支"), Device("B2", B, "F1", "岚城线2号分支"),
    *(Device(f"T{i}", T, "B1", f"{i}号台区") for i in (1, 2, 3)),
    *(Device(f"T{i}", T, "B2", f"{i}号台区") for i in (4, 5)),
    Device("T6", T, "F1", "6号台区"), Device("T7", T, "F2", "7号台区"), Device("T8", T, "F2", "8号台区"),
]
TRANSFORMERS = [f"T{i}" for i in range(1, 9)]


def grid() -> Grid:
    points = [ServicePoint(f"{t}-{n:02}", t, important=f"{t}-{n:02}" in ("T1-01", "T7-01"))
              for t in TRANSFORMERS for n in range(1, 21)]
    return Grid.build(DEVICES, points)


def calls_from(transformer: str, count: int, *, start: int = 0, minute: float = 0.0, tag: str = "") -> list[FaultCall]:
    """`count` calls from different accounts of the 台区, a few seconds apart from `minute` on."""
    return [FaultCall(f"{tag or transformer}-c{start + n}", f"{transformer}-{start + n + 1:02}",
                      T0 + timedelta(minutes=minute, seconds=7 * n)) for n in range(count)]
