"""Nobody outside the handling roles can find a case: not by page, API, search, the audit log or exports.
Handling roles: the school's ethics officer and the county's discipline officer; and the teacher concerned,
once given notice."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.ethics import services
from tests.factories import PersonFactory

SUMMARY = "机密线索：组织有偿补课"
SUBJECT_NAME = "案件当事人丁某"


@pytest.fixture
def case(world, officers):
    subject = PersonFactory(name=SUBJECT_NAME, school=world.school_a, org=world.branch_a)
    officer = officers["ethics_a"]
    today = timezone.localdate()
    case = services.report_case(
        actor=officer, person=subject, source="complaint", summary=SUMMARY, reported_on=today - dt.timedelta(days=9)
    )
    services.start_investigation(actor=officer, case=case, on=today - dt.timedelta(days=8))
    services.add_evidence(actor=officer, case=case, description="证据：收费记录", on=today - dt.timedelta(days=7))
    services.notify_teacher(
        actor=officer, case=case, on=today - dt.timedelta(days=6), findings="属实", proposed="warning"
    )
    services.waive_statement(actor=officer, case=case, on=today - dt.timedelta(days=1), reason="本人书面放弃")
    services.decide(actor=officer, case=case, on=today, decision="warning", reason="依规给予警告")
    # the officers look at it, so the audit log has reads to find too
    return case


OUTSIDERS = ["secretary", "member", "teacher", "assessor", "county_admin", "outsider", "ethics_b"]


def _user(world, officers, name):
    return officers[name] if name in officers else world.users[name]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_pages_do_not_reveal_the_case(case, world, officers, login, who):
    client = login(_user(world, officers, who))
    assert client.get(reverse("ethics:case", kwargs={"pk": case.pk})).status_code == 404
    for step in ("decide", "statement", "appeal"):
        response = client.post(reverse("ethics:case_step", kwargs={"pk": case.pk, "step": step}), {})
        assert response.status_code == 404
    listing = client.get(reverse("ethics:cases"), {"q": "dmsh"})  # even searching by pinyin initials
    text = client.get(reverse("ethics:cases")).content.decode() + listing.content.decode()
    assert SUBJECT_NAME not in text and SUMMARY not in text
    me = client.get(reverse("core:me")).content.decode()
    assert SUMMARY not in me and f"/ethics/cases/{case.pk}/" not in me


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_api_does_not_reveal_the_case(case, world, officers, api_client, who):
    client = api_client(_user(world, officers, who))
    assert client.get(f"/api/v1/ethics/cases/{case.pk}").status_code == 404
    listing = client.get("/api/v1/ethics/cases", {"q": SUBJECT_NAME})
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert client.get("/api/v1/ethics/cases").json()["count"] == 0
    response = client.post(
        f"/api/v1/ethics/cases/{case.pk}/steps/appeal", data={"text": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_audit_log_and_exports_do_not_reveal_the_case(case, world, officers, login):
    county = login(world.users["county_admin"])
    login(officers["discipline"]).get(reverse("ethics:case", kwargs={"pk": case.pk}))
    for params in ({}, {"model": "ethics"}, {"q": str(case.pk)}, {"action": "decide"}, {"action": "read"}):
        text = county.get(reverse("core:audit"), params).content.decode()
        assert "MisconductCase" not in text and "师德案件" not in text, params
    # the roster export of school A, by those who may export it
    for who in ("county_admin", "secretary"):
        response = login(world.users[who]).get(reverse("orgs:roster_export", kwargs={"pk": world.branch_a.pk}))
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None)
        assert SUBJECT_NAME in cells  # the person is on the roster …
        assert SUMMARY not in cells and "警告" not in cells  # … the case is not


def test_award_lists_show_ineligibility_but_not_the_case(case, world, officers, login):
    secretary = login(world.users["secretary"])
    text = secretary.get(reverse("ethics:eligibility"), {"purpose": "award", "q": SUBJECT_NAME}).content.decode()
    assert SUBJECT_NAME in text and "不符合条件" in text
    assert "警告" not in text and SUMMARY not in text
    officer = login(officers["ethics_a"])
    text = officer.get(reverse("ethics:eligibility"), {"purpose": "award", "q": SUBJECT_NAME}).content.decode()
    assert "警告" in text


@pytest.mark.parametrize("who", ["ethics_a", "discipline"])
def test_handlers_find_the_case(case, world, officers, login, api_client, who):
    user = officers[who]
    page = login(user).get(reverse("ethics:case", kwargs={"pk": case.pk}))
    assert page.status_code == 200 and SUMMARY in page.content.decode()
    assert SUBJECT_NAME in login(user).get(reverse("ethics:cases"), {"q": "丁"}).content.decode()
    assert api_client(user).get("/api/v1/ethics/cases").json()["count"] == 1


def test_the_teacher_concerned_sees_their_case_only_after_notice(world, officers, login, api_client):
    officer = officers["ethics_a"]
    today = timezone.localdate()
    case = services.report_case(
        actor=officer, person=world.people["member"], source="report", summary=SUMMARY, reported_on=today
    )
    me = login(world.users["member"])
    assert me.get(reverse("ethics:case", kwargs={"pk": case.pk})).status_code == 404
    assert api_client(world.users["member"]).get("/api/v1/ethics/cases").json()["count"] == 0
    services.start_investigation(actor=officer, case=case, on=today)
    services.add_evidence(actor=officer, case=case, description="材料", on=today)
    services.notify_teacher(actor=officer, case=case, on=today, findings="属实", proposed="criticism")
    assert me.get(reverse("ethics:case", kwargs={"pk": case.pk})).status_code == 200
    assert f"/ethics/cases/{case.pk}/" in me.get(reverse("core:me")).content.decode()
    assert api_client(world.users["member"]).get("/api/v1/ethics/cases").json()["count"] == 1


def test_case_lists_do_not_grow_queries_with_rows(world, officers, login, api_client, django_assert_max_num_queries):
    officer = officers["ethics_a"]
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            person = PersonFactory(name=f"案件教师{i}", school=world.school_a, org=world.branch_a)
            services.report_case(actor=officer, person=person, source="report", summary="x", reported_on=today)

    add(2)
    client = login(officer)
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("ethics:cases")).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("ethics:cases"), {"per_page": 30}).status_code == 200
    api = api_client(officer)
    with django_assert_max_num_queries(
        8
    ):  # token, grants, subtree org ids, count, page, the logged read (slice + insert)
        assert api.get("/api/v1/ethics/cases", {"limit": 2}).json()["count"] == 32
    with django_assert_max_num_queries(7):
        assert api.get("/api/v1/ethics/cases", {"limit": 30}).json()["count"] == 32
    secretary = login(world.users["secretary"])
    with django_assert_max_num_queries(8):
        assert secretary.get(reverse("ethics:eligibility"), {"per_page": 5}).status_code == 200
    with django_assert_max_num_queries(8):
        assert secretary.get(reverse("ethics:eligibility"), {"per_page": 40}).status_code == 200
