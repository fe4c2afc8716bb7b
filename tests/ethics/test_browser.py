"""The teacher's view of their own case, in a real browser at 375 px: readable, no sideways scrolling, and
the statement form works."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.ethics import services
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.factories import GrantFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path("test-output")


def test_teacher_answers_a_notice_on_a_phone(live_server, browser):

    world = build_world()
    officer = UserFactory(username="ethics_a")
    GrantFactory(user=officer, org=world.branch_a, role="ethics_officer")
    today = timezone.localdate()
    case = services.report_case(
        actor=officer, person=world.people["teacher"], source="complaint", summary="反映有偿补课", reported_on=today
    )
    services.start_investigation(actor=officer, case=case, on=today)
    services.add_evidence(actor=officer, case=case, description="谈话记录", on=today)
    services.notify_teacher(actor=officer, case=case, on=today, findings="组织有偿补课2次", proposed="warning")
    teacher = world.users["teacher"]
    teacher.set_password("pw-for-browser-1")
    teacher.save()

    OUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "pw-for-browser-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/me/")
    page.click(f"a[href='/ethics/cases/{case.pk}/']")
    assert "组织有偿补课2次" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(OUT / "ethics-teacher-case.png"), full_page=True)
    page.fill("#step-statement textarea", "情况属实，已退还费用。")
    page.fill("#step-statement input[type=date]", (today - dt.timedelta(days=0)).isoformat())
    page.click("#step-statement button[type=submit]")
    assert "已陈述申辩" in page.content()
    case.refresh_from_db()
    assert case.status == "heard" and case.statement == "情况属实，已退还费用。"


def test_the_ten_standards_on_a_phone_show_no_draft_note(live_server, phone, login):
    world = build_world()
    client = login(world.teacher)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone.goto(live_server.url + reverse("ethics:index"))
    text = phone.inner_text("main")
    assert "1. 坚定政治方向" in text and "10. 规范从教行为" in text
    assert "待核对" not in text
    assert fits(phone)
    screenshot(phone, "ethics-standards-375")
