"""Periodic duties of the meetings app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.periodic import Duty
from dangjian.meetings import compliance, reminders


def _reminders() -> str:
    overdue = compliance.refresh_statuses()
    return f"{overdue} periods overdue, {reminders.send()} reminders"


def _recount() -> str:
    year = timezone.localdate().year
    return f"{compliance.refresh(years=[year])} compliance cells for {year}"


DUTIES = [
    # Safe to run often: each reminder is sent once.
    Duty("meetings.send_reminders", dt.timedelta(hours=1), _reminders, order=20),
    # A safety recount only. Each meeting write derives its org's cells
    # in its own request; this catches what no meeting write touches (members joining or leaving, a committee
    # formed, a county rule override).
    Duty("meetings.refresh_compliance", dt.timedelta(days=1), _recount, order=10),
]
