"""The leadership system over JSON, scoped exactly as the pages are: a personnel item another reader may not read
is a fact in the agenda list (no title, no decision) and a 404 by its id."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.refusals import refusals_are_422
from dangjian.api.schemas import ValidationErrors
from dangjian.core.pagination import ApiPagination
from dangjian.core.params import Year
from dangjian.core.scoping import has_capability
from dangjian.leadership import selectors, services
from dangjian.leadership.models import Body, BodyRole, Outcome
from dangjian.meetings.models import Presence

router = Router(tags=["leadership"])


class SchoolOut(Schema):
    id: int
    name: str
    org_id: int
    org_kind: str

    @staticmethod
    def resolve_org_kind(obj):
        return obj.org.kind


class SeatOut(Schema):
    id: int
    body: str
    role: str
    person_id: int
    person_name: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class BodiesOut(Schema):
    school_id: int
    one_person_expected: bool
    one_person: bool | None
    seats: list[SeatOut]


class SeatIn(Schema):
    body: Body
    person_id: int
    role: BodyRole
    started_on: dt.date | None = None


class LeadershipMeetingOut(Schema):
    id: int
    kind: str
    topic: str
    starts_at: dt.datetime
    status: str
    expected_count: int
    attended_count: int
    quorum_met: bool | None


class LeadershipMeetingIn(Schema):
    kind: str
    starts_at: dt.datetime
    topic: str = ""
    place: str = ""


class BodyPresenceIn(Schema):
    person_id: int
    status: Presence


class BodyAttendanceIn(Schema):
    attendance: list[BodyPresenceIn] = []


class AgendaRowOut(Schema):
    id: int
    meeting_id: int
    meeting_kind: str
    day: dt.date
    category: str
    outcome: str
    hidden: bool  # a personnel item the reader may not read: only the fact that it was decided
    title: str


class ItemOut(Schema):
    id: int
    school_id: int
    meeting_id: int
    title: str
    category: str
    proposer_id: int | None
    fixed_by_id: int | None
    fixed_by_role: str
    communicated_on: dt.date | None
    communication: str
    outcome: str
    decision: str
    discussion: str
    party_decision_id: int | None
    report_due_on: dt.date | None
    reported: bool

    @staticmethod
    def resolve_reported(obj):
        return obj.reports.exists()


class ItemIn(Schema):
    title: str
    category: str
    fixed_by_id: int
    proposer_id: int | None = None
    communicated_on: dt.date | None = None
    communication: str = ""
    party_decision_id: int | None = None


class DecisionIn(Schema):
    outcome: Outcome
    decision: str = ""
    discussion: str = ""
    report_due_on: dt.date | None = None


class ExecutionReportIn(Schema):
    reported_on: dt.date
    text: str
    completed: bool = False


class ExecutionReportOut(Schema):
    id: int
    item_id: int
    reported_on: dt.date
    reporter_id: int | None
    text: str
    completed: bool


class FlagOut(Schema):
    code: str
    label: str
    school_id: int
    meeting_id: int
    day: dt.date
    personnel: bool


class CountyRowOut(Schema):
    school_id: int
    school_name: str
    items: int
    rules_state: str
    flags: list[FlagOut]


class RulesOut(Schema):
    id: int
    version: int
    status: str
    template_effective: dt.date
    text: str
    return_reason: str


class RulesTextIn(Schema):
    text: str


class ReturnIn(Schema):
    reason: str


def _school(request, school_id: int, *, manage: bool = False):
    school = selectors.school_for(request.user, school_id)
    if manage and not selectors.may_manage(request.user, school):
        raise PermissionDenied
    return school


def _person(school, person_id: int | None, day: dt.date | None = None):
    """A person of the school (any staff member for a seat; a body member for an agenda item): else 404."""
    if person_id is None:
        return None
    people = selectors.body_people(school, day) if day else selectors.school_people(school)
    return people.filter(pk=person_id).first() or _missing()


def _missing():
    raise Http404


@router.get("/schools", response=list[SchoolOut])
@paginate(ApiPagination)
def list_schools(request):
    return selectors.schools(request.user)


@router.get("/schools/{school_id}/bodies", response=BodiesOut)
def get_bodies(request, school_id: int):
    found = selectors.bodies(_school(request, school_id))
    return {
        "school_id": school_id,
        "one_person_expected": found.one_person_expected,
        "one_person": found.one_person,
        "seats": found.party + found.admin,
    }


@router.post("/schools/{school_id}/seats", response={201: SeatOut, 422: ValidationErrors})
@refusals_are_422
def appoint(request, school_id: int, payload: SeatIn):
    school = _school(request, school_id, manage=True)
    seat = services.appoint(
        actor=request.user,
        school=school,
        body=payload.body,
        person=_person(school, payload.person_id),
        role=payload.role,
        started_on=payload.started_on,
    )
    return Status(201, seat)


@router.get("/schools/{school_id}/meetings", response=list[LeadershipMeetingOut])
@paginate(ApiPagination)
def list_meetings(request, school_id: int, year: Year | None = None):
    return selectors.school_meetings(request.user, _school(request, school_id), year=year)


@router.post("/schools/{school_id}/meetings", response={201: LeadershipMeetingOut, 422: ValidationErrors})
@refusals_are_422
def plan_meeting(request, school_id: int, payload: LeadershipMeetingIn):
    school = _school(request, school_id, manage=True)
    return Status(201, services.plan_meeting(actor=request.user, school=school, **payload.dict()))


@router.post(
    "/schools/{school_id}/meetings/{meeting_id}/record", response={200: LeadershipMeetingOut, 422: ValidationErrors}
)
@refusals_are_422
def record_meeting(request, school_id: int, meeting_id: int, payload: BodyAttendanceIn):
    school = _school(request, school_id, manage=True)
    meeting = selectors.meeting_for(request.user, school, meeting_id)
    statuses = {a.person_id: (a.status, "") for a in payload.attendance}
    return Status(200, services.record_meeting(actor=request.user, meeting=meeting, statuses=statuses))


@router.get("/schools/{school_id}/agenda", response=list[AgendaRowOut])
def agenda(request, school_id: int, year: Year | None = None):
    rows = selectors.agenda(request.user, _school(request, school_id), year=year)
    return [
        {
            "id": r.item.pk,
            "meeting_id": r.item.meeting_id,
            "meeting_kind": r.item.meeting.kind,
            "day": r.item.meeting.day,
            "category": r.item.category,
            "outcome": r.item.outcome,
            "hidden": r.hidden,
            "title": r.title,
        }
        for r in rows
    ]


@router.post("/schools/{school_id}/meetings/{meeting_id}/items", response={201: ItemOut, 422: ValidationErrors})
@refusals_are_422
def add_item(request, school_id: int, meeting_id: int, payload: ItemIn):
    school = _school(request, school_id, manage=True)
    meeting = selectors.meeting_for(request.user, school, meeting_id)
    decision = None
    if payload.party_decision_id is not None:
        decision = next((d for d in selectors.party_decisions(school) if d.pk == payload.party_decision_id), None)
        if decision is None:
            _missing()
    item = services.add_item(
        actor=request.user,
        school=school,
        meeting=meeting,
        title=payload.title,
        category=payload.category,
        fixed_by=_person(school, payload.fixed_by_id, meeting.day),
        proposer=_person(school, payload.proposer_id, meeting.day),
        communicated_on=payload.communicated_on,
        communication=payload.communication,
        party_decision=decision,
    )
    return Status(201, item)


@router.get("/items/{item_id}", response=ItemOut)
def get_item(request, item_id: int):
    return selectors.item_for(request.user, item_id)


@router.post("/items/{item_id}/decision", response={200: ItemOut, 422: ValidationErrors})
@refusals_are_422
def decide(request, item_id: int, payload: DecisionIn):
    item = selectors.item_to_change(request.user, item_id)
    return Status(200, services.decide_item(actor=request.user, item=item, **payload.dict()))


@router.post("/items/{item_id}/reports", response={201: ExecutionReportOut, 422: ValidationErrors})
@refusals_are_422
def report(request, item_id: int, payload: ExecutionReportIn):
    item = selectors.item_to_change(request.user, item_id)
    return Status(201, services.report_execution(actor=request.user, item=item, **payload.dict()))


@router.get("/county", response=list[CountyRowOut])
@paginate(ApiPagination)
def county(request, year: Year | None = None):
    if not has_capability(request.user, "leadership.view_county"):
        raise PermissionDenied
    year = year or timezone.localdate().year
    rows = selectors.county_rows(request.user, list(selectors.county_schools(request.user)), year)
    return [
        {
            "school_id": r.school.pk,
            "school_name": r.school.name,
            "items": r.items,
            "rules_state": r.rules_state,
            "flags": [{**f.__dict__, "label": f.label} for f in r.flags],
        }
        for r in rows
    ]


@router.get("/schools/{school_id}/rules", response=list[RulesOut])
def school_rules(request, school_id: int):
    return list(selectors.school_rules(request.user, _school(request, school_id)))


# 议事规则: the school drafts a version from the county's model text, edits and submits it; the county approves or
# returns it (the pages' rules_* views do the same through the same services).


@router.post("/schools/{school_id}/rules", response={201: RulesOut, 422: ValidationErrors})
@refusals_are_422
def draft_rules(request, school_id: int):
    return Status(201, services.draft_rules(actor=request.user, school=_school(request, school_id, manage=True)))


@router.get("/rules/{rules_id}", response=RulesOut)
def get_rules(request, rules_id: int):
    return selectors.rules_for(request.user, rules_id)


@router.patch("/rules/{rules_id}", response={200: RulesOut, 422: ValidationErrors})
@refusals_are_422
def edit_rules(request, rules_id: int, payload: RulesTextIn):
    return services.edit_rules(
        actor=request.user, rules=selectors.rules_to_act_on(request.user, rules_id, county=False), text=payload.text
    )


@router.post("/rules/{rules_id}/submit", response={200: RulesOut, 422: ValidationErrors})
@refusals_are_422
def submit_rules(request, rules_id: int):
    return services.submit_rules(
        actor=request.user, rules=selectors.rules_to_act_on(request.user, rules_id, county=False)
    )


@router.post("/rules/{rules_id}/approve", response={200: RulesOut, 422: ValidationErrors})
@refusals_are_422
def approve_rules(request, rules_id: int):
    return services.approve_rules(
        actor=request.user, rules=selectors.rules_to_act_on(request.user, rules_id, county=True)
    )


@router.post("/rules/{rules_id}/return", response={200: RulesOut, 422: ValidationErrors})
@refusals_are_422
def return_rules(request, rules_id: int, payload: ReturnIn):
    rules = selectors.rules_to_act_on(request.user, rules_id, county=True)
    return services.return_rules(actor=request.user, rules=rules, reason=payload.reason)
