"""The county issues tasks in its own name only, never in a branch's (issue 17, item 3)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.assignments import selectors, services
from dangjian.assignments.models import Assignment
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import OrgKind
from tests.factories import OrgFactory

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + dt.timedelta(days=7)


def test_the_county_admin_picks_only_the_county(world, login):
    assert list(selectors.assigning_orgs(world.county_admin)) == [world.county]
    page = login(world.county_admin).get(reverse("assignments:list")).content.decode()
    assert f"以{world.county.name}名义布置" in page
    assert f"以{world.branch_a.name}名义布置" not in page


def test_issuing_from_a_branch_as_the_county_is_refused_and_creates_nothing(world, login, api_client):
    with pytest.raises(ValidationError, match="不能以甲校党支部的名义布置"):
        services.create_assignment(
            actor=world.county_admin,
            org=world.branch_a,
            title="代支部布置",
            body="内容",
            expected="说明",
            due_on=DUE,
            receivers=[world.group_a],
        )
    form = {"title": "代支部布置", "body": "内容", "expected": "说明", "due_on": DUE.isoformat(), "all_receivers": "on"}
    response = login(world.county_admin).post(reverse("assignments:new", args=[world.branch_a.pk]), form)
    assert response.status_code == 400
    assert "不能以甲校党支部的名义布置" in response.content.decode()
    api = api_client(world.county_admin).post(
        "/api/v1/assignments/assignments",
        data={"org_id": world.branch_a.pk, **{k: v for k, v in form.items() if k != "all_receivers"}},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "不能以甲校党支部的名义布置" in api.json()["detail"]
    with unscoped("test"):
        assert not Assignment.objects.exists()


def test_a_branch_secretary_still_issues_from_their_branch(world, login):
    assert list(selectors.assigning_orgs(world.secretary)) == [world.branch_a]
    second = OrgFactory(kind=OrgKind.GROUP, name="第二党小组", parent=world.branch_a)
    response = login(world.secretary).post(
        reverse("assignments:new", args=[world.branch_a.pk]),
        {"title": "小组学习", "body": "内容", "expected": "说明", "due_on": DUE.isoformat(), "receivers": [second.pk]},
    )
    assert response.status_code == 302
    with unscoped("test"):
        assert Assignment.objects.get().org == world.branch_a


def test_the_county_admin_is_not_even_shown_a_branch_form(world, login):
    client = login(world.county_admin)
    response = client.get(reverse("assignments:new", args=[world.branch_a.pk]))
    assert response.status_code == 302 and response.url == reverse("assignments:list")
    page = client.get(response.url).content.decode()
    assert "不能以甲校党支部的名义布置" in page
    assert client.get(reverse("assignments:new", args=[world.county.pk])).status_code == 200
