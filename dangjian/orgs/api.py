"""Orgs and people over JSON, scoped exactly as the pages are."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from dangjian.api.schemas import Error
from dangjian.core.scoping import get_for_user, scoped
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Org, OrgKind, Person, SchoolStage

router = Router(tags=["orgs"])


class OrgOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    path: str
    is_joint: bool
    term_ends_on: dt.date | None
    dissolved_on: dt.date | None


class OrgIn(Schema):
    parent_id: int
    name: str = Field(..., min_length=1, max_length=100)
    kind: OrgKind


class OrgPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100, description="rename")
    parent_id: int | None = Field(None, description="move under this org, with the whole subtree")


class DissolveIn(Schema):
    on: dt.date | None = Field(None, description="the day of dissolution; default today")


class SchoolIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    stage: SchoolStage
    org_id: int = Field(..., description="the Party organization responsible for the school")
    township: str = Field("", max_length=50)
    code: str = Field("", max_length=20)
    student_count: int = Field(0, ge=0)
    staff_count: int = Field(0, ge=0)


class SchoolOut(Schema):
    id: int
    name: str
    stage: str
    org_id: int
    township: str
    code: str
    student_count: int
    staff_count: int


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
    birth_date: dt.date | None = Field(None, description="only for those who may reveal the person's ID number")
    birth_year: int | None = None
    id_number: str = Field(..., alias="id_number_masked", description="masked; reveal via the web page (audited)")
    phone: str = Field(..., alias="phone_masked")
    school_id: int | None
    org_id: int
    job: str
    title: str
    stage: str | None = None

    @staticmethod
    def resolve_birth_date(obj, context):
        return obj.birth_date if selectors.can_reveal(context["request"].user, obj) else None

    @staticmethod
    def resolve_birth_year(obj):
        return obj.birth_date.year if obj.birth_date else None

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
@paginate(LimitOffsetPagination)
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
@paginate(LimitOffsetPagination)
def list_people(request, org_id: int | None = None, q: str = ""):
    if org_id is not None:
        org = get_for_user(request.user, Org, org_id)
        qs = selectors.roster(request.user, org)
    else:
        qs = scoped(request.user, Person).select_related("membership", "org").order_by("org__path", "name")
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


# --- the tree: orgs.services checks the nesting rules and who may change what ---------------------


def _unprocessable(exc: ValidationError) -> Status:
    return Status(422, {"detail": "；".join(exc.messages)})


@router.post("/orgs", response={201: OrgOut, 422: Error})
def create_org(request, payload: OrgIn):
    """Set up an organization under `parent_id` (the nesting allowed is in orgs/rules/tree.yaml)."""
    parent = get_for_user(request.user, Org, payload.parent_id)
    try:
        org = services.create_org(actor=request.user, kind=payload.kind, name=payload.name, parent=parent)
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(201, org)


@router.patch("/orgs/{org_id}", response={200: OrgOut, 422: Error})
def patch_org(request, org_id: int, payload: OrgPatch):
    """Rename and/or move an organization (its whole subtree moves with it)."""
    org = get_for_user(request.user, Org, org_id)
    parent = get_for_user(request.user, Org, payload.parent_id) if payload.parent_id is not None else None
    try:
        org = services.edit_org(actor=request.user, org=org, name=payload.name, parent=parent)
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(200, org)


@router.post("/orgs/{org_id}/dissolve", response={200: OrgOut, 422: Error})
def dissolve_org(request, org_id: int, payload: DissolveIn):
    """Mark an organization dissolved; its records stay readable."""
    org = get_for_user(request.user, Org, org_id)
    try:
        org = services.dissolve_org(actor=request.user, org=org, on=payload.on)
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(200, org)


@router.post("/schools", response={201: SchoolOut, 422: Error})
def create_school(request, payload: SchoolIn):
    """A school under the Party organization responsible for it (`org_id`)."""
    org = get_for_user(request.user, Org, payload.org_id)
    fields = payload.dict(exclude={"org_id"})
    try:
        school = services.create_school(actor=request.user, org=org, **fields)
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(201, school)
