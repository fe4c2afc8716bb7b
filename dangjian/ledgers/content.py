"""What a branch-year ledger holds, gathered from the records (trusted code: it runs in a job that was
authorized when it was requested). The PDF and the Excel workbook render the same content."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import (
    Attendance,
    ComplianceCell,
    Grade,
    Kind,
    LifeEntry,
    Meeting,
    Motion,
    Presence,
    Rectification,
    ReviewGrade,
    Status,
)
from dangjian.orgs.models import MEMBER_STAGES, Membership, Org, OrgKind, Person, Position


@dataclass
class MeetingRecord:
    meeting: Meeting
    # Leave reasons stay out: the ledger is read by the whole branch, a reason only by the secretary and the member.
    by_status: dict[str, list[str]] = field(default_factory=dict)  # status label -> names
    attendance: list[tuple[str, str]] = field(default_factory=list)  # (name, status label)
    motions: list[Motion] = field(default_factory=list)
    life: list[LifeEntry] = field(default_factory=list)


@dataclass
class Content:
    org: Org
    year: int
    generated_at: dt.datetime
    roster: list[dict] = field(default_factory=list)
    positions: list[tuple[str, str]] = field(default_factory=list)
    meetings: list[MeetingRecord] = field(default_factory=list)
    compliance: list[dict] = field(default_factory=list)
    review: list[tuple[str, str]] = field(default_factory=list)
    review_counts: list[tuple[str, int]] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)


def gather(org: Org, year: int) -> Content:
    content = Content(org, year, timezone.now())
    begin = timezone.make_aware(dt.datetime(year, 1, 1))
    finish = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    with unscoped("ledger: gather records"):
        memberships = Membership.objects.filter(stage__in=MEMBER_STAGES, person__is_active=True).select_related(
            "person", "group"
        )
        if org.kind == OrgKind.GROUP:
            memberships = memberships.filter(group=org)
        else:
            memberships = memberships.filter(person__org__path__startswith=org.path)
        for membership in memberships.order_by("person__name"):
            content.roster.append(
                {
                    "name": membership.person.name,
                    "gender": membership.person.get_gender_display(),
                    "stage": membership.get_stage_display(),
                    "joined": membership.probationary_on.isoformat() if membership.probationary_on else "",
                    "group": membership.group.name if membership.group else "",
                }
            )
        content.positions = [
            (p.get_post_display(), p.person.name)
            for p in Position.objects.filter(org=org, ended_on__isnull=True).select_related("person").order_by("post")
        ]
        meetings = list(
            Meeting.objects.filter(
                org__path__startswith=org.path, starts_at__gte=begin, starts_at__lt=finish, status=Status.HELD
            )
            .select_related("org", "host", "recorder")
            .order_by("starts_at", "id")
        )
        ids = [m.pk for m in meetings]
        # Attendance and grades without a join to people (not even for the models' default order by name): joined,
        # PostgreSQL misjudged the row count at province scale and scanned all 800,000 people (0.1 s). The names
        # come from one lookup by primary key.
        attendance = list(
            Attendance.objects.filter(meeting_id__in=ids).order_by().values_list("meeting_id", "person_id", "status")
        )
        grades = list(
            ReviewGrade.objects.filter(meeting_id__in=ids)
            .order_by()
            .values_list("person_id", "grade", "is_probationary")
        )
        names, rank = _names({a[1] for a in attendance} | {g[0] for g in grades})
        rows_by_meeting: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for meeting_id, person_id, status in sorted(attendance, key=lambda a: rank[a[1]]):
            rows_by_meeting[meeting_id].append((person_id, status))
        motions: dict[int, list[Motion]] = defaultdict(list)
        for motion in Motion.objects.filter(meeting_id__in=ids):
            motions[motion.meeting_id].append(motion)
        life: dict[int, list[LifeEntry]] = defaultdict(list)
        for entry in LifeEntry.objects.filter(meeting_id__in=ids).select_related("person"):
            life[entry.meeting_id].append(entry)
        labels = {value: str(label) for value, label in Presence.choices}
        for m in meetings:
            record = MeetingRecord(m, motions=motions[m.pk], life=life[m.pk])
            groups: dict[str, list[str]] = {str(label): [] for _v, label in Presence.choices}
            for person_id, status in rows_by_meeting[m.pk]:
                label = labels[status]
                groups[label].append(names[person_id])
                record.attendance.append((names[person_id], label))
            record.by_status = {k: v for k, v in groups.items() if v}
            content.meetings.append(record)
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for kind, held, required, status in ComplianceCell.objects.filter(org=org, period_start__year=year).values_list(
            "kind", "held", "required", "status"
        ):
            t = totals[kind]
            t[0] += held if kind == Kind.HEART_TALK else int(status == "met")
            t[1] += required if kind == Kind.HEART_TALK else 1
            t[2] += int(status == "overdue")
        content.compliance = [
            {"kind": str(Kind(k).label), "met": v[0], "total": v[1], "overdue": v[2]}
            for k, v in sorted(totals.items(), key=lambda kv: list(Kind.values).index(kv[0]))
        ]
        grade_labels = dict(Grade.choices)
        content.review = [
            (names[person_id], _("预备党员（不评定等次）") if probationary else str(grade_labels.get(grade) or "—"))
            for person_id, grade, probationary in sorted(grades, key=lambda g: rank[g[0]])
        ]
        counts = Counter(grade for _p, grade, probationary in grades if not probationary)
        content.review_counts = [(str(label), counts.get(value, 0)) for value, label in Grade.choices]
        content.rectifications = list(
            Rectification.objects.filter(meeting__org__path__startswith=org.path, meeting__starts_at__gte=begin)
            .filter(meeting__starts_at__lt=finish)
            .select_related("owner", "meeting")
            .order_by("deadline")
        )
    return content


def _names(person_ids: set[int]) -> tuple[dict[int, str], dict[int, int]]:
    """Names by person id, and each person's place in the database's name order (its collation, as before)."""
    rows = Person.objects.filter(pk__in=person_ids).order_by("name", "pk").values_list("pk", "name")
    names = dict(rows)
    return names, {pk: i for i, pk in enumerate(names)}
