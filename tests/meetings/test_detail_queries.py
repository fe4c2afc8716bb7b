"""A meeting's page loads the meeting with its organization, host and recorder in one read."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Meeting
from tests.meetings.helpers import held


def test_the_detail_page_reads_org_host_and_recorder_with_the_meeting(world, login):
    meeting = held(world, kind="theme_day", topic="主题党日")
    host, recorder = world.members_a[0], world.members_a[1]
    with unscoped("test: name the host and the recorder"):
        Meeting.objects.filter(pk=meeting.pk).update(host=host, recorder=recorder)
    client = login(world.users["member"])
    client.get(f"/meetings/{meeting.pk}/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert host.name in page and recorder.name in page and meeting.org.name in page
    one_by_one = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split(" WHERE ")[-1].startswith(('"orgs_person"."id" =', '"orgs_org"."id" ='))
    ]
    assert one_by_one == []
