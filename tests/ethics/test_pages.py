import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dangjian.core import rules
from dangjian.ethics.views import next_steps
from tests.ethics.factories import CaseFactory


def test_ten_standards_show_only_checked_text(world, login):
    items = rules.rule_values("ethics", "standards")["items"]
    assert [s["number"] for s in items] == list(range(1, 11))
    # Items 8-10 could be checked by title only: no paraphrased red line stands in for the official wording.
    assert [s["number"] for s in items if not s["confirmed"]] == [8, 9, 10]
    assert all(s["red_line"] and s["text"] for s in items if s["confirmed"])
    assert not any(s["red_line"] or s["text"] for s in items if not s["confirmed"])
    page = login(world.users["teacher"]).get(reverse("ethics:index")).content.decode()
    assert "不得歧视、侮辱学生，严禁虐待、伤害学生" in page and "10. 规范从教行为" in page
    assert "教师〔2018〕16号" in page


def test_sanction_periods_are_rule_data():
    values = rules.rule_values("ethics", "sanctions")
    months = {k: v["months"] for k, v in values["kinds"].items()}
    assert months["warning"] == 6 and months["demerit"] == 12
    assert months["demotion"] == months["removal"] == 24
    assert values["disqualification_min_months"] == 24
    assert set(values["hearing_kinds"]) == {"demotion", "removal", "dismissal"}


def test_next_steps_by_role_and_deadline(world):
    today = timezone.localdate()
    case = CaseFactory.build(
        person=world.people["teacher"], status="notified", notified_on=today, hearing_right=True, reported_on=today
    )
    assert next_steps(case, handler=False, subject=True) == ["statement", "hearing_request"]
    assert next_steps(case, handler=True, subject=False) == [
        "statement",
        "waive",
        "hearing_request",
        "evidence",
    ]
    assert next_steps(case, handler=False, subject=False) == []
    case.status, case.decided_on = "decided", today - dt.timedelta(days=10)
    assert next_steps(case, handler=False, subject=True) == ["appeal"]
    case.decided_on = today - dt.timedelta(days=40)  # the 30 days to appeal are over
    assert next_steps(case, handler=False, subject=True) == []


def test_open_the_years_appraisals_from_the_page(world, officers, login):
    client = login(officers["ethics_a"])
    url = reverse("ethics:appraisal_open", kwargs={"org_pk": world.branch_a.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"year_key": "2025-2026"}).status_code == 302
    page = client.get(reverse("ethics:appraisals"), {"year": "2025-2026"}).content.decode()
    assert world.people["teacher"].name in page
    assert login(officers["ethics_b"]).get(url).status_code == 404
