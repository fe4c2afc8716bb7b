"""Who is behind: the lag view's order checked against an independent count over the records, the API contract,
the drill-down, the one-click 督办 and the monthly 通报."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dangjian.assignments.models import Assignment, Status, Supervision, Target
from dangjian.core import periods
from dangjian.core.scoping import unscoped
from dangjian.insights import lag
from dangjian.meetings.models import ComplianceCell
from dangjian.orgs.models import OrgKind, School
from dangjian.voice.models import Concern
from tests.factories import OrgFactory, SchoolFactory
from tests.insights.builders import chart_data

URL = "/api/v1/insights/lag"
MARCH = periods.containing("month", dt.date(2025, 3, 1))
MAY = periods.containing("month", dt.date(2025, 5, 1))


def aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def concern(school, *, answer_due: dt.date, answered: dt.date | None):
    return Concern.all_objects.create(
        school=school,
        org=school.org,
        category="teaching",
        submitter_kind="teacher",
        title=f"{school.name}的诉求",
        body="希望改进。",
        anonymous=True,
        submitted_at=aware(answer_due - dt.timedelta(days=7)),
        acknowledge_due=aware(answer_due - dt.timedelta(days=5)),
        answer_due=aware(answer_due),
        first_answered_at=aware(answered) if answered else None,
        status="answered" if answered else "submitted",
    )


def target(org, *, due_on: dt.date, status=Status.PENDING, county=None) -> Target:
    a = Assignment.objects.create(
        org=county, title=f"{org.name}任务{due_on}", body="内容", expected="总结", due_on=due_on
    )
    return Target.objects.create(assignment=a, org=org, status=status)


@pytest.fixture
def behind(world, cells):
    """Three schools with different records in March and May 2025. School C (丙校) has a 党小组 under its branch."""
    branch_c = OrgFactory(kind=OrgKind.BRANCH, name="丙校党支部", parent=world.county)
    group_c = OrgFactory(kind=OrgKind.GROUP, name="丙校第一党小组", parent=branch_c)
    school_c = SchoolFactory(name="丙校", org=branch_c)
    cells(world.branch_a, MARCH, met=1, overdue=2)  # A: 2 missed, 1/3 met
    cells(world.branch_b, MARCH, met=3)  # B: nothing missed
    cells(branch_c, MARCH, met=1)
    cells(group_c, MARCH, met=1, overdue=1)  # C: 1 missed (in its group), 2/3 met
    cells(world.branch_b, MAY, overdue=2)  # B in May: 2 missed
    with unscoped("test set-up"):
        target(world.branch_a, due_on=dt.date(2025, 3, 10), county=world.county)  # A: overdue
        target(world.branch_b, due_on=dt.date(2025, 3, 10), status=Status.DONE, county=world.county)
        target(group_c, due_on=dt.date(2025, 3, 20), county=world.county)  # C: overdue (in its group)
        target(world.branch_a, due_on=dt.date(2025, 2, 10), county=world.county)  # A in February
        concern(world.school_b, answer_due=dt.date(2025, 3, 15), answered=dt.date(2025, 3, 20))  # late
        concern(world.school_b, answer_due=dt.date(2025, 3, 16), answered=None)  # never answered
        concern(world.school_b, answer_due=dt.date(2025, 3, 17), answered=dt.date(2025, 3, 16))  # in time
        concern(school_c, answer_due=dt.date(2025, 3, 18), answered=None)  # C: late
        concern(world.school_a, answer_due=dt.date(2025, 6, 1), answered=None)  # A in June
    return school_c


def independent_order(period_start: dt.date, period_end: dt.date) -> list[tuple]:
    """The lag ranking counted directly from every record in Python, without the selectors: (name, due, met,
    missed, overdue assignments, overdue concerns) worst first."""
    today, now = timezone.localdate(), timezone.now()
    with unscoped("test: independent count"):
        schools = sorted(School.objects.select_related("org"), key=lambda s: (s.township, s.name))
        cells = list(ComplianceCell.objects.select_related("org"))
        targets = list(Target.objects.select_related("org", "assignment"))
        concerns = list(Concern.objects.all())
    rows = []
    for position, s in enumerate(schools):
        mine = [c for c in cells if c.org.path.startswith(s.org.path) and period_start <= c.period_end <= period_end]
        due, met = len(mine), sum(c.status == "met" for c in mine)
        missed = sum(c.status != "met" and c.period_end < today for c in mine)
        tasks = sum(
            t.org.path.startswith(s.org.path)
            and period_start <= t.assignment.due_on <= period_end
            and t.assignment.due_on < today
            and t.status != "done"
            for t in targets
        )
        late = sum(
            c.school_id == s.pk
            and period_start <= timezone.localtime(c.answer_due).date() <= period_end
            and (
                (c.first_answered_at is None and c.answer_due < now)
                or (c.first_answered_at is not None and c.first_answered_at > c.answer_due)
            )
            for c in concerns
        )
        rate = met / due if due else 1.0
        rows.append(((-(missed + tasks + late), rate, position), (s.name, due, met, missed, tasks, late)))
    return [figures for _key, figures in sorted(rows)]


def api_rows(client, period: str) -> list[tuple]:
    response = client.get(URL, {"period": period})
    assert response.status_code == 200, response.content
    return [
        (r["name"], r["due"], r["met"], r["missed"], r["overdue_assignments"], r["overdue_concerns"])
        for r in response.json()["items"]
    ]


SAMPLES = [
    ("2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    ("2025-Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
    ("2025-Q2", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
]


@pytest.mark.parametrize(("period", "start", "end"), SAMPLES)
def test_the_order_equals_an_independent_count_over_the_records(world, behind, api_client, period, start, end):
    expected = independent_order(start, end)
    assert api_rows(api_client(world.county_admin), period) == expected
    assert any(row[3] or row[4] or row[5] for row in expected)  # somebody is behind in every sample period


@pytest.mark.parametrize(("period", "start", "end"), [SAMPLES[0], SAMPLES[3]])
def test_the_order_is_the_same_when_the_cells_query_leaves_naming_the_orgs_to_scoping(
    world, behind, api_client, monkeypatch, period, start, end
):
    # A whole county names more orgs than OWN_ORGS_FILTER_LIMIT: then only the scoping layer bounds the query.
    monkeypatch.setattr(lag, "OWN_ORGS_FILTER_LIMIT", 0)
    assert api_rows(api_client(world.county_admin), period) == independent_order(start, end)


def test_march_in_words(world, behind, api_client, login):
    rows = api_rows(api_client(world.county_admin), "2025-03")
    # A and C are both 3 behind; A has met the smaller share (1/3 against 2/3), so A comes first. B is 2 behind.
    assert [r[0] for r in rows] == ["甲校", "丙校", "乙校"]
    assert (
        rows[0] == ("甲校", 3, 1, 2, 1, 0) and rows[1] == ("丙校", 3, 2, 1, 1, 1) and rows[2] == ("乙校", 3, 3, 0, 0, 2)
    )
    body = api_client(world.county_admin).get(URL, {"period": "2025-03"}).json()
    first = body["items"][0]
    assert body["period"] == "2025-03" and body["count"] == 3
    assert first["org_id"] == world.branch_a.pk and first["school_id"] == world.school_a.pk and first["lag"] == 3
    # The page lists them in the same order, each row drilling down to the records it counts.
    page = login(world.county_admin).get(reverse("insights:lag"), {"period": "2025-03"}).content.decode()
    assert page.index("甲校") < page.index("丙校") < page.index("乙校")
    assert reverse("meetings:compliance_org", args=[world.branch_a.pk]) in page
    school_url = reverse("insights:school", args=[world.school_a.pk])
    assert f"{school_url}?period=2025-03#overdue-targets" in page
    detail = login(world.county_admin).get(school_url, {"period": "2025-03"}).content.decode()
    with unscoped("test"):
        overdue = Target.objects.get(org=world.branch_a, assignment__due_on=dt.date(2025, 3, 10))
        late = Concern.objects.get(school=behind, answer_due__date=dt.date(2025, 3, 18))
    assert reverse("assignments:target", args=[overdue.pk]) in detail
    c_page = login(world.county_admin).get(reverse("insights:school", args=[behind.pk]), {"period": "2025-03"})
    assert reverse("voice:detail", args=[late.pk]) in c_page.content.decode()


def test_a_school_sees_only_itself(world, behind, api_client):
    assert [r[0] for r in api_rows(api_client(world.outsider), "2025-03")] == ["乙校"]


@pytest.mark.parametrize("bad", ["2025-13", "2025-Q5", "2025Q1", "25", "abc", "2025-3", "1899"])
def test_a_bad_period_is_refused_in_chinese(world, api_client, bad):
    response = api_client(world.county_admin).get(URL, {"period": bad})
    assert response.status_code == 422
    assert "统计期应为" in response.json()["detail"][0]


def test_the_page_says_so_for_a_bad_period(world, login):
    response = login(world.county_admin).get(reverse("insights:lag"), {"period": "2025-13"})
    assert response.status_code == 400 and "统计期应为" in response.content.decode()


def test_a_school_user_may_not_open_the_county_lag_page(world, login):
    assert login(world.secretary).get(reverse("insights:lag")).status_code == 403


def test_one_click_supervises_the_laggards_overdue_targets(world, behind, login):
    client = login(world.county_admin)
    response = client.post(reverse("insights:lag_supervise"), {"period": "2025-03", "note": "请月底前补齐。"})
    assert response.status_code == 302
    with unscoped("test"):
        supervised = {(s.target.org.name, s.note) for s in Supervision.objects.select_related("target__org")}
    # A's and C's overdue targets; B is behind only on concerns, and its March target is done.
    assert supervised == {("甲校党支部", "请月底前补齐。"), ("丙校第一党小组", "请月底前补齐。")}
    # An empty note changes nothing.
    client.post(reverse("insights:lag_supervise"), {"period": "2025-03", "note": " "})
    with unscoped("test"):
        assert Supervision.objects.count() == 2


def test_the_monthly_bulletin_comes_from_the_same_figures(world, behind, login):
    response = login(world.county_admin).get(reverse("insights:lag_pdf"), {"period": "2025-03"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2025年3月" in text and "通报" in text
    assert text.index("甲校") < text.index("丙校") < text.index("乙校")


def test_the_heat_map_is_sorted_by_lag_with_a_list_form(world, login, cells):
    last_month = periods.containing("month", timezone.localdate()).previous()
    cells(world.branch_a, last_month, met=1, overdue=2)
    cells(world.branch_b, last_month, met=3)
    client = login(world.county_admin)
    response = client.get(reverse("insights:dashboard"))
    assert chart_data(response)["heat"]["schools"] == ["甲校", "乙校"]  # 甲校 is 2 behind
    assert chart_data(response)["heat"]["lags"] == [2, 0]
    page = response.content.decode()
    assert 'class="heat-list list"' in page and "heat-scale" in page and "落后2项" in page
    county = client.get(reverse("insights:dashboard"), {"order": "county"})
    assert chart_data(county)["heat"]["schools"] == ["乙校", "甲校"]
