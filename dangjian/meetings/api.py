"""Meetings, attendance and compliance over JSON, scoped exactly as the pages are."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.params import Year
from dangjian.core.scoping import get_for_user, scoped
from dangjian.meetings import selectors, services
from dangjian.meetings.models import Attendance, ComplianceCell, Meeting, Motion
from dangjian.orgs.models import Org

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    org_id: int
    kind: str
    topic: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    online_url: str
    audience: str
    status: str
    expected_count: int
    attended_count: int | None  # null until the meeting is recorded: a planned meeting has no attendance yet
    quorum_met: bool | None
    incomplete: bool  # held but recorded without minutes or resolutions (记录不全)
    recorded_on_behalf_by_id: int | None
    on_behalf_reason: str

    @staticmethod
    def resolve_attended_count(obj):
        return obj.attended_count if obj.is_held else None

    @staticmethod
    def resolve_incomplete(obj):
        return obj.is_incomplete


class MeetingDetailOut(MeetingOut):
    minutes: str
    resolutions: str
    host_id: int | None
    recorder_id: int | None


class MeetingIn(Schema):
    org_id: int
    kind: str
    topic: str
    starts_at: dt.datetime
    duration_minutes: int = 90
    place: str = ""
    online_url: str = ""
    audience: str = ""
    roster: str | None = None


class AttendanceOut(Schema):
    person_id: int
    name: str
    status: str  # before the meeting is recorded: "" (not known yet), or "leave" when leave was asked for
    reason: str  # the leave reason: only for those who record the meeting and for the person themself
    leave_state: str  # "" | requested | approved | declined
    is_voting: bool
    is_committee: bool

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_status(obj):
        if obj.meeting.is_held or obj.meeting.status == "cancelled":
            return obj.status
        return obj.status if obj.status == "leave" else ""  # a leave asked for (see leave_state), or not known yet

    @staticmethod
    def resolve_reason(obj):
        return getattr(obj, "visible_reason", obj.reason)


class AttendanceIn(Schema):
    person_id: int
    status: str
    reason: str = ""


class MeetingRecordIn(Schema):
    attendance: list[AttendanceIn] = []
    minutes: str = ""
    resolutions: str = ""
    host_id: int | None = None
    recorder_id: int | None = None


class LeaveIn(Schema):
    reason: str


class CellOut(Schema):
    org_id: int
    kind: str
    period_key: str
    period_start: dt.date
    period_end: dt.date
    required: int
    held: int
    recorded: int
    incomplete: int  # of the held meetings: recorded without minutes or resolutions (记录不全)
    quorum_met: bool | None
    attendance_rate: float | None
    status: str


@router.get("/meetings", response=list[MeetingOut])
@paginate(ApiPagination)
def list_meetings(
    request, org_id: int | None = None, kind: str = "", start: dt.date | None = None, end: dt.date | None = None
):
    org = get_for_user(request.user, Org, org_id) if org_id is not None else None
    return selectors.meetings(request.user, org=org, kind=kind, start=start, end=end)


@router.post("/meetings", response={201: MeetingDetailOut})
def plan_meeting(request, payload: MeetingIn):
    org = get_for_user(request.user, Org, payload.org_id, write=True, capability="meetings.record")
    fields = payload.dict(exclude={"org_id", "roster"})
    return Status(201, services.plan_meeting(actor=request.user, org=org, roster=payload.roster, **fields))


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request, meeting_id: int):
    return selectors.meeting_for(request.user, meeting_id)


@router.delete("/meetings/{meeting_id}", response={204: None})
def delete_meeting(request, meeting_id: int):
    meeting = get_for_user(request.user, Meeting, meeting_id, write=True)
    services.delete_meeting(actor=request.user, meeting=meeting)
    return Status(204, None)


@router.get("/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
@paginate(ApiPagination)
def list_attendance(request, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    rows = scoped(request.user, Attendance).filter(meeting=meeting).select_related("person", "meeting")
    return selectors.attendance_for_viewer(request.user, meeting, rows.order_by("person__name"))


@router.post("/meetings/{meeting_id}/record", response=MeetingDetailOut)
def record_meeting(request, meeting_id: int, payload: MeetingRecordIn):
    """Record a held meeting: only attendance exceptions need to be sent; everyone else stays 出席."""
    meeting = get_for_user(request.user, Meeting, meeting_id, write=True)
    people = {a.person_id: a.person for a in meeting.attendances.select_related("person")}
    for pid in (payload.host_id, payload.recorder_id):
        if pid is not None and pid not in people:
            raise ValidationError("主持人和记录人须是应到人员。")
    return services.record_meeting(
        actor=request.user,
        meeting=meeting,
        statuses={a.person_id: (a.status, a.reason) for a in payload.attendance},
        host=people.get(payload.host_id),
        recorder=people.get(payload.recorder_id),
        minutes=payload.minutes,
        resolutions=payload.resolutions,
    )


@router.post("/meetings/{meeting_id}/leave", response=AttendanceOut)
def request_leave(request, meeting_id: int, payload: LeaveIn):
    meeting = selectors.meeting_for(request.user, meeting_id)
    return services.request_leave(actor=request.user, meeting=meeting, reason=payload.reason)


class LeaveDecisionIn(Schema):
    approve: bool


@router.post("/meetings/{meeting_id}/leave/{person_id}/decision", response=AttendanceOut)
def decide_leave(request, meeting_id: int, person_id: int, payload: LeaveDecisionIn):
    """The secretary approves or declines a member's leave request (as the meeting page does)."""
    meeting = get_for_user(request.user, Meeting, meeting_id, write=True)
    row = meeting.attendances.select_related("person", "meeting").filter(person_id=person_id).first()
    if row is None:
        raise Http404
    services.decide_leave(actor=request.user, attendance=row, approve=payload.approve)
    return selectors.attendance_for_viewer(request.user, meeting, meeting.attendances.filter(pk=row.pk)).get()


@router.get("/compliance", response=list[CellOut])
@paginate(ApiPagination)
def list_compliance(request, org_id: int | None = None, year: Year | None = None, status: str = ""):
    qs = scoped(request.user, ComplianceCell).order_by("org_id", "kind", "period_start")
    if org_id is not None:
        org = get_for_user(request.user, Org, org_id)
        qs = qs.filter(org__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(period_start__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


class MotionOut(Schema):
    id: int
    title: str
    yes: int
    no: int
    abstain: int
    entitled: int
    present_voting: int
    valid: bool
    passed: bool


@router.get("/meetings/{meeting_id}/motions", response=list[MotionOut])
def list_motions(request, meeting_id: int):
    """A meeting's votes, read-only, to whoever may see the meeting (as on its page)."""
    meeting = selectors.meeting_for(request.user, meeting_id)
    return list(scoped(request.user, Motion).filter(meeting=meeting).order_by("id"))
