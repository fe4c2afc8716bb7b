"""A member takes a timed contest on a 375 px screen, in Debian's chromium."""

from pathlib import Path

import pytest

from dangjian.learning.models import Attempt
from tests.conftest import build_world
from tests.learning.helpers import make_bank, make_contest

OUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.mark.browser
def test_a_member_takes_a_timed_contest_on_a_phone(transactional_db, live_server, browser):
    world = build_world()
    world.member.set_password("browser-pw")
    world.member.save()
    contest = make_contest(world.county, make_bank(world.county), time_limit_minutes=15)
    OUT.mkdir(exist_ok=True)
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "browser-pw")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/learning/contests/{contest.pk}/")
    page.click("form[action$='start/'] button")
    assert "剩余时间" in page.inner_text("#timer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for fieldset in page.query_selector_all("fieldset.question"):
        first = fieldset.query_selector("input")
        if first.get_attribute("type") == "text":
            first.fill("服务")
        else:
            first.check()
    page.screenshot(path=str(OUT / "learning-attempt.png"), full_page=False)
    page.click("button.primary.wide")
    assert "得分" in page.inner_text("h2")
    page.screenshot(path=str(OUT / "learning-attempt-graded.png"), full_page=True)
    attempt = Attempt.all_objects.get(contest=contest)
    assert attempt.submitted_at is not None and attempt.score is not None
