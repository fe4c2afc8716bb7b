"""Periodic duties of the voice app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.periodic import Duty
from dangjian.voice import services


def _escalate() -> str:
    return f"escalated {services.escalate_overdue()}"


# Concerns past their working-day limit go to the county.
DUTIES = [Duty("voice.escalate_overdue", dt.timedelta(hours=1), _escalate, order=40)]
