"""Render a ledger's content as an A4 PDF (WeasyPrint, Noto Sans CJK) and as an Excel workbook (openpyxl)."""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dangjian.core.xlsx import workbook_bytes
from dangjian.ledgers.content import Content

_local = threading.local()


def _font_config():
    """One font configuration per worker thread, kept between ledgers: a new one makes fontconfig load its whole
    configuration and font list again, and Pango open the CJK faces again."""
    config = getattr(_local, "font_config", None)
    if config is None:
        # WeasyPrint loads Pango and fontconfig on import: only processes that make a PDF pay for it.
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def pdf(content: Content) -> bytes:
    """The ledger as an A4 PDF."""
    from weasyprint import HTML  # loaded on first use, as above

    html = render_to_string("ledgers/pdf.html", {"c": content})
    return HTML(string=html).render(font_config=_font_config()).write_pdf()


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column in ws.columns:
        width = max((len(str(c.value or "")) for c in column), default=4)
        ws.column_dimensions[column[0].column_letter].width = min(max(width * 2 + 2, 8), 60)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def xlsx(content: Content) -> bytes:
    """The ledger as a workbook: a cover and one sheet per part, in the PDF's order."""
    wb = Workbook()
    _cover(wb.active, content)
    _sheet(wb, _("班子成员"), [_("职务"), _("姓名")], [list(p) for p in content.positions])
    _sheet(
        wb,
        _("党员名册"),
        [_("序号"), _("姓名"), _("性别"), _("政治面貌"), _("入党日期"), _("党小组")],
        [[i, r["name"], r["gender"], r["stage"], r["joined"], r["group"]] for i, r in enumerate(content.roster, 1)],
    )
    _sheet(
        wb,
        _("落实情况"),
        [_("类型"), _("已完成"), _("应完成"), _("逾期")],
        [[r["kind"], r["met"], r["total"], r["overdue"]] for r in content.compliance],
    )
    _meeting_sheets(wb, content)
    _sheet(
        wb,
        _("民主评议"),
        [_("姓名"), _("等次")],
        [list(g) for g in content.review] + [[k, v] for k, v in content.review_counts],
    )
    _sheet(
        wb,
        _("整改清单"),
        [_("整改事项"), _("责任人"), _("完成时限"), _("完成日期")],
        [
            [r.item, r.owner.name, r.deadline.isoformat(), r.done_on.isoformat() if r.done_on else _("未完成")]
            for r in content.rectifications
        ],
    )
    return workbook_bytes(wb)


def _cover(cover, content: Content) -> None:
    cover.title = _("封面")
    cover.append([f"{content.org.name}"])
    cover.append([_("%(y)d年度 党建工作台账") % {"y": content.year}])
    cover.append([_("生成时间：%(t)s") % {"t": f"{timezone.localtime(content.generated_at):%Y-%m-%d %H:%M}"}])
    cover.append([_("本台账由平台根据会议记录自动生成，无需另行填报。")])
    cover["A1"].font = Font(bold=True, size=16)
    cover.column_dimensions["A"].width = 60


def _meeting_sheets(wb: Workbook, content: Content) -> None:
    """The four sheets drawn from the meetings: the list, the minutes, attendance, criticism."""
    _sheet(
        wb,
        _("会议一览"),
        [
            _("序号"),
            _("日期"),
            _("类型"),
            _("主题"),
            _("组织"),
            _("应到"),
            _("实到"),
            _("法定人数"),
            _("主持人"),
            _("记录人"),
            _("记录不全"),
        ],
        [
            [
                i,
                r.meeting.day.isoformat(),
                r.meeting.get_kind_display(),
                r.meeting.topic,
                r.meeting.org.name,
                r.meeting.expected_count,
                r.meeting.attended_count,
                {True: _("达到"), False: _("未达到"), None: ""}[r.meeting.quorum_met],
                r.meeting.host.name if r.meeting.host else "",
                r.meeting.recorder.name if r.meeting.recorder else "",
                _("是") if r.meeting.is_incomplete else "",
            ]
            for i, r in enumerate(content.meetings, 1)
        ],
    )
    _sheet(
        wb,
        _("会议记录"),
        [_("日期"), _("类型"), _("主题"), _("会议记录"), _("决议事项"), _("表决")],
        [
            [
                r.meeting.day.isoformat(),
                r.meeting.get_kind_display(),
                r.meeting.topic,
                r.meeting.minutes,
                r.meeting.resolutions,
                "；".join(_motion_text(m) for m in r.motions),
            ]
            for r in content.meetings
        ],
    )
    _sheet(
        wb,
        _("出席情况"),
        [_("日期"), _("主题"), _("姓名"), _("出席情况")],
        [[r.meeting.day.isoformat(), r.meeting.topic, *a] for r in content.meetings for a in r.attendance],
    )
    _sheet(
        wb,
        _("批评与自我批评"),
        [_("日期"), _("姓名"), _("自我批评"), _("收到的批评意见")],
        [
            [r.meeting.day.isoformat(), e.person.name, e.self_criticism, e.criticism_received]
            for r in content.meetings
            for e in r.life
        ],
    )


def _motion_text(m) -> str:
    outcome = _("无效") if not m.valid else (_("通过") if m.passed else _("未通过"))
    return _("%(t)s：赞成%(y)d反对%(n)d弃权%(a)d，") % {"t": m.title, "y": m.yes, "n": m.no, "a": m.abstain} + outcome
