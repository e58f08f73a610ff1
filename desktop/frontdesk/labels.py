"""Words the front desk shows for codes (channels, query kinds, states, durations), translated at use."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from desktop.display import datetime_text
from domain.sla import SlaState
from domain.states import TICKET

# Each channel's colour and one-character badge, drawn as its icon: no icon files to ship,
# and legible in any font that can show the rest of the screen.
CHANNEL_BADGES = {"hall": ("#1565c0", "厅"), "hotline": ("#2e7d32", "话"), "app": ("#ef6c00", "网"),
                  "wechat": ("#00897b", "微"), "proactive": ("#6a1b9a", "主")}
_icons: dict[str, QIcon] = {}


def channel_icon(channel: str) -> QIcon:
    """A small coloured disc with the channel's badge character."""
    if channel not in _icons:
        colour, badge = CHANNEL_BADGES.get(channel, ("#757575", "·"))
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(0, 0, 32, 32)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(18)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, badge)
        painter.end()
        _icons[channel] = QIcon(pixmap)
    return _icons[channel]


def channel_name(channel: str) -> str:
    names = {
        "hall": QCoreApplication.translate("FrontDesk", "营业厅"),
        "hotline": QCoreApplication.translate("FrontDesk", "95598热线"),
        "app": QCoreApplication.translate("FrontDesk", "网上国网"),
        "wechat": QCoreApplication.translate("FrontDesk", "微信"),
        "proactive": QCoreApplication.translate("FrontDesk", "主动服务"),
    }
    return names.get(channel, channel)


def query_kind_name(kind: str) -> str:
    names = {
        "resident_id": QCoreApplication.translate("FrontDesk", "身份证号"),
        "phone": QCoreApplication.translate("FrontDesk", "手机号"),
        "account_no": QCoreApplication.translate("FrontDesk", "户号"),
        "ticket_number": QCoreApplication.translate("FrontDesk", "工单号"),
        "digits": QCoreApplication.translate("FrontDesk", "号码片段"),
        "text": QCoreApplication.translate("FrontDesk", "姓名或地址"),
    }
    return names.get(kind, kind)


def matched_on_name(matched_on: str) -> str:
    names = {
        "resident_id": QCoreApplication.translate("FrontDesk", "身份证号"),
        "phone": QCoreApplication.translate("FrontDesk", "手机号"),
        "account_no": QCoreApplication.translate("FrontDesk", "户号"),
        "ticket_number": QCoreApplication.translate("FrontDesk", "工单号"),
        "id_prefix": QCoreApplication.translate("FrontDesk", "身份证号开头"),
        "phone_prefix": QCoreApplication.translate("FrontDesk", "手机号开头"),
        "account_prefix": QCoreApplication.translate("FrontDesk", "户号开头"),
        "name": QCoreApplication.translate("FrontDesk", "姓名"),
        "name_prefix": QCoreApplication.translate("FrontDesk", "姓名开头"),
        "address": QCoreApplication.translate("FrontDesk", "地址"),
    }
    return names.get(matched_on, matched_on)


def interaction_type_name(kind: str) -> str:
    names = {
        "visit": QCoreApplication.translate("FrontDesk", "来访"),
        "call": QCoreApplication.translate("FrontDesk", "来电"),
        "app_request": QCoreApplication.translate("FrontDesk", "线上申请"),
        "ticket_step": QCoreApplication.translate("FrontDesk", "工单进展"),
        "field_visit": QCoreApplication.translate("FrontDesk", "现场服务"),
    }
    return names.get(kind, kind)


def verification_method_name(method: str) -> str:
    names = {
        "id_card_reader": QCoreApplication.translate("FrontDesk", "身份证读卡"),
        "id_number_name": QCoreApplication.translate("FrontDesk", "身份证号码与姓名"),
        "account_name_id_tail": QCoreApplication.translate("FrontDesk", "户号、姓名与身份证后4位"),
        "sms_code": QCoreApplication.translate("FrontDesk", "短信验证码"),
        "app_real_name": QCoreApplication.translate("FrontDesk", "网上国网实名认证"),
    }
    return names.get(method, method)


def outcome_name(outcome: str) -> str:
    if outcome == "passed":
        return QCoreApplication.translate("FrontDesk", "通过")
    return QCoreApplication.translate("FrontDesk", "未通过")


def ticket_state_name(state: str, language: str) -> str:
    return TICKET.label(state, language) if state in TICKET.states else state


def sla_state_name(state: SlaState) -> str:
    names = {
        SlaState.ON_TIME: QCoreApplication.translate("FrontDesk", "正常"),
        SlaState.WARNING: QCoreApplication.translate("FrontDesk", "预警"),
        SlaState.OVERDUE: QCoreApplication.translate("FrontDesk", "超时"),
    }
    return names[state]


def local_time(moment: datetime | None) -> str:
    """A moment as the office reads it (its own zone), to the minute."""
    return datetime_text(moment)


def duration_text(span: timedelta) -> str:
    """Days, hours and minutes left (or over), the way a countdown reads."""
    seconds = int(abs(span).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = QCoreApplication.translate("FrontDesk", "{d}天{h}小时").format(d=days, h=hours)
    elif hours:
        text = QCoreApplication.translate("FrontDesk", "{h}小时{m}分").format(h=hours, m=minutes)
    else:
        text = QCoreApplication.translate("FrontDesk", "{m}分{s}秒").format(m=minutes, s=secs)
    if span.total_seconds() < 0:
        return QCoreApplication.translate("FrontDesk", "已超时{t}").format(t=text)
    return QCoreApplication.translate("FrontDesk", "剩余{t}").format(t=text)


def money_text(cents: int) -> str:
    return QCoreApplication.translate("FrontDesk", "{amount}元").format(amount=f"{cents / 100:.2f}")
