"""师德 over JSON, scoped and masked exactly as the pages are: cases only for the handling roles and the
teacher concerned (after notice), every case read logged, survey comments only for the appraisal group."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import paginate

from dangjian.core import periods
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, has_capability, prefixes, scoped
from dangjian.ethics import actions, forms, selectors, services
from dangjian.ethics.eligibility import PURPOSES, eligible
from dangjian.ethics.models import EthicsAppraisal, Evidence, MisconductCase
from dangjian.orgs.models import Person

router = Router(tags=["ethics"])


class StandardOut(Schema):
    number: int
    title: str
    red_line: str
    confirmed: bool


class CaseListOut(Schema):
    id: int
    person_id: int
    person_name: str
    status: str
    reported_on: dt.date

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class EventOut(Schema):
    step: str
    on: dt.date
    at: dt.datetime
    actor: str


class SanctionOut(Schema):
    kind: str
    purposes: list[str]
    starts_on: dt.date
    ends_on: dt.date | None
    revoked_on: dt.date | None


class CaseOut(Schema):
    id: int
    person_id: int
    person_name: str
    status: str
    source: str
    source_detail: str | None  # handlers only
    summary: str
    standards: list[int]
    reported_on: dt.date
    findings: str
    proposed: str
    notified_on: dt.date | None
    hearing_right: bool
    statement: str
    statement_on: dt.date | None
    statement_waived_reason: str
    hearing_requested_on: dt.date | None
    hearing_on: dt.date | None
    decision: str
    decision_reason: str
    decided_on: dt.date | None
    appealed_on: dt.date | None
    review_outcome: str
    reviewed_on: dt.date | None
    deadlines: dict[str, dt.date]
    events: list[EventOut]
    sanctions: list[SanctionOut]


class CaseIn(Schema):
    person_id: int
    source: str
    summary: str
    reported_on: dt.date
    standards: list[int] = []
    source_detail: str = ""


class StepIn(Schema):
    """The fields of the step's form (see the page); those a step does not use are ignored."""

    on: dt.date | None = None
    note: str | None = None
    description: str | None = None
    reason: str | None = None
    findings: str | None = None
    proposed: str | None = None
    statement: str | None = None
    record: str | None = None
    decision: str | None = None
    disqualify: list[str] | None = None
    disqualify_months: int | None = None
    text: str | None = None
    outcome: str | None = None


class AppraisalBase(Schema):
    id: int
    person_id: int
    person_name: str
    year_key: str
    status: str
    grade: str


class AppraisalListOut(AppraisalBase):
    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class InputOut(Schema):
    source: str
    respondents: int
    satisfied_rate: float
    comments: str | None  # the appraisal group only


class AppraisalOut(AppraisalBase):
    self_assessment: str
    self_concerns: list[int]
    reasons: str
    graded_on: dt.date | None
    notified_at: dt.datetime | None
    objection: str
    objection_reply: str
    inputs: list[InputOut]


class ActionIn(Schema):
    on: dt.date | None = None
    text: str | None = None
    concerns: list[int] | None = None
    source: str | None = None
    respondents: int | None = None
    satisfied: int | None = None
    comments: str | None = None
    grade: str | None = None
    reasons: str | None = None
    reply: str | None = None


class DistributionRowOut(Schema):
    school: str
    counts: dict[str, int]
    total: int


class DistributionOut(Schema):
    year: str
    grades: dict[str, str]
    totals: dict[str, int]
    schools: list[DistributionRowOut]


class ReasonOut(Schema):
    kind: str
    label: str
    starts_on: dt.date
    ends_on: dt.date | None


class EligibilityOut(Schema):
    person_id: int
    purpose: str
    on: dt.date
    ok: bool
    eligible_from: dt.date | None
    summary: str
    reasons: list[ReasonOut]  # empty unless the user handles cases there, or asks about themselves


def _form_data(payload: Schema) -> dict:
    data = {}
    for key, value in payload.dict(exclude_none=True).items():
        data[key] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def _validated(form) -> dict:
    if not form.is_valid():
        raise ValidationError([f"{field}: {'，'.join(errors)}" for field, errors in form.errors.items()])
    return form.cleaned_data


# --- standards ------------------------------------------------------------------------------------


@router.get("/standards", response=list[StandardOut])
def list_standards(request):
    return selectors.standards()


# --- cases ----------------------------------------------------------------------------------------


def _case_out(request, case: MisconductCase) -> dict:
    handler = selectors.is_handler(request.user, case)
    return {
        **{f: getattr(case, f) for f in CaseOut.model_fields if hasattr(case, f)},
        "person_name": case.person.name,
        "source_detail": case.source_detail if handler else None,
        "deadlines": selectors.deadlines(case),
        "events": [
            {"step": e.step, "on": e.on, "at": e.at, "actor": e.actor_name} for e in selectors.case_events(case)
        ],
        "sanctions": list(selectors.case_sanctions(case).values(*SanctionOut.model_fields)),
    }


@router.get("/cases", response=list[CaseListOut])
@paginate(ApiPagination)
def list_cases(request, status: str = "", q: str = ""):
    qs = selectors.case_list(request.user, status=status, q=q)
    # Log the read of the cases on the page the paginator is about to cut (same limit and offset).
    try:
        offset = max(int(request.GET.get("offset", 0)), 0)
        limit = max(int(request.GET.get("limit", ninja_settings.PAGINATION_PER_PAGE)), 0)
    except ValueError:
        offset, limit = 0, 0
    shown = list(qs.select_related("person__org")[offset : offset + limit]) if limit else []
    roots = prefixes(request.user, "ethics.view_case")
    own_path = shown[0].scope_path() if shown else ""
    services.log_list_read(actor=request.user, cases=shown, org_path=roots[0] if roots else own_path)
    return qs


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request, case_id: int):
    case = get_for_user(request.user, MisconductCase, case_id, queryset=selectors.visible_cases(request.user))
    services.log_read(actor=request.user, case=case)
    return _case_out(request, case)


class EvidenceOut(Schema):
    id: int
    description: str
    has_file: bool
    added_at: dt.datetime

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


def _handled_case(request, case_id: int) -> MisconductCase:
    """A case whose evidence the user may read: its handlers only, as on the case page (the read is logged)."""
    case = get_for_user(request.user, MisconductCase, case_id, queryset=selectors.visible_cases(request.user))
    if not selectors.is_handler(request.user, case):
        raise PermissionDenied
    services.log_read(actor=request.user, case=case)
    return case


@router.get("/cases/{case_id}/evidence", response=list[EvidenceOut])
def list_evidence(request, case_id: int):
    return list(selectors.case_evidence(request.user, _handled_case(request, case_id)))


@router.get("/cases/{case_id}/evidence/{evidence_id}/file")
def evidence_file(request, case_id: int, evidence_id: int):
    case = _handled_case(request, case_id)
    evidence = get_for_user(request.user, Evidence, evidence_id, queryset=selectors.case_evidence(request.user, case))
    if not evidence.file:
        raise Http404
    with evidence.file.open("rb") as handle:
        return attachment_response(handle.read(), evidence.file.name, personal=True)


@router.post("/cases", response={201: CaseOut})
def report_case(request, payload: CaseIn):
    if not has_capability(request.user, "ethics.handle_case"):
        raise PermissionDenied
    person = get_for_user(request.user, Person, payload.person_id, queryset=selectors.people_for_case(request.user))
    data = payload.dict(exclude={"person_id"})
    case = services.report_case(actor=request.user, person=person, **data)
    return 201, _case_out(request, case)


@router.post("/cases/{case_id}/steps/{step}", response=CaseOut)
def case_step(request, case_id: int, step: str, payload: StepIn):
    case = get_for_user(request.user, MisconductCase, case_id, queryset=selectors.visible_cases(request.user))
    actions.authorize_case_step(request.user, case, step)
    data = _validated(forms.CASE_STEP_FORMS[step](data=_form_data(payload)))
    data.pop("file", None)  # files are added through the page
    actions.CASE_SERVICES[step](actor=request.user, case=case, **data)
    services.log_read(actor=request.user, case=case)
    return _case_out(request, case)


# --- appraisals -----------------------------------------------------------------------------------


@router.get("/appraisals", response=list[AppraisalListOut])
@paginate(ApiPagination)
def list_appraisals(request, year: str = "", grade: str = ""):
    return selectors.appraisal_list(request.user, year_key=year, grade=grade)


def _appraisal_out(request, appraisal: EthicsAppraisal) -> dict:
    group = has_capability(request.user, "ethics.appraise", appraisal.scope_path()) and not selectors.is_subject(
        request.user, appraisal
    )
    inputs = [
        {
            "source": i.source,
            "respondents": i.respondents,
            "satisfied_rate": round(i.rate, 4),
            "comments": i.comments if group else None,
        }
        for i in appraisal.inputs.all()
    ]
    fields = {f: getattr(appraisal, f) for f in AppraisalOut.model_fields if hasattr(appraisal, f)}
    return {**fields, "person_name": appraisal.person.name, "inputs": inputs}


@router.get("/appraisals/{appraisal_id}", response=AppraisalOut)
def get_appraisal(request, appraisal_id: int):
    return _appraisal_out(request, get_for_user(request.user, EthicsAppraisal, appraisal_id))


@router.post("/appraisals/{appraisal_id}/actions/{action}", response=AppraisalOut)
def appraisal_action(request, appraisal_id: int, action: str, payload: ActionIn):
    appraisal = get_for_user(request.user, EthicsAppraisal, appraisal_id)
    found = actions.authorize_appraisal_action(request.user, appraisal, action)
    form = actions.appraisal_form(found, appraisal, _form_data(payload))
    found.service(actor=request.user, appraisal=appraisal, **_validated(form))
    return _appraisal_out(request, appraisal)


@router.get("/distribution", response=DistributionOut)
def grade_distribution(request, year: str = ""):
    if not has_capability(request.user, "ethics.view_distribution"):
        raise PermissionDenied
    try:
        key = periods.from_key(year).key if year else ""
    except ValueError as exc:
        raise ValidationError("学年格式应为 2025-2026。") from exc
    key = key or periods.containing("academic_year", timezone.localdate()).previous().key
    rows, totals = selectors.distribution(request.user, year_key=key)
    grades = selectors.grade_labels()
    return {"year": key, "grades": grades, "totals": totals, "schools": [r.__dict__ for r in rows]}


@router.get("/eligibility/{person_id}", response=EligibilityOut)
def check_eligibility(request, person_id: int, purpose: str = "award", on: dt.date | None = None):
    """The one eligibility check, for award, promotion and title lists (purpose: award, promotion, title…)."""
    if purpose not in PURPOSES:
        raise ValidationError(f"purpose 应为 {', '.join(PURPOSES)} 之一。")
    qs = scoped(request.user, Person, "ethics.check_eligibility")  # plus oneself
    person = get_for_user(request.user, Person, person_id, queryset=qs)
    day = on or timezone.localdate()
    result = eligible(person, on=day, purpose=purpose)
    detail = person.user_id == request.user.pk or has_capability(request.user, "ethics.view_case", person.scope_path())
    return {
        "person_id": person.pk,
        "purpose": purpose,
        "on": day,
        "ok": result.ok,
        "eligible_from": result.eligible_from,
        "summary": result.summary(),
        "reasons": [r.__dict__ for r in result.reasons] if detail else [],
    }
