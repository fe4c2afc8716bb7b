"""Objects the assignments tests and route samples build on, written as trusted set-up code."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from dangjian.assignments.models import Assignment, Report, Status, Target
from dangjian.core.scoping import unscoped

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def county_assignment(world, *, due_on: dt.date, title: str = "报送党建工作总结", statuses=None) -> Assignment:
    """An assignment from the county to both schools' organizations; statuses: {org: (status, completed_on)}."""
    statuses = statuses or {}
    with unscoped("test set-up"):
        a = Assignment.objects.create(org=world.county, title=title, body="内容", expected="总结一份", due_on=due_on)
        for org in (world.branch_a, world.branch_b):
            status, completed = statuses.get(org.pk, (Status.PENDING, None))
            Target.objects.create(assignment=a, org=org, status=status, completed_on=completed)
    return a


def route_objects(world) -> dict:
    """Built once per world: a county assignment with a report on school A's target, and a branch-level one."""
    cached = world.__dict__.get("_assignments_routes")
    if cached:
        return cached
    a = county_assignment(world, due_on=dt.date(2026, 10, 1))
    with unscoped("test set-up"):
        target_a = Target.objects.get(assignment=a, org=world.branch_a)
        report = Report(target=target_a, text="进展", created_by=world.users["secretary"])
        report.file.save("plan.pdf", ContentFile(PDF_BYTES), save=False)
        report.save()
        own = Assignment.objects.create(
            org=world.branch_a, title="党小组学习安排", body="内容", expected="情况说明", due_on=dt.date(2026, 12, 31)
        )
        Target.objects.create(assignment=own, org=world.group_a)
    cached = {"assignment": a, "target_a": target_a, "report": report, "branch_assignment": own}
    world.__dict__["_assignments_routes"] = cached
    return cached
