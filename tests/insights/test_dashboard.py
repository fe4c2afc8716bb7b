import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.assignments.models import Status
from dangjian.core import periods
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.insights import selectors
from dangjian.meetings import compliance
from tests.assessment import builders
from tests.assignments.builders import county_assignment
from tests.factories import OrgFactory, SchoolFactory
from tests.insights.builders import chart_data
from tests.meetings.helpers import held

TODAY = timezone.localdate()


def computed_round(world):
    return builders.computed_round(world, start=TODAY - dt.timedelta(days=200), end=TODAY + dt.timedelta(days=10))


def test_empty_state_before_any_meeting_is_derived(world, login):
    page = login(world.county_admin).get(reverse("insights:dashboard")).content.decode()
    assert "还没有合规数据" in page


def test_heatmap_counts_the_cells_and_follows_a_recorded_meeting_at_once(world, login):
    compliance.refresh(years=[TODAY.year])  # every obligation of the year so far, as the nightly recount leaves it
    client = login(world.county_admin)
    url = reverse("insights:dashboard") + "?order=county"  # the county's own order (the default is worst first)
    data = chart_data(client.get(url))
    assert data["heat"]["schools"] == ["乙校", "甲校"]
    assert all(n is not None for n in data["heat"]["lags"])  # each school's lag, in this order too
    assert len(data["heat"]["months"]) == 12 and data["heat"]["months"][-1] == TODAY.strftime("%Y-%m")
    before = {(x, y): v for x, y, v in data["heat"]["data"]}[(11, 1)]
    # The branch records this month's 主题党日: the same dashboard (no job, no refresh) shows it.
    held(world, kind="theme_day", day=TODAY)
    month = periods.months_ending(TODAY, selectors.MONTHS)[-1]
    figure = selectors.figures(world.county_admin, [world.branch_a], [month])[0][0]
    after = {(x, y): v for x, y, v in chart_data(client.get(url))["heat"]["data"]}[(11, 1)]
    assert after > before and after == round(100 * figure.met / figure.due, 1)
    # Drill down: county → school (the heat map's link) → the branch's compliance records.
    school_url = data["heat"]["urls"][1]
    assert school_url == reverse("insights:school", args=[world.school_a.pk])
    school_page = login(world.secretary).get(school_url).content.decode()
    assert f"已完成{figure.met}项次" in school_page
    assert reverse("meetings:compliance_org", args=[world.branch_a.pk]) in school_page
    assert login(world.outsider).get(school_url).status_code == 404


def test_ranking_distribution_trend_and_overdue(world, login, only_assignment_formulas):
    county_assignment(
        world,
        due_on=TODAY - dt.timedelta(days=5),
        statuses={world.branch_b.pk: (Status.DONE, TODAY - dt.timedelta(days=6))},
    )
    round_ = computed_round(world)
    response = login(world.county_admin).get(reverse("insights:dashboard"))
    page = response.content.decode()
    data = chart_data(response)
    assert data["ranking"]["names"][0] == "乙校"  # on time: 100; school A: 0
    assert data["ranking"]["urls"][0].startswith("/assessment/results/")
    assert dict(data["grades"]) == {"好": 1, "较好": 0, "一般": 0, "差": 1}
    assert data["rounds"] == [[round_.name, 50.0]]
    assert "逾期未完成的任务（1）" in page and "甲校党支部" in page
    assert "vendor/echarts.min.js" in page and "js/insights-dashboard.js" in page


def test_echarts_is_loaded_only_on_the_dashboard(world, login):
    page = login(world.county_admin).get(reverse("assessment:home")).content.decode()
    assert "echarts" not in page


def test_dashboard_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    with unscoped("test"):
        for i in range(80):
            SchoolFactory(name=f"学校{i:02d}", org=OrgFactory(parent=world.county))
    for i in range(5):
        county_assignment(world, due_on=TODAY - dt.timedelta(days=i + 1), title=f"任务{i}")
    compliance.refresh(years=[TODAY.year])
    computed_round(world)
    client = login(world.county_admin)
    # 16, whatever the number of schools: the lag's four grouped ones (orgs, cells, targets, concerns), from whose
    # cells the heat map is drawn too, and the rest of the dashboard's.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("insights:dashboard") + "?per_page=100")
    assert len(chart_data(response)["heat"]["schools"]) == 82


@pytest.mark.parametrize("table", ["heatmap", "ranking", "overdue", "trend"])
def test_every_table_exports_to_excel(world, login, table):
    county_assignment(world, due_on=TODAY - dt.timedelta(days=5))
    compliance.refresh(years=[TODAY.year])
    computed_round(world)
    response = login(world.county_admin).get(reverse("insights:export", args=[table]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) >= 3  # a header and both schools (or both overdue targets, or round + months)
    names = {cell for row in rows for cell in row}
    if table != "trend":
        assert {"甲校", "甲校党支部"} & names


def test_dashboard_exports_to_pdf(world, login):
    compliance.refresh(years=[TODAY.year])
    computed_round(world)
    response = login(world.county_admin).get(reverse("insights:pdf"))
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "全县党建数据看板" in text and "甲校" in text
    with unscoped("test"):
        assert AuditEntry.objects.filter(action="export", model="insights.Dashboard").exists()


def test_dashboard_on_the_demo_county_shows_every_part_in_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    # Its speed is measured by `make bench` (BENCHMARKS.md), not here: a timed test fails on a busy machine.
    call_command("generate", profile="county", seed=1, stdout=StringIO())

    client = Client()
    client.force_login(
        get_user_model().objects.get(username="county"), backend="django.contrib.auth.backends.ModelBackend"
    )
    with django_assert_max_num_queries(16):  # as above
        response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    data = chart_data(response)
    assert data["heat"]["data"] and data["ranking"]["names"]
    assert any(value is not None for _month, value in data["compliance"])
