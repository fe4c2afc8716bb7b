"""Orgs and people over JSON, scoped exactly as the pages are."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, scoped
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Org, Person

router = Router(tags=["orgs"])


class OrgOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    path: str
    is_joint: bool
    term_ends_on: dt.date | None


class WarningOut(Schema):
    code: str
    message: str


class OrgDetailOut(OrgOut):
    full_members: int
    probationary_members: int
    warnings: list[WarningOut]


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    id_number: str = Field(..., alias="id_number_masked", description="masked; reveal via the web page (audited)")
    phone: str = Field(..., alias="phone_masked")
    school_id: int | None
    org_id: int
    job: str
    title: str
    stage: str | None = None

    @staticmethod
    def resolve_stage(obj):
        membership = getattr(obj, "membership", None)
        return membership.stage if membership else None


class PersonPatch(Schema):
    name: str | None = None
    phone: str | None = None
    job: str | None = None
    title: str | None = None


@router.get("/orgs", response=list[OrgOut])
@paginate(ApiPagination)
def list_orgs(request, kind: str | None = None):
    qs = scoped(request.user, Org).order_by("path")
    return qs.filter(kind=kind) if kind else qs


@router.get("/orgs/{org_id}", response=OrgDetailOut)
def get_org(request, org_id: int):
    org = get_for_user(request.user, Org, org_id)
    summary = selectors.summaries(request.user, [org])[0]
    return {
        **OrgOut.from_orm(org).dict(),
        "full_members": summary.stats.full,
        "probationary_members": summary.stats.probationary,
        "warnings": [{"code": w.code, "message": w.message} for w in summary.warnings],
    }


@router.get("/people", response=list[PersonOut])
@paginate(ApiPagination)
def list_people(request, org_id: int | None = None, q: str = ""):
    if org_id is not None:
        org = get_for_user(request.user, Org, org_id)
        qs = selectors.roster(request.user, org)
    else:
        qs = scoped(request.user, Person).select_related("membership").order_by("org__path", "name")
    if q:
        qs = qs.filter(pk__in=selectors.search_people(request.user, q).values("pk"))
    return qs


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return get_for_user(request.user, Person, person_id)


@router.patch("/people/{person_id}", response=PersonOut)
def patch_person(request, person_id: int, payload: PersonPatch):
    person = get_for_user(request.user, Person, person_id, write=True)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    if not fields:
        raise ValidationError("没有要修改的字段。")
    return services.update_person(actor=request.user, person=person, **fields)
