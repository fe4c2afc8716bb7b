"""Writes of the responsibility system: each one keyword-only, in a transaction, validated, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, capabilities, files, rules
from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Grant, Org

from .models import Assignment, Report, Status, Supervision, Target


def _notify(targets: list[Target], title: str, body: str, key: str) -> None:
    """One in-app message to whoever reports for each receiving org: no read receipts, no reply timer."""
    roles = capabilities.roles_with("assignments.report")
    by_org = {t.org_id: t for t in targets}
    with unscoped("assignments: notify receivers"):
        grants = (
            Grant.all_objects.filter(org_id__in=list(by_org), role__in=roles, revoked_at__isnull=True)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
            .values_list("user_id", "org_id")
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    title=title,
                    body=body,
                    url=reverse("assignments:target", args=[by_org[org_id].pk]),
                    dedupe_key=f"{key}:{by_org[org_id].pk}",
                )
                for user_id, org_id in set(grants)
            ]
        )


@transaction.atomic
def create_assignment(
    *,
    actor,
    org: Org,
    title: str,
    body: str,
    expected: str,
    due_on: dt.date,
    receivers: list[Org],
    today: dt.date | None = None,
) -> Assignment:
    """Assign work from `org` to some or all of the orgs directly below it (一级抓一级)."""
    today = today or timezone.localdate()
    if not receivers:
        raise ValidationError(_("请至少选择一个承办单位。"))
    strangers = [o.name for o in receivers if o.parent_id != org.pk]
    if strangers:
        raise ValidationError(
            _("只能向本组织的直接下级布置任务：%(names)s 不是下级。") % {"names": "、".join(strangers)}
        )
    if due_on < today:
        raise ValidationError(_("完成期限不能早于今天。"))
    with unscoped("assignments.create_assignment"):
        assignment = Assignment(
            org=org, title=title.strip(), body=body.strip(), expected=expected.strip(), due_on=due_on, created_by=actor
        )
        assignment.full_clean()
        assignment.save()
        targets = Target.all_objects.bulk_create([Target(assignment=assignment, org=o) for o in receivers])
        if targets and targets[0].pk is None:
            targets = list(Target.all_objects.filter(assignment=assignment))
    _notify(
        targets,
        _("新任务：%(t)s") % {"t": assignment.title},
        _("%(org)s布置，%(d)s前完成。") % {"org": org.name, "d": due_on.isoformat()},
        f"assignment:{assignment.pk}",
    )
    audit.record(
        actor=actor,
        action="create",
        obj=assignment,
        changes={"title": [None, assignment.title], "due_on": [None, str(due_on)], "receivers": [None, len(receivers)]},
    )
    return assignment


@transaction.atomic
def report_progress(*, actor, target: Target, text: str, done: bool = False, file=None, today: dt.date | None = None):
    """A receiving org reports progress, or completion. The text is the record; a file is optional."""
    today = today or timezone.localdate()
    if not text.strip():
        raise ValidationError(_("请填写进展情况。"))
    if file:
        allowed = rules.rule_values("assignments", "assignments", on=today, org_path=target.org.path)
        files.validate_upload(file, tuple(allowed["attachment_kinds"]))
    before = audit.snapshot(target, ["status", "completed_on"])
    with unscoped("assignments.report_progress"):
        report = Report(target=target, done=done, text=text.strip(), created_by=actor)
        if file:
            report.file = file
        report.full_clean()
        report.save()
        if done:
            target.status, target.completed_on = Status.DONE, today
        elif target.status == Status.PENDING:
            target.status = Status.IN_PROGRESS
        target.last_report_at = timezone.now()
        target.full_clean()
        target.save()
    changes = audit.diff(before, audit.snapshot(target, ["status", "completed_on"]))
    changes["report"] = [None, report.pk]
    audit.record(actor=actor, action="report", obj=target, changes=changes)
    return report


@transaction.atomic
def supervise(*, actor, target: Target, note: str) -> Supervision:
    """督办: the issuing level leaves a note on a receiver's target."""
    if not note.strip():
        raise ValidationError(_("请填写督办意见。"))
    with unscoped("assignments.supervise"):
        item = Supervision(target=target, note=note.strip(), created_by=actor)
        item.full_clean()
        item.save()
    _notify(
        [target],
        _("督办：%(t)s") % {"t": target.assignment.title},
        item.note[:200],
        f"supervision:{item.pk}",
    )
    audit.record(actor=actor, action="supervise", obj=target, changes={"supervision": [None, item.pk]})
    return item
