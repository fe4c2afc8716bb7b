"""A work update about a meeting shows the meeting's date, kind and topic, and never its attendance or minutes."""

import datetime as dt

from django.urls import reverse

from dangjian.publishing import services
from tests.meetings.helpers import held

MINUTES = "会议记录：不公开的讨论内容"
LEAVE_REASON = "家中有事（不公开）"


def test_a_post_linked_to_a_meeting_shows_date_and_topic_never_attendance_or_minutes(world, client, login):
    absent = world.members_a[3]
    meeting = held(
        world,
        kind="theme_day",
        day=dt.date(2026, 11, 20),
        topic="学习二十届四中全会精神",
        minutes=MINUTES,
        resolutions="决议：不公开",
        statuses={absent.pk: ("leave", LEAVE_REASON)},
    )
    post = services.create_post(
        actor=world.secretary,
        org=world.branch_a,
        school=world.school_a,
        title="甲校开展主题党日",
        body="<p>本月主题党日。</p>",
    )
    response = login(world.secretary).post(
        reverse("publishing:post_link", args=[post.pk]), {"model_label": "meetings.Meeting", "object_id": meeting.pk}
    )
    assert response.status_code == 302
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)

    urls = [
        reverse("publishing:post", args=[post.pk]),
        f"/api/v1/publishing/public/posts/{post.pk}",
        reverse("publishing:feed_rss"),
        reverse("publishing:school_feed_atom", args=[world.school_a.pk]),
    ]
    private = [MINUTES, "决议：不公开", LEAVE_REASON, absent.name, "请假", "出席", "实到"]
    for url in urls:
        body = client.get(url).content.decode()
        body_escaped = body.encode().decode("unicode_escape", errors="ignore") if url.startswith("/api/") else body
        for text in private:
            assert text not in body_escaped, (url, text)
    page = client.get(urls[0]).content.decode()
    assert "2026-11-20" in page and "学习二十届四中全会精神" in page and "主题党日" in page
