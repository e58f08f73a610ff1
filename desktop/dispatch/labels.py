"""Words the dispatch board shows for codes (translated at use; Chinese is the source text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication


def skill_text(code: str) -> str:
    skills = {
        "low_voltage": QCoreApplication.translate("Dispatch", "低压"),
        "high_voltage": QCoreApplication.translate("Dispatch", "高压"),
        "remote_video": QCoreApplication.translate("Dispatch", "远程视频"),
    }
    return skills.get(code, code)


def customer_class_text(code: str | None) -> str:
    classes = {
        "01": QCoreApplication.translate("Dispatch", "高压"),
        "02": QCoreApplication.translate("Dispatch", "低压非居民"),
        "03": QCoreApplication.translate("Dispatch", "低压居民"),
    }
    return classes.get(code or "", QCoreApplication.translate("Dispatch", "未知"))


def mode_text(mode: str) -> str:
    if mode == "remote":
        return QCoreApplication.translate("Dispatch", "远程勘查")
    return QCoreApplication.translate("Dispatch", "现场勘查")


def countdown(due: datetime, now: datetime) -> str:
    """Time left until the due date, the way a dispatcher reads it: 2天3小时 / 45分钟 / 已超时."""
    left = due - now
    if left <= timedelta(0):
        return QCoreApplication.translate("Dispatch", "已超时")
    minutes = int(left / timedelta(minutes=1))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("Dispatch", "%1天%2小时").replace("%1", str(days)).replace("%2", str(hours))
    if hours:
        return QCoreApplication.translate("Dispatch", "%1小时%2分钟").replace("%1", str(hours)).replace("%2", str(mins))
    return QCoreApplication.translate("Dispatch", "%1分钟").replace("%1", str(mins))
