"""Exports of the dashboard: every table to Excel, the whole dashboard to PDF (tables, not canvas charts)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dangjian.core import audit
from dangjian.core.xlsx import workbook_bytes

TABLES = ("heatmap", "ranking", "overdue", "trend")


def table_rows(table: str, board, overdue_rows=None) -> tuple[str, list[str], list[list]]:
    if table == "heatmap":
        header = [_("学校"), *board.heat.month_labels]
        rows = [
            [r["school"].name, *[round(v * 100, 1) if v is not None else _("无数据") for v in r["cells"]]]
            for r in board.heat.rows
        ]
        return _("会议合规率（%）"), header, rows
    if table == "ranking":
        header = [_("名次"), _("学校"), _("折算分"), _("等次")]
        rows = [[r.rank, r.school.name, float(r.score), r.grade] for r in board.top]
        return _("考核排名"), header, rows
    if table == "overdue":
        header = [_("任务"), _("承办单位"), _("完成期限"), _("状态")]
        rows = [
            [t.assignment.title, t.org.name, t.assignment.due_on.isoformat(), t.get_status_display()]
            for t in (overdue_rows if overdue_rows is not None else board.overdue_list)
        ]
        return _("逾期任务"), header, rows
    if table == "trend":
        header = [_("考核轮次"), _("平均折算分")]
        rows = [[name, value] for name, value in board.rounds_trend]
        rows += [
            [f"{_('会议合规率')} {month}", value if value is not None else _("无数据")]
            for month, value in board.compliance_trend
        ]
        return _("趋势"), header, rows
    raise KeyError(table)


def xlsx(*, actor, table: str, board, overdue_rows=None) -> bytes:
    title, header, rows = table_rows(table, board, overdue_rows)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:30]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 24
    content = workbook_bytes(wb)
    audit.record(
        actor=actor, action="export", model="insights.Dashboard", object_repr=title, changes={"table": [None, table]}
    )
    return content


def pdf(*, actor, board) -> bytes:
    from weasyprint import HTML  # loads Pango and fontconfig: only processes that make a PDF pay for it

    tables = [table_rows(t, board) for t in TABLES]
    html = render_to_string("insights/dashboard_pdf.html", {"board": board, "tables": tables})
    content = HTML(string=html).write_pdf()
    audit.record(
        actor=actor, action="export", model="insights.Dashboard", object_repr="PDF", changes={"format": [None, "pdf"]}
    )
    return content


def lag_pdf(*, actor, period, rows) -> bytes:
    """The monthly (or quarterly, yearly) 通报 of who is behind, from the same figures as the lag view."""
    from weasyprint import HTML

    from .lag import laggards

    behind = laggards(rows)
    context = {
        "period": period,
        "rows": rows,
        "behind": behind,
        "met_all": sum(1 for r in rows if r.due and r.met >= r.due),
        "due": sum(r.due for r in rows),
        "met": sum(r.met for r in rows),
        "overdue_assignments": sum(r.overdue_assignments for r in rows),
        "overdue_concerns": sum(r.overdue_concerns for r in rows),
    }
    content = HTML(string=render_to_string("insights/lag_pdf.html", context)).write_pdf()
    audit.record(
        actor=actor, action="export", model="insights.Lag", object_repr=period.key, changes={"format": [None, "pdf"]}
    )
    return content
