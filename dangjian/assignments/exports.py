"""Excel export of an assignment's status table (audited, like every export)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dangjian.core import audit
from dangjian.core.xlsx import workbook_bytes

from . import selectors
from .models import Assignment


def status_xlsx(*, actor, assignment: Assignment) -> bytes:
    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    ws.title = _("完成情况")
    ws.append([assignment.title])
    ws.append([_("布置单位"), assignment.org.name, _("完成期限"), assignment.due_on.isoformat()])
    header = [_("承办单位"), _("状态"), _("完成日期"), _("是否逾期"), _("最近报告")]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for t in selectors.targets_of(actor, assignment).iterator():
        overdue = t.is_overdue(today)
        late = t.done_late
        ws.append(
            [
                t.org.name,
                t.get_status_display(),
                t.completed_on.isoformat() if t.completed_on else "",
                _("逾期未完成") if overdue else (_("逾期完成") if late else ""),
                timezone.localtime(t.last_report_at).strftime("%Y-%m-%d %H:%M") if t.last_report_at else "",
            ]
        )
    ws.column_dimensions["A"].width = 36
    content = workbook_bytes(wb)
    audit.record(actor=actor, action="export", obj=assignment, changes={"format": [None, "xlsx"]})
    return content
