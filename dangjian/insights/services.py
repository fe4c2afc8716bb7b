"""Refreshing the dashboard's precomputed tables (a job in production; a button and the generator here)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit, indicators, periods
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import School

from .models import MonthlyCompliance

COMPLIANCE = "meetings.compliance_rate"
MONTHS = 12


def months_ending(day: dt.date, n: int = MONTHS) -> list[periods.Period]:
    last = periods.containing("month", day)
    found = [last]
    while len(found) < n:
        found.insert(0, found[0].previous())
    return found


def connected() -> bool:
    return COMPLIANCE in indicators.registered()


@transaction.atomic
def refresh_compliance(*, actor, today: dt.date | None = None, months: int = MONTHS) -> int:
    """Recompute the school × month compliance table from the formula registry. Not connected: no rows."""
    today = today or timezone.localdate()
    if not connected():
        return 0
    with unscoped("insights.refresh_compliance"):
        schools = list(School.objects.select_related("org"))
        now = timezone.now()
        rows = []
        span = months_ending(today, months)
        for month in span:
            measured = indicators.compute(COMPLIANCE, schools=schools, start=month.start, end=min(month.end, today))
            for school_id, m in measured.items():
                rows.append(
                    MonthlyCompliance(
                        school_id=school_id,
                        month=month.start,
                        value=m.value,
                        detail=m.detail[:300],
                        evidence_url=m.evidence_url[:500],
                        refreshed_at=now,
                    )
                )
        MonthlyCompliance.objects.filter(month__gte=span[0].start).delete()
        MonthlyCompliance.objects.bulk_create(rows, batch_size=2000)
    audit.record(actor=actor, action="refresh", model="insights.MonthlyCompliance", changes={"rows": [None, len(rows)]})
    return len(rows)
