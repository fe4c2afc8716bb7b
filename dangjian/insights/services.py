"""Writes started from the county's views. Insights owns no records of its own: a 督办 to the schools that are
behind is a supervision item on each of their overdue targets, written by the responsibility system's own
service (which validates, notifies the receivers and audits each one); here one audit entry records the batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.assignments import selectors as assignment_selectors
from dangjian.assignments import services as assignment_services
from dangjian.core import audit, periods

from . import lag


@dataclass
class SupervisionBatch:
    items: int  # supervision items written
    schools: int  # laggard schools that received at least one
    without_targets: int  # laggard schools behind only on meetings or concerns: nothing to supervise on


@transaction.atomic
def supervise_laggards(
    *, actor, period: periods.Period, note: str, school_ids: list[int] | None = None, today: dt.date | None = None
) -> SupervisionBatch:
    """督办 to the schools behind in `period` (or those of them in `school_ids`): one supervision item on each of
    their overdue targets that the actor's level may supervise."""
    if not note.strip():
        raise ValidationError(_("请填写督办意见。"))
    today = today or timezone.localdate()
    rows = lag.laggards(lag.lag_rows(actor, period, capability="insights.view_county", today=today))
    if school_ids is not None:
        rows = [r for r in rows if r.school_id in set(school_ids)]
    if not rows:
        raise ValidationError(_("本期没有落后的学校，无需督办。"))
    items = schools = 0
    targets = list(
        lag.overdue_targets(actor, period, today, "insights.view_county").select_related("assignment__org", "org")
    )
    for row in rows:
        mine = [t for t in targets if t.org.path.startswith(row.school.org.path)]
        mine = [t for t in mine if assignment_selectors.can_supervise(actor, t)]
        for target in mine:
            assignment_services.supervise(actor=actor, target=target, note=note)
        items += len(mine)
        schools += bool(mine)
    if not items:
        raise ValidationError(_("落后学校没有本期逾期且可由本级督办的任务，未发出督办。"))
    audit.record(
        actor=actor,
        action="supervise",
        model="insights.Lag",
        object_repr=lag.period_key(period),
        changes={"schools": [None, schools], "items": [None, items]},
    )
    return SupervisionBatch(items, schools, len(rows) - schools)
