"""The secretary's own pages: plan, record an existing meeting, edit, org life, review, attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import Notification
from dangjian.meetings.models import Meeting, Presence, Status
from tests.meetings.helpers import committed, held, plan

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_secretary_pages_render(world, login):
    client = login(world.users["secretary"])
    meeting = plan(world, kind="general_assembly")
    life = held(world, kind="org_life_meeting")
    review = held(world, kind="member_review")
    for url in (
        "/meetings/",
        f"/meetings/orgs/{world.branch_a.pk}/new/?kind=party_lecture",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/record/",
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/{life.pk}/org-life/",
        f"/meetings/{review.pk}/review/",
        f"/meetings/compliance/{world.branch_a.pk}/",
        f"/ledgers/orgs/{world.branch_a.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_plan_page_creates_meeting_and_notifies_attendees(world, login):
    client = login(world.users["secretary"])
    with committed():
        response = client.post(
            f"/meetings/orgs/{world.branch_a.pk}/new/",
            {
                "kind": "theme_day",
                "topic": "重温入党誓词",
                "starts_at": "2030-07-01T15:00",
                "duration_minutes": "90",
                "roster": "members",
                "audience": "",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.all_objects.get(topic="重温入党誓词")
    assert meeting.expected_count == len(world.members_a) and meeting.status == Status.PLANNED
    note = Notification.objects.get(user=world.users["member"], dedupe_key=f"meetings:meeting:{meeting.pk}:planned")
    assert "无需回复" in note.body


def test_record_existing_meeting_page(world, login):
    meeting = plan(world, kind="theme_day", day=timezone.localdate())
    Meeting.all_objects.filter(pk=meeting.pk).update(starts_at=timezone.now())
    absent = world.members_a[3]
    with committed():
        response = login(world.users["secretary"]).post(
            f"/meetings/{meeting.pk}/record/",
            {f"st_{absent.pk}": "absent", "minutes": "学习了文件", "host": str(world.people["secretary"].pk)},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD and meeting.host_id == world.people["secretary"].pk
    assert meeting.attendances.get(person=absent).status == Presence.ABSENT


def test_review_page_refuses_too_many_excellent(world, login):
    review = held(world, kind="member_review")
    data = {f"g_{p.pk}": "excellent" for p in world.members_a[:2]}
    response = login(world.users["secretary"]).post(f"/meetings/{review.pk}/review/", data)
    assert response.status_code == 400 and "1/3" in response.content.decode()


def test_vote_page_reports_invalid_vote(world, login):
    meeting = held(world, kind="general_assembly", statuses={p.pk: ("absent", "") for p in world.members_a[:3]})
    response = login(world.users["secretary"]).post(
        f"/meetings/{meeting.pk}/motions/",
        {"title": "接收预备党员", "yes": "2", "no": "0", "abstain": "0"},
        follow=True,
    )
    html = response.content.decode()
    assert "表决无效" in html and "无效（未达法定人数）" in html


def test_attachments_are_optional_and_checked(world, login):
    meeting = held(world, kind="theme_day")
    client = login(world.users["secretary"])
    fake = SimpleUploadedFile("照片.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    client.post(f"/meetings/{meeting.pk}/attachments/", {"file": fake})
    assert meeting.attachments.count() == 0
    real = SimpleUploadedFile("议程.pdf", PDF, content_type="application/pdf")
    client.post(f"/meetings/{meeting.pk}/attachments/", {"file": real})
    item = meeting.attachments.get()
    assert item.kind == "pdf"
    assert client.get(f"/meetings/attachments/{item.pk}/").content == PDF
    assert login(world.users["outsider"]).get(f"/meetings/attachments/{item.pk}/").status_code == 404


def test_heart_talk_is_recorded_as_a_pair(world, login):
    client = login(world.users["secretary"])
    page = client.get(f"/meetings/orgs/{world.branch_a.pk}/record/?kind=heart_talk").content.decode()
    assert 'name="partner"' in page and 'value="pair" selected' in page
    member = world.people["member"]
    with committed():
        response = client.post(
            f"/meetings/orgs/{world.branch_a.pk}/record/",
            {
                "kind": "heart_talk",
                "topic": "谈心谈话",
                "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "roster": "pair",
                "talker": str(world.people["secretary"].pk),
                "partner": str(member.pk),
            },
        )
    assert response.status_code == 302
    meeting = Meeting.all_objects.get(kind="heart_talk")
    assert {a.person_id for a in meeting.attendances.all()} == {world.people["secretary"].pk, member.pk}
    assert meeting.attended_count == 2
    incomplete = client.post(
        f"/meetings/orgs/{world.branch_a.pk}/record/",
        {"kind": "heart_talk", "topic": "谈心谈话", "starts_at": "2026-01-05T15:00", "roster": "pair", "partner": ""},
    )
    assert incomplete.status_code == 400 and "谈话对象" in incomplete.content.decode()
