import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.assessment import selectors, services
from dangjian.assessment.models import Indicator, Kind, LineStatus, ResultLine
from dangjian.assignments import services as assignment_services
from dangjian.assignments.models import Status, Target
from dangjian.core import indicators
from dangjian.core.scoping import unscoped
from tests.assessment.builders import (
    OTHER_FORMULAS,
    TODAY,
    independent,
    result_of,
    score_all,
    scored,
    setup_round,
)
from tests.assignments.builders import county_assignment
from tests.factories import OrgFactory, SchoolFactory

MEASURED_A = {
    "meetings.compliance_rate": 0.8,
    "meetings.org_life_meeting_held": 1.0,
    "meetings.member_review_done": 0.0,
    "meetings.attendance_rate": 0.81,
    "learning.training_hours_rate": 0.75,
    "voice.reply_on_time_rate": 0.5,
    "voice.satisfaction_rate": 0.99,
    "leadership.decision_rules_rate": 0.5,
}
MEASURED_B = {
    "meetings.compliance_rate": 1.0,
    "meetings.org_life_meeting_held": 1.0,
    "meetings.member_review_done": 1.0,
    "meetings.attendance_rate": 0.45,
    "learning.training_hours_rate": 0.2,
    "voice.reply_on_time_rate": 1.0,
    "voice.satisfaction_rate": 0.6,
    "leadership.decision_rules_rate": 1.0,
}
SCORES_A = {"A6": 8, "B2": 9, "B3": 5.5, "C3": 4}


@pytest.fixture
def connected(fake_formulas, world):
    """Every formula of the template answers, from figures the test controls (the stand-in for records)."""
    figures = {}
    for name in OTHER_FORMULAS:
        figures[name] = fake_formulas(name, {world.school_a.pk: MEASURED_A[name], world.school_b.pk: MEASURED_B[name]})
    return figures


def test_totals_match_an_independent_calculation(world, connected):
    # B1 from real assignment records: A did its task on time, B never did.
    county_assignment(
        world,
        due_on=TODAY - dt.timedelta(days=10),
        statuses={world.branch_a.pk: (Status.DONE, TODAY - dt.timedelta(days=12))},
    )
    system, round_ = setup_round(world)
    score_all(world, system, round_, world.school_a, SCORES_A)
    services.compute_round(actor=world.county_admin, round=round_)

    a, b = result_of(round_, world.school_a), result_of(round_, world.school_b)
    total_a, max_a, score_a = independent({**MEASURED_A, "assignments.on_time_rate": 1.0}, SCORES_A)
    total_b, max_b, score_b = independent({**MEASURED_B, "assignments.on_time_rate": 0.0}, {})
    assert float(a.total) == pytest.approx(total_a) and float(a.max_total) == max_a == 100
    assert float(a.score) == pytest.approx(score_a)
    assert (
        float(b.total) == pytest.approx(total_b) and float(b.max_total) == max_b == 69
    )  # 31 points not yet scored (A6, B2, B3, C3)
    assert float(b.score) == pytest.approx(score_b)
    assert (a.rank, b.rank) == ((1, 2) if score_a > score_b else (2, 1))
    # Each line's points are the indicator's share, and the lines add up to the total.
    with unscoped("test"):
        lines = list(ResultLine.objects.filter(result=a))
    assert sum(line.points for line in lines if line.counted) == a.total
    assert all(line.evidence_url or line.status == LineStatus.SCORED for line in lines if line.counted)


def test_changing_a_record_changes_the_indicator_and_total_at_the_next_recompute(world, connected):
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    before = result_of(round_, world.school_a)
    # A "meeting record" changes: the school's compliance falls from 0.8 to 0.5.
    connected["meetings.compliance_rate"][world.school_a.pk] = 0.5
    # And a real record: the county's task, due soon, is reported done by school A.
    a = county_assignment(world, due_on=TODAY + dt.timedelta(days=5))
    with unscoped("test"):
        target = Target.objects.get(assignment=a, org=world.branch_a)
    assignment_services.report_progress(actor=world.secretary, target=target, text="完成", done=True)
    # Nothing moves until the next recompute.
    assert result_of(round_, world.school_a).total == before.total
    services.compute_round(actor=world.county_admin, round=round_)
    after = result_of(round_, world.school_a)
    with unscoped("test"):
        a1 = ResultLine.objects.get(result=after, indicator__code="A1")
        b1 = ResultLine.objects.get(result=after, indicator__code="B1")
    assert a1.value == 0.5 and a1.points == Decimal("7.50")
    assert b1.status == LineStatus.COMPUTED and b1.points == Decimal("10.00")
    assert after.total == before.total - Decimal("4.50") + Decimal("10.00")
    expected = independent({**MEASURED_A, "meetings.compliance_rate": 0.5, "assignments.on_time_rate": 1.0}, {})
    assert float(after.total) == pytest.approx(expected[0])
    assert float(after.max_total) == expected[1]


def test_an_unconnected_formula_is_shown_plainly_and_never_counted_as_a_loss(world, login, only_assignment_formulas):
    """Formulas that are not registered (meetings, learning and voice here): 未接入, no points, and left out of
    the maximum, so a school is not marked down for a module that is not there."""
    county_assignment(
        world,
        due_on=TODAY - dt.timedelta(days=10),
        statuses={world.branch_a.pk: (Status.DONE, TODAY - dt.timedelta(days=11))},
    )
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    a = result_of(round_, world.school_a)
    with unscoped("test"):
        lines = {line.indicator.code: line for line in ResultLine.objects.filter(result=a).select_related("indicator")}

    for code in ("A1", "A2", "A3", "A4", "A5", "C1", "C2"):
        formula = lines[code].indicator.formula
        if formula in indicators.registered():
            continue
        assert lines[code].status == LineStatus.NOT_CONNECTED and lines[code].points is None
    assert lines["B1"].points == Decimal("10.00")
    assert a.max_total == Decimal("10.00") and a.score == Decimal("100.00")  # never 0 counted as a loss
    page = login(world.secretary).get(reverse("assessment:result", args=[a.pk])).content.decode()
    assert "未接入" in page


def test_a_school_without_records_for_a_formula_has_no_data_not_zero(world, only_assignment_formulas):
    county_assignment(world, due_on=TODAY - dt.timedelta(days=10))
    with unscoped("test"):
        school_c = SchoolFactory(name="丙校", org=OrgFactory(name="丙校党支部", parent=world.county))
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    c = result_of(round_, school_c)
    with unscoped("test"):
        b1 = ResultLine.objects.get(result=c, indicator__code="B1")
    assert b1.status == LineStatus.NO_DATA and b1.points is None
    assert c.score is None and c.rank is None and c.grade == ""


def test_scores_are_bounded_and_need_a_comment(world):
    system, round_ = setup_round(world)
    ind = scored(system)[0]
    with pytest.raises(ValidationError, match="之间"):
        services.record_score(
            actor=world.assessor,
            round=round_,
            indicator=ind,
            school=world.school_a,
            points=ind.max_points + 1,
            comment="x",
        )
    with pytest.raises(ValidationError, match="评语"):
        services.record_score(
            actor=world.assessor, round=round_, indicator=ind, school=world.school_a, points=1, comment=" "
        )
    with unscoped("test"):
        derived = Indicator.objects.filter(system=system, kind=Kind.DERIVED).first()
    with pytest.raises(ValidationError):
        services.record_score(
            actor=world.assessor, round=round_, indicator=derived, school=world.school_a, points=1, comment="x"
        )


def test_assessor_scores_on_the_phone_form(world, login):
    system, round_ = setup_round(world)
    items = scored(system)
    data = {f"points_{i.pk}": "3" for i in items} | {f"comment_{i.pk}": "看了记录" for i in items}
    response = login(world.assessor).post(reverse("assessment:score", args=[round_.pk, world.school_a.pk]), data)
    assert response.status_code == 302
    with unscoped("test"):
        assert round_.scores.filter(school=world.school_a).count() == len(items)
    bad = {f"points_{items[0].pk}": "99", f"comment_{items[0].pk}": "x"}
    response = login(world.assessor).post(reverse("assessment:score", args=[round_.pk, world.school_a.pk]), bad)
    assert response.status_code == 400


def test_a_school_sees_its_result_and_the_average_and_others_only_when_published(world, login, connected):
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    a, b = result_of(round_, world.school_a), result_of(round_, world.school_b)
    secretary = login(world.secretary)
    page = secretary.get(reverse("assessment:result", args=[a.pk])).content.decode()
    summary = selectors.round_summary(round_)
    assert str(summary.average) in page
    assert "乙校" not in page and "未公布" in page
    assert secretary.get(reverse("assessment:result", args=[b.pk])).status_code == 404
    assert secretary.get(reverse("assessment:round", args=[round_.pk])).status_code == 403
    services.set_published(actor=world.county_admin, round=round_, published=True)
    page = secretary.get(reverse("assessment:result", args=[a.pk])).content.decode()
    assert "乙校" in page and "全县排名" in page
    assert secretary.get(reverse("assessment:result", args=[b.pk])).status_code == 404  # details stay the school's own


def test_gap_report_against_median_and_best_with_next_steps(world, login, connected):
    with unscoped("test"):
        school_c = SchoolFactory(name="丙校", org=OrgFactory(name="丙校党支部", parent=world.county))
    connected["meetings.compliance_rate"][school_c.pk] = 0.2
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    a = result_of(round_, world.school_a)
    rows, steps = selectors.gap_report(world.secretary, a)
    a1 = next(r for r in rows if r.line.indicator.code == "A1")
    # A1 points: A 12, B 15, C 3 → median 12, best 15.
    assert (a1.line.points, a1.stats.median, a1.stats.best) == (Decimal("12.00"), Decimal("12.00"), Decimal("15.00"))
    assert a1.to_median == 0 and a1.to_best == Decimal("-3.00")
    # Next steps come from where A lost the most: A3 (member review, 5 lost) first.
    assert next(s.line.indicator.code for s in steps) == "A3"
    assert all(s.lost > 0 for s in steps)
    page = login(world.secretary).get(reverse("assessment:gap", args=[a.pk])).content.decode()
    assert "下一步" in page and "/evidence/meetings.compliance_rate/" in page


def test_county_builds_the_year_system_in_the_ui(world, login):
    client = login(world.county_admin)
    response = client.post(reverse("assessment:system_new"), {"year": "2027", "template": "default"})
    assert response.status_code == 302
    with unscoped("test"):
        system = world.county.pk and Indicator.objects.filter(system__year=2027).first().system
        leaf = Indicator.objects.get(system=system, code="B2")
        group = Indicator.objects.get(system=system, code="B")
    client.post(reverse("assessment:indicator_edit", args=[leaf.pk]), {"name": leaf.name, "max_points": "12"})
    leaf.refresh_from_db()
    assert leaf.max_points == Decimal("12.00")
    client.post(
        reverse("assessment:indicator_add", args=[system.pk]),
        {"parent": group.pk, "name": "意识形态工作责任制", "kind": "scored", "max_points": "3"},
    )
    with unscoped("test"):
        added = Indicator.objects.get(system=system, name="意识形态工作责任制")
    assert added.parent == group and added.code == "B5"  # after B1–B4 of the template
    client.post(reverse("assessment:indicator_delete", args=[added.pk]))
    with unscoped("test"):
        assert not Indicator.objects.filter(pk=added.pk).exists()
    page = client.get(reverse("assessment:system", args=[system.pk])).content.decode()
    assert "满分合计 102" in page
    response = client.post(
        reverse("assessment:round_new", args=[system.pk]),
        {"name": "2027年上半年", "kind": "half_year", "start": "2027-01-01", "end": "2027-06-30"},
    )
    assert response.status_code == 302


def test_round_page_and_export_queries_do_not_grow(world, login, django_assert_max_num_queries):
    with unscoped("test"):
        for i in range(60):
            SchoolFactory(name=f"学校{i:02d}", org=OrgFactory(parent=world.county))
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    client = login(world.county_admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("assessment:round", args=[round_.pk]) + "?per_page=100").status_code == 200
    with django_assert_max_num_queries(11):  # +1: the subtree org ids of the scoping layer
        response = client.get(reverse("assessment:round_export", args=[round_.pk]))

    assert load_workbook(BytesIO(response.content)).active.max_row == 63  # header + 62 schools


def test_api_results_and_scores(world, api_client, connected):
    system, round_ = setup_round(world)
    ind = scored(system)[0]
    response = api_client(world.assessor).post(
        f"/api/v1/assessment/rounds/{round_.pk}/scores",
        data={"indicator_id": ind.pk, "school_id": world.school_a.pk, "points": 7, "comment": "依据会议记录"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert api_client(world.county_admin).post(f"/api/v1/assessment/rounds/{round_.pk}/compute").json() == {
        "schools": 2
    }
    mine = api_client(world.secretary).get("/api/v1/assessment/results").json()
    assert [item["school_name"] for item in mine["items"]] == ["甲校"]
    detail = api_client(world.secretary).get(f"/api/v1/assessment/results/{mine['items'][0]['id']}").json()
    assert {line["code"] for line in detail["lines"]} >= {"A1", "B1", "C3"}
    assert detail["county_average"] is not None


def test_result_page_queries_do_not_grow_with_a_published_ranking(world, login, django_assert_max_num_queries):
    with unscoped("test"):
        for i in range(60):
            SchoolFactory(name=f"学校{i:02d}", org=OrgFactory(parent=world.county))
    county_assignment(world, due_on=TODAY - dt.timedelta(days=3))
    _system, round_ = setup_round(world)
    services.compute_round(actor=world.county_admin, round=round_)
    services.set_published(actor=world.county_admin, round=round_, published=True)
    a = result_of(round_, world.school_a)
    client = login(world.secretary)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("assessment:result", args=[a.pk]) + "?per_page=100")
    assert page.content.decode().count("<tr") == 1 + 62  # header and every school
    with django_assert_max_num_queries(10):
        assert client.get(reverse("assessment:gap", args=[a.pk])).status_code == 200


def test_a_stale_indicator_form_is_refused(world, login):
    client = login(world.county_admin)
    client.post(reverse("assessment:system_new"), {"year": "2027", "template": "default"})
    with unscoped("test"):
        leaf = Indicator.objects.get(system__year=2027, code="B2")
    page = client.get(reverse("assessment:system", args=[leaf.system_id])).content.decode()
    form_start = page.index(reverse("assessment:indicator_edit", args=[leaf.pk]))
    opened = re.search(r'name="version" value="([0-9a-f]+)"', page[form_start:]).group(1)
    url = reverse("assessment:indicator_edit", args=[leaf.pk])
    client.post(url, {"name": leaf.name, "max_points": "12", "version": opened})
    # A second tab opened before that save still holds the old version: refused, the 12 points stay.
    response = client.post(url, {"name": "改名", "max_points": str(leaf.max_points), "version": opened}, follow=True)
    assert "已被他人修改" in response.content.decode()
    leaf.refresh_from_db()
    assert leaf.name != "改名" and leaf.max_points == Decimal("12.00")
