"""Lists and the county page read a fixed number of queries, however many meetings and items there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.leadership.builders import days_ago, held, item, seat_school_a

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _meeting_with_items(world, days: int) -> None:
    meeting = held(world, "party_org_meeting", days_ago(days))
    item(world, meeting, "teaching", title=f"教研{days}")
    item(world, meeting, "cadre", title=f"人选{days}")


@pytest.mark.parametrize("url_name", ["school", "county"])
def test_pages_do_not_grow_with_the_records(world, login, url_name):
    seat_school_a(world)
    _meeting_with_items(world, 20)
    user = world.users["member" if url_name == "school" else "county_admin"]
    url = reverse(f"leadership:{url_name}", **({"args": [world.school_a.pk]} if url_name == "school" else {}))
    client = login(user)
    client.get(url)  # warm per-process caches (rule files)
    few = _queries(client, url)
    for days in (15, 10, 5):
        _meeting_with_items(world, days)
    assert _queries(client, url) == few


def test_the_agenda_api_does_not_grow_with_the_records(world, api_client):
    seat_school_a(world)
    _meeting_with_items(world, 20)
    client = api_client(world.users["member"])
    url = f"/api/v1/leadership/schools/{world.school_a.pk}/agenda"
    client.get(url)
    few = _queries(client, url)
    for days in (15, 10, 5):
        _meeting_with_items(world, days)
    assert _queries(client, url) == few
