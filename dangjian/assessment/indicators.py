"""The assessment app's figure for others (core.indicators): the share of schools given the top grade in the
county's latest *published* annual assessment. Only published rounds are read: a grade the county has not
published never leaves this app (the public site shows the county mean only)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangjian.assessment.models import Result, RoundKind
from dangjian.core import rules
from dangjian.core.indicators import Measure, formula
from dangjian.core.scoping import unscoped_queryset


def _ids(schools) -> list[int]:
    return [s if isinstance(s, int) else s.pk for s in schools]


def top_grade(on: dt.date, org_path: str) -> str:
    thresholds = rules.rule_values("assessment", "grades", on=on, org_path=org_path)["thresholds"]
    return max(thresholds, key=lambda t: t["min"])["grade"] if thresholds else ""


@formula(
    "assessment.published_grade_rate",
    label="年度考核“好”等次学校占比",
    unit="rate",
    evidence_capability="assessment.view_county",  # the round's page
)
def published_grade_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    """Per school: 1 when graded at the top grade (好) in its latest published annual round ending within
    [start, end], else 0. Schools with no published result in the period have no figure."""
    rows = (
        unscoped_queryset(Result, "assessment.published_grade_rate: published rounds only")
        .filter(
            school_id__in=_ids(schools),
            round__published=True,
            round__kind=RoundKind.ANNUAL,
            round__end__gte=start,
            round__end__lte=end,
        )
        .order_by("school_id", "-round__end", "-round_id")
        .values_list("school_id", "grade", "round_id", "round__name", "round__end", "round__system__org__path")
    )
    latest: dict[int, tuple] = {}
    for school_id, *rest in rows:
        latest.setdefault(school_id, tuple(rest))
    tops: dict[tuple, str] = {}
    found = {}
    for school_id, (grade, round_id, round_name, round_end, path) in latest.items():
        top = tops.setdefault((round_end, path), top_grade(round_end, path))
        found[school_id] = Measure(
            1.0 if grade and grade == top else 0.0,
            f"{round_name}：{grade or '未定等次'}",
            reverse("assessment:round", args=[round_id]),
        )
    return found
