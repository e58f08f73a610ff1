"""The customer's progress page as plain server-rendered HTML (Chinese, phone-sized, no script).

Every value that comes from a record goes through `_e` (html.escape); the page has no JavaScript and its
Content-Security-Policy allows none, so nothing a form field holds can run in the customer's browser.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from domain import progress
from domain.sla import OFFICE_ZONE

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f2f5f4;
color:#1d2b27;font-size:16px;line-height:1.5}
header{background:#00706b;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:2px 0 0;font-size:13px;opacity:.85}
main{padding:12px;max-width:560px;margin:0 auto}
section{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:16px;margin:0 0 10px;color:#00706b}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}
dt{color:#5b6b66}dd{margin:0;word-break:break-all}
.state{font-weight:600}
ol{list-style:none;margin:0;padding:0}
ol li{position:relative;padding:0 0 14px 26px}
ol li:before{content:"";position:absolute;left:5px;top:6px;width:12px;height:12px;border-radius:50%;
background:#c3ccc9}
ol li:after{content:"";position:absolute;left:10px;top:20px;bottom:0;width:2px;background:#dde3e1}
ol li:last-child:after{display:none}
ol li.done:before{background:#2e9b57}ol li.working:before{background:#e08a00}
ol li.cancelled:before{background:#9aa5a1}
.name{font-weight:600}.badge{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;margin-left:6px;
background:#e8eeec;color:#3d4d48}
li.done .badge{background:#e3f4e8;color:#1f7a40}li.working .badge{background:#fff1d6;color:#8a5600}
.late{background:#fde5e3!important;color:#b3261e!important}
.when{font-size:13px;color:#5b6b66}
.todo{border-left:4px solid #e08a00}
.todo ul{margin:0;padding-left:20px}
footer{text-align:center;font-size:13px;color:#5b6b66;padding:4px 12px 20px}
form{display:flex;gap:8px;flex-wrap:wrap}
input{flex:1 1 12em;font-size:18px;padding:8px;border:1px solid #b5c2be;border-radius:6px;letter-spacing:1px}
.code{white-space:nowrap}
button{font-size:16px;padding:8px 16px;border:0;border-radius:6px;background:#00706b;color:#fff}
"""

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the code is in the address: never hand it to another site
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


_STATE = ' class="state"'


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _time(value: datetime | None) -> str:
    return value.astimezone(OFFICE_ZONE).strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _page(title: str, body: str, now: datetime) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<meta name=\"robots\" content=\"noindex\"><title>{_e(title)}</title><style>{_STYLE}</style></head>"
        f"<body><header><h1>{_e(title)}</h1><p>供电服务 · 一窗通</p></header><main>{body}</main>"
        f"<footer>如有疑问请拨打供电服务热线 95598（24小时）<br>查询时间 {_e(_time(now))}</footer></body></html>"
    )


def _code_form(base: str, note: str = "") -> str:
    hint = f"<p>{_e(note)}</p>" if note else ""
    return (
        f"<section><h2>输入查询码</h2>{hint}"
        f"<form method=\"get\" action=\"{_e(progress.page_url(base))}\">"
        "<input name=\"code\" autocomplete=\"off\" autocapitalize=\"characters\" maxlength=\"20\" "
        "placeholder=\"受理回执上的查询码\" aria-label=\"查询码\"><button type=\"submit\">查询</button></form>"
        "<p class=\"when\">查询码共 12 位，印在受理回执上，例如 <span class=\"code\">ABCD-EFGH-JKMN</span>。</p></section>"
    )


def progress_page(view: progress.Progress, now: datetime) -> str:
    rows = [("工单编号", view.number), ("业务类型", view.type_name), ("当前状态", view.state_text),
            ("受理时间", _time(view.accepted_at))]
    if view.due_at is not None:
        rows.append(("承诺办结", _time(view.due_at) + ("（暂定）" if view.due_provisional else "")))
    rows.append(("客户", view.customer_name))
    if view.customer_phone:
        rows.append(("联系电话", view.customer_phone))
    facts = "".join(f"<dt>{_e(label)}</dt><dd{_STATE if label == '当前状态' else ''}>{_e(value)}</dd>"
                    for label, value in rows)
    body = f"<section><h2>办理概况</h2><dl>{facts}</dl></section>"
    if view.todo:
        items = []
        for todo in view.todo:
            what = "、".join(todo.materials)
            text = "；".join(part for part in (what, todo.detail) if part)
            items.append(f"<li>{_e(text)}<div class=\"when\">{_e(_time(todo.asked_at))} 告知</div></li>")
        body += ("<section class=\"todo\"><h2>需要您补充</h2><ul>" + "".join(items) + "</ul>"
                 "<p class=\"when\">请携带以上材料到营业厅，或通过网上国网提交。</p></section>")
    stages = []
    for stage in view.stages:
        if stage.state == progress.DONE:
            when = f"完成于 {_time(stage.completed_at)}" if stage.completed_at else ""
        elif stage.due_at is not None and stage.state == progress.WORKING:
            when = f"时限 {_time(stage.due_at)}"
        else:
            when = ""
        late = "<span class=\"badge late\">已超时限</span>" if stage.overdue else ""
        stages.append(
            f"<li class=\"{_e(stage.state)}\"><span class=\"name\">{_e(stage.name)}</span>"
            f"<span class=\"badge\">{_e(stage.state_text)}</span>{late}"
            + (f"<div class=\"when\">{_e(when)}</div>" if when else "") + "</li>"
        )
    body += "<section><h2>办理环节</h2><ol>" + "".join(stages) + "</ol></section>"
    return _page("办理进度", body, now)


def ask_page(base: str, now: datetime) -> str:
    return _page("办理进度查询", _code_form(base), now)


def not_found_page(base: str, now: datetime) -> str:
    return _page("办理进度查询", _code_form(base, "未查到与该查询码对应的办理记录，请核对受理回执上的查询码后重试。"), now)


def too_many_page(wait: int, now: datetime) -> str:
    note = f"<section><h2>查询过于频繁</h2><p>请 {_e(wait)} 秒后再试。</p></section>"
    return _page("办理进度查询", note, now)
