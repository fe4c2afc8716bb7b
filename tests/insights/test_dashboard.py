import datetime as dt
import json
import re
import statistics
import time
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.assignments.models import Status
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.insights import services
from dangjian.insights.models import MonthlyCompliance
from tests.assessment import builders
from tests.assignments.builders import county_assignment
from tests.factories import OrgFactory, SchoolFactory

TODAY = timezone.localdate()


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def computed_round(world):
    return builders.computed_round(world, start=TODAY - dt.timedelta(days=200), end=TODAY + dt.timedelta(days=10))


def test_empty_state_when_meeting_compliance_is_not_connected(world, login, monkeypatch):
    from dangjian.core import indicators

    indicators.discover()
    monkeypatch.delitem(indicators._registry, "meetings.compliance_rate", raising=False)
    page = login(world.county_admin).get(reverse("insights:dashboard")).content.decode()
    assert "三会一课数据未接入" in page
    assert services.refresh_compliance(actor=world.county_admin) == 0


def test_heatmap_reads_the_registered_formula_after_refresh(
    world, login, fake_compliance, django_capture_on_commit_callbacks, settings
):
    # Run jobs in-process whichever settings module the suite runs under (`make test` exports dangjian.settings).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = login(world.county_admin)
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert client.post(reverse("insights:refresh")).status_code == 302
    assert len(jobs) == 1  # the refresh runs as a background job once the request has committed
    with unscoped("test"):
        assert MonthlyCompliance.objects.count() == 2 * 12
        assert AuditEntry.objects.filter(action="refresh").exists()
    data = chart_data(client.get(reverse("insights:dashboard")))
    assert data["heat"]["schools"] == ["乙校", "甲校"]
    assert len(data["heat"]["months"]) == 12 and data["heat"]["months"][-1] == TODAY.strftime("%Y-%m")
    value = next(v for x, y, v in data["heat"]["data"] if y == 1 and x == 11)
    assert value == pytest.approx(fake_compliance(world.school_a.pk, TODAY.replace(day=1)) * 100)
    # Drill down: county → school (the heat map's link) → record (the evidence behind a cell).
    school_url = data["heat"]["urls"][1]
    assert school_url == reverse("insights:school", args=[world.school_a.pk])
    school_page = login(world.secretary).get(school_url).content.decode()
    assert f"/evidence/meetings/{world.school_a.pk}/" in school_page
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


def test_dashboard_queries_do_not_grow_with_rows(world, login, fake_compliance, django_assert_max_num_queries):
    with unscoped("test"):
        for i in range(80):
            SchoolFactory(name=f"学校{i:02d}", org=OrgFactory(parent=world.county))
    for i in range(5):
        county_assignment(world, due_on=TODAY - dt.timedelta(days=i + 1), title=f"任务{i}")
    services.refresh_compliance(actor=world.county_admin)
    computed_round(world)
    client = login(world.county_admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("insights:dashboard") + "?per_page=100")
    assert len(chart_data(response)["heat"]["schools"]) == 82


@pytest.mark.parametrize("table", ["heatmap", "ranking", "overdue", "trend"])
def test_every_table_exports_to_excel(world, login, fake_compliance, table):
    county_assignment(world, due_on=TODAY - dt.timedelta(days=5))
    services.refresh_compliance(actor=world.county_admin)
    computed_round(world)
    response = login(world.county_admin).get(reverse("insights:export", args=[table]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) >= 3  # a header and both schools (or both overdue targets, or round + months)
    names = {cell for row in rows for cell in row}
    if table != "trend":
        assert {"甲校", "甲校党支部"} & names


def test_dashboard_exports_to_pdf(world, login, fake_compliance):
    services.refresh_compliance(actor=world.county_admin)
    computed_round(world)
    response = login(world.county_admin).get(reverse("insights:pdf"))
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "全县党建数据看板" in text and "甲校" in text
    with unscoped("test"):
        assert AuditEntry.objects.filter(action="export", model="insights.Dashboard").exists()


def test_dashboard_is_under_300_ms_of_server_time_on_the_demo_county(db, fake_compliance, capsys):
    call_command("generate", profile="county", seed=1, stdout=StringIO())
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(
        get_user_model().objects.get(username="county"), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse("insights:dashboard")
    assert client.get(url).status_code == 200  # warm: templates and translations loaded once per process
    timings = []
    for _ in range(9):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    data = chart_data(response)
    assert data["heat"]["data"] and data["ranking"]["names"]
    # The machine is shared (CI runs two workers, neighbours run theirs): the fastest of nine requests is the
    # server time with the least noise from other processes; the median is printed for the record.
    best, median = min(timings), statistics.median(timings)
    with capsys.disabled():
        print(f"\ndashboard on the demo county: best {best:.0f} ms, median {median:.0f} ms over 9 requests")
    assert best < 300
