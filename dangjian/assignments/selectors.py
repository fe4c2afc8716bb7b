"""Reads of the responsibility system. Every queryset starts at the scoping layer; overdue is computed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangjian.core import capabilities, fulfilment, rules
from dangjian.core.scoping import grants, has_capability, scoped
from dangjian.orgs.models import Org, OrgKind
from dangjian.orgs.selectors import live_orgs

from .models import Assignment, Report, Status, Supervision, Target


def due_soon_until(today: dt.date, org_path: str = "") -> dt.date:
    """Open targets due on or before this day (and not yet overdue) are shown as 临期 (rule data, local)."""
    days = rules.rule_values("assignments", "assignments", on=today, org_path=org_path)["due_soon_days"]
    return today + dt.timedelta(days=days)


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": Status.DONE}) & Q(**{f"{prefix}assignment__due_on__lt": today})


def received(user, *, overdue_only: bool = False, today: dt.date | None = None) -> QuerySet[Target]:
    """Targets of the orgs the user belongs to or oversees, soonest deadline first."""
    qs = scoped(user, Target).select_related("assignment", "assignment__org", "org")
    if overdue_only:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    return qs.order_by("status", "assignment__due_on", "org__path")


def issued(user, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Assignments issued by orgs where the user may assign, with status counts in the same query."""
    today = today or timezone.localdate()
    return (
        scoped(user, Assignment, "assignments.assign")
        .select_related("org")
        .annotate(
            n_targets=Count("targets"),
            n_done=Count("targets", filter=Q(targets__status=Status.DONE)),
            n_overdue=Count("targets", filter=overdue_q(today, "targets__")),
        )
        .order_by("-due_on", "-id")
    )


def targets_of(user, assignment: Assignment) -> QuerySet[Target]:
    return scoped(user, Target).filter(assignment=assignment).select_related("org", "assignment").order_by("org__path")


@dataclass
class StatusCounts:
    total: int = 0
    done: int = 0
    done_late: int = 0
    in_progress: int = 0
    pending: int = 0
    overdue: int = 0


def status_counts(user, assignment: Assignment, today: dt.date | None = None) -> StatusCounts:
    today = today or timezone.localdate()
    row = targets_of(user, assignment).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Status.DONE)),
        done_late=Count("id", filter=Q(status=Status.DONE, completed_on__gt=assignment.due_on)),
        in_progress=Count("id", filter=Q(status=Status.IN_PROGRESS)),
        pending=Count("id", filter=Q(status=Status.PENDING)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    return StatusCounts(**row)


def reports_of(user, target: Target) -> QuerySet[Report]:
    return scoped(user, Report).filter(target=target).select_related("created_by")


def supervisions_of(user, target: Target) -> QuerySet[Supervision]:
    return scoped(user, Supervision).filter(target=target).select_related("created_by")


def assigning_orgs(user) -> QuerySet[Org]:
    """Orgs the user issues tasks in the name of: those where they hold an assigning grant themselves, never an
    org below it (the county does not issue in a branch's name; that branch's own secretary does)."""
    roles = capabilities.roles_with("assignments.assign")
    held = {path for path, role in grants(user) if role in roles}
    return live_orgs(user, "assignments.assign").filter(path__in=held).exclude(kind=OrgKind.GROUP).order_by("path")


def receivers_of(user, org: Org) -> QuerySet[Org]:
    return scoped(user, Org).filter(parent=org, is_active=True).order_by("path")


def can_supervise(user, target: Target) -> bool:
    """Supervision belongs to the issuing level, not to the receiver itself."""
    return has_capability(user, "assignments.supervise", target.assignment.org.path)


def can_report(user, target: Target) -> bool:
    return has_capability(user, "assignments.report", target.org.path)


def fulfilling_kinds(*, org: Org, on: dt.date) -> list[tuple[str, str]]:
    """(key, label) of the record kinds an assignment may name, as the rule data lists them, offered by an app."""
    offered = fulfilment.sources()
    listed = rules.rule_values("assignments", "assignments", on=on, org_path=org.path)["fulfilled_by"]
    return [(item["key"], item["label"]) for item in listed if item["key"] in offered]
