"""Periodic duties of the care app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.care import services
from dangjian.core.periodic import Duty


def _purge() -> str:
    return f"purged {services.purge_expired()}"


# Archived records past their retention date are deleted.
DUTIES = [Duty("care.purge_care_records", dt.timedelta(days=1), _purge, order=60)]
