"""A month in which nothing was due yet (应开0项次) is no data, not 0 %: the heat map leaves the cell empty, the
table and the exports say 无数据, and the trend keeps the month with a gap rather than a zero or dropping it."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core import indicators
from dangjian.core.indicators import Measure
from dangjian.core.scoping import unscoped
from dangjian.insights import services
from dangjian.insights.models import MonthlyCompliance
from dangjian.meetings import compliance
from tests.insights.test_dashboard import chart_data

TODAY = timezone.localdate()


@pytest.fixture
def gaps(world):
    """meetings.compliance_rate as a stand-in: nothing was due anywhere in the first month of the span, nor at
    school B in the second; every other cell is 80 %."""
    span = services.months_ending(TODAY)
    empty_month, b_empty = span[0].start, span[1].start
    indicators.discover()
    saved = dict(indicators._registry)

    @indicators.formula("meetings.compliance_rate", label="测试：会议合规率")
    def measure(*, schools, start, end):
        return {
            s.pk: Measure(0.8, "应开5项次，按时完成4项次", f"/evidence/{s.pk}/")
            for s in schools
            if start != empty_month and not (start == b_empty and s.pk == world.school_b.pk)
        }

    services.refresh_compliance(actor=world.county_admin)
    yield span
    indicators._registry.clear()
    indicators._registry.update(saved)


def test_heat_map_and_table_show_no_data_not_zero(world, login, gaps):
    response = login(world.county_admin).get(reverse("insights:dashboard"))
    data = chart_data(response)
    schools = data["heat"]["schools"]  # 乙校, 甲校
    cells = {(x, y): v for x, y, v in data["heat"]["data"]}
    assert (0, 0) not in cells and (0, 1) not in cells and (1, schools.index("乙校")) not in cells
    assert cells[(1, schools.index("甲校"))] == 80.0
    assert 0 not in cells.values()
    page = response.content.decode()
    rows = {name: row for name, row in zip(schools, page.split("<tbody>", 1)[1].split("</tr>"), strict=False)}
    assert rows["甲校"].count("无数据") == 1 and rows["乙校"].count("无数据") == 2
    assert ">0%<" not in page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_trend_keeps_every_month_with_a_gap_for_no_data(world, login, gaps):
    data = chart_data(login(world.county_admin).get(reverse("insights:dashboard")))
    trend = data["compliance"]
    assert [month for month, _v in trend] == [m.key for m in gaps]
    assert trend[0][1] is None  # nothing due anywhere: a gap, not 0 %
    assert trend[1][1] == 80.0  # school A's month: B had nothing due and does not pull the mean down
    assert data["labels"]["no_data"] == "无数据"


def test_exports_say_no_data(world, login, gaps):
    client = login(world.county_admin)
    heat = list(
        load_workbook(BytesIO(client.get(reverse("insights:export", args=["heatmap"])).content)).active.iter_rows(
            values_only=True
        )
    )
    by_school = {row[0]: row[1:] for row in heat[1:]}
    assert by_school["乙校"][:2] == ("无数据", "无数据") and by_school["甲校"][:2] == ("无数据", 80)
    trend = list(
        load_workbook(BytesIO(client.get(reverse("insights:export", args=["trend"])).content)).active.iter_rows(
            values_only=True
        )
    )
    months = {label: value for label, value in trend[1:]}
    assert months[f"会议合规率 {gaps[0].key}"] == "无数据"


def test_school_page_shows_no_data(world, login, gaps):
    page = login(world.county_admin).get(reverse("insights:school", args=[world.school_b.pk])).content.decode()
    assert page.count("无数据") == 2


def test_months_before_any_compliance_cell_store_no_row(world):
    """The real formula: a month with no cell judged yet (here: the year before the cells begin) gets no row,
    so the dashboard reads it as no data."""
    compliance.refresh(years=[TODAY.year])
    services.refresh_compliance(actor=world.county_admin, today=dt.date(TODAY.year, 1, 31))
    with unscoped("test"):
        months = set(MonthlyCompliance.objects.values_list("month", flat=True))
        assert not MonthlyCompliance.objects.filter(detail__contains="应开0").exists()
    assert months <= {dt.date(TODAY.year, 1, 1)}
