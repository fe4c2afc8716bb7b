"""Day one of a real county, from an empty database, through the pages only (docs/operations.md, "Setting up a new
county"): bootstrap, the administrator's first sign-in, the set-up import of 30 schools, a county-wide roster, six
officers granted with one-time passwords, and each of them signing in, choosing a password and reaching their work.
The only command is `bootstrap`; the test reads the database just to learn the ids the pages link to."""

import datetime as dt
import io
import os
import re
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dangjian.core.scoping import unscoped
from dangjian.orgs import idnumber
from dangjian.orgs.models import Org, Person, School
from tests.factories import SETUP_HEADERS, county_rows, xlsx_upload

ROSTER_HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "手机号",
    "学校",
    "所属党组织",
    "岗位",
    "职称",
    "政治面貌",
    "递交申请日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "接收预备党员日期",
    "转正日期",
    "党小组",
]

# Who is granted what, where ("county": the root org, the county-level posts of the checklist; "branch": the
# school's 党支部), and the page each then opens.
OFFICERS = {
    "王书记": ("secretary", "branch", "meetings:index"),
    "李关爱": ("care_officer", "county", "care:students"),
    "赵师德": ("ethics_officer", "county", "ethics:cases"),
    "钱纪检": ("discipline_officer", "county", "ethics:cases"),
    "孙宣传": ("publicity", "county", "publishing:manage"),
    "周考核": ("assessor", "county", "assessment:home"),
}
SCHOOL, BRANCH = "第1小学", "第1小学党支部"


def one_time_password(html: str) -> str:
    found = re.search(r"初始密码：</?[^>]*>?\s*<strong><code>([^<]+)</code>", html) or re.search(
        r"<code>([^<]+)</code>", html
    )
    assert found, "the one-time password is shown once on the page"
    return found.group(1)


def sign_in_and_choose_a_password(username: str, password: str, new: str) -> Client:
    client = Client()
    assert client.post(reverse("core:login"), {"username": username, "password": password}).status_code == 302
    # Until the one-time password is replaced, every page leads to the password page.
    assert client.get(reverse("core:me")).url == reverse("core:password")
    changed = client.post(
        reverse("core:password"), {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    return client


def roster_rows() -> list[dict]:
    rows = []
    for i, name in enumerate([*OFFICERS, "吴党员", "郑老师"]):
        birth = dt.date(1975, 3, 1) + dt.timedelta(days=400 * i)
        row = {"姓名": name, "身份证号": idnumber.make("410105", birth, i + 1), "学校": SCHOOL, "岗位": "教师"}
        if name != "郑老师":  # a teacher who is not a member: no 所属党组织, placed at the school by the import
            row |= {"所属党组织": BRANCH, "政治面貌": "正式党员", "转正日期": "2005-07-01"}
        rows.append(row)
    return rows


def test_a_county_goes_from_an_empty_database_to_staffed_officers_on_the_pages(db):
    with unscoped("test: empty"):
        assert not Org.objects.exists()
    out = io.StringIO()
    with mock.patch.dict(os.environ):
        os.environ.pop("BOOTSTRAP_PASSWORD", None)
        call_command("bootstrap", "--name", "测试县", "--admin", "day1admin", stdout=out)
    printed = out.getvalue()
    assert reverse("orgs:setup") in printed and reverse("core:login") in printed
    otp = next(line for line in printed.splitlines() if line.startswith("One-time password")).rsplit(": ", 1)[1]

    # 1. The administrator signs in, replaces the one-time password and lands on the set-up checklist.
    admin = sign_in_and_choose_a_password("day1admin", otp, "Ce-shi-xian-2026")
    assert admin.get(reverse("core:home")).url == reverse("orgs:setup")
    template = admin.get(reverse("orgs:setup_template"))
    assert template.status_code == 200
    imported = admin.post(reverse("orgs:setup_import"), {"file": xlsx_upload(county_rows(30), SETUP_HEADERS)})
    assert imported.status_code == 302, imported.content.decode()[:2000]
    with unscoped("test: counts"):
        assert School.objects.count() == 30
        root = Org.objects.get(parent=None)
        branch = Org.objects.get(name=BRANCH)
    checklist = admin.get(reverse("orgs:setup")).content.decode()
    assert "已建学校30所" in checklist and "个党支部还没有党员" in checklist
    assert "以下岗位还没有人担任" in checklist

    # 2. A county-wide roster fills the school.
    roster = admin.post(
        reverse("orgs:roster_import", args=[root.pk]), {"file": xlsx_upload(roster_rows(), ROSTER_HEADERS)}
    )
    assert roster.status_code == 302, roster.content.decode()[:2000]
    with unscoped("test: ids"):
        people = {p.name: p for p in Person.objects.filter(school__name=SCHOOL)}
    assert len(people) == len(OFFICERS) + 2
    assert people["郑老师"].org == branch  # the non-member belongs to the school's organization
    assert "郑老师" in admin.get(reverse("orgs:detail", args=[branch.pk])).content.decode()

    # 3. Six officers are granted their roles; each grant opens a login and shows its one-time password once.
    passwords = {}
    for name, (role, where, _page) in OFFICERS.items():
        org = root if where == "county" else branch
        page = admin.post(
            reverse("orgs:person_access", args=[people[name].pk]), {"role": role, "org": org.pk, "expires_on": ""}
        )
        assert page.status_code == 200 and page["Cache-Control"] == "no-store", name
        passwords[name] = one_time_password(page.content.decode())
    for name in OFFICERS:
        people[name].refresh_from_db()
        assert people[name].user and people[name].user.must_change_password

    # 4. Each signs in, chooses a password and reaches the page of their work.
    for name, (role, _where, page_name) in OFFICERS.items():
        client = sign_in_and_choose_a_password(people[name].user.username, passwords[name], f"Xin-{role}-2026!")
        page = client.get(reverse(page_name))
        assert page.status_code == 200, (name, role, page_name, page.status_code)
        assert client.get(reverse("core:me")).status_code == 200

    # The checklist no longer misses the county's officers.
    assert "县级岗位均已有人担任" in admin.get(reverse("orgs:setup")).content.decode()
