"""Care records over JSON: scoped and masked exactly as the pages are. The full name and ID number come only
from the reveal route, which is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangjian.care import notice, selectors, services
from dangjian.care.models import Round, Student
from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, has_capability, require

router = Router(tags=["care"])


class StudentOut(Schema):
    id: int
    school_id: int
    name: str = Field(..., alias="name_masked", description="masked; reveal via POST …/reveal (audited)")
    id_number: str = Field(..., alias="id_number_masked")
    grade: str


class StudentDetailOut(StudentOut):
    hardship_tier: str | None = None
    priority_group: str | None = None
    disability: str | None = None
    support_mode: str | None = None


class RevealedOut(Schema):
    name: str
    id_number: str
    guardian_phone: str
    address: str


class PairingOut(Schema):
    id: int
    student_id: int
    student_name: str
    member_id: int
    member_name: str
    started_on: dt.date

    @staticmethod
    def resolve_student_name(obj):
        return obj.student.name_masked

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class NoticeRowOut(Schema):
    name: str
    grade: str
    tier: str


class NoticeOut(Schema):
    title: str
    start: dt.date | None
    end: dt.date | None
    rows: list[NoticeRowOut]


def _student(request, student_id: int, *, capability: str | None = None) -> Student:
    """The student as the pages reach it; with `capability`, for a write that needs it over the student."""
    return get_for_user(
        request.user,
        Student,
        student_id,
        write=capability is not None,
        capability=capability,
        queryset=selectors.students(request.user, archived=None),
    )


@router.get("/students", response=list[StudentOut])
@paginate(ApiPagination)
def list_students(request, q: str = ""):
    services.record_search(actor=request.user, q=q)
    return selectors.students(request.user, q=q)


@router.get("/students/{student_id}", response=StudentDetailOut)
def get_student(request, student_id: int):
    student = _student(request, student_id)
    out = {
        "id": student.pk,
        "school_id": student.school_id,
        "name_masked": student.name_masked,
        "id_number_masked": student.id_number_masked,
        "grade": student.grade,
    }
    if has_capability(request.user, "care.view", student.scope_path()):  # the file itself: care officers only
        out.update(
            hardship_tier=student.hardship_tier,
            priority_group=student.priority_group,
            disability=student.disability,
            support_mode=student.support_mode,
        )
    return out


class StudentPatchIn(Schema):
    """The fields a care officer may correct (the same as the edit page); omitted fields stay as they are."""

    name: str | None = None
    id_number: str | None = None
    gender: str | None = None
    grade: str | None = None
    address: str | None = None
    guardian_phone: str | None = None
    household_income: Decimal | None = None
    priority_group: str | None = None
    disability: str | None = None
    disability_detail: str | None = None
    support_mode: str | None = None


@router.patch("/students/{student_id}", response=StudentDetailOut)
def update_student(request, student_id: int, payload: StudentPatchIn):
    student = _student(request, student_id, capability="care.manage")
    services.update_student(actor=request.user, student=student, **payload.dict(exclude_unset=True))
    return get_student(request, student_id)


@router.post("/students/{student_id}/reveal", response=RevealedOut)
def reveal_student(request, response: HttpResponse, student_id: int):
    add_never_cache_headers(response)  # the unmasked values must not stay in any cache
    student = _student(request, student_id, capability="care.reveal")
    return services.reveal_student(actor=request.user, student=student)


@router.get("/pairings", response=list[PairingOut])
@paginate(ApiPagination)
def list_pairings(request):
    return selectors.pairings(request.user)


@router.get("/rounds/{round_id}/notice", response=NoticeOut)
def round_notice(request, round_id: int):
    round_ = get_for_user(request.user, Round, round_id)
    require(request.user, "care.manage", round_)
    built = notice.build(round_)
    return {"title": built.title, "start": built.start, "end": built.end, "rows": [r.__dict__ for r in built.rows]}
