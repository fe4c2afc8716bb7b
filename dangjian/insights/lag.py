"""Who is behind: each school's obligations due and met in a month, quarter or year, its overdue assignments and
its concerns past their time limit, worst first. Counted from the records when asked for (four grouped queries
whatever the number of schools); every figure links back to the records it counts.

How "worst" is decided (the same rule the API, the page, the heat map and the 通报 use):

    lag = missed + overdue_assignments + overdue_concerns

- `missed`: obligations (compliance cells) of the school's organization subtree whose period ends inside the
  chosen period, has already ended (before today) and is not met. An obligation whose period is still running
  is due, not missed.
- `overdue_assignments`: targets of the school's organizations whose deadline falls in the period, has passed and
  which are not done.
- `overdue_concerns`: concerns about the school whose answer limit falls in the period and which were answered
  after it, or not at all while the limit has passed.

Ties: the lower share of obligations met first (a school with nothing due counts as fully met), then the county's
own order of schools. Schools are compared on these substantive records only, never on clicks or time online.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.assignments.models import Status as TargetStatus
from dangjian.assignments.models import Target
from dangjian.core import periods
from dangjian.core.scoping import path_q, scoped
from dangjian.db_router import read_db
from dangjian.meetings.models import CellStatus, ComplianceCell
from dangjian.orgs.models import Org, School
from dangjian.orgs.selectors import in_county_order
from dangjian.voice.models import Concern

PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")
KIND_LABELS = {"month": "月", "quarter": "季度", "year": "年度"}


def parse_period(key: str) -> periods.Period:
    """`YYYY-MM`, `YYYY-Qn` or `YYYY`; ValueError with a Chinese message for anything else."""
    found = PERIOD_RE.match((key or "").strip())
    message = _("统计期应为 YYYY-MM（月）、YYYY-Qn（季度）或 YYYY（年），例如 2026-03、2026-Q1、2026。")
    if not found:
        raise ValueError(message)
    year, month, quarter = int(found[1]), found[2], found[3]
    if not 2000 <= year <= 2100:
        raise ValueError(message)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise ValueError(message)
        return periods.containing("month", dt.date(year, int(month), 1))
    if quarter is not None:
        return periods.containing("quarter", dt.date(year, 3 * int(quarter) - 2, 1))
    return periods.containing("year", dt.date(year, 1, 1))


def period_key(period: periods.Period) -> str:
    """The API's spelling of a period (`2026-Q1` rather than core's `2026Q1`)."""
    return period.key.replace("Q", "-Q")


@dataclass(frozen=True)
class Span:
    """Any closed date range the figures may be counted over (the heat map's twelve months)."""

    start: dt.date
    end: dt.date


@dataclass
class LagRow:
    school: School
    due: int = 0
    met: int = 0
    missed: int = 0
    overdue_assignments: int = 0
    overdue_concerns: int = 0
    position: int = 0  # the school's place in the county's own order: the last tie-break
    # Obligations due and met by the month their period ends (month end → [due, met]): the heat map's cells.
    by_month: dict[dt.date, list[int]] = field(default_factory=dict)

    @property
    def org_id(self) -> int:
        return self.school.org_id

    @property
    def school_id(self) -> int:
        return self.school.pk

    @property
    def name(self) -> str:
        return self.school.name

    @property
    def rate(self) -> float | None:
        return round(self.met / self.due, 4) if self.due else None

    @property
    def lag(self) -> int:
        return self.missed + self.overdue_assignments + self.overdue_concerns

    def sort_key(self) -> tuple:
        return (-self.lag, self.rate if self.rate is not None else 1.0, self.position)


# Up to this many orgs, the cells query names them (see lag_rows).
OWN_ORGS_FILTER_LIMIT = 60


def lag_schools(user, capability: str = "insights.view") -> QuerySet[School]:
    return in_county_order(scoped(user, School, capability).using(read_db()).select_related("org"))


def _school_of_org(schools: list[School], user, capability: str) -> dict[int, list[int]]:
    """Org id → indexes of the schools whose organization subtree holds it (one query)."""
    by_path: dict[str, list[int]] = {}
    for i, s in enumerate(schools):
        by_path.setdefault(s.org.path, []).append(i)
    if not by_path:
        return {}
    found: dict[int, list[int]] = {}
    members = scoped(user, Org, capability).using(read_db())
    if len(by_path) <= OWN_ORGS_FILTER_LIMIT:
        # A page of schools: only their subtrees. For a whole county its scope is one subtree already, and a
        # condition per school would only slow PostgreSQL down.
        members = members.filter(path_q("path", list(by_path)))
    for pk, path in members.values_list("pk", "path"):
        # Paths are "1.10.1094.": the org's own path and each ancestor's are its prefixes ending in a dot.
        owners = [i for end in _dots(path) for i in by_path.get(path[: end + 1], ())]
        if owners:
            found[pk] = owners
    return found


def _dots(path: str) -> list[int]:
    return [i for i, char in enumerate(path) if char == "."]


def lag_rows(
    user,
    period: periods.Period | Span,
    *,
    schools: list[School] | None = None,
    capability: str = "insights.view",
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[LagRow]:
    """Every school in scope (or `schools`) with its figures for `period`, worst first."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    schools = list(lag_schools(user, capability)) if schools is None else schools
    rows = [LagRow(school=s, position=i) for i, s in enumerate(schools)]
    owners = _school_of_org(schools, user, capability)
    if not owners:
        return rows
    cells = scoped(user, ComplianceCell, capability).using(read_db())
    if len(owners) <= OWN_ORGS_FILTER_LIMIT:
        # A page of schools or one school: only their orgs. For a whole county the scoping layer's own list of
        # org ids already bounds the query, and a second long list of ids makes PostgreSQL misjudge it and scan
        # every cell of the province (50 ms against 3 ms, BENCHMARKS run 10); orgs of no listed school are
        # skipped below either way.
        cells = cells.filter(org_id__in=list(owners))
    cells = (
        cells.filter(period_end__gte=period.start, period_end__lte=period.end)
        .values_list("org_id", "period_end")
        .annotate(
            due=Count("id"),
            met=Count("id", filter=Q(status=CellStatus.MET)),
            missed=Count("id", filter=~Q(status=CellStatus.MET) & Q(period_end__lt=today)),
        )
        .order_by()
    )
    for org_id, end, due, met, missed in cells:
        for i in owners.get(org_id, ()):
            row = rows[i]
            row.due += due
            row.met += met
            row.missed += missed
            month = row.by_month.setdefault(end, [0, 0])
            month[0] += due
            month[1] += met
    targets = overdue_targets(user, period, today, capability)
    if len(owners) <= OWN_ORGS_FILTER_LIMIT:  # as for the cells: a long second list of ids only costs
        targets = targets.filter(org_id__in=list(owners))
    for org_id, n in targets.values_list("org_id").annotate(n=Count("id")).order_by():
        for i in owners.get(org_id, ()):
            rows[i].overdue_assignments += n
    index = {s.pk: i for i, s in enumerate(schools)}
    concerns = overdue_concerns(user, period, now, capability)
    if len(index) <= OWN_ORGS_FILTER_LIMIT:
        concerns = concerns.filter(school_id__in=list(index))
    for school_id, n in concerns.values_list("school_id").annotate(n=Count("id")).order_by():
        if school_id in index:
            rows[index[school_id]].overdue_concerns += n
    return sorted(rows, key=LagRow.sort_key)


def overdue_targets(user, period: periods.Period | Span, today: dt.date, capability: str = "insights.view"):
    """Targets whose deadline falls in the period, has passed, and which are not done."""
    return (
        scoped(user, Target, capability)
        .using(read_db())
        .filter(assignment__due_on__gte=period.start, assignment__due_on__lte=period.end)
        .filter(assignment__due_on__lt=today)
        .exclude(status=TargetStatus.DONE)
    )


def overdue_concerns(user, period: periods.Period | Span, now: dt.datetime, capability: str = "insights.view"):
    """Concerns whose answer limit falls in the period and was missed: answered late, or not yet while passed."""
    late = Q(first_answered_at__isnull=False, first_answered_at__gt=F("answer_due"))
    unanswered = Q(first_answered_at__isnull=True, answer_due__lt=now)
    return (
        scoped(user, Concern, capability, own=False)
        .using(read_db())
        .filter(answer_due__date__gte=period.start, answer_due__date__lte=period.end)
        .filter(late | unanswered)
    )


def laggards(rows: list[LagRow]) -> list[LagRow]:
    """Rows behind at all (lag > 0), worst first: who a 督办 goes to."""
    return [r for r in rows if r.lag > 0]
