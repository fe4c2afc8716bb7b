"""Membership over JSON, scoped exactly as the pages are: the pipeline (dossiers), dues, transfers and terms.
Money travels as decimal strings, never as floats."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.refusals import refusals_are_422
from dangjian.api.schemas import ValidationErrors
from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, has_capability
from dangjian.membership import development, selectors, services
from dangjian.membership.models import Dossier
from dangjian.orgs.models import Person

router = Router(tags=["membership"])


def _need(request) -> None:
    if not has_capability(request.user, "membership.view"):
        raise PermissionDenied(_("您没有查看此内容的权限。"))


class StepOut(Schema):
    id: int
    code: str
    number: int
    done_on: dt.date
    meeting_id: int | None
    motion_id: int | None
    people: list[int]
    hours: Decimal | None
    outcome: str
    note: str
    exception_reason: str
    rule_effective: dt.date

    @staticmethod
    def resolve_people(obj) -> list[int]:
        return [p.pk for p in obj.people.all()]


class DossierOut(Schema):
    id: int
    person_id: int
    person_name: str
    org_id: int
    status: str
    probation_extended_months: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class DossierDetail(Schema):
    id: int
    person_id: int
    person_name: str
    org_id: int
    status: str
    probation_extended_months: int
    steps: list[StepOut]
    findings: list[str]


class DossierIn(Schema):
    person_id: int


class DossierStepIn(Schema):
    code: str
    done_on: dt.date | None = None
    meeting_id: int | None = None
    motion_id: int | None = None
    people: list[int] = []
    hours: Decimal | None = None
    outcome: str = ""
    extension_months: int | None = None
    note: str = ""
    exception_reason: str = ""


class LedgerRowOut(Schema):
    person_id: int
    name: str
    category: str | None
    base: Decimal | None
    monthly: Decimal | None
    paid: bool
    unpaid_months: list[dt.date]
    longest_unpaid_run: int
    lapse_flag: bool


class BaseIn(Schema):
    person_id: int
    year: int
    category: str = "employed"
    base: Decimal


class BaseOut(Schema):
    person_id: int
    year: int
    category: str
    base: Decimal
    monthly: Decimal


class PaymentIn(Schema):
    person_id: int
    first_month: dt.date
    months: int = 1
    amount: Decimal
    paid_on: dt.date | None = None
    note: str = ""


class PaymentOut(Schema):
    id: int
    person_id: int
    org_id: int
    kind: str
    first_month: dt.date
    months: int
    amount: Decimal
    paid_on: dt.date


class TransferOut(Schema):
    id: int
    kind: str
    status: str
    person_id: int | None
    person_name: str
    from_org_id: int | None
    to_org_id: int | None
    outside_org: str
    requested_on: dt.date
    decided_on: dt.date | None
    dues_paid_until: dt.date | None
    receipt_due: dt.date | None
    receipt_returned_on: dt.date | None


class TransferRequestIn(Schema):
    person_id: int
    to_org_id: int
    reason: str = ""


class TermOut(Schema):
    org_id: int
    org_name: str
    term_started_on: dt.date | None
    ends_on: dt.date | None
    state: str


def _person(request, person_id: int) -> Person:
    return get_for_user(request.user, Person, person_id, queryset=selectors.people_for_records(request.user))


# --- pipeline ----------------------------------------------------------------------------------------


@router.get("/dossiers", response=list[DossierOut])
@paginate(ApiPagination)
def list_dossiers(request, status: str = ""):
    return selectors.dossiers(request.user, status=status)


@router.get("/dossiers/{dossier_id}", response=DossierDetail)
def get_dossier(request, dossier_id: int):
    dossier = get_for_user(request.user, Dossier, dossier_id)
    steps = selectors.dossier_steps(dossier)
    return {
        "id": dossier.pk,
        "person_id": dossier.person_id,
        "person_name": dossier.person.name,
        "org_id": dossier.org_id,
        "status": dossier.status,
        "probation_extended_months": dossier.probation_extended_months,
        "steps": steps,
        "findings": [str(f) for f in development.findings(dossier, steps, timezone.localdate())],
    }


@router.post("/dossiers", response={201: DossierOut, 422: ValidationErrors})
@refusals_are_422
def open_dossier(request, payload: DossierIn):
    person = _person(request, payload.person_id)
    return Status(201, development.open_dossier(actor=request.user, person=person))


class WithdrawIn(Schema):
    reason: str


@router.post("/dossiers/{dossier_id}/withdraw-last-step", response={200: DossierOut, 422: ValidationErrors})
@refusals_are_422
def withdraw_last_step(request, dossier_id: int, payload: WithdrawIn):
    """撤销最近一步 with its reason: the stage and extension it set go back to what the remaining steps say."""
    dossier = get_for_user(request.user, Dossier, dossier_id, write=True)
    development.withdraw_last_step(actor=request.user, dossier=dossier, reason=payload.reason)
    return dossier


@router.post("/dossiers/{dossier_id}/steps", response={201: StepOut, 422: ValidationErrors})
@refusals_are_422
def record_step(request, dossier_id: int, payload: DossierStepIn):
    """Record a step; a refusal (422) names the rule it breaks. 支部大会 steps take `motion_id`: the date and the
    result are read from the meeting record."""
    dossier = get_for_user(request.user, Dossier, dossier_id, write=True)
    motion = selectors.branch_motions(request.user, dossier.org).filter(pk=payload.motion_id).first()
    meeting = (
        selectors.branch_meetings(request.user, dossier.org, "committee_meeting").filter(pk=payload.meeting_id).first()
    )
    people = list(selectors.full_members(request.user, dossier.org).filter(pk__in=payload.people))
    if (payload.motion_id and motion is None) or (payload.meeting_id and meeting is None):
        return Status(422, {"detail": [_("没有找到该会议或表决记录。")]})
    if len(people) != len(set(payload.people)):
        return Status(422, {"detail": [_("有关人员应为本支部的正式党员。")]})
    step = development.record_step(
        actor=request.user,
        dossier=dossier,
        code=payload.code,
        done_on=payload.done_on,
        meeting=meeting,
        motion=motion,
        people=people,
        hours=payload.hours,
        outcome=payload.outcome,
        extension_months=payload.extension_months,
        note=payload.note,
        exception_reason=payload.exception_reason,
    )
    return Status(201, step)


# --- dues --------------------------------------------------------------------------------------------


@router.get("/dues/{org_id}/ledger", response=list[LedgerRowOut])
def dues_ledger(request, org_id: int, month: dt.date | None = None):
    """The branch's ledger for the month (any day of it; default this month)."""
    org = selectors.branch_for(request.user, org_id)
    month = month or timezone.localdate()
    if not 2008 <= month.year <= 2100:
        raise ValidationError(_("月份应在2008至2100年之间。"))
    rows = selectors.ledger(request.user, org, month)
    return [
        {
            "person_id": r.person.pk,
            "name": r.person.name,
            "category": r.base.category if r.base else None,
            "base": r.base.base if r.base else None,
            "monthly": r.base.monthly if r.base else None,
            "paid": r.paid is not None,
            "unpaid_months": r.standing.unpaid,
            "longest_unpaid_run": r.standing.longest_run,
            "lapse_flag": r.standing.lapse_flag,
        }
        for r in rows
    ]


@router.post("/dues/bases", response={200: BaseOut, 422: ValidationErrors})
@refusals_are_422
def set_base(request, payload: BaseIn):
    person = _person(request, payload.person_id)
    return services.set_base(
        actor=request.user, person=person, year=payload.year, category=payload.category, base=payload.base
    )


@router.post("/dues/payments", response={201: PaymentOut, 422: ValidationErrors})
@refusals_are_422
def record_payment(request, payload: PaymentIn):
    person = _person(request, payload.person_id)
    payment = services.record_payment(
        actor=request.user,
        person=person,
        first_month=payload.first_month,
        months=payload.months,
        amount=payload.amount,
        paid_on=payload.paid_on,
        note=payload.note,
    )
    return Status(201, payment)


# --- transfers ---------------------------------------------------------------------------------------


@router.get("/transfers", response=list[TransferOut])
@paginate(ApiPagination)
def list_transfers(request):
    return selectors.transfers(request.user)


@router.post("/transfers", response={201: TransferOut, 422: ValidationErrors})
@refusals_are_422
def request_transfer(request, payload: TransferRequestIn):
    person = _person(request, payload.person_id)
    org = selectors.transfer_targets(request.user, person.org).filter(pk=payload.to_org_id).first()
    if org is None:
        return Status(422, {"detail": [_("请选择接收的党支部。")]})
    return Status(201, services.request_transfer(actor=request.user, person=person, to_org=org, reason=payload.reason))


@router.post("/transfers/{transfer_id}/accept", response={200: TransferOut, 422: ValidationErrors})
@refusals_are_422
def accept_transfer(request, transfer_id: int):
    transfer = selectors.transfer_for(request.user, transfer_id)
    return services.accept_transfer(actor=request.user, transfer=transfer)


# --- terms -------------------------------------------------------------------------------------------


@router.get("/terms", response=list[TermOut])
def list_terms(request):
    _need(request)
    return [
        {
            "org_id": r.org.pk,
            "org_name": r.org.name,
            "term_started_on": r.org.term_started_on,
            "ends_on": r.ends_on,
            "state": r.state,
        }
        for r in selectors.terms(request.user)
    ]


# --- 换届选举 ------------------------------------------------------------------------------------------


class CandidateIn(Schema):
    person_id: int
    votes: int
    post: str = ""  # the committee post taken if elected (secretary, organization …); empty: 委员


class ElectionIn(Schema):
    meeting_id: int
    seats: int
    candidates: list[CandidateIn]


class CandidateOut(Schema):
    person_id: int
    person_name: str
    votes: int
    elected: bool
    post: str

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class ElectionOut(Schema):
    id: int
    org_id: int
    meeting_id: int
    day: dt.date
    seats: int
    entitled: int
    present: int
    valid: bool
    applied: bool
    candidates: list[CandidateOut]

    @staticmethod
    def resolve_day(obj) -> dt.date:
        return obj.meeting.day

    @staticmethod
    def resolve_candidates(obj) -> list:
        return list(obj.candidates.all())  # prefetched with their people (with_candidates=True)


@router.get("/elections", response=list[ElectionOut])
@paginate(ApiPagination)
def list_elections(request):
    _need(request)
    return selectors.elections(request.user, with_candidates=True)


@router.get("/elections/{election_id}", response=ElectionOut)
def get_election(request, election_id: int):
    return selectors.election_for(request.user, election_id, with_candidates=True)


@router.post("/orgs/{org_id}/elections", response={201: ElectionOut, 422: ValidationErrors})
@refusals_are_422
def record_election(request, org_id: int, payload: ElectionIn):
    """换届选举 at a recorded 支部党员大会 of the branch: who was entitled and present is read from its attendance;
    candidates are the branch's full members, each with their votes and, if elected, their post."""
    org = selectors.branch_for(request.user, org_id, "membership.manage")
    meeting = selectors.branch_meetings(request.user, org, "general_assembly").filter(pk=payload.meeting_id).first()
    if meeting is None:
        return Status(422, {"detail": [_("没有找到该支部已记录的支部党员大会。")]})
    ids = [c.person_id for c in payload.candidates]
    if len(set(ids)) != len(ids):
        return Status(422, {"detail": [_("同一候选人只能出现一次。")]})
    posts = {c.person_id: c.post for c in payload.candidates if c.post}
    election = services.record_election(
        actor=request.user,
        meeting=meeting,
        seats=payload.seats,
        votes={c.person_id: c.votes for c in payload.candidates},
        posts=posts,
    )
    return Status(201, selectors.election_for(request.user, election.pk, with_candidates=True))


@router.post("/elections/{election_id}/apply", response={200: ElectionOut, 422: ValidationErrors})
@refusals_are_422
def apply_election(request, election_id: int):
    """The new committee takes office from the election record (as the page's 生效 button)."""
    election = services.apply_election(actor=request.user, election=selectors.election_for(request.user, election_id))
    return selectors.election_for(request.user, election.pk, with_candidates=True)
