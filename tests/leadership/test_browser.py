"""A secretary on a phone (375 px): the school's leadership page, a meeting with its agenda, an item with its
decision; the county page. Nothing scrolls sideways."""

import pytest

from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.leadership.builders import leadership_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(phone, live_server, username: str, next_url: str) -> None:
    phone.goto(f"{live_server.url}/login/?next={next_url}")
    phone.fill("input[name=username]", username)
    phone.fill("input[name=password]", "dangjian-test-pw")
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**{next_url}")


def test_leadership_pages_on_a_phone(live_server, phone):
    world = build_world()
    found = leadership_a(world)
    school_url = f"/leadership/schools/{world.school_a.pk}/"
    _sign_in(phone, live_server, "secretary", school_url)
    assert "议事决策" in phone.inner_text("h1")
    phone.click("text=安排会议")
    assert fits(phone)
    screenshot(phone, "leadership-school-375")
    phone.goto(f"{live_server.url}{school_url}meetings/{found.meeting.pk}/")
    phone.click("text=列入议题")
    assert fits(phone)
    screenshot(phone, "leadership-meeting-375")
    phone.goto(f"{live_server.url}/leadership/items/{found.personnel.pk}/")
    assert fits(phone)
    screenshot(phone, "leadership-item-375")


def test_county_page_on_a_phone(live_server, phone):
    world = build_world()
    leadership_a(world)
    _sign_in(phone, live_server, "county_admin", "/leadership/county/")
    assert "议事决策落实情况" in phone.inner_text("h1")
    assert fits(phone)
    screenshot(phone, "leadership-county-375")
