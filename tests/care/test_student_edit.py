"""Issue 17 item 9: a care student's record can be edited after registration (services.update_student), without
the page showing it unmasked, audited, and refused when someone else saved it meanwhile."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.care.models import Student
from dangjian.core.forms import version_of
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from tests.care.conftest import make_student
from tests.factories import new_id_number

pytestmark = pytest.mark.django_db
ID_NUMBER = new_id_number(dt.date(2013, 6, 20))


@pytest.fixture
def student(world, care):
    return make_student(world, name="孙一鸣", id_number=ID_NUMBER, guardian_phone="13812345678")


def form_data(student, **changes):
    data = {
        "gender": student.gender,
        "grade": student.grade,
        "priority_group": student.priority_group,
        "disability": student.disability,
        "disability_detail": student.disability_detail,
        "support_mode": student.support_mode,
        "version": version_of(student),
    }
    return {**data, **changes}


def reload(student) -> Student:
    with unscoped("test"):
        return Student.objects.get(pk=student.pk)


def test_the_edit_page_never_shows_the_record_unmasked(world, login, care, student):
    page = login(care["officer_a"]).get(reverse("care:student_edit", args=[student.pk])).content.decode()
    assert "孙一鸣" not in page and ID_NUMBER not in page and "13812345678" not in page
    assert student.id_number_masked in page


def test_an_officer_corrects_the_grade_and_keeps_the_identity(world, login, care, student):
    response = login(care["officer_a"]).post(
        reverse("care:student_edit", args=[student.pk]), form_data(student, grade="六年级一班")
    )
    assert response.status_code == 302
    saved = reload(student)
    assert saved.grade == "六年级一班"
    assert (saved.name, saved.id_number, saved.guardian_phone) == ("孙一鸣", ID_NUMBER, "13812345678")
    with unscoped("test"):
        entry = AuditEntry.objects.filter(action="update", object_id=str(student.pk)).get()
    assert set(entry.changes) == {"grade"}


def test_a_filled_identifying_field_replaces_it(world, login, care, student):
    login(care["officer_a"]).post(
        reverse("care:student_edit", args=[student.pk]), form_data(student, guardian_phone="13900001111")
    )
    assert reload(student).guardian_phone == "13900001111"


def test_a_stale_edit_is_refused(world, login, care, student):
    stale = form_data(student, grade="六年级一班")
    with unscoped("test"):
        Student.objects.filter(pk=student.pk).update(grade="五年级三班")
    response = login(care["officer_a"]).post(reverse("care:student_edit", args=[student.pk]), stale)
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    assert reload(student).grade == "五年级三班"


def test_a_paired_member_and_an_outsider_cannot_edit(world, login, care):
    url = reverse("care:student_edit", args=[care["paired"].pk])
    assert login(world.member).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
