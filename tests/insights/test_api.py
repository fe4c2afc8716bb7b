"""GET /api/v1/insights/compliance: the county figures, counted from the compliance cells as they are now, so a
meeting recorded through the API moves them at once (no nightly job, no on-commit job in between)."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings import compliance
from dangjian.orgs.models import OrgKind
from tests.factories import GrantFactory, OrgFactory, SchoolFactory, UserFactory
from tests.meetings.helpers import at

TODAY = timezone.localdate()
MONTH = TODAY.strftime("%Y-%m")
URL = "/api/v1/insights/compliance"


@pytest.fixture
def county(world, api_client):
    return api_client(world.county_admin)


def figures(client, query: str) -> dict[str, dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()["items"]}


def test_a_meeting_recorded_through_the_api_moves_the_county_figure(world, county, api_client):
    compliance.refresh(years=[TODAY.year])  # the cells as the nightly recount left them
    before = figures(county, f"month={MONTH}")["甲校党支部"]
    assert before["due"] >= 1 and before["met"] < before["due"]
    secretary = api_client(world.users["secretary"])
    starts_at = min(at(TODAY, 9), timezone.now() - dt.timedelta(minutes=1))
    planned = secretary.post(
        "/api/v1/meetings/meetings",
        {"org_id": world.branch_a.pk, "kind": "theme_day", "topic": "本月主题党日", "starts_at": starts_at.isoformat()},
        content_type="application/json",
    )
    assert planned.status_code == 201, planned.content
    recorded = secretary.post(
        f"/api/v1/meetings/meetings/{planned.json()['id']}/record",
        {"minutes": "会议按议程进行。", "resolutions": "无"},
        content_type="application/json",
    )
    assert recorded.status_code == 200, recorded.content
    after = figures(county, f"month={MONTH}")["甲校党支部"]
    assert after["met"] == before["met"] + 1 and after["due"] == before["due"]
    assert after["rate"] == round(after["met"] / after["due"], 4)


def test_a_month_with_nothing_due_says_so_and_is_not_zero_percent(world, county):
    compliance.refresh(years=[TODAY.year])
    rows = figures(county, "month=2001-01")
    assert set(rows) == {"甲校党支部", "乙校党支部"}
    assert {(r["due"], r["met"], r["rate"], r["status"]) for r in rows.values()} == {(0, 0, None, "nothing_due")}


def test_lists_each_school_organization_in_scope_with_its_id(world, county, api_client):
    compliance.refresh(years=[TODAY.year])
    body = county.get(f"{URL}?month={MONTH}").json()
    assert body["count"] == 2
    assert {(r["org_id"], r["name"]) for r in body["items"]} == {
        (world.branch_a.pk, "甲校党支部"),
        (world.branch_b.pk, "乙校党支部"),
    }
    assert set(figures(api_client(world.users["outsider"]), f"month={MONTH}")) == {"乙校党支部"}
    # The subtree of an org: the county lists both, a school's organization itself.
    assert set(figures(county, f"month={MONTH}&org_id={world.county.pk}")) == {"甲校党支部", "乙校党支部"}
    assert set(figures(county, f"month={MONTH}&org_id={world.branch_a.pk}")) == {"甲校党支部"}


def test_an_org_inside_a_school_organization_lists_itself(world, county):
    compliance.refresh(years=[TODAY.year])
    rows = figures(county, f"month={MONTH}&org_id={world.group_a.pk}")
    assert list(rows) == [world.group_a.name]
    school = figures(county, f"month={MONTH}&org_id={world.branch_a.pk}")["甲校党支部"]
    assert 0 < rows[world.group_a.name]["due"] < school["due"]  # the group's own 党小组会 only


def test_a_secretary_inside_a_school_committee_sees_the_own_branch(world, api_client):
    committee = OrgFactory(kind=OrgKind.COMMITTEE, name="丙校党委", parent=world.county)
    SchoolFactory(name="丙校", org=committee)
    branch = OrgFactory(kind=OrgKind.BRANCH, name="丙校第一党支部", parent=committee)
    secretary = UserFactory(username="secretary_c")
    GrantFactory(user=secretary, org=branch, role="secretary")
    assert list(figures(api_client(secretary), f"month={MONTH}")) == ["丙校第一党支部"]
    assert list(figures(api_client(world.county_admin), f"month={MONTH}&org_id={committee.pk}")) == ["丙校党委"]


def test_bad_month_and_foreign_org_are_refused_in_chinese(world, county, api_client):
    for bad in ("2026-13", "2026", "March", "2026-1"):
        response = county.get(f"{URL}?month={bad}")
        assert response.status_code == 422 and "月份格式" in response.json()["detail"]
    outsider = api_client(world.users["outsider"])
    assert outsider.get(f"{URL}?month={MONTH}&org_id={world.branch_a.pk}").status_code == 404
    assert api_client().get(f"{URL}?month={MONTH}").status_code == 401


def test_paginated_like_other_lists(world, county):
    first, second = (county.get(f"{URL}?month={MONTH}&limit=1&offset={n}").json() for n in (0, 1))
    assert (second["count"], second["limit"], second["offset"], len(second["items"])) == (2, 1, 1, 1)
    assert first["items"][0]["org_id"] != second["items"][0]["org_id"]
