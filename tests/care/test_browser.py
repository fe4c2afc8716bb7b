"""A care officer corrects a student's record on a phone (375 px): the page fits, nothing shows unmasked."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.browser_support import fits, screenshot
from tests.care.conftest import care_officer, make_student
from tests.conftest import build_world
from tests.factories import new_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_care_officer_edits_a_student_on_a_phone(live_server, phone, login):
    world = build_world()
    officer = care_officer(world, "care_a", world.branch_a)
    student = make_student(world, name="孙一鸣", id_number=new_id_number(dt.date(2013, 6, 20)))
    session = login(officer).cookies["sessionid"].value
    phone.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    phone.goto(live_server.url + reverse("care:student", args=[student.pk]))
    phone.click("text=修改信息")
    phone.wait_for_url(f"**/care/{student.pk}/edit/")
    assert "孙一鸣" not in phone.content()
    assert fits(phone)
    screenshot(phone, "care-student-edit-375")
    phone.fill("#id_grade", "六年级一班")
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**/care/{student.pk}/")
    assert "六年级一班" in phone.inner_text("main")
