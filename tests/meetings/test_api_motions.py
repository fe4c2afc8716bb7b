"""Issue 17 item 10: a meeting's votes (motions) through the API, read-only, scoped as the meeting page."""

import pytest

from dangjian.meetings import services
from tests.meetings.helpers import held

pytestmark = pytest.mark.django_db


def test_motions_are_listed_to_who_may_see_the_meeting(world, api_client):
    meeting = held(world, kind="general_assembly", statuses={world.members_a[4].pk: ("absent", "")})
    services.add_motion(actor=world.users["secretary"], meeting=meeting, title="决议", yes=3, no=1, abstain=0)
    url = f"/api/v1/meetings/meetings/{meeting.pk}/motions"
    rows = api_client(world.member).get(url).json()
    assert [(r["title"], r["yes"], r["valid"], r["passed"]) for r in rows] == [("决议", 3, True, True)]
    assert api_client(world.outsider).get(url).status_code == 404
