"""Writes for care records: keyword-only, in a transaction, validated, audited (personal data masked in the
log). Reveals and exports are audited too, where the county's care officer can see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.care.models import (
    Application,
    Assistance,
    Decision,
    Pairing,
    Round,
    RoundStatus,
    Student,
    Visit,
)
from dangjian.care.selectors import searches_hidden_names, tiers
from dangjian.core import audit, rules, workdays
from dangjian.core.scoping import require, unscoped, unscoped_queryset
from dangjian.core.xlsx import workbook_bytes

STUDENT_FIELDS = [
    "school_id",
    "name",
    "id_number",
    "gender",
    "grade",
    "address",
    "guardian_phone",
    "household_income",
    "hardship_tier",
    "priority_group",
    "disability",
    "disability_detail",
    "support_mode",
]


def _check_tier(tier: str, org_path: str, on: dt.date | None = None) -> None:
    if tier and tier not in tiers(on=on, org_path=org_path):
        raise ValidationError(_("困难档次“%(t)s”不在本省规定的档次中。") % {"t": tier})


def _save(obj, reason: str) -> None:
    with unscoped(reason):
        obj.full_clean()
        obj.save()


@transaction.atomic
def create_student(*, actor, school, **fields: Any) -> Student:
    require(actor, "care.manage", school.org.path)
    student = Student(school=school, **fields)
    _check_tier(student.hardship_tier, school.org.path)
    _save(student, "care.create_student")
    changes = audit.diff({}, audit.snapshot(student, STUDENT_FIELDS), masked=Student.PII_FIELDS | {"disability"})
    audit.record(actor=actor, action="create", obj=student, changes=changes)
    return student


@transaction.atomic
def update_student(*, actor, student: Student, **fields: Any) -> Student:
    require(actor, "care.manage", student)
    before = audit.snapshot(student, STUDENT_FIELDS)
    for name, value in fields.items():
        setattr(student, name, value)
    _check_tier(student.hardship_tier, student.scope_path())
    _save(student, "care.update_student")
    changes = audit.diff(before, audit.snapshot(student, STUDENT_FIELDS), masked=Student.PII_FIELDS | {"disability"})
    if changes:
        audit.record(actor=actor, action="update", obj=student, changes=changes)
    return student


def reveal_student(*, actor, student: Student) -> dict[str, str]:
    """The unmasked name, ID number and guardian phone. Every reveal is written to the audit log."""
    require(actor, "care.reveal", student)
    audit.record(
        actor=actor,
        action="reveal",
        obj=student,
        changes={"fields": ["name", "id_number", "guardian_phone", "address"]},
    )
    return {
        "name": student.name,
        "id_number": student.id_number,
        "guardian_phone": student.guardian_phone,
        "address": student.address,
    }


def record_search(*, actor, q: str) -> None:
    """A search by part of a name is a way of reading names: audited like a reveal (the query, not the hits)."""
    if searches_hidden_names(actor, q):
        audit.record(actor=actor, action="search", model="care.Student", object_repr=q.strip()[:100])


@transaction.atomic
def pair(*, actor, student: Student, member, started_on: dt.date | None = None) -> Pairing:
    require(actor, "care.manage", student)
    if not getattr(member, "membership", None) or member.membership.stage not in ("probationary", "full"):
        raise ValidationError(_("结对帮扶的应为党员。"))
    with unscoped("care.pair"):
        if Pairing.objects.filter(student=student, member=member, ended_on__isnull=True).exists():
            raise ValidationError(_("该党员已与这名学生结对。"))
    pairing = Pairing(student=student, member=member, started_on=started_on or timezone.localdate())
    _save(pairing, "care.pair")
    audit.record(
        actor=actor, action="pair", obj=pairing, org_path=student.scope_path(), changes={"member": [None, member.pk]}
    )
    return pairing


@transaction.atomic
def end_pairing(*, actor, pairing: Pairing, ended_on: dt.date | None = None) -> Pairing:
    require(actor, "care.manage", pairing.student)
    pairing.ended_on = ended_on or timezone.localdate()
    _save(pairing, "care.end_pairing")
    audit.record(actor=actor, action="end", obj=pairing, org_path=pairing.student.scope_path())
    return pairing


@transaction.atomic
def add_assistance(*, actor, student: Student, **fields: Any) -> Assistance:
    require(actor, "care.manage", student)
    item = Assistance(student=student, recorded_by=actor, **fields)
    _save(item, "care.add_assistance")
    audit.record(actor=actor, action="create", obj=item, changes={"kind": [None, item.kind]})
    return item


@transaction.atomic
def add_visit(*, actor, student: Student, **fields: Any) -> Visit:
    require(actor, "care.manage", student)
    visit = Visit(student=student, recorded_by=actor, **fields)
    _save(visit, "care.add_visit")
    audit.record(actor=actor, action="create", obj=visit, changes={"visited_on": [None, str(visit.visited_on)]})
    return visit


# --- identification (domain-rules.md §8.1) -----------------------------------------------------


@transaction.atomic
def open_round(*, actor, school, kind: str, period: str, notice_on: dt.date) -> Round:
    """Step 1, 提前告知: the school announces the identification and takes applications."""
    require(actor, "care.manage", school.org.path)
    round_ = Round(school=school, kind=kind, period=period, notice_on=notice_on)
    _save(round_, "care.open_round")
    audit.record(actor=actor, action="create", obj=round_, changes={"kind": [None, kind], "period": [None, period]})
    return round_


@transaction.atomic
def apply(*, actor, round_: Round, student: Student, requested_tier: str = "", applied_on=None) -> Application:
    """Step 2, 个人申请 (recorded by the care officer from the paper form the family filled in)."""
    require(actor, "care.manage", round_)
    if round_.status != RoundStatus.NOTICE:
        raise ValidationError(_("公示开始后不再接受申请。"))
    if student.school_id != round_.school_id:
        raise ValidationError(_("只能为本校学生登记申请。"))
    _check_tier(requested_tier, round_.scope_path(), round_.notice_on)
    application = Application(
        round=round_, student=student, requested_tier=requested_tier, applied_on=applied_on or timezone.localdate()
    )
    with unscoped("care.apply"):
        if Application.objects.filter(round=round_, student=student).exists():
            raise ValidationError(_("该学生本次已申请。"))
    _save(application, "care.apply")
    audit.record(actor=actor, action="apply", obj=application, org_path=round_.scope_path())
    return application


@transaction.atomic
def decide(*, actor, application: Application, approve: bool, tier: str = "", decided_on=None) -> Application:
    """Step 3, 学校认定 (after home visits, interviews, democratic review)."""
    require(actor, "care.manage", application)
    if application.round.status != RoundStatus.NOTICE:
        raise ValidationError(_("公示开始后不能再修改认定结果。"))
    if approve and not tier:
        raise ValidationError(_("认定时须选择档次。"))
    _check_tier(tier, application.scope_path(), application.round.notice_on)
    application.decision = Decision.APPROVED if approve else Decision.REJECTED
    application.tier = tier if approve else ""
    application.decided_on = decided_on or timezone.localdate()
    _save(application, "care.decide")
    audit.record(actor=actor, action="decide", obj=application, changes={"decision": [None, application.decision]})
    return application


def publicity_end(start: dt.date, org_path: str = "") -> dt.date:
    """The last day of a 公示 that starts on `start` and lasts the rule's number of working days (≥5)."""
    days = rules.rule_values("care", "care", on=start, org_path=org_path)["publicity_workdays"]
    first = start if workdays.is_workday(start) else workdays.add_working_days(start, 1)
    return workdays.add_working_days(first, days - 1)


@transaction.atomic
def start_publicity(*, actor, round_: Round, start: dt.date) -> Round:
    """Step 4, 公示: no pending applications; the notice prints no sensitive data (care.notice)."""
    require(actor, "care.manage", round_)
    if round_.status != RoundStatus.NOTICE:
        raise ValidationError(_("该认定已公示。"))
    if round_.applications.filter(decision=Decision.PENDING).exists():
        raise ValidationError(_("还有申请未作认定，不能公示。"))
    round_.publicity_start = start
    round_.publicity_end = publicity_end(start, round_.scope_path())
    round_.status = RoundStatus.PUBLICITY
    _save(round_, "care.start_publicity")
    audit.record(
        actor=actor, action="publicize", obj=round_, changes={"publicity_end": [None, str(round_.publicity_end)]}
    )
    return round_


@transaction.atomic
def record_round(*, actor, round_: Round, today: dt.date | None = None) -> Round:
    """Step 5, 建档备案: after the 公示 has run its full course, the tiers go onto the students' records."""
    require(actor, "care.manage", round_)
    today = today or timezone.localdate()
    if round_.status != RoundStatus.PUBLICITY:
        raise ValidationError(_("公示之后才能建档。"))
    if today <= round_.publicity_end:
        raise ValidationError(
            _("公示期到%(d)s为止（不少于规定的工作日），期满后才能建档。") % {"d": round_.publicity_end.isoformat()}
        )
    with unscoped("care.record_round"):
        for application in round_.applications.select_related("student"):
            student = application.student
            student.hardship_tier = application.tier if application.decision == Decision.APPROVED else ""
            student.identified_on = today if application.decision == Decision.APPROVED else student.identified_on
            student.save(update_fields=["hardship_tier", "identified_on"])
    round_.status = RoundStatus.RECORDED
    round_.recorded_on = today
    _save(round_, "care.record_round")
    audit.record(
        actor=actor, action="record", obj=round_, changes={"status": [RoundStatus.PUBLICITY, RoundStatus.RECORDED]}
    )
    return round_


# --- exports, archive and purge -----------------------------------------------------------------


def export_xlsx(*, actor, students, reveal: bool = False) -> bytes:
    """The students the caller passed (already scoped). Masked unless reveal; every export is audited."""

    rows = list(students)
    for student in rows:
        require(actor, "care.export", student)
        if reveal:
            require(actor, "care.reveal", student)
    wb = Workbook()
    ws = wb.active
    ws.title = "困难学生"
    ws.append(["学校", "姓名", "身份证号", "年级班级", "困难档次", "重点群体", "安置方式"])
    for s in rows:
        ws.append(
            [
                s.school.name,
                s.name if reveal else s.name_masked,
                s.id_number if reveal else s.id_number_masked,
                s.grade,
                s.hardship_tier,
                s.get_priority_group_display() if s.priority_group else "",
                s.get_support_mode_display() if s.support_mode else "",
            ]
        )
    content = workbook_bytes(wb)
    paths = sorted({s.scope_path() for s in rows})
    audit.record(
        actor=actor,
        action="export",
        model="care.Student",
        object_repr=f"{len(rows)}名学生",
        org_path=paths[0] if len(paths) == 1 else (_common_prefix(paths) if paths else ""),
        changes={"count": len(rows), "revealed": reveal, "ids": [s.pk for s in rows][:200]},
    )
    return content


def _common_prefix(paths: list[str]) -> str:
    parts = [p.rstrip(".").split(".") for p in paths]
    common = []
    for items in zip(*parts, strict=False):
        if len(set(items)) != 1:
            break
        common.append(items[0])
    return ".".join(common) + "." if common else ""


@transaction.atomic
def archive_student(*, actor, student: Student) -> Student:
    """No longer in need, or left the school: out of the lists; purged after the retention period."""
    require(actor, "care.manage", student)
    if student.archived_at:
        raise ValidationError(_("该学生档案已归档。"))
    years = rules.rule_values("care", "care", org_path=student.scope_path())["retention_years_after_archive"]
    now = timezone.now()
    student.archived_at = now
    today = timezone.localdate()
    try:
        student.purge_after = today.replace(year=today.year + years)
    except ValueError:
        student.purge_after = today.replace(year=today.year + years, day=28)
    with unscoped("care.archive"):
        student.save(update_fields=["archived_at", "purge_after"])
    audit.record(actor=actor, action="archive", obj=student, changes={"purge_after": [None, str(student.purge_after)]})
    return student


@transaction.atomic
def purge_expired(*, today: dt.date | None = None) -> int:
    """Delete archived students past their retention date with all their records (a job: nobody acts)."""
    today = today or timezone.localdate()
    expired = list(
        unscoped_queryset(Student, "care.purge_expired job").filter(archived_at__isnull=False, purge_after__lte=today)
    )
    for student in expired:
        audit.record(
            actor=None,
            action="purge",
            obj=student,
            changes={"archived_at": str(student.archived_at), "purge_after": str(student.purge_after)},
        )
        with unscoped("care.purge_expired job"):
            student.delete()
    return len(expired)
