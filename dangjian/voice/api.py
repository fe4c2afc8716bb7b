"""Concerns over JSON, scoped exactly as the pages are; anonymous submission and follow-up by receipt code."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import ApiPagination
from dangjian.core.params import Year
from dangjian.core.requestlocal import current_ip
from dangjian.core.scoping import get_for_user, has_capability
from dangjian.voice import selectors, services
from dangjian.voice.models import Category, Concern, Rating, SubmitterKind

router = Router(tags=["voice"])


class ConcernOut(Schema):
    id: int
    school_id: int
    org_id: int
    assignee_id: int | None
    assignee_office: str
    category: str
    submitter_kind: str
    title: str
    body: str
    anonymous: bool
    status: str
    level: str
    submitted_at: dt.datetime
    acknowledge_due: dt.datetime
    answer_due: dt.datetime
    acknowledged_at: dt.datetime | None
    answered_at: dt.datetime | None
    reply: str
    escalated_at: dt.datetime | None
    rating: str
    reopen_count: int
    has_attachment: bool

    @staticmethod
    def resolve_has_attachment(obj):
        return bool(obj.attachment)


class FollowOut(Schema):
    """What a receipt code shows: status and the reply, nothing else."""

    status: str
    level: str
    submitted_at: dt.datetime
    answer_due: dt.datetime
    answered_at: dt.datetime | None
    reply: str
    rating: str
    reopen_count: int


class ConcernIn(Schema):
    school_id: int
    category: Category
    submitter_kind: SubmitterKind
    title: str
    body: str
    anonymous: bool = False


class ReceiptOut(Schema):
    id: int
    receipt_code: str
    acknowledge_due: dt.datetime
    answer_due: dt.datetime


class ReplyIn(Schema):
    text: str


class ReasonIn(Schema):
    reason: str = ""


class TransferIn(Schema):
    """One of: `org_id` (another org); `assignee_id` (an ethics officer of the concern's school or above); or
    `office` (one of the school offices in the rule data) with `assignee_id` (a staff member of the school)."""

    org_id: int | None = None
    assignee_id: int | None = None
    office: str = ""


class RateIn(Schema):
    rating: Rating


class CodeIn(Schema):
    code: str


class CodeRateIn(CodeIn):
    rating: Rating


class CodeReopenIn(CodeIn):
    reason: str


class StatsOut(Schema):
    school_id: int
    school_name: str
    total: int
    due: int
    on_time: int
    on_time_rate: float | None
    rated: int
    satisfied: int
    satisfaction_rate: float | None


class PublicStatsOut(Schema):
    year: int
    total: int
    answered: int
    on_time_rate: float | None
    satisfaction_rate: float | None
    escalated: int


def _school(school_id: int):
    school = selectors.schools_for_submission().filter(pk=school_id).first()
    if school is None:
        raise Http404
    return school


def _by_code(code: str) -> Concern:
    concern = services.find_by_receipt(code)
    if concern is None:
        raise Http404
    return concern


# --- signed in -----------------------------------------------------------------------------------


@router.get("/concerns", response=list[ConcernOut])
@paginate(ApiPagination)
def list_concerns(request, status: str = "", level: str = ""):
    return selectors.concerns(request.user, status=status, level=level)


@router.post("/concerns", response=ReceiptOut)
def create_concern(request, payload: ConcernIn):
    if payload.anonymous:
        services.throttle_anonymous(current_ip())
    done = services.submit_concern(
        actor=request.user,
        school=_school(payload.school_id),
        category=payload.category,
        submitter_kind=payload.submitter_kind,
        title=payload.title,
        body=payload.body,
        anonymous=payload.anonymous,
    )
    c = done.concern
    return {
        "id": c.pk,
        "receipt_code": done.receipt_code,
        "acknowledge_due": c.acknowledge_due,
        "answer_due": c.answer_due,
    }


@router.get("/concerns/{concern_id}", response=ConcernOut)
def get_concern(request, concern_id: int):
    return get_for_user(request.user, Concern, concern_id)


@router.get("/concerns/{concern_id}/attachment")
def concern_attachment(request, concern_id: int):
    """The concern's attachment, to whoever may see the concern (as on its page)."""
    concern = get_for_user(request.user, Concern, concern_id)
    if not concern.attachment:
        raise Http404
    with concern.attachment.open("rb") as handle:
        return attachment_response(handle.read(), concern.attachment.name, personal=True)


@router.post("/concerns/{concern_id}/acknowledge", response=ConcernOut)
def acknowledge(request, concern_id: int):
    concern = selectors.handled_concern(request.user, concern_id)
    return services.acknowledge(actor=request.user, concern=concern)


@router.post("/concerns/{concern_id}/reply", response=ConcernOut)
def reply(request, concern_id: int, payload: ReplyIn):
    concern = selectors.handled_concern(request.user, concern_id)
    return services.reply(actor=request.user, concern=concern, text=payload.text)


@router.post("/concerns/{concern_id}/escalate", response=ConcernOut)
def escalate(request, concern_id: int, payload: ReasonIn):
    concern = selectors.handled_concern(request.user, concern_id)
    return services.escalate(actor=request.user, concern=concern, reason=payload.reason)


@router.post("/concerns/{concern_id}/transfer", response=ConcernOut)
def transfer(request, concern_id: int, payload: TransferIn):
    from dangjian.orgs.models import Org

    concern = selectors.handled_concern(request.user, concern_id)
    org = get_for_user(request.user, Org, payload.org_id) if payload.org_id is not None else None
    assignee = None
    if payload.assignee_id is not None:
        people = selectors.school_staff(concern) if payload.office else selectors.ethics_officers(concern)
        assignee = people.filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise Http404(_("没有找到这位承办人。"))
    return services.transfer(actor=request.user, concern=concern, org=org, assignee=assignee, office=payload.office)


def _own(request, concern_id: int) -> Concern:
    concern = get_for_user(request.user, Concern, concern_id)
    if concern.submitter_id != request.user.pk:
        raise PermissionDenied(_("只有提交人可以评价或重新打开诉求。"))
    return concern


@router.post("/concerns/{concern_id}/rate", response=ConcernOut)
def rate(request, concern_id: int, payload: RateIn):
    return services.rate(actor=request.user, concern=_own(request, concern_id), rating=payload.rating)


@router.post("/concerns/{concern_id}/reopen", response=ConcernOut)
def reopen(request, concern_id: int, payload: ReasonIn):
    return services.reopen(actor=request.user, concern=_own(request, concern_id), reason=payload.reason)


@router.get("/stats", response=list[StatsOut])
def stats(request, year: Year | None = None):
    if not has_capability(request.user, "voice.view_stats"):
        raise PermissionDenied
    year = year or timezone.localdate().year
    rows = selectors.school_stats(request.user, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [{**r.__dict__, "on_time_rate": r.on_time_rate, "satisfaction_rate": r.satisfaction_rate} for r in rows]


# --- open: anonymous submission and follow-up by receipt code ------------------------------------


@router.post("/public/concerns", auth=None, response=ReceiptOut)
def public_create(request, payload: ConcernIn):
    services.throttle_anonymous(current_ip())
    done = services.submit_concern(
        actor=None,
        school=_school(payload.school_id),
        category=payload.category,
        submitter_kind=payload.submitter_kind,
        title=payload.title,
        body=payload.body,
        anonymous=True,
    )
    c = done.concern
    return {
        "id": c.pk,
        "receipt_code": done.receipt_code,
        "acknowledge_due": c.acknowledge_due,
        "answer_due": c.answer_due,
    }


@router.post("/public/follow", auth=None, response=FollowOut)
def public_follow(request, payload: CodeIn):
    """Follow up with the receipt code (in the body, never in a URL)."""
    return _by_code(payload.code)


@router.post("/public/rate", auth=None, response=FollowOut)
def public_rate(request, payload: CodeRateIn):
    return services.rate(actor=None, concern=_by_code(payload.code), rating=payload.rating, by_receipt=True)


@router.post("/public/reopen", auth=None, response=FollowOut)
def public_reopen(request, payload: CodeReopenIn):
    return services.reopen(actor=None, concern=_by_code(payload.code), reason=payload.reason, by_receipt=True)


@router.get("/public/stats", auth=None, response=PublicStatsOut)
def public_stats(request, year: Year | None = None):
    year = year or timezone.localdate().year
    f = selectors.public_figures(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {
        "year": year,
        **{k: getattr(f, k) for k in ("total", "answered", "on_time_rate", "satisfaction_rate", "escalated")},
    }
