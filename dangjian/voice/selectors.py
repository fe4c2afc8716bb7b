"""Reads for concerns: every queryset starts at the scoping layer; statistics in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dangjian.core import rules
from dangjian.core.scoping import get_for_user, has_capability, scoped, unscoped_queryset
from dangjian.orgs.models import Grant, Person, School
from dangjian.orgs.selectors import in_county_order
from dangjian.voice.models import Category, Concern, Level, Status


def concerns(user, *, status: str = "", level: str = "", school_id: int | None = None) -> QuerySet[Concern]:
    qs = scoped(user, Concern).select_related("school", "org").order_by("-submitted_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if school_id:
        qs = qs.filter(school_id=school_id)
    return qs


def can_handle(user, concern: Concern) -> bool:
    """Handlers of the responsible org, and the person the concern was transferred to (its assignee)."""
    return concern.assignee_id == user.pk or has_capability(user, "voice.handle", concern.scope_path())


def handled_concern(user, pk) -> Concern:
    """A concern the user may act on as its handler: 404 out of sight, 403 seen but not theirs to handle."""
    concern = get_for_user(user, Concern, pk)
    if not can_handle(user, concern):
        raise PermissionDenied(_("您没有办理此诉求的权限。"))
    return concern


def ethics_officers(concern: Concern) -> QuerySet:
    """Who a concern may be transferred to in person: the 师德工作专员 of its school's org or an org above it."""
    user_ids = (
        unscoped_queryset(Grant, "voice: ethics officers a concern may be transferred to")
        .filter(role="ethics_officer", org__path__in=concern.school.org.ancestor_paths(), revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).select_related("person").order_by("pk")


def offices(concern: Concern) -> list[str]:
    """The school offices a concern may be transferred to (rule data, a county may adjust it)."""
    return list(rules.rule_values("voice", "offices", org_path=concern.org.path)["offices"])


def school_staff(concern: Concern) -> QuerySet:
    """Who may handle a concern for a school office: the active staff of the concern's own school."""
    user_ids = (
        unscoped_queryset(Person, "voice: staff of the concern's school who may handle it for an office")
        .filter(school=concern.school, left_on__isnull=True, user__isnull=False)
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).select_related("person").order_by("pk")


def concerns_submitted_by(user) -> QuerySet[Concern]:
    """The signed-in person's own concerns (not the ones they handle)."""
    return scoped(user, Concern).filter(submitter=user).select_related("school").order_by("-submitted_at")


@dataclass
class SchoolStats:
    school_id: int
    school_name: str = ""
    total: int = 0
    due: int = 0  # concerns whose answer limit has passed or which were answered: the on-time denominator
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def totals(rows) -> SchoolStats:
    """Many schools' figures pooled into one: the county's on-time reply rate is on-time answers over all due
    concerns, the one figure every page and the public home show (never a mean of the schools' rates)."""
    pooled = SchoolStats(school_id=0, school_name=str(_("合计")))
    for row in rows:
        for key in ("total", "due", "on_time", "rated", "satisfied"):
            setattr(pooled, key, getattr(pooled, key) + getattr(row, key))
    return pooled


def _stats(qs, start: dt.date, end: dt.date, now: dt.datetime) -> dict[int, SchoolStats]:
    satisfied = rules.rule_values("voice", "sla", on=end)["satisfied_ratings"]
    rows = (
        qs.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
        .values("school_id", "school__name")
        .annotate(
            total=Count("id"),
            due=Count("id", filter=Q(first_answered_at__isnull=False) | Q(answer_due__lt=now)),
            on_time=Count("id", filter=Q(first_answered_at__isnull=False, first_answered_at__lte=F("answer_due"))),
            rated=Count("id", filter=~Q(rating="")),
            satisfied=Count("id", filter=Q(rating__in=satisfied)),
        )
        .order_by("school__name")
    )
    return {
        r["school_id"]: SchoolStats(
            r["school_id"], r["school__name"], r["total"], r["due"], r["on_time"], r["rated"], r["satisfied"]
        )
        for r in rows
    }


def school_stats(user, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> list[SchoolStats]:
    """Per school the user oversees: volume, on-time rate, satisfaction. One query, whatever the schools."""
    qs = scoped(user, Concern, "voice.view_stats", own=False)
    return list(_stats(qs, start, end, now or timezone.now()).values())


def stats_for_schools(school_ids: list[int], start: dt.date, end: dt.date, now=None) -> dict[int, SchoolStats]:
    """Trusted aggregate (indicator formulas): one query for any number of schools."""
    qs = unscoped_queryset(Concern, "voice indicators: aggregates per school").filter(school_id__in=school_ids)
    found = _stats(qs, start, end, now or timezone.now())
    return {sid: found.get(sid, SchoolStats(sid)) for sid in school_ids}


@dataclass
class PublicFigures:
    total: int
    answered: int
    on_time_rate: float | None
    satisfaction_rate: float | None
    escalated: int
    by_category: list[tuple[str | Promise, int]]  # category labels stay lazy: rendered in the reader's language


def schools_for_submission() -> QuerySet[School]:
    """Every school, in the county's order: the open form lets anyone pick the school their concern is about."""

    return in_county_order(unscoped_queryset(School, "voice: public list of school names").select_related("org"))


def public_figures(start: dt.date, end: dt.date) -> PublicFigures:
    """County-wide aggregates for the public page: figures only, no concern, no name, no school row."""

    qs = unscoped_queryset(Concern, "voice public page: aggregate figures only")
    qs = qs.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    county = totals(_stats(qs, start, end, timezone.now()).values())
    counts = dict(qs.values_list("category").annotate(n=Count("id")).order_by())
    answered = qs.filter(status__in=[Status.ANSWERED, Status.CLOSED]).count()
    escalated = qs.filter(level=Level.COUNTY).count()
    return PublicFigures(
        total=county.total,
        answered=answered,
        on_time_rate=county.on_time_rate,
        satisfaction_rate=county.satisfaction_rate,
        escalated=escalated,
        by_category=[(label, counts.get(value, 0)) for value, label in Category.choices],
    )
