"""The dashboard's reads: a fixed number of bounded queries over small tables, whatever the county's size.

Heat map: a page of schools × 12 months of obligations due and met, counted from the compliance cells (the same
`figures` the county figures API lists). Ranking and distribution: the latest computed round's stored results.
Trend: one aggregate per round and per month. Overdue: one count and the ten oldest overdue targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Avg, Count, F, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Result, Round
from dangjian.assignments.models import Target
from dangjian.assignments.selectors import overdue_q
from dangjian.core import periods, rules
from dangjian.core.scoping import path_q, prefixes, scoped
from dangjian.db_router import read_db
from dangjian.meetings.models import CellStatus, ComplianceCell
from dangjian.orgs.models import Org, School
from dangjian.orgs.selectors import in_county_order

from . import lag

MONTHS = 12

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

    __slots__ = ("closed", "due", "met", "month", "name", "org_id")

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


def figure_orgs(user, org: Org | None = None) -> QuerySet[Org]:
    """The organizations the county figures list: each school's Party organization the user reaches (with
    `insights.view`), within `org`'s subtree when given. Where no school organization lies within (a branch of a
    school's 党委, or a user whose grants are all inside one), the organization itself, or the user's own top
    organizations: their subtree is the figure asked for."""
    reach = scoped(user, Org, "insights.view")
    schools = reach.filter(schools__isnull=False).distinct().order_by("path")
    if org is not None:
        schools = schools.filter(path__startswith=org.path)
        itself = reach.filter(pk=org.pk)
    else:
        itself = reach.filter(path__in=prefixes(user, "insights.view")).order_by("path")
    return schools if schools.exists() else itself


def figures(user, orgs: list[Org], months: list[periods.Period], today: dt.date | None = None) -> list[list[Figure]]:
    """Per org (in order) and month (in order): obligations due and met over the org's subtree. Two queries: the
    subtrees' org ids, then the cells grouped by org, month and status."""
    today = today or timezone.localdate()
    if not orgs or not months:
        return [[] for _ in orgs]
    by_path: dict[str, list[int]] = {}
    for i, o in enumerate(orgs):  # one organization may stand for several schools (a joint branch)
        by_path.setdefault(o.path, []).append(i)
    members = (
        scoped(user, Org, "insights.view")
        .using(read_db())
        .filter(path_q("path", list(by_path)))
        .values_list("pk", "path")
    )
    rows_of: dict[int, list[int]] = {}
    for pk, path in members:
        found: list[int] = []
        end = path.find(".")
        while end != -1:  # every listed org whose path is a prefix of this one
            found.extend(by_path.get(path[: end + 1], ()))
            end = path.find(".", end + 1)
        rows_of[pk] = found
    index = {m.end: j for j, m in enumerate(months)}
    due = [[0] * len(months) for _ in orgs]
    met = [[0] * len(months) for _ in orgs]
    cells = (
        scoped(user, ComplianceCell, "insights.view")
        .using(read_db())
        .filter(org_id__in=list(rows_of), period_end__in=list(index))
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


def schools(user) -> QuerySet[School]:
    """Schools on the dashboard in the county's own order (township, stage, name): stable pages, and the order
    every other list of schools uses."""
    return in_county_order(scoped(user, School, "insights.view_county").using(read_db()).select_related("org"))


@dataclass
class Heatmap:
    months: list[str]
    month_labels: list[str]
    rows: list[dict] = field(default_factory=list)  # {school, url, lag, cells: [rate|None], shown: [(month, css, pct)]}

    @property
    def has_data(self) -> bool:
        return any(v is not None for r in self.rows for v in r["cells"])


def heat_rows(user, today: dt.date, *, worst_first: bool = True) -> list[lag.LagRow]:
    """Every school the user oversees with its lag over the heat map's twelve months and, per month, its
    obligations due and met (`LagRow.by_month`): the lag and the heat map are one reading of the same cells.
    Worst first, or in the county's own order."""
    span = periods.months_ending(today, MONTHS)
    rows = lag.lag_rows(user, lag.Span(span[0].start, span[-1].end), capability="insights.view_county", today=today)
    return rows if worst_first else sorted(rows, key=lambda r: r.position)


def heatmap(rows: list[lag.LagRow], today: dt.date) -> Heatmap:
    """The heat map of `rows` (from heat_rows): no query of its own."""
    span = periods.months_ending(today, MONTHS)
    result = Heatmap([m.key for m in span], [m.label for m in span])
    for row in rows:
        counts = [row.by_month.get(m.end, (0, 0)) for m in span]
        rates = [round(met / due, 4) if due else None for due, met in counts]  # as Figure.rate: None, never 0 %
        shown = [
            (month, _heat_class(v), None if v is None else round(v * 100))
            for month, v in zip(result.months, rates, strict=True)
        ]
        url = reverse("insights:school", args=[row.school.pk])  # once: the list, the table and the chart link it
        result.rows.append({"school": row.school, "url": url, "lag": row.lag, "cells": rates, "shown": shown})
    return result


def _heat_class(rate: float | None) -> str:
    # Worked out here rather than in the template: the page shows twelve cells for each of up to 120 schools.
    if rate is None:
        return "none"
    return "high" if rate >= 0.9 else "mid" if rate >= 0.6 else "low"


def monthly_trend(user, today: dt.date) -> list[tuple[str, float | None]]:
    """The share of the obligations met per month, over every cell the user oversees (one grouped query). Every
    month of the span is there: one in which nothing fell due is None (a gap in the line), never 0 %."""
    span = periods.months_ending(today, MONTHS)
    rows = (
        scoped(user, ComplianceCell, "insights.view_county")
        .using(read_db())
        .filter(period_end__in=[m.end for m in span])
        .values("period_end")
        .annotate(due=Count("id"), met=Count("id", filter=Q(status=CellStatus.MET)))
        .order_by()
    )
    rates = {r["period_end"]: round(100 * r["met"] / r["due"], 1) for r in rows if r["due"]}
    return [(m.key, rates.get(m.end)) for m in span]


def latest_round(user) -> Round | None:
    return (
        scoped(user, Round, "assessment.view_county")
        .using(read_db())
        .filter(computed_at__isnull=False)
        .select_related("system")
        .order_by("-end", "-id")
        .first()
    )


def ranking(user, round_: Round, limit: int | None = 15) -> list[Result]:
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


def overdue(user, today: dt.date, limit: int = 10) -> tuple[int, list[Target]]:
    """How many targets are overdue, and the `limit` oldest: one query, each row carrying the total."""
    rows = list(overdue_all(user, today).using(read_db()).annotate(total=Window(Count("id")))[:limit])
    return (rows[0].total if rows else 0), cast(list[Target], rows)


def overdue_all(user, today: dt.date) -> QuerySet[Target]:
    return (
        scoped(user, Target, "insights.view_county")
        .filter(overdue_q(today))
        .select_related("assignment", "org")
        .order_by("assignment__due_on", "org__path")
    )


def school_compliance(user, school: School, today: dt.date) -> list[tuple[str, Figure]]:
    span = periods.months_ending(today, MONTHS)
    return [(m.label, f) for m, f in zip(span, figures(user, [school.org], span, today)[0], strict=True)]


def school_results(user, school: School) -> QuerySet[Result]:
    return scoped(user, Result).filter(school=school).select_related("round").order_by("-round__end")[:8]


def school_targets(user, school: School, today: dt.date) -> QuerySet[Target]:
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


def dashboard(user, page_rows: list[lag.LagRow], today: dt.date, *, whole: bool = False) -> Dashboard:
    """The dashboard over a page of `heat_rows`; `whole`: every row of every table (the exports), not the
    page's top."""
    round_ = latest_round(user)
    n, items = overdue(user, today)
    return Dashboard(
        today=today,
        heat=heatmap(page_rows, today),
        compliance_trend=monthly_trend(user, today),
        round=round_,
        top=ranking(user, round_, limit=None if whole else 15) if round_ else [],
        grades=distribution(user, round_) if round_ else [],
        rounds_trend=round_trend(user),
        overdue_count=n,
        overdue_list=items,
    )
