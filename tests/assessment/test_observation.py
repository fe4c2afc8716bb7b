import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.assessment import selectors, services
from dangjian.assessment.models import ObservationScore
from dangjian.core.scoping import unscoped
from tests.factories import OrgFactory, SchoolFactory


@pytest.fixture
def visit(world):
    return services.create_visit(
        actor=world.county_admin,
        org=world.county,
        title="秋季观摩",
        visit_on=dt.date(2026, 11, 1),
        schools=[world.school_a, world.school_b],
    )


def marks(values: dict[str, float]):
    return {key: (value, "") for key, value in values.items()}


FULL_A = {"leadership": 19, "org_life": 15, "integration": 20, "teachers": 16, "features": 14}
FULL_B = {"leadership": 14, "org_life": 18, "integration": 20, "teachers": 12, "features": 9}


def test_observers_score_on_the_phone_and_the_sheet_aggregates(world, login, visit):
    client = login(world.assessor)
    data = {f"item_{k}": str(v) for k, v in FULL_A.items()}
    assert client.post(reverse("assessment:visit_score", args=[visit.pk, world.school_a.pk]), data).status_code == 302
    # A second observer: averages are taken per item over observers.
    services.record_observation(
        actor=world.county_admin, visit=visit, school=world.school_a, marks=marks({**FULL_A, "leadership": 17})
    )
    services.record_observation(actor=world.assessor, visit=visit, school=world.school_b, marks=marks(FULL_B))
    sheet = selectors.observation_sheet(world.county_admin, visit, 0.9)
    a = next(r for r in sheet if r.school_name == "甲校")
    b = next(r for r in sheet if r.school_name == "乙校")
    assert a.items["leadership"] == Decimal("18.00") and a.observers == 2
    assert a.total == Decimal("83.00") and b.total == Decimal("73.00")
    assert (a.rank, b.rank) == (1, 2)
    # Strengths: ≥ 90% of an item's maximum, or the best among the visited schools.
    assert "党组织领导作用发挥" in a.strengths and "特色与创新" in a.strengths
    assert "组织生活质量" in b.strengths and "组织生活质量" not in a.strengths
    page = client.get(reverse("assessment:visit", args=[visit.pk])).content.decode()
    assert "比较表" in page and "83.00" in page


def test_rescoring_replaces_the_observers_own_marks(world, visit):
    services.record_observation(
        actor=world.assessor, visit=visit, school=world.school_a, marks=marks({"leadership": 10})
    )
    services.record_observation(
        actor=world.assessor, visit=visit, school=world.school_a, marks=marks({"leadership": 12})
    )
    with unscoped("test"):
        assert list(ObservationScore.objects.filter(visit=visit).values_list("points", flat=True)) == [Decimal("12.00")]


def test_marks_are_bounded_and_only_for_visited_schools(world, visit):
    with pytest.raises(ValidationError, match="之间"):
        services.record_observation(
            actor=world.assessor, visit=visit, school=world.school_a, marks=marks({"features": 16})
        )
    with unscoped("test"):
        other = SchoolFactory(name="丙校", org=OrgFactory(parent=world.county))
    with pytest.raises(ValidationError, match="名单"):
        services.record_observation(actor=world.assessor, visit=visit, school=other, marks=marks({"features": 1}))


def test_comparison_sheet_exports_to_excel(world, login, visit):
    services.record_observation(actor=world.assessor, visit=visit, school=world.school_a, marks=marks(FULL_A))
    response = login(world.county_admin).get(reverse("assessment:visit_export", args=[visit.pk]))
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "学校" and rows[1][1] == "甲校" and rows[1][-3] == 84


def test_plan_a_visit_in_the_ui(world, login):
    response = login(world.county_admin).post(
        reverse("assessment:visit_new"),
        {"title": "春季观摩", "visit_on": "2027-04-01", "schools": [world.school_a.pk]},
    )
    assert response.status_code == 302
    assert login(world.secretary).get(response["Location"]).status_code == 403
