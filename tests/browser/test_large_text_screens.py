"""大字模式 at 375 px on the demo county, for people to look at (docs/qa.md lists the screenshots): the public
site as a visitor switches it on, and three of secretary1's forms. Every page must fit the phone and keep the
mode from page to page."""

import pytest
from django.core.management import call_command

from tests.browser.test_every_page_on_a_phone import log_in
from tests.browser_support import OUTPUT, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = OUTPUT / "large-text"
PUBLIC = ["/publishing/", "/publishing/section/notice/", "/voice/public/", "/publishing/subscribe/"]
# Three forms a secretary fills in: a meeting record (attendance choices), a post, a concern's reply page.
SECRETARY_LINKS = {"meeting-record": "a[href$='/record/']", "concern": "a[href^='/voice/'][href$='/']"}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.className") == "large-text", name
    assert fits(page), name
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_large_text_screens_of_the_public_site_and_secretary_forms(live_server, browser):
    call_command("generate", "--profile", "county", "--seed", "1", "--today", "2026-11-25")
    base = live_server.url
    visitor = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN")
    page = visitor.new_page()
    page.goto(base + PUBLIC[0])
    page.click(".display-toggle")
    page.wait_for_function("document.documentElement.classList.contains('large-text')")
    for path in PUBLIC:
        page.goto(base + path)
        shoot(page, "public" + path.replace("/", "-").rstrip("-"))
    visitor.close()

    secretary = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN")
    page = secretary.new_page()
    log_in(page, base, "secretary1")
    with page.expect_response(lambda r: "/display/" in r.url):
        page.click(".display-toggle")
    page.goto(base + "/meetings/")
    page.locator(SECRETARY_LINKS["meeting-record"]).first.click()
    page.wait_for_load_state()
    shoot(page, "secretary-meeting-record")
    page.goto(base + "/publishing/manage/new/")
    page.wait_for_selector(".editor-area")
    shoot(page, "secretary-post-form")
    page.goto(base + "/voice/")
    page.locator("main ul.list a[href^='/voice/']").first.click()
    page.wait_for_load_state()
    shoot(page, "secretary-concern")
    secretary.close()
