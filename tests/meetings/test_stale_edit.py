"""Two people editing the same meeting: the second save of a stale page is refused, nothing is reverted."""

import re

from django.utils import timezone

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Meeting
from tests.meetings.helpers import committed, plan

STALE = "已被他人修改"


def version_on(page: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def _form(meeting, version, **changes):
    data = {
        "kind": meeting.kind,
        "topic": meeting.topic,
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "audience": meeting.audience,
        "status": meeting.status,
        "version": version,
    }
    return {**data, **changes}


def test_the_second_save_of_a_stale_meeting_form_is_refused(world, login):
    meeting = plan(world, kind="theme_day", topic="原主题", place="会议室")
    url = f"/meetings/{meeting.pk}/edit/"
    first, second = login(world.users["secretary"]), login(world.users["secretary"])
    first_version = version_on(first.get(url).content.decode())
    second_version = version_on(second.get(url).content.decode())
    assert first_version == second_version

    assert first.post(url, _form(meeting, first_version, topic="第一人改的主题")).status_code == 302
    # The second person saves what they opened earlier: their page still shows the old topic.
    response = second.post(url, _form(meeting, second_version, place="党员活动室"))
    assert response.status_code == 200 and STALE in response.content.decode()
    with unscoped("test"):
        stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.topic, stored.place) == ("第一人改的主题", "会议室")

    # Reloaded, the second person's change goes through and keeps the first one's.
    fresh = version_on(second.get(url).content.decode())
    assert second.post(url, _form(stored, fresh, place="党员活动室")).status_code == 302
    with unscoped("test"):
        stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.topic, stored.place) == ("第一人改的主题", "党员活动室")


def test_a_stale_record_page_does_not_overwrite_a_newer_record(world, login):
    meeting = plan(world, kind="theme_day", day=timezone.localdate())
    Meeting.all_objects.filter(pk=meeting.pk).update(starts_at=timezone.now())  # it has begun: it may be recorded
    url = f"/meetings/{meeting.pk}/record/"
    first, second = login(world.users["secretary"]), login(world.users["secretary"])
    opened = version_on(second.get(url).content.decode())
    version = version_on(first.get(url).content.decode())
    host = str(world.people["secretary"].pk)
    with committed():
        saved = first.post(url, {"minutes": "第一人写的记录", "host": host, "version": version})
    assert saved.status_code == 302
    response = second.post(url, {"minutes": "", "host": host, "version": opened})
    assert response.status_code == 400 and STALE in response.content.decode()
    with unscoped("test"):
        assert Meeting.objects.get(pk=meeting.pk).minutes == "第一人写的记录"
