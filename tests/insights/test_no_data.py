"""A month in which nothing was due yet (应开0项次) is no data, not 0 %: the heat map leaves the cell empty, the
table and the exports say 无数据, and the trend keeps the month with a gap rather than a zero or dropping it."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core import periods
from dangjian.insights import selectors
from tests.factories import SchoolFactory
from tests.insights.builders import chart_data

TODAY = timezone.localdate()


@pytest.fixture
def gaps(world, cells):
    """Nothing fell due anywhere in the first month of the span, nor at school B in the second; every other month
    school A met 4 of 5 obligations and school B 1 of 1 (a mean of school rates would say 90 %, the share of
    obligations met says 5 of 6)."""
    span = periods.months_ending(TODAY, selectors.MONTHS)
    for i, month in enumerate(span[1:], start=1):
        cells(world.branch_a, month, met=4, overdue=1)
        if i > 1:
            cells(world.branch_b, month, met=1)
    return span


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


def test_heat_list_cells_are_coloured_by_share_met(world, login, gaps):
    page = login(world.county_admin).get(reverse("insights:dashboard")).content.decode()
    items = page.split('<ol class="heat-list', 1)[1].split("</ol>", 1)[0].split("<li>")[1:]
    by_school = {("甲校" if "甲校" in item else "乙校"): item for item in items}
    first, second = gaps[0].key, gaps[1].key
    assert f'<span class="heat-cell none" title="{first}">–</span>' in by_school["甲校"]
    assert f'<span class="heat-cell mid" title="{second}">80</span>' in by_school["甲校"]  # 4 of 5: from 60 %
    assert f'<span class="heat-cell none" title="{second}">–</span>' in by_school["乙校"]
    assert by_school["乙校"].count('class="heat-cell high"') == len(gaps) - 2  # 1 of 1: from 90 %


def test_trend_keeps_every_month_with_a_gap_for_no_data(world, login, gaps):
    data = chart_data(login(world.county_admin).get(reverse("insights:dashboard")))
    trend = data["compliance"]
    assert [month for month, _v in trend] == [m.key for m in gaps]
    assert trend[0][1] is None  # nothing due anywhere: a gap, not 0 %
    assert trend[1][1] == 80.0  # school A's month: B had nothing due and does not pull the share down
    assert trend[2][1] == round(100 * 5 / 6, 1)
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


def test_schools_sharing_one_organization_each_show_its_figure(world, login, cells):
    """A joint branch covers two schools: both rows carry the branch's figure."""
    SchoolFactory(name="丙校", org=world.branch_a)
    cells(world.branch_a, periods.months_ending(TODAY, selectors.MONTHS)[-1], met=1, due=1)
    data = chart_data(login(world.county_admin).get(reverse("insights:dashboard")))
    schools = data["heat"]["schools"]
    last = {y: v for x, y, v in data["heat"]["data"] if x == 11}
    assert last[schools.index("甲校")] == last[schools.index("丙校")] == 50.0
