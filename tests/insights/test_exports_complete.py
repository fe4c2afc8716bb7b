"""Issue 17 item 8: every 导出Excel of the dashboard exports every row, not the page's 30 schools or the top 15."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.assessment.models import Result
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from tests.factories import OrgFactory, SchoolFactory
from tests.insights.test_dashboard import TODAY, computed_round

pytestmark = pytest.mark.django_db
SCHOOLS = 40  # more than a dashboard page (30) and more than the ranking shown (15)


@pytest.fixture
def county_of_40(world):
    with unscoped("test set-up"):
        for i in range(SCHOOLS - 2):
            SchoolFactory(name=f"学校{i:02d}", org=OrgFactory(parent=world.county))
    compliance.refresh(years=[TODAY.year])
    return computed_round(world)


def exported(client, table: str) -> list[tuple]:
    response = client.get(reverse("insights:export", args=[table]))
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_heat_map_exports_every_school(world, login, county_of_40):
    client = login(world.county_admin)
    page = client.get(reverse("insights:dashboard"))
    assert len(page.context["board"].heat.rows) == 30  # the page shows one page of schools…
    rows = exported(client, "heatmap")
    assert len(rows) == 1 + SCHOOLS  # …the export has them all, under one header
    assert len({row[0] for row in rows[1:]}) == SCHOOLS


def test_the_ranking_exports_every_ranked_school(world, login, county_of_40):
    client = login(world.county_admin)
    with unscoped("test"):
        ranked = Result.objects.filter(round=county_of_40, score__isnull=False).count()
    assert ranked > 15
    assert len(client.get(reverse("insights:dashboard")).context["board"].top) == 15
    assert len(exported(client, "ranking")) == 1 + ranked
