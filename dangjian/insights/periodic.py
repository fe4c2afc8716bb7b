"""Periodic duties of the dashboard (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.periodic import Duty


def _refresh() -> str:
    from dangjian.insights import services

    return f"{services.refresh_compliance(actor=None)} school-months"


# The heat map's school × month table, after the meetings recount (order 10) of the same night.
DUTIES = [Duty("insights.refresh_compliance", dt.timedelta(days=1), _refresh, order=30)]
