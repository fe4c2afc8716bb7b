"""Writes of the responsibility system: each one keyword-only, in a transaction, validated, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, capabilities, files, fulfilment, rules
from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Grant, Org

from .models import Assignment, Report, Status, Supervision, Target
from .selectors import assigning_orgs, fulfilling_kinds


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
def not_your_org(org: Org) -> str:
    return _("只能以您本人获授布置权限的组织名义布置任务，不能以%(org)s的名义布置。") % {"org": org.name}


def create_assignment(
    *,
    actor,
    org: Org,
    title: str,
    body: str,
    expected: str,
    due_on: dt.date,
    receivers: list[Org],
    fulfilled_by: str = "",
    today: dt.date | None = None,
) -> Assignment:
    """Assign work from `org` to some or all of the orgs directly below it (一级抓一级). With `fulfilled_by` (a
    record kind from the rule data), each target completes itself from that record, now or when it is kept."""
    today = today or timezone.localdate()
    if not assigning_orgs(actor).filter(pk=org.pk).exists():
        raise ValidationError(not_your_org(org))
    if fulfilled_by and fulfilled_by not in dict(fulfilling_kinds(org=org, on=today)):
        raise ValidationError(_("自动完成所依据的记录类型无效。"))
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
            org=org,
            title=title.strip(),
            body=body.strip(),
            expected=expected.strip(),
            due_on=due_on,
            fulfilled_by=fulfilled_by,
            created_by=actor,
        )
        assignment.full_clean()
        assignment.save()
        targets = Target.all_objects.bulk_create([Target(assignment=assignment, org=o) for o in receivers])
        if targets and targets[0].pk is None:
            targets = list(Target.all_objects.filter(assignment=assignment))
    if fulfilled_by:
        complete_from_records(targets)
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
        changes={
            "title": [None, assignment.title],
            "due_on": [None, str(due_on)],
            "receivers": [None, len(receivers)],
            "fulfilled_by": [None, fulfilled_by],
        },
    )
    return assignment


def records_since(assignment: Assignment) -> dt.date:
    """Records count from the first day of the year the work was assigned: a 组织生活会 held this year before the
    county asked for it still fulfils it (nobody holds or reports the same meeting twice)."""
    return dt.date(timezone.localtime(assignment.created_at).year, 1, 1)


def complete_from_records(targets: list[Target]) -> int:
    """Bring targets whose assignment names a fulfilling record kind in line with the records: done, with the
    record as evidence, when the receiving org keeps one; back to open when the record that completed it is gone.
    A target completed by a report is left as it is. Returns how many changed."""
    by_assignment: dict[int, list[Target]] = {}
    for target in targets:
        by_assignment.setdefault(target.assignment_id, []).append(target)
    changed = 0
    with unscoped("assignments: completed by records"):
        for assignment in Assignment.objects.filter(pk__in=list(by_assignment)).exclude(fulfilled_by=""):
            group = by_assignment[assignment.pk]
            found = fulfilment.evidence(
                assignment.fulfilled_by, org_ids=[t.org_id for t in group], since=records_since(assignment)
            )
            for target in group:
                changed += _follow(target, found.get(target.org_id))
    return changed


FOLLOWED = ["status", "completed_on", "evidence_title", "evidence_url"]


def follow(target: Target, evidence: fulfilment.Evidence | None) -> None:
    """Set a target from the record that fulfils it (None: no such record any more). A target completed by a
    report is left as it is."""
    if evidence is not None:
        if target.status == Status.DONE and not target.evidence_url:
            return  # reported done by hand already
        target.status, target.completed_on = Status.DONE, evidence.day
        target.evidence_title, target.evidence_url = evidence.title[:200], evidence.url
    elif target.evidence_url:
        target.status = Status.IN_PROGRESS if target.last_report_at else Status.PENDING
        target.completed_on, target.evidence_title, target.evidence_url = None, "", ""


def _follow(target: Target, evidence: fulfilment.Evidence | None) -> bool:
    before = audit.snapshot(target, FOLLOWED)
    follow(target, evidence)
    changes = audit.diff(before, audit.snapshot(target, FOLLOWED))
    if not changes:
        return False
    target.save(update_fields=FOLLOWED)
    audit.record(actor=None, action="fulfil", obj=target, changes=changes)
    return True


def records_changed(*, org_ids: list[int]) -> int:
    """The records of these orgs changed: look again at their targets that records complete (open ones, and
    those a record completed)."""
    with unscoped("assignments: targets of changed records"):
        targets = list(
            Target.objects.filter(org_id__in=org_ids)
            .exclude(assignment__fulfilled_by="")
            .filter(~Q(status=Status.DONE) | ~Q(evidence_url=""))
        )
    return complete_from_records(targets) if targets else 0


@transaction.atomic
def report_progress(
    *, actor, target: Target, text: str, done: bool = False, file=None, today: dt.date | None = None
) -> Report:
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
