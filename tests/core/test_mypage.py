"""我的 reads each thing once: the person with its relations, one answer per hour source, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core import hours
from dangjian.meetings.hours import attended_hours
from tests.meetings.helpers import held


def _year_bounds() -> tuple[dt.date, dt.date]:
    year = timezone.localdate().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def test_a_source_answers_once_inside_shared_and_every_time_outside(world, django_assert_num_queries):
    held(world, kind="party_lecture", topic="党课一")
    person = world.people["member"]
    start, end = _year_bounds()
    with django_assert_num_queries(2):
        first = attended_hours(person_ids=[person.pk], start=start, end=end)
        attended_hours(person_ids=[person.pk], start=start, end=end)
    with hours.shared(), django_assert_num_queries(1):
        assert attended_hours(person_ids=[person.pk], start=start, end=end) == first
        assert attended_hours(person_ids=[person.pk], start=start, end=end) == first
    with django_assert_num_queries(1):  # the shared answers ended with the block
        attended_hours(person_ids=[person.pk], start=start, end=end)


def _queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:me")).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_my_page_reads_meeting_hours_once_and_does_not_grow_with_meetings(world, login):
    held(world, kind="party_lecture", topic="党课一")
    client = login(world.users["member"])
    client.get(reverse("core:me"))  # the session's first request warms what is per session
    before = _queries(client)
    for i in range(4):
        held(world, kind="theme_day", topic=f"主题党日{i}")
    after = _queries(client)
    assert len(after) == len(before)
    # The meeting hours come with the meetings section's one read of the person's roster rows (issue 15).
    roster_reads = [q for q in after if 'FROM "meetings_attendance"' in q]
    assert len(roster_reads) == 1
    person_reads = [
        q for q in after if 'FROM "orgs_person"' in q and '"orgs_person"."user_id" =' in q.split("WHERE")[-1]
    ]
    assert len(person_reads) == 1
