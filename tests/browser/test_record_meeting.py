"""Done-means of issue 3, in a real browser at 375 px: secretary1 records a committee meeting with 12
attendees and one member on leave in at most 6 inputs beyond the defaults; the month's compliance turns
from due to met, and the branch's ledger PDF includes the meeting."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings.models import ComplianceCell, Meeting, Presence
from tests.conftest import build_world
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.helpers import committee

OUT = Path(settings.BASE_DIR) / "test-output"


def month_cell(org):
    today = timezone.localdate()
    with unscoped("test"):
        return ComplianceCell.objects.get(
            org=org, kind="committee_meeting", period_start__lte=today, period_end__gte=today
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_records_committee_meeting_on_a_phone(live_server, browser):
    OUT.mkdir(exist_ok=True)
    world = build_world()
    branch = world.branch_a
    for i in range(8):  # 13 members in all
        MembershipFactory(person=PersonFactory(name=f"党员{i + 1}号", org=branch, school=world.school_a))
    committee(world, 5)
    compliance.refresh(years=[timezone.localdate().year])  # the nightly job has run
    assert month_cell(branch).status == "due"

    session = Client()
    session.force_login(world.users["secretary"], backend="django.contrib.auth.backends.ModelBackend")
    on_leave = world.people["member"]
    inputs = 0
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/meetings/")
    page.screenshot(path=OUT / "meetings-1-due.png", full_page=True)
    page.locator("a[href$='record/?kind=committee_meeting']").first.click()  # “记录” next to the due 支委会
    page.wait_for_selector("form.record-form")

    page.select_option("select[name=roster]", "members")  # 1: 支委扩大会议, all members expected
    inputs += 1
    expect(page.locator("#attendance-rows li.att-row")).to_have_count(13)
    page.fill("input[name=topic]", "研究本月发展党员和主题党日安排")  # 2
    inputs += 1
    page.locator(f"label.att-choice:has(input[name=st_{on_leave.pk}][value=leave])").click()  # 3
    inputs += 1
    page.fill(f"input[name=rs_{on_leave.pk}]", "外出培训")  # 4
    inputs += 1
    page.fill("textarea[name=minutes]", "会议研究了本月发展党员工作和主题党日安排。")  # 5
    inputs += 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    page.screenshot(path=OUT / "meetings-2-record.png", full_page=True)
    page.click("form.record-form button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    page.screenshot(path=OUT / "meetings-3-detail.png", full_page=True)
    assert "实到12人 / 应到13人" in page.content()

    page.goto(f"{live_server.url}/meetings/compliance/{branch.pk}/")
    page.screenshot(path=OUT / "meetings-4-compliance.png", full_page=True)

    page.goto(f"{live_server.url}/ledgers/orgs/{branch.pk}/")
    page.click("form[action$='generate/'] button[type=submit]")
    page.wait_for_selector("a[href$='/pdf/']")
    pdf_url = page.locator("a[href$='/pdf/']").first.get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{pdf_url}").body()
    page.screenshot(path=OUT / "meetings-5-ledger.png", full_page=True)

    assert inputs <= 6
    with unscoped("test"):
        meeting = Meeting.objects.get(topic="研究本月发展党员和主题党日安排")
        rows = list(meeting.attendances.all())
    assert meeting.kind == "committee_meeting" and meeting.status == "held"
    assert len(rows) == 13 and sum(r.attended for r in rows) == 12
    leave = [r for r in rows if r.status == Presence.LEAVE]
    assert [(r.person_id, r.reason) for r in leave] == [(on_leave.pk, "外出培训")]
    assert month_cell(branch).status == "met"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The branch reads the ledger: a leave reason stays with the secretary and the member (issue 17).
    assert "研究本月发展党员和主题党日安排" in text and "外出培训" not in text
