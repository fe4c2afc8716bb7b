"""The dashboard's reads: a fixed number of bounded queries over small tables, whatever the county's size.

Heat map: a page of schools × 12 months of the precomputed compliance table. Ranking and distribution: the
latest computed round's stored results. Trend: one aggregate per round and per month. Overdue: one count and
the ten oldest overdue targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F
from django.utils import timezone

from dangjian.assessment.models import Result, Round
from dangjian.assignments.models import Target
from dangjian.assignments.selectors import overdue_q
from dangjian.core import indicators, periods
from dangjian.core.scoping import path_q, scoped
from dangjian.db_router import read_db
from dangjian.meetings.models import CellStatus, ComplianceCell
from dangjian.orgs.models import Org, School

from .models import MonthlyCompliance
from .services import COMPLIANCE, months_ending

# The dashboard reads other apps' stored tables through the scoping layer only; it writes nothing of theirs.
# Its county-wide reads go to the replica when one is configured (dangjian.db_router.read_db): a figure a few
# seconds old is fine on a dashboard, and province-wide aggregates then stay off the primary.


# --- the county figures: obligations due and met per school organization and month, read from the cells ---------
#
# Every figure is counted from `meetings.ComplianceCell` when it is asked for: the cells of the recording branch
# are derived in the request that records the meeting, so the figure follows the record at once, with no monthly
# table in between (docs/architecture.md, "Derived figures"). An obligation falls due in the month its period ends
# (a monthly 支委会 in its month, a quarterly 党课 in the quarter's last month).


class Figure:
    """One organization's obligations falling due in one month."""

    __slots__ = ("org_id", "name", "month", "due", "met", "closed")

    def __init__(self, org: Org, month: periods.Period, due: int, met: int, today: dt.date):
        self.org_id, self.name, self.month = org.pk, org.name, month.key
        self.due, self.met, self.closed = due, met, month.end < today

    @property
    def rate(self) -> float | None:
        """None when nothing fell due: no data, never 0 %."""
        return round(self.met / self.due, 4) if self.due else None

    @property
    def status(self) -> str:
        if not self.due:
            return "nothing_due"
        if self.met >= self.due:
            return "met"
        return "overdue" if self.closed else "open"


def month_of(key: str) -> periods.Period:
    """`YYYY-MM` as a month; ValueError for anything else."""
    if len(key) != 7 or key[4] != "-":
        raise ValueError(key)
    found = periods.from_key(key)
    if found.kind != "month":
        raise ValueError(key)
    return found


def figure_orgs(user, org: Org | None = None):
    """The organizations the county figures list: each school's Party organization the user reaches (with
    `insights.view`), within `org`'s subtree when given. An `org` inside a school's organization (a branch of a
    school's 党委) lists itself: its own subtree is the figure asked for."""
    orgs = scoped(user, Org, "insights.view").filter(schools__isnull=False).distinct().order_by("path")
    if org is None:
        return orgs
    inside = orgs.filter(path__startswith=org.path)
    if org.path and not inside.exists():
        return scoped(user, Org, "insights.view").filter(pk=org.pk)
    return inside


def figures(user, orgs: list[Org], months: list[periods.Period], today: dt.date | None = None) -> list[list[Figure]]:
    """Per org (in order) and month (in order): obligations due and met over the org's subtree. Two queries: the
    subtrees' org ids, then the cells grouped by org, month and status."""
    today = today or timezone.localdate()
    if not orgs or not months:
        return [[] for _ in orgs]
    by_path = {o.path: i for i, o in enumerate(orgs)}
    members = Org.all_objects.using(read_db()).filter(path_q("path", list(by_path))).values_list("pk", "path")
    rows_of: dict[int, list[int]] = {}
    for pk, path in members:
        found, end = [], path.find(".")
        while end != -1:  # every listed org whose path is a prefix of this one
            if (i := by_path.get(path[: end + 1])) is not None:
                found.append(i)
            end = path.find(".", end + 1)
        rows_of[pk] = found
    index = {m.end: j for j, m in enumerate(months)}
    due = [[0] * len(months) for _ in orgs]
    met = [[0] * len(months) for _ in orgs]
    cells = (
        scoped(user, ComplianceCell, "insights.view")
        .using(read_db())
        .filter(org_id__any=list(rows_of), period_end__in=list(index))
        .values_list("org_id", "period_end", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, end, status, n in cells:
        j = index[end]
        for i in rows_of.get(org_id, ()):
            due[i][j] += n
            if status == CellStatus.MET:
                met[i][j] += n
    return [[Figure(o, m, due[i][j], met[i][j], today) for j, m in enumerate(months)] for i, o in enumerate(orgs)]


def schools(user):
    """Schools on the dashboard, weakest first would need the figures; alphabetical keeps pages stable."""
    return scoped(user, School, "insights.view_county").using(read_db()).select_related("org").order_by("name")


@dataclass
class Heatmap:
    connected: bool
    months: list[str]
    month_labels: list[str]
    rows: list[dict] = field(default_factory=list)  # {school, cells: [value|None]}

    @property
    def has_data(self) -> bool:
        return any(v is not None for r in self.rows for v in r["cells"])


def heatmap(user, page_schools: list[School], today: dt.date) -> Heatmap:
    span = months_ending(today)
    keys = [m.start for m in span]
    result = Heatmap(COMPLIANCE in indicators.registered(), [m.key for m in span], [m.label for m in span])
    cells: dict[tuple[int, dt.date], float] = {}
    for school_id, month, value in (
        scoped(user, MonthlyCompliance)
        .using(read_db())
        .filter(school__in=[s.pk for s in page_schools], month__gte=keys[0], month__lte=keys[-1])
        .values_list("school_id", "month", "value")
    ):
        cells[(school_id, month)] = value
    for school in page_schools:
        result.rows.append({"school": school, "cells": [cells.get((school.pk, k)) for k in keys]})
    return result


def monthly_trend(user, today: dt.date) -> list[tuple[str, float | None]]:
    """The county's mean compliance per month, over the schools with a figure that month. Every month of the span
    is there: one in which no school had anything due is None (no data, a gap in the line), never 0 %."""
    span = months_ending(today)
    # The schools' ids as a list as well: through the join alone, PostgreSQL reads the whole province's monthly
    # table for one county (27 ms against 1 ms at province scale).
    school_ids = list(schools(user).order_by().values_list("pk", flat=True))
    rows = (
        scoped(user, MonthlyCompliance, "insights.view_county")
        .using(read_db())
        .filter(school_id__in=school_ids, month__gte=span[0].start, month__lte=span[-1].start)
        .values("month")
        .annotate(avg=Avg("value"))
        .order_by("month")
    )
    means = {r["month"]: round(r["avg"] * 100, 1) for r in rows}
    return [(m.start.strftime("%Y-%m"), means.get(m.start)) for m in span]


def latest_round(user) -> Round | None:
    return (
        scoped(user, Round, "assessment.view_county")
        .using(read_db())
        .filter(computed_at__isnull=False)
        .select_related("system")
        .order_by("-end", "-id")
        .first()
    )


def ranking(user, round_: Round, limit: int = 15):
    return list(
        scoped(user, Result, "assessment.view_county")
        .using(read_db())
        .filter(round=round_, score__isnull=False)
        .select_related("school")
        .order_by(F("rank").asc(nulls_last=True), "school__name")[:limit]
    )


def distribution(user, round_: Round) -> list[tuple[str, int]]:
    rows = (
        scoped(user, Result, "assessment.view_county")
        .using(read_db())
        .filter(round=round_)
        .exclude(grade="")
        .values("grade")
        .annotate(n=Count("id"))
    )
    counts = {r["grade"]: r["n"] for r in rows}
    from dangjian.core import rules

    order = [t["grade"] for t in rules.rule_values("assessment", "grades", on=round_.end)["thresholds"]]
    return [(g, counts.get(g, 0)) for g in order]


def round_trend(user, limit: int = 8) -> list[tuple[str, float]]:
    rows = (
        scoped(user, Result, "assessment.view_county")
        .using(read_db())
        .filter(score__isnull=False)
        .values("round_id", "round__name", "round__end")
        .annotate(avg=Avg("score"))
        .order_by("-round__end", "-round_id")[:limit]
    )
    return [(r["round__name"], float(round(r["avg"], 2))) for r in reversed(list(rows))]


def overdue(user, today: dt.date, limit: int = 10):
    qs = scoped(user, Target, "insights.view_county").using(read_db()).filter(overdue_q(today))
    return qs.count(), list(qs.select_related("assignment", "org").order_by("assignment__due_on", "org__path")[:limit])


def overdue_all(user, today: dt.date):
    return (
        scoped(user, Target, "insights.view_county")
        .filter(overdue_q(today))
        .select_related("assignment", "org")
        .order_by("assignment__due_on", "org__path")
    )


def school_compliance(user, school: School, today: dt.date) -> list[tuple[str, MonthlyCompliance | None]]:
    span = months_ending(today)
    found = {
        c.month: c
        for c in scoped(user, MonthlyCompliance).filter(
            school=school, month__gte=span[0].start, month__lte=span[-1].start
        )
    }
    return [(m.label, found.get(m.start)) for m in span]


def school_results(user, school: School):
    return scoped(user, Result).filter(school=school).select_related("round").order_by("-round__end")[:8]


def school_targets(user, school: School, today: dt.date):
    return (
        scoped(user, Target)
        .filter(org__path__startswith=school.org.path)
        .select_related("assignment", "assignment__org", "org")
        .order_by("status", "assignment__due_on")[:20]
    )


@dataclass
class Dashboard:
    today: dt.date
    heat: Heatmap
    compliance_trend: list
    round: Round | None
    top: list
    grades: list
    rounds_trend: list
    overdue_count: int
    overdue_list: list

    @property
    def has_compliance_trend(self) -> bool:
        return any(value is not None for _month, value in self.compliance_trend)


def dashboard(user, page_schools: list[School], today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    round_ = latest_round(user)
    n, items = overdue(user, today)
    return Dashboard(
        today=today,
        heat=heatmap(user, page_schools, today),
        compliance_trend=monthly_trend(user, today),
        round=round_,
        top=ranking(user, round_) if round_ else [],
        grades=distribution(user, round_) if round_ else [],
        rounds_trend=round_trend(user),
        overdue_count=n,
        overdue_list=items,
    )
