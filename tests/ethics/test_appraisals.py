"""The annual appraisal: self-assessment, survey inputs, the group's grade; below 合格 a written reason,
notice and the right to object; 不合格 vetoes the year's awards; the county sees only the distribution."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import LocalRule, Notification
from dangjian.core.scoping import unscoped
from dangjian.ethics import selectors, services
from dangjian.ethics.eligibility import add_months, eligible
from dangjian.ethics.models import EthicsAppraisal
from tests.ethics.factories import AppraisalFactory
from tests.factories import PersonFactory

TODAY = timezone.localdate


def _open(world, officers):
    services.open_appraisals(actor=officers["ethics_a"], org=world.branch_a, year_key="2025-2026")
    with unscoped("test"):
        return EthicsAppraisal.objects.get(person=world.people["teacher"], year_key="2025-2026")


def test_open_appraisals_once_per_teacher_and_year(world, officers):
    n = services.open_appraisals(actor=officers["ethics_a"], org=world.branch_a, year_key="2025-2026")
    assert n == 7  # school A's secretary, member, teacher, three more members and the ethics officer
    assert services.open_appraisals(actor=officers["ethics_a"], org=world.branch_a, year_key="2025-2026") == 0


def test_the_teacher_assesses_themselves_and_only_they_can(world, officers, login):
    appraisal = _open(world, officers)
    url = reverse("ethics:appraisal_action", kwargs={"pk": appraisal.pk, "action": "self"})
    assert login(officers["ethics_a"]).post(url, {"text": "代写"}).status_code == 403
    response = login(world.users["teacher"]).post(url, {"text": "对照十项准则，本人……", "concerns": ["4"]})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.self_concerns == [4]
    assert appraisal.self_submitted_at is not None


def test_grade_below_pass_needs_reason_and_notice_and_unqualified_vetoes_awards(world, officers):
    appraisal = _open(world, officers)
    officer, teacher = officers["ethics_a"], world.people["teacher"]
    with pytest.raises(ValidationError, match="须写明理由"):
        services.grade_appraisal(actor=officer, appraisal=appraisal, grade="unqualified", reasons=" ", on=TODAY())
    assert appraisal.status == "open" and appraisal.grade == ""
    graded_on = TODAY() - dt.timedelta(days=3)
    services.grade_appraisal(
        actor=officer, appraisal=appraisal, grade="unqualified", reasons="经查实有偿补课", on=graded_on
    )
    assert appraisal.notified_at is not None
    assert Notification.objects.filter(user=world.users["teacher"], url=f"/ethics/appraisals/{appraisal.pk}/").exists()
    award = eligible(teacher, on=TODAY(), purpose="award")
    assert not award.ok
    assert award.reasons[0].kind == "veto"
    assert award.eligible_from == add_months(graded_on, 12)
    assert eligible(teacher, on=TODAY(), purpose="title").ok  # default scope: awards only


def test_veto_scope_is_configurable(world, officers):
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="ethics/appraisal",
        key="veto.scope",
        value=["award", "title"],
        effective=dt.date(2020, 1, 1),
    )
    appraisal = _open(world, officers)
    services.grade_appraisal(
        actor=officers["ethics_a"], appraisal=appraisal, grade="unqualified", reasons="理由", on=TODAY()
    )
    assert not eligible(world.people["teacher"], on=TODAY(), purpose="title").ok
    assert eligible(world.people["teacher"], on=TODAY(), purpose="promotion").ok


def test_required_survey_inputs_are_configurable(world, officers):
    LocalRule.objects.create(
        org_path=world.branch_a.path,
        rule="ethics/appraisal",
        key="required_inputs",
        value=["peer", "parent"],
        effective=dt.date(2020, 1, 1),
    )
    appraisal = _open(world, officers)
    officer = officers["ethics_a"]
    with pytest.raises(ValidationError, match="同事评议、家长评议"):
        services.grade_appraisal(actor=officer, appraisal=appraisal, grade="excellent", reasons="", on=TODAY())
    services.record_input(actor=officer, appraisal=appraisal, source="peer", respondents=12, satisfied=12)
    with pytest.raises(ValidationError, match="满意人数不能超过"):
        services.record_input(actor=officer, appraisal=appraisal, source="parent", respondents=5, satisfied=6)
    services.record_input(actor=officer, appraisal=appraisal, source="parent", respondents=30, satisfied=29)
    services.grade_appraisal(actor=officer, appraisal=appraisal, grade="excellent", reasons="", on=TODAY())
    assert appraisal.grade == "excellent" and appraisal.notified_at is None


def test_objection_and_regrade_lift_the_veto(world, officers, login):
    appraisal = _open(world, officers)
    officer = officers["ethics_a"]
    services.grade_appraisal(actor=officer, appraisal=appraisal, grade="unqualified", reasons="理由", on=TODAY())
    me = login(world.users["teacher"])
    url = reverse("ethics:appraisal_action", kwargs={"pk": appraisal.pk, "action": "object"})
    assert me.post(url, {"on": TODAY(), "text": "事实有出入，附说明"}).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.status == "objected"
    services.answer_objection(actor=officer, appraisal=appraisal, reply="复核后改为基本合格", on=TODAY(), grade="basic")
    assert appraisal.status == "final" and appraisal.grade == "basic"
    assert eligible(world.people["teacher"], on=TODAY() + dt.timedelta(days=1), purpose="award").ok


def test_objection_only_in_time(world, officers):
    appraisal = _open(world, officers)
    services.grade_appraisal(actor=officers["ethics_a"], appraisal=appraisal, grade="basic", reasons="理由", on=TODAY())
    late = selectors.objection_due(appraisal) + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="超过提出异议的期限"):
        services.object_to_grade(actor=world.users["teacher"], appraisal=appraisal, text="异议", on=late)
    with unscoped("test"):
        passing = EthicsAppraisal.objects.get(person=world.people["member"], year_key="2025-2026")
    services.grade_appraisal(actor=officers["ethics_a"], appraisal=passing, grade="qualified", reasons="", on=TODAY())
    with pytest.raises(ValidationError, match="无需提出异议"):
        services.object_to_grade(actor=world.users["member"], appraisal=passing, text="异议", on=TODAY())


def test_teacher_sees_rates_not_comments_and_the_group_sees_comments(world, officers, login):
    appraisal = _open(world, officers)
    services.record_input(
        actor=officers["ethics_a"],
        appraisal=appraisal,
        source="student",
        respondents=40,
        satisfied=30,
        comments="某同学说：作业批改敷衍",
    )
    mine = login(world.users["teacher"]).get(reverse("ethics:appraisal", kwargs={"pk": appraisal.pk}))
    assert mine.status_code == 200
    assert "作业批改敷衍" not in mine.content.decode()
    assert "75%" in mine.content.decode()
    group = login(officers["ethics_a"]).get(reverse("ethics:appraisal", kwargs={"pk": appraisal.pk}))
    assert "作业批改敷衍" in group.content.decode()


def test_county_sees_the_distribution_not_comments(world, officers, login, api_client):
    officer = officers["ethics_a"]
    services.open_appraisals(actor=officer, org=world.branch_a, year_key="2025-2026")
    with unscoped("test"):
        rows = list(
            EthicsAppraisal.objects.filter(year_key="2025-2026").exclude(person__user=officer).select_related("person")
        )
    for i, appraisal in enumerate(rows):
        services.record_input(
            actor=officer, appraisal=appraisal, source="peer", respondents=10, satisfied=9, comments=f"同事原话{i}号"
        )
        grade, reasons = ("unqualified", "不合格的理由原文") if i == 0 else ("qualified", "")
        services.grade_appraisal(actor=officer, appraisal=appraisal, grade=grade, reasons=reasons, on=TODAY())
    county = world.users["county_admin"]
    page = login(county).get(reverse("ethics:distribution"), {"year": "2025-2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲校" in text
    assert "同事原话" not in text and "不合格的理由原文" not in text and rows[0].person.name not in text
    body = api_client(county).get("/api/v1/ethics/distribution", {"year": "2025-2026"}).json()
    assert body["totals"] == {"unqualified": 1, "qualified": len(rows) - 1, "pending": 1}  # the officer's own
    assert body["schools"] == [{"school": "甲校", "counts": body["totals"], "total": len(rows) + 1}]
    # and the county cannot open an appraisal itself
    assert login(county).get(reverse("ethics:appraisal", kwargs={"pk": rows[0].pk})).status_code == 404
    assert api_client(county).get(f"/api/v1/ethics/appraisals/{rows[0].pk}").status_code == 404


def test_appraisal_lists_do_not_grow_queries_with_rows(
    world, officers, login, api_client, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            AppraisalFactory(person=PersonFactory(school=world.school_a, org=world.branch_a))

    add(3)
    officer = login(officers["ethics_a"])
    with django_assert_max_num_queries(12) as few:
        assert officer.get(reverse("ethics:appraisals")).status_code == 200
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert officer.get(reverse("ethics:appraisals"), {"per_page": 40}).status_code == 200
    client = api_client(officers["ethics_a"])
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/ethics/appraisals", {"limit": 40}).json()
    assert body["count"] == 43
    county = login(world.users["county_admin"])
    with django_assert_max_num_queries(7):
        assert county.get(reverse("ethics:distribution"), {"year": "2025-2026"}).status_code == 200
