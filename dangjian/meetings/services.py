"""Writes of organizational life: one keyword-only function per use case, each in a transaction, validated,
written to the audit log, with the derived figures the meeting feeds recounted in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, files, fulfilment
from dangjian.core.models import Notification
from dangjian.core.params import MAX_YEAR, MIN_YEAR
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance, logic
from dangjian.meetings.models import (
    LEADERSHIP_KINDS,
    Attachment,
    Attendance,
    Grade,
    Kind,
    LeaveState,
    LifeEntry,
    Meeting,
    Motion,
    Presence,
    Rectification,
    ReviewGrade,
    Status,
)
from dangjian.meetings.selectors import Expected, default_roster, expected_roster
from dangjian.orgs.models import Org, OrgKind, Person, Position

MEETING_FIELDS = [
    "kind",
    "topic",
    "starts_at",
    "duration_minutes",
    "place",
    "online_url",
    "audience",
    "status",
    "host_id",
    "recorder_id",
    "minutes",
    "resolutions",
    "prep_talks",
    "prep_opinions",
]


def _derive(meeting: Meeting, *extra_days: dt.date) -> None:
    """Everything the meeting feeds, in this transaction: the org's compliance cells (one org, milliseconds), which
    the org's own page and every county figure read, and the work its records complete (core.fulfilment). So the
    save message "已随之更新" is true when it is shown, and no job or nightly run stands in between."""
    years = sorted({meeting.day.year, *(d.year for d in extra_days)})
    compliance.refresh(org_ids=[meeting.org_id], years=years)
    fulfilment.changed(org_path=meeting.org.path)


def _set_roster(meeting: Meeting, expected: list[Expected]) -> None:
    Attendance.all_objects.bulk_create(
        [
            Attendance(meeting=meeting, person=e.person, is_voting=e.is_voting, is_committee=e.is_committee)
            for e in expected
        ]
    )


MAX_DURATION_MINUTES = 24 * 60


def _leadership_only() -> ValidationError:
    return ValidationError(_("党组织会议和校长办公会议请在“议事决策”页面安排和记录（参会人员为学校领导班子成员）。"))


def _validate(meeting: Meeting) -> None:
    if meeting.kind in LEADERSHIP_KINDS:  # the leadership app writes them, with the bodies as their roster
        raise _leadership_only()
    if timezone.is_naive(meeting.starts_at):  # an API client may send local time without an offset
        meeting.starts_at = timezone.make_aware(meeting.starts_at)
    if not MIN_YEAR <= meeting.starts_at.year <= MAX_YEAR:  # before any time zone arithmetic can overflow
        raise ValidationError(_("会议时间应在 %(min)d 年至 %(max)d 年之间。") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if not 1 <= (meeting.duration_minutes or 0) <= MAX_DURATION_MINUTES:
        raise ValidationError(_("会议时长应在 1 至 %(max)d 分钟之间。") % {"max": MAX_DURATION_MINUTES})
    if meeting.kind == Kind.GROUP_MEETING and meeting.org.kind not in (OrgKind.GROUP, OrgKind.BRANCH):
        raise ValidationError(_("党小组会应由党小组或党支部召开。"))
    if meeting.kind != Kind.GROUP_MEETING and meeting.org.kind == OrgKind.GROUP:
        raise ValidationError(_("党小组只能召开党小组会。"))
    if meeting.audience and meeting.kind not in logic.public_kinds(on=meeting.day, org_path=meeting.org.path):
        raise ValidationError(_("只有党课等公开类型的活动可以公开直播，党内会议不能公开。"))
    if meeting.audience and not meeting.online_url:
        raise ValidationError(_("公开直播须填写线上会议或直播链接。"))
    meeting.full_clean()


def _derive_counts(meeting: Meeting) -> None:
    rows = list(meeting.attendances.all())
    rule = logic.kind_rules(on=meeting.day, org_path=meeting.org.path).get(meeting.kind, {})
    meeting.expected_count = len(rows)
    meeting.attended_count = sum(1 for r in rows if r.attended)
    meeting.quorum_met = (
        logic.quorum_met(rule, [logic.Row(r.status, r.is_voting, r.is_committee) for r in rows])
        if meeting.status == Status.HELD
        else None
    )


@transaction.atomic
def plan_meeting(
    *,
    actor,
    org: Org,
    kind: str,
    topic: str,
    starts_at: dt.datetime,
    roster: str | None = None,
    **fields: Any,
) -> Meeting:
    """Plan a meeting; the expected attendees default to the right roster for its kind."""
    meeting = Meeting(org=org, kind=kind, topic=topic, starts_at=starts_at, created_by=actor, **fields)
    with unscoped("meetings.plan_meeting"):
        _validate(meeting)
        meeting.save()
        _set_roster(meeting, expected_roster(org, roster or default_roster(kind, org)))
        _derive_counts(meeting)
        meeting.save(update_fields=["expected_count", "attended_count", "quorum_met"])
    _notify_planned(meeting)
    audit.record(
        actor=actor, action="create", obj=meeting, changes=audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS))
    )
    _derive(meeting)
    return meeting


def _notify_planned(meeting: Meeting) -> None:
    """An in-app notice to each expected attendee who has a login. No reply, no read receipt is asked for."""

    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    rows = meeting.attendances.filter(person__user__isnull=False).select_related("person")
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=row.person.user_id,
                title=_("会议通知：%(t)s") % {"t": meeting.topic},
                body=_("%(kind)s，%(when)s，%(place)s。如不能参加，可在会议页面请假；本通知无需回复。")
                % {
                    "kind": meeting.get_kind_display(),
                    "when": when,
                    "place": meeting.place or meeting.online_url or "—",
                },
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings:meeting:{meeting.pk}:planned",
            )
            for row in rows
        ]
    )


@transaction.atomic
def add_attachment(*, actor, meeting: Meeting, upload) -> Attachment:
    """Optional files on a record; checked by core.files (type from the bytes, size, name)."""
    kind = files.validate_upload(upload)
    attachment = Attachment(
        meeting=meeting, file=upload, name=upload.name[:200], kind=kind, size=upload.size, uploaded_by=actor
    )
    with unscoped("meetings.add_attachment"):
        attachment.full_clean()
        attachment.save()
    audit.record(actor=actor, action="upload", obj=attachment, changes={"name": [None, attachment.name]})
    return attachment


@transaction.atomic
def update_meeting(*, actor, meeting: Meeting, **fields: Any) -> Meeting:
    before = audit.snapshot(meeting, MEETING_FIELDS)
    old_day = meeting.day
    for name, value in fields.items():
        if name not in {f.removesuffix("_id") for f in MEETING_FIELDS} | set(MEETING_FIELDS):
            raise TypeError(name)
        setattr(meeting, name, value)
    with unscoped("meetings.update_meeting"):
        _validate(meeting)
        _derive_counts(meeting)
        meeting.save()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if changes:
        audit.record(actor=actor, action="update", obj=meeting, changes=changes)
    _derive(meeting, old_day)
    return meeting


@transaction.atomic
def delete_meeting(*, actor, meeting: Meeting) -> None:
    if meeting.kind in LEADERSHIP_KINDS:  # its agenda items and decisions hang on it (leadership app)
        raise _leadership_only()
    before = audit.snapshot(meeting, MEETING_FIELDS)
    org_path, pk, text = meeting.org.path, meeting.pk, str(meeting)
    with unscoped("meetings.delete_meeting"):
        meeting.delete()
    _derive(meeting)
    audit.record(
        actor=actor,
        action="delete",
        model="meetings.Meeting",
        object_id=str(pk),
        object_repr=text,
        org_path=org_path,
        changes=audit.diff(before, {}),
    )


def _apply_attendance(meeting: Meeting, statuses: dict[int, tuple[str, str]]) -> dict[str, list]:
    """Set each listed person's status; everyone not listed keeps the default (出席, or the leave they asked for)."""
    changed: dict[str, list] = {}
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    unknown = set(statuses) - rows.keys()
    if unknown:
        raise ValidationError(_("出席名单中有不属于本次会议应到人员的人。"))
    dirty = []
    for person_id, (status, reason) in statuses.items():
        row = rows[person_id]
        if status not in Presence.values:
            raise ValidationError(_("出席情况无效。"))
        reason = (reason or "").strip()
        if status == Presence.LEAVE and not reason and not row.reason:
            raise ValidationError(_("%(name)s请假，请填写请假事由。") % {"name": row.person.name})
        new_reason = (reason or row.reason) if status == Presence.LEAVE else ""
        if (row.status, row.reason) != (status, new_reason):
            changed[row.person.name] = [str(row.get_status_display()), str(Presence(status).label)]
            row.status, row.reason = status, new_reason
            dirty.append(row)
    Attendance.all_objects.bulk_update(dirty, ["status", "reason"])
    return changed


@transaction.atomic
def record_meeting(
    *,
    actor,
    meeting: Meeting,
    statuses: dict[int, tuple[str, str]],
    host: Person | None = None,
    recorder: Person | None = None,
    minutes: str = "",
    resolutions: str = "",
    **fields: Any,
) -> Meeting:
    """Record a held meeting: host, recorder, minutes, resolutions, and only the attendance exceptions.

    No photo is ever required: the record itself is the evidence."""
    if meeting.starts_at > timezone.now() + dt.timedelta(hours=12):
        raise ValidationError(_("会议尚未召开，不能记录。"))
    before = audit.snapshot(meeting, MEETING_FIELDS)
    with unscoped("meetings.record_meeting"):
        attendance_changes = _apply_attendance(meeting, statuses)
        meeting.status = Status.HELD
        meeting.host, meeting.recorder = host, recorder
        meeting.minutes, meeting.resolutions = minutes, resolutions
        for name, value in fields.items():
            if name not in MEETING_FIELDS:
                raise TypeError(name)
            setattr(meeting, name, value)
        _validate(meeting)
        _derive_counts(meeting)
        meeting.save()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if attendance_changes:
        changes["attendance"] = attendance_changes
    audit.record(actor=actor, action="record", obj=meeting, changes=changes)
    _derive(meeting)
    return meeting


@transaction.atomic
def record_new_meeting(
    *,
    actor,
    org: Org,
    kind: str,
    topic: str,
    starts_at: dt.datetime,
    roster: str | None,
    statuses: dict[int, tuple[str, str]],
    minutes: str = "",
    resolutions: str = "",
    host: Person | None = None,
    recorder: Person | None = None,
    pair_ids: list[int] | None = None,
    on_behalf_reason: str | None = None,
    **fields: Any,
) -> Meeting:
    """A meeting recorded after the fact in one step (the phone flow): planned and recorded together.

    With `on_behalf_reason` it is a 代录: the actor (a county administrator) records it in the branch's name; the
    reason is required and is kept on the record and in the audit log."""
    meeting = Meeting(org=org, kind=kind, topic=topic, starts_at=starts_at, created_by=actor, **fields)
    if on_behalf_reason is not None:
        on_behalf_reason = on_behalf_reason.strip()
        if not on_behalf_reason:
            raise ValidationError(_("代录须写明原因。"))
        meeting.recorded_on_behalf_by, meeting.on_behalf_reason = actor, on_behalf_reason
    roster = roster or default_roster(kind, org)
    expected = expected_roster(org, roster, pair_ids)
    if roster == "pair" and (len(set(pair_ids or [])) != 2 or len(expected) != 2):
        raise ValidationError(_("谈心谈话请选择本组织的两名党员（谈话人和谈话对象）。"))
    with unscoped("meetings.record_new_meeting"):
        _validate(meeting)
        meeting.save()
        _set_roster(meeting, expected)
        meeting.status = Status.HELD
        meeting.host, meeting.recorder = host, recorder
        meeting.minutes, meeting.resolutions = minutes, resolutions
        if meeting.starts_at > timezone.now() + dt.timedelta(hours=12):
            raise ValidationError(_("会议尚未召开，不能记录。"))
        attendance_changes = _apply_attendance(meeting, statuses)
        _validate(meeting)
        _derive_counts(meeting)
        meeting.save()
    changes = audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS))
    if attendance_changes:
        changes["attendance"] = attendance_changes
    if meeting.on_behalf_reason:
        changes["on_behalf_reason"] = [None, meeting.on_behalf_reason]
    action = "record_on_behalf" if meeting.on_behalf_reason else "record"
    audit.record(actor=actor, action=action, obj=meeting, changes=changes)
    _derive(meeting)
    return meeting


@transaction.atomic
def request_leave(*, actor, meeting: Meeting, reason: str) -> Attendance:
    """A member asks for leave from a planned meeting, with a reason; it goes to the branch secretary, who approves
    or declines it (decide_leave). Nobody is pressed for an instant reply. The reason is seen only by the requester
    and those who record the meeting."""
    person = getattr(actor, "person", None)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写请假事由。"))
    if meeting.status != Status.PLANNED:
        raise ValidationError(_("会议已召开或已取消，不能请假。"))
    with unscoped("meetings.request_leave"):
        row = Attendance.all_objects.filter(meeting=meeting, person=person).first() if person else None
        if row is None:
            raise ValidationError(_("您不在本次会议的应到名单中。"))
        row.status, row.reason, row.leave_requested_at = Presence.LEAVE, reason[:200], timezone.now()
        row.leave_state = LeaveState.REQUESTED
        row.full_clean()
        row.save(update_fields=["status", "reason", "leave_requested_at", "leave_state"])
        _derive_counts(meeting)
        meeting.save(update_fields=["expected_count", "attended_count", "quorum_met"])
        _notify_secretaries(meeting, person)
    audit.record(actor=actor, action="leave", obj=meeting, changes={"leave": [person.name, reason[:200]]})
    return row


def _notify_secretaries(meeting: Meeting, person: Person) -> None:
    """The leave request goes to the secretary (and deputy) of the meeting's org, or of its branch for a group."""
    orgs = [meeting.org_id] + ([meeting.org.parent_id] if meeting.org.kind == OrgKind.GROUP else [])
    users = Position.all_objects.filter(
        org_id__in=orgs, post__in=["secretary", "deputy_secretary"], ended_on__isnull=True, person__user__isnull=False
    ).values_list("person__user_id", flat=True)
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                title=_("请假申请：%(n)s") % {"n": person.name},
                body=_("%(n)s申请不参加“%(t)s”，请在会议页面批准或不批准。") % {"n": person.name, "t": meeting.topic},
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings:leave:{meeting.pk}:{person.pk}",
            )
            for user_id in set(users)
        ]
    )


@transaction.atomic
def decide_leave(*, actor, attendance: Attendance, approve: bool) -> Attendance:
    """The secretary approves a leave request (the member is 请假) or declines it (the member is expected: 出席)."""
    meeting = attendance.meeting
    if attendance.leave_state != LeaveState.REQUESTED:
        raise ValidationError(_("该请假申请已处理或已撤回。"))
    if meeting.status == Status.CANCELLED:
        raise ValidationError(_("会议已取消，无需审批请假。"))
    with unscoped("meetings.decide_leave"):
        attendance.leave_state = LeaveState.APPROVED if approve else LeaveState.DECLINED
        if not approve:
            attendance.status = Presence.PRESENT
        attendance.save(update_fields=["leave_state", "status"])
        _derive_counts(meeting)
        meeting.save(update_fields=["expected_count", "attended_count", "quorum_met"])
        if attendance.person.user_id:
            Notification.objects.create(
                user_id=attendance.person.user_id,
                title=_("请假%(s)s：%(t)s") % {"s": attendance.get_leave_state_display(), "t": meeting.topic},
                body=_("您的请假申请%(s)s。") % {"s": attendance.get_leave_state_display()},
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings:leave-decided:{attendance.pk}",
            )
    audit.record(
        actor=actor,
        action="leave_decision",
        obj=meeting,
        changes={"leave": [attendance.person.name, str(attendance.get_leave_state_display())]},
    )
    if meeting.is_held:
        _derive(meeting)
    return attendance


@transaction.atomic
def add_motion(*, actor, meeting: Meeting, title: str, yes: int, no: int, abstain: int) -> Motion:
    """A vote at a general assembly; its validity and outcome follow from the rule data and the attendance."""
    if meeting.kind != Kind.GENERAL_ASSEMBLY:
        raise ValidationError(_("只有支部党员大会可以表决。"))
    if meeting.status != Status.HELD:
        raise ValidationError(_("请先记录会议的出席情况，再登记表决。"))
    rule = logic.kind_rules(on=meeting.day, org_path=meeting.org.path)[meeting.kind]
    rows = [logic.Row(a.status, a.is_voting, a.is_committee) for a in meeting.attendances.all()]
    outcome = logic.motion_outcome(rule, rows, yes=yes, no=no, abstain=abstain)
    problem = logic.vote_problem(yes=yes, no=no, abstain=abstain, present_voting=outcome.present_voting)
    if problem:
        raise ValidationError(problem)
    motion = Motion(
        meeting=meeting,
        title=title,
        yes=yes,
        no=no,
        abstain=abstain,
        entitled=outcome.entitled,
        present_voting=outcome.present_voting,
        valid=outcome.valid,
        passed=outcome.passed,
    )
    with unscoped("meetings.add_motion"):
        motion.full_clean()
        motion.save()
    audit.record(
        actor=actor,
        action="vote",
        obj=motion,
        changes={
            "votes": [None, f"{yes}/{no}/{abstain}"],
            "valid": [None, motion.valid],
            "passed": [None, motion.passed],
        },
    )
    return motion


@transaction.atomic
def save_org_life(
    *,
    actor,
    meeting: Meeting,
    entries: dict[int, tuple[str, str]],
    prep_talks: str = "",
    prep_opinions: str = "",
) -> Meeting:
    """组织生活会: preparation (talks held, opinions gathered) and each member's criticism and self-criticism."""
    if meeting.kind != Kind.ORG_LIFE_MEETING:
        raise ValidationError(_("只有组织生活会记录批评与自我批评。"))
    expected = set(meeting.attendances.values_list("person_id", flat=True))
    if set(entries) - expected:
        raise ValidationError(_("名单中有不属于本次会议应到人员的人。"))
    before = audit.snapshot(meeting, ["prep_talks", "prep_opinions"])
    with unscoped("meetings.save_org_life"):
        meeting.prep_talks, meeting.prep_opinions = prep_talks, prep_opinions
        meeting.full_clean()
        meeting.save(update_fields=["prep_talks", "prep_opinions", "updated_at"])
        existing = {e.person_id: e for e in LifeEntry.all_objects.filter(meeting=meeting)}
        new, dirty = [], []
        for person_id, (own, received) in entries.items():
            entry = existing.get(person_id)
            if entry is None:
                if own.strip() or received.strip():
                    new.append(
                        LifeEntry(meeting=meeting, person_id=person_id, self_criticism=own, criticism_received=received)
                    )
            elif (entry.self_criticism, entry.criticism_received) != (own, received):
                entry.self_criticism, entry.criticism_received = own, received
                dirty.append(entry)
        LifeEntry.all_objects.bulk_create(new)
        LifeEntry.all_objects.bulk_update(dirty, ["self_criticism", "criticism_received"])
    changes = audit.diff(before, audit.snapshot(meeting, ["prep_talks", "prep_opinions"]))
    changes["entries"] = [None, len(new) + len(dirty)]
    audit.record(actor=actor, action="org_life", obj=meeting, changes=changes)
    return meeting


@transaction.atomic
def add_rectification(*, actor, meeting: Meeting, item: str, owner: Person, deadline: dt.date) -> Rectification:
    if not owner.org.path.startswith(meeting.org.path) and owner.org.path not in meeting.org.ancestor_paths():
        raise ValidationError(_("责任人须是本组织的人员。"))
    rect = Rectification(meeting=meeting, item=item, owner=owner, deadline=deadline)
    with unscoped("meetings.add_rectification"):
        rect.full_clean()
        rect.save()
    audit.record(
        actor=actor,
        action="create",
        obj=rect,
        changes={"item": [None, item], "owner": [None, owner.name], "deadline": [None, str(deadline)]},
    )
    return rect


@transaction.atomic
def complete_rectification(*, actor, rectification: Rectification, done_on: dt.date | None = None) -> Rectification:
    rectification.done_on = done_on or timezone.localdate()
    with unscoped("meetings.complete_rectification"):
        rectification.save(update_fields=["done_on"])
    audit.record(
        actor=actor, action="update", obj=rectification, changes={"done_on": [None, str(rectification.done_on)]}
    )
    return rectification


@transaction.atomic
def set_review_grades(*, actor, meeting: Meeting, grades: dict[int, str]) -> list[ReviewGrade]:
    """民主评议党员: grade full members; probationary members take part without a grade; 优秀 ≤ 1/3.

    A full member not listed takes the rule's default grade (合格), so only the exceptions need entering; one
    listed with an empty grade stays ungraded. A review in which nobody is graded is refused."""
    if meeting.kind != Kind.MEMBER_REVIEW:
        raise ValidationError(_("只有民主评议党员可以评定等次。"))
    rule = logic.review_rules(on=meeting.day, org_path=meeting.org.path)
    rows = list(meeting.attendances.select_related("person"))
    by_person = {r.person_id: r for r in rows}
    if set(grades) - by_person.keys():
        raise ValidationError(_("名单中有不属于本次评议的人。"))
    for person_id, grade in grades.items():
        row = by_person[person_id]
        if grade and grade not in rule["grades"]:
            raise ValidationError(_("等次无效。"))
        if grade and not row.is_voting and not rule["probationary_graded"]:
            raise ValidationError(_("%(name)s是预备党员，参加评议但不评定等次。") % {"name": row.person.name})
    graded = {
        r.person_id: grades.get(r.person_id, rule["default_grade"])
        for r in rows
        if r.is_voting or rule["probationary_graded"]
    }
    graded = {pk: grade for pk, grade in graded.items() if grade}
    if not graded:
        raise ValidationError(_("没有评定任何党员的等次，请至少为一名正式党员评定等次。"))
    excellent = sum(1 for g in graded.values() if g == Grade.EXCELLENT)
    base = len(graded) if rule["excellent_share_of"] == "graded" else len(rows)
    problem = logic.excellent_problem(rule, excellent=excellent, participants=base)
    if problem:
        raise ValidationError(problem)
    with unscoped("meetings.set_review_grades"):
        ReviewGrade.all_objects.filter(meeting=meeting).delete()
        saved = ReviewGrade.all_objects.bulk_create(
            [
                ReviewGrade(
                    meeting=meeting,
                    person_id=r.person_id,
                    grade=graded.get(r.person_id, ""),
                    is_probationary=not r.is_voting,
                )
                for r in rows
            ]
        )
    audit.record(
        actor=actor,
        action="review",
        obj=meeting,
        changes={"grades": [None, {g: sum(1 for v in graded.values() if v == g) for g in rule["grades"]}]},
    )
    return saved
