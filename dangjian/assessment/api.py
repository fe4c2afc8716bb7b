"""Indicator systems, rounds, scores and results over JSON, scoped exactly as the pages are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.params import Year
from dangjian.core.scoping import get_for_user, has_capability, prefixes, require, scoped
from dangjian.orgs.models import Org, School

from . import selectors, services
from .models import Indicator, IndicatorSystem, Round, Score

router = Router(tags=["assessment"])


def _guard(request, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise PermissionDenied


class IndicatorOut(Schema):
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: str
    formula: str
    metric: str
    max_points: Decimal
    target: float
    rubric: str


class SystemOut(Schema):
    id: int
    org_id: int
    name: str
    year: int
    template: str


class SystemDetailOut(SystemOut):
    indicators: list[IndicatorOut]


class SystemIn(Schema):
    year: Year
    name: str = ""
    template: str = "default"


class RoundOut(Schema):
    id: int
    system_id: int
    name: str
    kind: str
    start: dt.date
    end: dt.date
    published: bool
    computed_at: dt.datetime | None


class ResultOut(Schema):
    id: int
    round_id: int
    school_id: int
    school_name: str
    total: Decimal
    max_total: Decimal
    score: Decimal | None
    grade: str
    rank: int | None

    @staticmethod
    def resolve_school_name(obj):
        return obj["school_name"] if isinstance(obj, dict) else obj.school.name


class LineOut(Schema):
    indicator_id: int
    code: str
    status: str
    value: float | None
    points: Decimal | None
    max_points: Decimal
    detail: str
    evidence_url: str

    @staticmethod
    def resolve_code(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_evidence_url(obj):
        return obj.evidence_link  # empty when the caller may not open the evidence page (selectors.result_lines)


class ResultDetailOut(ResultOut):
    lines: list[LineOut]
    county_average: Decimal | None


class ScoreIn(Schema):
    indicator_id: int
    school_id: int
    points: Decimal
    comment: str
    evidence: str = ""


class ScoreOut(Schema):
    id: int
    round_id: int
    indicator_id: int
    school_id: int
    points: Decimal
    comment: str
    evidence: str


class ComputeOut(Schema):
    schools: int


@router.get("/systems", response=list[SystemOut])
@paginate(ApiPagination)
def list_systems(request):
    _guard(request, "assessment.view_county")
    return selectors.systems(request.user)


@router.post("/systems", response={201: SystemDetailOut})
def create_system(request, payload: SystemIn):
    _guard(request, "assessment.manage")
    org = scoped(request.user, Org).get(path=prefixes(request.user, "assessment.manage")[0])
    system = services.create_system(actor=request.user, org=org, **payload.dict())
    return Status(201, {**SystemOut.from_orm(system).dict(), "indicators": list(system.indicators.all())})


@router.get("/systems/{system_id}", response=SystemDetailOut)
def get_system(request, system_id: int):
    _guard(request, "assessment.view_county")
    system = get_for_user(request.user, IndicatorSystem, system_id)
    indicators = scoped(request.user, Indicator).filter(system=system).order_by("order", "code")
    return {**SystemOut.from_orm(system).dict(), "indicators": list(indicators)}


@router.get("/rounds", response=list[RoundOut])
@paginate(ApiPagination)
def list_rounds(request):
    _guard(request, "assessment.view_county")
    return selectors.rounds(request.user)


@router.get("/rounds/{round_id}", response=RoundOut)
def get_round(request, round_id: int):
    _guard(request, "assessment.view_county")
    return get_for_user(request.user, Round, round_id)


@router.post("/rounds/{round_id}/compute", response=ComputeOut)
def compute_round(request, round_id: int):
    _guard(request, "assessment.manage")
    round_ = get_for_user(request.user, Round, round_id, write=True)
    return {"schools": services.compute_round(actor=request.user, round=round_)}


@router.get("/rounds/{round_id}/results", response=list[ResultOut])
@paginate(ApiPagination)
def round_results(request, round_id: int):
    _guard(request, "assessment.view_county")
    round_ = get_for_user(request.user, Round, round_id)
    return selectors.round_results(request.user, round_)


@router.get("/rounds/{round_id}/scores", response=list[ScoreOut])
@paginate(ApiPagination)
def round_scores(request, round_id: int):
    _guard(request, "assessment.view_county")
    round_ = get_for_user(request.user, Round, round_id)
    return scoped(request.user, Score).filter(round=round_).order_by("school_id", "indicator_id")


@router.post("/rounds/{round_id}/scores", response={201: ScoreOut})
def record_score(request, round_id: int, payload: ScoreIn):
    _guard(request, "assessment.score")
    round_ = get_for_user(request.user, Round, round_id)
    require(request.user, "assessment.score", round_.system.org.path)
    indicator = get_for_user(request.user, Indicator, payload.indicator_id)
    school = get_for_user(request.user, School, payload.school_id)
    score = services.record_score(
        actor=request.user,
        round=round_,
        indicator=indicator,
        school=school,
        points=payload.points,
        comment=payload.comment,
        evidence=payload.evidence,
    )
    return Status(201, score)


@router.get("/results", response=list[ResultOut])
@paginate(ApiPagination)
def list_results(request):
    """Results the caller may see: their own school's, or every school's for the county."""
    return selectors.my_results(request.user)


@router.get("/results/{result_id}", response=ResultDetailOut)
def get_result(request, result_id: int):
    result = selectors.result_for(request.user, result_id)
    return {
        **ResultOut.from_orm(result).dict(),
        "school_name": result.school.name,
        "lines": list(selectors.result_lines(request.user, result)),
        "county_average": selectors.round_summary(result.round).average,
    }


class StopOut(Schema):
    school_id: int
    school_name: str
    order: int
    arrive_at: dt.datetime | None


class VisitOut(Schema):
    id: int
    org_id: int
    title: str
    visit_on: dt.date
    ends_on: dt.date | None
    status: str
    system_id: int | None
    items: list[dict]
    stops: list[StopOut]
    groups: list[str]
    observers: int
    sheets: int


@router.get("/visits", response=list[VisitOut])
@paginate(ApiPagination)
def list_visits(request):
    """The observation events (观摩会) in the caller's scope, newest first, each with its route and its sheets."""
    _guard(request, "assessment.view_county")
    return selectors.visit_summaries(request.user)
