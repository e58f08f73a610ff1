"""The moment the demo is generated for: fixed by default so a seed alone fixes the data."""

from __future__ import annotations

from datetime import datetime

from domain.errors import InvalidInput
from domain.sla import OFFICE_ZONE

DEFAULT_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=OFFICE_ZONE)


def check_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("生成演示数据的时间须带时区", "the demo's `now` must be timezone-aware", field="now")
