"""A parent on a phone (375 px) raises a concern without logging in and follows it up with the receipt code."""

from pathlib import Path

import pytest

from dangjian.core.scoping import unscoped
from dangjian.voice import services
from dangjian.voice.models import Concern
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.factories import GrantFactory, PersonFactory
from tests.voice.conftest import make_concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path(__file__).resolve().parents[2] / "test-output"


def test_anonymous_concern_on_a_phone(live_server, phone):
    page = phone
    world = build_world()
    OUT.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/voice/public/")
    page.select_option("#id_school", str(world.school_a.pk))
    page.select_option("#id_submitter_kind", "parent")
    page.select_option("#id_category", "safety")
    page.fill("#id_title", "放学时校门口拥堵")
    page.fill("#id_body", "下午五点校门口车辆太多，孩子过马路很危险。")
    page.click("button[type=submit]")
    code = page.inner_text(".receipt").strip()
    assert len(code) == 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    page.screenshot(path=str(OUT / "voice-receipt-test.png"), full_page=True)

    with unscoped("test"):
        concern = Concern.objects.get(title="放学时校门口拥堵")
    services.reply(actor=world.secretary, concern=concern, text="已请交警在放学时段疏导。")

    page.goto(f"{live_server.url}/voice/public/follow/")
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    assert "已请交警在放学时段疏导" in page.content()
    page.check("input[name=rating][value=satisfied]")
    page.click("text=提交评价")
    assert "感谢您的评价" in page.content()
    concern.refresh_from_db()
    assert concern.rating == "satisfied"


def test_a_teacher_finds_their_school_preselected_on_a_phone(live_server, phone):

    world = build_world()
    phone.goto(f"{live_server.url}/login/?next=/voice/new/")
    phone.fill("input[name=username]", "teacher")
    phone.fill("input[name=password]", "dangjian-test-pw")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/voice/new/")
    assert phone.input_value("#id_school") == str(world.school_a.pk)
    assert fits(phone)
    screenshot(phone, "voice-submit-teacher-375")


def test_a_secretary_transfers_a_concern_to_the_ethics_officer_on_a_phone(live_server, phone):
    world = build_world()
    officer = GrantFactory(org=world.branch_a, role="ethics_officer").user
    PersonFactory(name="王专员", org=world.branch_a, school=world.school_a, user=officer)
    concern = make_concern(world, category="ethics", title="某老师收受家长礼品")
    phone.goto(f"{live_server.url}/login/?next=/voice/{concern.pk}/")
    phone.fill("input[name=username]", "secretary")
    phone.fill("input[name=password]", "dangjian-test-pw")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**/voice/{concern.pk}/")
    phone.select_option("#id_assignee", label="师德工作专员 王专员")
    assert fits(phone)
    screenshot(phone, "voice-transfer-officer-375")
    with phone.expect_navigation():
        phone.click("button:text-is('转办')")
    assert "已保存" in phone.content()
    concern.refresh_from_db()
    assert concern.assignee_id == officer.pk
