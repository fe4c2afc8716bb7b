"""Issue 14 item 8: meeting dates in year 1 or 9999, zero-length and endless meetings are refused with 400."""

import pytest

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Meeting


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"starts_at": "0001-01-01T09:00:00+08:00"}, "会议时间"),
        ({"starts_at": "9999-12-31T23:00:00+08:00"}, "会议时间"),
        ({"starts_at": "9999-12-31T23:59:00"}, "会议时间"),
        ({"duration_minutes": 0}, "会议时长"),
        ({"duration_minutes": 10**12}, "会议时长"),
        ({"kind": "no_such_kind"}, "no_such_kind"),
    ],
)
def test_impossible_meetings_are_400_and_change_nothing(world, api_client, change, reason):
    body = {"org_id": world.branch_a.pk, "kind": "theme_day", "topic": "主题党日", "starts_at": "2026-11-01T09:00"}
    response = api_client(world.secretary).post(
        "/api/v1/meetings/meetings", body | change, content_type="application/json"
    )
    assert response.status_code == 400 and reason in response.json()["detail"]
    with unscoped("test"):
        assert not Meeting.objects.exists()


def test_a_naive_start_time_is_read_as_local_time(world, api_client):
    body = {"org_id": world.branch_a.pk, "kind": "theme_day", "topic": "主题党日", "starts_at": "2026-11-01T09:00"}
    response = api_client(world.secretary).post("/api/v1/meetings/meetings", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["starts_at"].startswith("2026-11-01T09:00:00+08:00")
