"""Derived indicators for assessment (core.indicators). Trusted code over the precomputed compliance table:
a fixed number of queries for any number of schools. Each figure says how it was computed and links to the
records it counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, FloatField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import Measure, formula
from dangjian.core.scoping import path_q, unscoped
from dangjian.meetings.models import ComplianceCell, Meeting, Status
from dangjian.orgs.models import School

MET, OVERDUE = "met", "overdue"
VIEW = "meetings.view"  # what the evidence pages (compliance, the meetings list) ask of their visitor


def _ids(schools) -> list[int]:
    return [s.pk if hasattr(s, "pk") else int(s) for s in schools]


def _schools(schools) -> tuple[dict[int, str], dict[int, int]]:
    """({school_id: path of its Party organization}, {school_id: org id}): one query."""

    with unscoped("indicators: schools"):
        rows = list(School.objects.filter(pk__in=_ids(schools)).values_list("pk", "org__path", "org_id"))
    return {pk: path for pk, path, _o in rows}, {pk: org_id for pk, _p, org_id in rows}


def _owners(paths: dict[int, str]):
    """A lookup org path → schools whose organization contains it: one dict probe per level of the path, so a
    province (9,000 schools, 400,000 cells) costs 400,000 × depth probes, not 400,000 × 9,000 comparisons."""
    by_root: dict[str, list[int]] = defaultdict(list)
    for school_id, root in paths.items():
        by_root[root].append(school_id)

    def owners(org_path: str) -> list[int]:
        found: list[int] = []
        end = org_path.find(".")
        while end != -1:
            found.extend(by_root.get(org_path[: end + 1], ()))
            end = org_path.find(".", end + 1)
        return found

    return owners


def _roots(paths: dict[int, str], limit: int = 30) -> list[str]:
    """At most about `limit` path prefixes that cover every school: the schools' own paths while few, else their
    ancestors (a county's schools become the county). The database then tests a few prefixes per row, not
    thousands; rows of other schools that a wider prefix lets through are dropped by `_owners`."""
    roots = sorted(set(paths.values()))
    while len(roots) > limit:
        wider = sorted({r[: r.rstrip(".").rfind(".") + 1] or r for r in roots})
        if wider == roots:
            break
        roots = wider
    return roots


def _cells(paths: dict[int, str], start: dt.date, end: dt.date, kinds: tuple[str, ...] | None = None):
    if not paths:
        return []
    with unscoped("indicators: compliance cells"):
        qs = ComplianceCell.objects.filter(
            path_q("org__path", _roots(paths)),
            period_start__lte=end,
            period_end__gte=start,
            org__kind="branch",
        )
        if kinds:
            qs = qs.filter(kind__in=kinds)
        return list(qs.values_list("org_id", "org__path", "kind", "status"))


def _measure_url(school_org: dict[int, int], school_id: int, start: dt.date, end: dt.date, name: str, **extra) -> str:
    query = {"org": school_org.get(school_id, ""), "start": start.isoformat(), "end": end.isoformat(), **extra}
    return f"{reverse(name)}?{urlencode(query)}"


@formula(
    "meetings.compliance_rate", label=gettext_lazy("组织生活按规定召开的比例"), unit="rate", evidence_capability=VIEW
)
def compliance_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    """Share of the required (kind, period) cells of the school's branches that were met. Cells of periods
    still running and not yet met are not judged yet, so they are left out; a school with nothing judged yet
    gets no measure at all (no data), never 0 %."""
    paths, school_org = _schools(schools)
    met: dict[int, int] = defaultdict(int)
    judged: dict[int, int] = defaultdict(int)
    owners = _owners(paths)
    for _org_id, org_path, _kind, status in _cells(paths, start, end):
        if status not in (MET, OVERDUE):
            continue
        for school_id in owners(org_path):
            judged[school_id] += 1
            met[school_id] += status == MET
    result = {}
    for school_id in paths:
        n, m = judged[school_id], met[school_id]
        if not n:
            continue  # nothing was due yet: no data, which is not the same as 0 %
        result[school_id] = Measure(
            m / n,
            _("应开%(n)d项次，按时完成%(m)d项次") % {"n": n, "m": m},
            _measure_url(school_org, school_id, start, end, "meetings:compliance"),
        )
    return result


def _share_of_branches(kind: str, schools, start: dt.date, end: dt.date, detail: str) -> dict[int, Measure]:
    paths, school_org = _schools(schools)
    first = dt.date(start.year, 1, 1)
    last = dt.date(end.year, 12, 31)
    status_by_branch: dict[int, list[str]] = defaultdict(list)
    path_of: dict[int, str] = {}
    owners = _owners(paths)
    for org_id, org_path, _kind, status in _cells(paths, first, last, (kind,)):
        status_by_branch[org_id].append(status)
        path_of[org_id] = org_path
    total: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for org_id, statuses in status_by_branch.items():
        for school_id in owners(path_of[org_id]):
            total[school_id] += 1
            done[school_id] += all(s == MET for s in statuses)
    return {
        school_id: Measure(
            done[school_id] / total[school_id] if total[school_id] else 0.0,
            detail % {"n": total[school_id], "m": done[school_id]},
            _measure_url(school_org, school_id, first, last, "meetings:index", kind=kind),
        )
        for school_id in paths
    }


@formula(
    "meetings.org_life_meeting_held",
    label=gettext_lazy("按时召开组织生活会的支部比例"),
    unit="rate",
    evidence_capability=VIEW,
)
def org_life_meeting_held(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    return _share_of_branches("org_life_meeting", schools, start, end, _("共%(n)d个支部，已召开组织生活会%(m)d个"))


@formula(
    "meetings.member_review_done",
    label=gettext_lazy("完成民主评议党员的支部比例"),
    unit="rate",
    evidence_capability=VIEW,
)
def member_review_done(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    return _share_of_branches("member_review", schools, start, end, _("共%(n)d个支部，已完成民主评议%(m)d个"))


@formula("meetings.attendance_rate", label=gettext_lazy("组织生活平均出席率"), unit="rate", evidence_capability=VIEW)
def attendance_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    """Mean of the attendance rates of the school's held meetings (present or online over expected)."""

    paths, school_org = _schools(schools)
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    finish = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    sums: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    if paths:
        with unscoped("indicators: attendance"):
            rows = (
                Meeting.objects.filter(
                    path_q("org__path", _roots(paths)),
                    status=Status.HELD,
                    expected_count__gt=0,
                    starts_at__range=(begin, finish),
                )
                .values("org__path")
                .annotate(
                    mean=Avg(Cast(F("attended_count"), FloatField()) / Cast(F("expected_count"), FloatField())),
                    n=Count("id"),
                )
            )
            owners = _owners(paths)
            for row in rows:
                for school_id in owners(row["org__path"]):
                    sums[school_id] += row["mean"] * row["n"]
                    counts[school_id] += row["n"]
    return {
        school_id: Measure(
            sums[school_id] / counts[school_id] if counts[school_id] else 0.0,
            _("共%(n)d次会议，平均出席率%(r).0f%%")
            % {"n": counts[school_id], "r": 100 * sums[school_id] / counts[school_id] if counts[school_id] else 0},
            _measure_url(school_org, school_id, start, end, "meetings:index"),
        )
        for school_id in paths
    }
