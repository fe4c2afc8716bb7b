"""Periodic duties of the membership app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.periodic import Duty
from dangjian.membership import reminders


def _terms() -> str:
    return f"{reminders.send()} 换届 reminders"


DUTIES = [
    # Deduplicated: each person is told once per term and state (due, then overdue).
    Duty("membership.term_reminders", dt.timedelta(days=1), _terms, order=40),
]
