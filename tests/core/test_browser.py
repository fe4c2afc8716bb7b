"""Issue 17 item 1 on a phone (375 px): signing in lands each person on their work; the home page's grouped tiles
and the secretary's 记录会议 button fit."""

import pytest

from tests.browser_support import fits, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(phone, url, username):
    phone.goto(f"{url}/login/")
    phone.fill("input[name=username]", username)
    phone.fill("input[name=password]", "dangjian-test-pw")
    phone.click("button[type=submit]")


def test_a_secretary_lands_on_the_branch_and_records_in_one_tap(live_server, phone, world):
    sign_in(phone, live_server.url, "secretary")
    phone.wait_for_url("**/meetings/")
    assert fits(phone)
    phone.goto(f"{live_server.url}/")
    assert fits(phone)
    screenshot(phone, "home-secretary-375")
    phone.click("text=记录会议")
    phone.wait_for_url(f"**/meetings/orgs/{world.branch_a.pk}/record/")
    assert fits(phone)


def test_the_county_lands_on_who_is_behind_and_its_home_is_grouped(live_server, phone, world):
    sign_in(phone, live_server.url, "county_admin")
    phone.wait_for_url("**/insights/lag/")
    assert fits(phone)
    screenshot(phone, "landing-county-375")
    phone.goto(f"{live_server.url}/")
    assert phone.locator("h2.tile-group").all_inner_texts()[:2] == ["日常工作", "督查与统计"]
    assert fits(phone)
    screenshot(phone, "home-county-375")


def test_a_teacher_lands_on_my_page(live_server, phone, world):
    sign_in(phone, live_server.url, "teacher")
    phone.wait_for_url("**/me/")
    assert fits(phone)
    screenshot(phone, "me-teacher-375")
