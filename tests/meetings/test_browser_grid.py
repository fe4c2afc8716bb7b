"""Issue 17 item 2, in a real browser at 375 px: the compliance grid opens on the current month, and the kind
labels stay fixed while the months scroll sideways."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dangjian.meetings import compliance
from tests.browser_support import fits, screenshot
from tests.conftest import build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_compliance_grid_opens_on_this_month_with_labels_fixed(live_server, phone):
    world = build_world()
    compliance.refresh(years=[timezone.localdate().year])
    session = Client()
    session.force_login(world.users["secretary"], backend="django.contrib.auth.backends.ModelBackend")
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
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
