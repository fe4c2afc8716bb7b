"""The responsibility system over JSON, scoped exactly as the pages are."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, require
from dangjian.orgs.models import Org

from . import selectors, services
from .models import Assignment, Target

router = Router(tags=["assignments"])


class AssignmentOut(Schema):
    id: int
    org_id: int
    title: str
    body: str
    expected: str
    due_on: dt.date
    fulfilled_by: str  # the record kind that completes each target by itself; "" when reports do


class AssignmentIn(Schema):
    org_id: int
    title: str
    body: str
    expected: str
    due_on: dt.date
    receiver_ids: list[int] = []  # empty: every org directly below
    fulfilled_by: str = ""  # one of GET /fulfilling-kinds


class FulfillingKindOut(Schema):
    key: str
    label: str


class TargetOut(Schema):
    id: int
    assignment_id: int
    org_id: int
    org_name: str
    title: str
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    overdue: bool
    evidence_title: str  # the record that completed it, when a record did
    evidence_url: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_title(obj):
        return obj.assignment.title

    @staticmethod
    def resolve_due_on(obj):
        return obj.assignment.due_on

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class ReportIn(Schema):
    text: str
    done: bool = False


class ReportOut(Schema):
    id: int
    target_id: int
    done: bool
    text: str


class SupervisionIn(Schema):
    note: str


class SupervisionOut(Schema):
    id: int
    target_id: int
    note: str


@router.get("/assignments", response=list[AssignmentOut])
@paginate(ApiPagination)
def list_assignments(request):
    """Assignments issued by orgs where the caller may assign."""
    return selectors.issued(request.user)


@router.post("/assignments", response={201: AssignmentOut})
def create_assignment(request, payload: AssignmentIn):
    org = get_for_user(request.user, Org, payload.org_id)
    require(request.user, "assignments.assign", org)
    below = selectors.receivers_of(request.user, org)
    receivers = list(below.filter(pk__in=payload.receiver_ids) if payload.receiver_ids else below)
    assignment = services.create_assignment(
        actor=request.user,
        org=org,
        title=payload.title,
        body=payload.body,
        expected=payload.expected,
        due_on=payload.due_on,
        receivers=receivers,
        fulfilled_by=payload.fulfilled_by,
    )
    return Status(201, assignment)


@router.get("/fulfilling-kinds", response=list[FulfillingKindOut])
def fulfilling_kinds(request, org_id: int):
    """The record kinds an assignment issued by `org_id` may name to complete itself (rule data)."""
    org = get_for_user(request.user, Org, org_id)
    require(request.user, "assignments.assign", org)
    return [{"key": key, "label": label} for key, label in selectors.fulfilling_kinds(org=org, on=timezone.localdate())]


@router.get("/assignments/{assignment_id}", response=AssignmentOut)
def get_assignment(request, assignment_id: int):
    return get_for_user(request.user, Assignment, assignment_id)


@router.get("/assignments/{assignment_id}/targets", response=list[TargetOut])
@paginate(ApiPagination)
def assignment_targets(request, assignment_id: int):
    assignment = get_for_user(request.user, Assignment, assignment_id)
    return selectors.targets_of(request.user, assignment).select_related("assignment")


@router.get("/targets", response=list[TargetOut])
@paginate(ApiPagination)
def list_targets(request, overdue: bool = False):
    """Work the caller's orgs have received (or oversee)."""
    return selectors.received(request.user, overdue_only=overdue, today=timezone.localdate())


@router.get("/targets/{target_id}", response=TargetOut)
def get_target(request, target_id: int):
    return get_for_user(request.user, Target, target_id)


@router.post("/targets/{target_id}/reports", response={201: ReportOut})
def report(request, target_id: int, payload: ReportIn):
    target = get_for_user(request.user, Target, target_id, write=True)
    return Status(
        201, services.report_progress(actor=request.user, target=target, text=payload.text, done=payload.done)
    )


@router.post("/targets/{target_id}/supervision", response={201: SupervisionOut})
def supervise(request, target_id: int, payload: SupervisionIn):
    target = get_for_user(request.user, Target, target_id)
    require(request.user, "assignments.supervise", target.assignment.org.path)
    return Status(201, services.supervise(actor=request.user, target=target, note=payload.note))
