"""Issue 17 items 2 and 3, in a real browser at 375 px: the compliance grid opens on the current month with the
kind labels fixed; the secretary decides a leave request on the meeting page; the county's 代录 form."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dangjian.meetings import compliance, services
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.meetings.helpers import plan


def sign_in(page, live_server, user):
    session = Client()
    session.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_compliance_grid_opens_on_this_month_with_labels_fixed(live_server, phone):
    world = build_world()
    compliance.refresh(years=[timezone.localdate().year])
    sign_in(phone, live_server, world.users["secretary"])
    phone.goto(f"{live_server.url}/meetings/compliance/{world.branch_a.pk}/")
    phone.wait_for_load_state("load")
    screenshot(phone, "meetings-compliance-grid-375")
    assert fits(phone)
    geometry = phone.evaluate(
        """() => {
        const wrap = document.querySelector('table.compliance').closest('.table-wrap').getBoundingClientRect();
        const now = document.querySelector('table.compliance th[data-current]').getBoundingClientRect();
        const label = document.querySelector('table.compliance tbody th').getBoundingClientRect();
        const scrolled = document.querySelector('table.compliance').closest('.table-wrap').scrollLeft;
        return {wrapLeft: wrap.left, wrapRight: wrap.right, nowLeft: now.left, nowRight: now.right,
                labelLeft: label.left, labelRight: label.right, scrolled};
    }"""
    )
    # The current month is in view, right of the label column, whatever month the suite runs in.
    assert geometry["labelRight"] <= geometry["nowLeft"] + 1 and geometry["nowRight"] <= geometry["wrapRight"] + 1
    # The label column stays at the left edge of the scrolled table.
    assert abs(geometry["labelLeft"] - geometry["wrapLeft"]) <= 2
    if timezone.localdate().month >= 6:  # late in the year the grid must have scrolled to get there
        assert geometry["scrolled"] > 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leave_decision_and_on_behalf_form_on_a_phone(live_server, phone):
    world = build_world()
    meeting = plan(world, kind="theme_day")
    services.request_leave(actor=world.users["member"], meeting=meeting, reason="带学生参加比赛")
    sign_in(phone, live_server, world.users["secretary"])
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    screenshot(phone, "meetings-leave-request-375")
    assert fits(phone)
    phone.get_by_role("button", name="批准", exact=True).click()
    phone.wait_for_load_state("load")
    assert "已批准请假" in phone.content() and "请假已准假" in phone.content()

    sign_in(phone, live_server, world.users["county_admin"])
    phone.goto(f"{live_server.url}/meetings/orgs/{world.branch_a.pk}/record-on-behalf/")
    screenshot(phone, "meetings-record-on-behalf-375")
    assert fits(phone) and "代录原因" in phone.content()
