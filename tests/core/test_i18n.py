"""English for a signed-in user who switched language: the layout, every app's navigation, the 我的 page,
login and error pages, the orgs pages."""

import re
from html import unescape

import pytest
from django.urls import reverse

CJK = re.compile(r"[\u3400-\u9fff]")


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    assert response.status_code == 302
    return client


def _nav_labels(html: str) -> list[str]:
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", "", a)) for a in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


@pytest.mark.parametrize("persona", ["county_admin", "secretary", "member", "teacher", "assessor"])
def test_every_navigation_label_is_english_after_switching(world, login, persona):
    client = login(getattr(world, persona))
    chinese = client.get(reverse("core:me")).content.decode()
    assert "我的" in _nav_labels(chinese)  # Chinese by default
    html = _english(client).get(reverse("core:me")).content.decode()
    labels = _nav_labels(html)
    assert labels and "Mine" in labels and "Home" in labels
    assert [label for label in labels if CJK.search(label)] == []
    assert '<html lang="en">' in html and "Log out" in html and "Change password" in html


def test_the_county_admin_sees_every_app_in_english(world, login):
    html = _english(login(world.county_admin)).get(reverse("core:me")).content.decode()
    labels = set(_nav_labels(html))
    assert {"Meetings", "Ledgers", "Learning", "Ten standards", "Assignments", "Dashboard", "Audit log"} <= labels
    assert {"Schools & organizations", "Accounts & grants", "Work updates", "Public site"} <= labels


def test_orgs_pages_and_the_mine_page_in_english(world, login):
    client = _english(login(world.secretary))
    detail = client.get(reverse("orgs:detail", args=[world.branch_a.pk])).content.decode()
    assert "Export to Excel" in detail and "导出 Excel" not in detail
    mine = client.get(reverse("core:me")).content.decode()
    assert "Language" in mine and "Upcoming meetings" in mine
    back = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/me/"}, follow=True)
    assert "退出登录" in back.content.decode()


def test_login_and_error_pages_in_english(world, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("core:login")).content.decode()
    assert "Log in" in page and "Username" in page
    failed = client.post(reverse("core:login"), {"username": "nobody", "password": "x"}).content.decode()
    assert "Incorrect username or password" in failed


def test_error_pages_in_english(world, login):
    client = _english(login(world.member))
    missing = client.get(reverse("orgs:detail", args=[999999]))
    assert missing.status_code == 404 and "Not found" in missing.content.decode()
    foreign = client.get(reverse("orgs:detail", args=[world.branch_b.pk]))
    assert foreign.status_code == 404 and "没有找到" not in foreign.content.decode()
    forbidden = client.get(reverse("orgs:county"))
    assert forbidden.status_code == 403 and "Not allowed" in forbidden.content.decode()


def test_a_browser_set_to_english_still_gets_chinese_until_the_user_chooses(world, login):
    client = login(world.member)
    page = client.get(reverse("core:me"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "退出登录" in page and "Log out" not in page
    page = _english(client).get(reverse("core:me"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Log out" in page
