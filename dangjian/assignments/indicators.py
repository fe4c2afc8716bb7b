"""Derived-indicator formulas offered to assessment (core.indicators): measures of the responsibility system."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import Measure, formula
from dangjian.core.scoping import unscoped_queryset

from .models import Status, Target


def _school_targets(schools, start: dt.date, end: dt.date):
    """{school id: [target…]} for work assigned to each school from above, due within [start, end]."""
    schools = list(schools)
    by_path: dict[str, list[int]] = defaultdict(list)
    for school in schools:
        by_path[school.org.path].append(school.pk)
    rows = (
        unscoped_queryset(Target, "assessment: derived indicator over records")
        .filter(assignment__due_on__range=(start, end))
        .select_related("assignment", "assignment__org", "org")
        .only("status", "completed_on", "org__path", "assignment__due_on", "assignment__org__path")
    )
    found: dict[int, list[Target]] = defaultdict(list)
    for target in rows:
        parts = target.org.path.rstrip(".").split(".")
        for i in range(len(parts), 0, -1):
            path = ".".join(parts[:i]) + "."
            if path in by_path:
                if not path.startswith(target.assignment.org.path) or path == target.assignment.org.path:
                    break  # assigned within the school itself: not the county's measure of the school
                for school_id in by_path[path]:
                    found[school_id].append(target)
                break
    return schools, found


def _evidence(school, start: dt.date, end: dt.date) -> str:
    query = urlencode({"org": school.org_id, "due_from": start.isoformat(), "due_to": end.isoformat()})
    return f"{reverse('assignments:list')}?{query}"


@formula(
    "assignments.on_time_rate",
    label=gettext_lazy("上级布置任务按时完成率"),
    unit="rate",
    evidence_capability="assignments.view",
)
def on_time_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    """Tasks from above due in the period (and already due): share done by the deadline.

    A school with nothing due in the period gets no measure (无数据), never a zero."""
    today = timezone.localdate()
    schools, found = _school_targets(schools, start, end)
    result = {}
    for school in schools:
        due = [t for t in found.get(school.pk, []) if t.assignment.due_on < today or t.status == Status.DONE]
        if not due:
            continue
        on_time = sum(1 for t in due if t.on_time)
        result[school.pk] = Measure(
            on_time / len(due),
            _("到期任务%(n)d项，按时完成%(k)d项") % {"n": len(due), "k": on_time},
            _evidence(school, start, end),
        )
    return result


@formula(
    "assignments.overdue_count",
    label=gettext_lazy("逾期未完成任务数"),
    unit="count",
    evidence_capability="assignments.view",
)
def overdue_count(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    today = min(timezone.localdate(), end + dt.timedelta(days=1))
    schools, found = _school_targets(schools, start, end)
    result = {}
    for school in schools:
        targets = found.get(school.pk, [])
        if not targets:
            continue
        n = sum(1 for t in targets if t.status != Status.DONE and t.assignment.due_on < today)
        result[school.pk] = Measure(float(n), _("逾期未完成%(n)d项") % {"n": n}, _evidence(school, start, end))
    return result
