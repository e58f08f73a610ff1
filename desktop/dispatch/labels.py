"""Words the dispatch board shows for codes (translated at use; Chinese is the source text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

_CONTEXT = "Dispatch"
_SKILLS = {"low_voltage": "低压", "high_voltage": "高压", "remote_video": "远程视频"}
_CLASSES = {"01": "高压", "02": "低压非居民", "03": "低压居民"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def skill_text(code: str) -> str:
    return _tr(_SKILLS[code]) if code in _SKILLS else code


def customer_class_text(code: str | None) -> str:
    return _tr(_CLASSES[code]) if code in _CLASSES else _tr("未知")


def mode_text(mode: str) -> str:
    return _tr("远程勘查") if mode == "remote" else _tr("现场勘查")


def countdown(due: datetime, now: datetime) -> str:
    """Time left until the due date, the way a dispatcher reads it: 2天3小时 / 45分钟 / 已超时."""
    left = due - now
    if left <= timedelta(0):
        return _tr("已超时")
    minutes = int(left / timedelta(minutes=1))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _tr("%1天%2小时").replace("%1", str(days)).replace("%2", str(hours))
    if hours:
        return _tr("%1小时%2分钟").replace("%1", str(hours)).replace("%2", str(mins))
    return _tr("%1分钟").replace("%1", str(mins))
