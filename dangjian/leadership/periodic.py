"""Periodic duties of the leadership app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.periodic import Duty
from dangjian.leadership import services


def _remind() -> str:
    return f"reminded {services.remind_reports()}"


# The 校长 hears of an execution report falling due within a week, and once more when it is overdue.
DUTIES = [Duty("leadership.report_reminders", dt.timedelta(days=1), _remind, order=60)]
