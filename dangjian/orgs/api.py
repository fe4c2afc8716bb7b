"""Orgs and people over JSON, scoped exactly as the pages are."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import translation
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.refusals import refusals_are_422
from dangjian.api.schemas import ValidationErrors
from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, require, scoped
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Gender, Grant, LeaveReason, Org, OrgKind, Person, School, SchoolStage

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
    is_active: bool
    left_on: dt.date | None
    left_reason: str

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


@router.post("/orgs", response={201: OrgOut, 422: ValidationErrors})
@refusals_are_422
def create_org(request, payload: OrgIn):
    """Set up an organization under `parent_id` (the nesting allowed is in orgs/rules/tree.yaml)."""
    parent = get_for_user(request.user, Org, payload.parent_id)
    org = services.create_org(actor=request.user, kind=payload.kind, name=payload.name, parent=parent)
    return Status(201, org)


@router.patch("/orgs/{org_id}", response={200: OrgOut, 422: ValidationErrors})
@refusals_are_422
def patch_org(request, org_id: int, payload: OrgPatch):
    """Rename and/or move an organization (its whole subtree moves with it)."""
    org = get_for_user(request.user, Org, org_id)
    parent = get_for_user(request.user, Org, payload.parent_id) if payload.parent_id is not None else None
    org = services.edit_org(actor=request.user, org=org, name=payload.name, parent=parent)
    return Status(200, org)


@router.post("/orgs/{org_id}/dissolve", response={200: OrgOut, 422: ValidationErrors})
@refusals_are_422
def dissolve_org(request, org_id: int, payload: DissolveIn):
    """Mark an organization dissolved; its records stay readable."""
    org = get_for_user(request.user, Org, org_id)
    org = services.dissolve_org(actor=request.user, org=org, on=payload.on)
    return Status(200, org)


@router.post("/schools", response={201: SchoolOut, 422: ValidationErrors})
@refusals_are_422
def create_school(request, payload: SchoolIn):
    """A school under the Party organization responsible for it (`org_id`)."""
    org = get_for_user(request.user, Org, payload.org_id)
    fields = payload.dict(exclude={"org_id"})
    school = services.create_school(actor=request.user, org=org, **fields)
    return Status(201, school)


class PersonIn(Schema):
    org_id: int
    name: str
    id_number: str
    gender: Gender | None = Field(None, description="M or F; read from the ID number when left out")
    birth_date: dt.date | None = Field(None, description="read from the ID number when left out")
    phone: str = ""
    school_id: int | None = None
    job: str = ""
    title: str = ""


@router.post("/people", response={201: PersonOut, 422: ValidationErrors})
@refusals_are_422
def create_person(request, payload: PersonIn):
    """Add a person to an org the caller manages. A bad ID number (or any other invalid field) answers 422
    with the Chinese reasons."""
    org = get_for_user(request.user, Org, payload.org_id)
    require(request.user, "orgs.manage", org)
    fields = payload.dict(exclude={"org_id", "school_id"}, exclude_none=True)
    if payload.school_id is not None:
        fields["school"] = get_for_user(request.user, School, payload.school_id)
    person = services.create_person(actor=request.user, org=org, **fields)
    return Status(201, person)


class PersonLeaveIn(Schema):
    on: dt.date
    reason: str = Field(..., description="调离, 退休, 离职 or 去世 (or transferred, retired, resigned, deceased)")


def _leave_reason(text: str) -> str:
    with translation.override("zh-hans"):
        by_label = {str(label): value for value, label in LeaveReason.choices}
    return by_label.get(text.strip(), text.strip())


@router.post("/people/{person_id}/leave", response={200: PersonOut, 422: ValidationErrors})
@refusals_are_422
def leave(request, person_id: int, payload: PersonLeaveIn):
    """Mark the person as left: their login is deactivated and every grant and API token revoked at once;
    their records stay."""
    person = get_for_user(request.user, Person, person_id, write=True)
    services.mark_left(actor=request.user, person=person, on=payload.on, reason=_leave_reason(payload.reason))
    return Status(200, person)


@router.post("/people/{person_id}/reactivate", response={200: PersonOut, 422: ValidationErrors})
@refusals_are_422
def reactivate(request, person_id: int):
    """Undo a leave: the login works again; grants are not restored."""
    person = get_for_user(request.user, Person, person_id, write=True)
    services.reactivate(actor=request.user, person=person)
    return Status(200, person)


class GrantIn(Schema):
    person_id: int
    org_id: int
    role: str
    expires_on: dt.date | None = None


class GrantOut(Schema):
    id: int
    org_id: int
    role: str
    role_label: str
    expires_on: dt.date | None
    granted_at: dt.datetime


class NewGrantOut(GrantOut):
    person_id: int
    username: str
    one_time_password: str | None = Field(None, description="only when this grant opened the login; shown once")


@router.post("/grants", response={201: NewGrantOut, 422: ValidationErrors})
@refusals_are_422
def create_grant(request, payload: GrantIn, response: HttpResponse):
    """Grant a role to a person at their org or one above it. A person without a login gets one: the answer
    then carries its username and one-time password (this answer only; never cached). A role the caller may
    not grant there answers 403."""
    person = get_for_user(request.user, Person, payload.person_id)
    require(request.user, "orgs.manage_grants", person)
    org = get_for_user(request.user, Org, payload.org_id)
    grant, password = services.grant_to_person(
        actor=request.user, person=person, org=org, role=payload.role, expires_on=payload.expires_on
    )
    response["Cache-Control"] = "no-store"
    return Status(
        201,
        {
            **GrantOut.from_orm(grant).dict(),
            "person_id": person.pk,
            "username": person.user.get_username(),
            "one_time_password": password,
        },
    )


@router.get("/people/{person_id}/grants", response=list[GrantOut])
def person_grants(request, person_id: int):
    """The person's live grants the caller may see."""
    person = get_for_user(request.user, Person, person_id)
    require(request.user, "orgs.manage_grants", person)
    return selectors.live_grants(request.user, person)


@router.delete("/grants/{grant_id}", response={204: None})
def revoke_grant(request, grant_id: int):
    grant = get_for_user(request.user, Grant, grant_id, write=True)
    services.revoke_grant(actor=request.user, grant=grant)
    return Status(204, None)
