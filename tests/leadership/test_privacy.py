"""Personnel agenda items are read only by the school's two bodies' members and the county's organization staff;
everyone else who sees the school's agenda sees only the fact of the decision. Another school sees nothing."""

import json

import pytest
from django.urls import reverse

from dangjian.core import capabilities
from dangjian.core.scoping import forget_grants
from dangjian.leadership import services
from tests.factories import GrantFactory, UserFactory
from tests.leadership.builders import PERSONNEL_DISCUSSION, PERSONNEL_TITLE, leadership_a

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(world):
    return leadership_a(world)


def _item_url(item):
    return reverse("leadership:item", args=[item.pk])


def test_an_ordinary_member_of_the_school_cannot_open_the_personnel_item(world, found, login, api_client):
    member = world.users["member"]
    assert login(member).get(_item_url(found.ordinary)).status_code == 200
    assert login(member).get(_item_url(found.personnel)).status_code == 404
    api = api_client(member)
    assert api.get(f"/api/v1/leadership/items/{found.ordinary.pk}").status_code == 200
    assert api.get(f"/api/v1/leadership/items/{found.personnel.pk}").status_code == 404


def test_lists_show_the_fact_of_a_personnel_decision_never_its_content(world, found, login, api_client):
    member = world.users["member"]
    page = login(member).get(reverse("leadership:school", args=[world.school_a.pk])).content.decode()
    assert "本学期课后服务安排" in page
    assert PERSONNEL_TITLE not in page and "人事事项（内容仅班子成员可见）" in page
    meeting_page = (
        login(member).get(reverse("leadership:meeting", args=[world.school_a.pk, found.meeting.pk])).content.decode()
    )
    assert PERSONNEL_TITLE not in meeting_page
    rows = api_client(member).get(f"/api/v1/leadership/schools/{world.school_a.pk}/agenda").json()
    hidden = [r for r in rows if r["id"] == found.personnel.pk]
    assert hidden == [{**hidden[0], "hidden": True, "title": "", "category": "cadre", "outcome": "decided"}]
    assert PERSONNEL_TITLE not in json.dumps(rows, ensure_ascii=False)


def test_body_members_and_county_organization_staff_read_it(world, found, login, api_client):
    secretary = world.users["secretary"]  # 书记 (and 校长) of school A
    response = login(secretary).get(_item_url(found.personnel))
    assert response.status_code == 200 and PERSONNEL_DISCUSSION in response.content.decode()
    # A 行政班子 member who is not a Party member and holds no Party role still reads the school's agenda.
    services.appoint(
        actor=secretary, school=world.school_a, body="admin", person=world.people["teacher"], role="member"
    )
    teacher = world.users["teacher"]
    assert login(teacher).get(_item_url(found.personnel)).status_code == 200
    assert api_client(teacher).get(f"/api/v1/leadership/items/{found.personnel.pk}").status_code == 200
    staff = UserFactory(username="org_staff")
    GrantFactory(user=staff, org=world.county, role="org_staff")
    forget_grants(staff)
    assert login(staff).get(_item_url(found.personnel)).status_code == 200
    assert api_client(staff).get(f"/api/v1/leadership/items/{found.personnel.pk}").status_code == 200


def test_a_county_administrator_without_the_organization_role_sees_only_the_fact(world, found, login):
    admin = world.users["county_admin"]
    assert login(admin).get(_item_url(found.ordinary)).status_code == 200
    assert login(admin).get(_item_url(found.personnel)).status_code == 404


def test_an_outsider_school_sees_nothing(world, found, login, api_client):
    outsider = world.users["outsider"]
    client = login(outsider)
    for url in (
        reverse("leadership:school", args=[world.school_a.pk]),
        reverse("leadership:meeting", args=[world.school_a.pk, found.meeting.pk]),
        _item_url(found.ordinary),
        _item_url(found.personnel),
        reverse("leadership:rules", args=[world.school_a.pk]),
    ):
        assert client.get(url).status_code == 404, url
    api = api_client(outsider)
    assert api.get(f"/api/v1/leadership/schools/{world.school_a.pk}/agenda").status_code == 404
    assert api.get(f"/api/v1/leadership/items/{found.ordinary.pk}").status_code == 404
    listing = api.get("/api/v1/leadership/schools").json()
    assert [s["id"] for s in listing["items"]] == [world.school_b.pk]
    assert client.get(reverse("leadership:county")).status_code == 403


def test_the_org_staff_role_is_granted_by_the_county_only(world):
    assert capabilities.role_table()["org_staff"]["grantable_by"] == ["county_admin"]
