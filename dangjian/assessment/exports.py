"""Excel exports of assessment tables (audited)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dangjian.core import audit
from dangjian.core.scoping import scoped
from dangjian.core.xlsx import workbook_bytes

from .models import Kind, ResultLine, Round
from .selectors import round_results


def _bold(ws, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def round_xlsx(*, actor, round: Round, leaves) -> bytes:
    """Ranking with every indicator's points: one row per school."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("考核结果")
    leaves = [leaf for leaf in leaves if leaf.kind != Kind.GROUP]
    ws.append(
        [_("名次"), _("学校"), _("折算分"), _("等次"), _("得分"), _("可计满分")]
        + [f"{i.code} {i.name}" for i in leaves]
    )
    _bold(ws, 1)
    lines: dict[int, dict[int, ResultLine]] = {}
    for line in (
        scoped(actor, ResultLine).filter(result__round=round).only("result_id", "indicator_id", "status", "points")
    ):
        lines.setdefault(line.result_id, {})[line.indicator_id] = line

    for r in round_results(actor, round).iterator():
        cells = []
        for leaf in leaves:
            line = lines.get(r.pk, {}).get(leaf.pk)
            cells.append(
                float(line.points) if line and line.points is not None else (line.get_status_display() if line else "")
            )
        ws.append(
            [
                r.rank,
                r.school.name,
                float(r.score) if r.score is not None else "",
                r.grade,
                float(r.total),
                float(r.max_total),
                *cells,
            ]
        )
    ws.column_dimensions["B"].width = 30
    audit.record(actor=actor, action="export", obj=round, changes={"format": [None, "xlsx"]})
    return workbook_bytes(wb)


def sheet_xlsx(*, actor, visit, sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("观摩比较")
    ws.append([_("名次"), _("学校"), *[item["name"] for item in visit.items], _("合计"), _("评分人数"), _("亮点")])
    _bold(ws, 1)
    for row in sheet:
        ws.append(
            [
                row.rank,
                row.school_name,
                *[float(row.items[i["key"]]) if row.items[i["key"]] is not None else "" for i in visit.items],
                float(row.total) if row.total is not None else "",
                row.observers,
                "、".join(row.strengths),
            ]
        )
    ws.column_dimensions["B"].width = 30
    audit.record(actor=actor, action="export", obj=visit, changes={"format": [None, "xlsx"]})
    return workbook_bytes(wb)


def bulletin_pdf(*, actor, visit, sheet, reports) -> bytes:
    """The 通报 of an observation event (A4): 基本情况, 主要做法和成效, 存在问题, 下一步工作."""
    from weasyprint import HTML  # loads Pango and fontconfig: only processes that make a PDF pay for it

    from .selectors import groups, observers

    due = [p.rectification.due_on for r in reports for p in r.problems if hasattr(p, "rectification")]
    context = {
        "visit": visit,
        "sheet": sheet,
        "reports": reports,
        "groups": len(groups(visit)),
        "observers": len(observers(visit)),
        "problems_total": sum(len(r.problems) for r in reports),
        "due_on": max(due) if due else None,
    }
    content = HTML(string=render_to_string("assessment/bulletin_pdf.html", context)).write_pdf()
    audit.record(actor=actor, action="export", obj=visit, changes={"format": [None, "pdf"]})
    return content
