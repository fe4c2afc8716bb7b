import pytest
from django.core.management import call_command

from tests.browser_support import screenshot

pytestmark = pytest.mark.browser


def login(page, base: str, username: str, password: str = "dangjian-demo") -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # Each person lands where their work is (core.homepage.landing); the walk starts from the home page.
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{base}/")


def test_secretary1_opens_the_roster_on_a_phone(transactional_db, live_server, phone):
    call_command("generate", "--profile", "county", "--seed", "1", "--today", "2026-11-25", "--only", "orgs")
    login(phone, live_server.url, "secretary1")
    phone.click("summary")  # the menu
    phone.click("text=我的组织")
    phone.wait_for_selector("#roster li")
    assert "示范县实验小学党支部" in phone.inner_text("h1")
    rows = phone.locator("#roster ul.list li").count()
    assert rows == 20  # the first page of the 60-person roster
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    screenshot(phone, "roster-375")
    # Search by pinyin initials narrows the list without a page load (htmx).
    phone.fill("input[name=q]", "zzzzzz")
    phone.wait_for_selector("#roster li.muted")
    assert "没有人员" in phone.inner_text("#roster")


PAGES = {
    "county": ["/", "/me/", "/orgs/county/", "/orgs/grants/", "/audit/"],
    "secretary1": ["/", "/me/", "/orgs/"],
}


def test_foundation_pages_fit_a_phone(transactional_db, live_server, phone):
    call_command("generate", "--profile", "county", "--seed", "1", "--today", "2026-11-25", "--only", "orgs")
    for username, paths in PAGES.items():
        phone.context.clear_cookies()
        login(phone, live_server.url, username)
        for path in paths:
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (username, path, width)
            screenshot(phone, f"{username}{path.replace('/', '-').rstrip('-')}")
        if username == "secretary1":
            phone.click("#roster ul.list li a >> nth=0")
            phone.wait_for_url("**/orgs/people/*/")
            phone.wait_for_load_state()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375
            screenshot(phone, "secretary1-person")
            phone.click(".actions >> text=账号与授权")
            phone.wait_for_url("**/access/")
            phone.wait_for_load_state()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375
            screenshot(phone, "secretary1-access")
