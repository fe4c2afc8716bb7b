"""Pages and API: the phone record flow, query counts that do not grow with rows, the public live list,
.ics invitations, the 我的 sections."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings.models import Attendance, Audience, ComplianceCell, Meeting, Presence, Status
from dangjian.orgs.models import Org, OrgKind
from tests.factories import OrgFactory
from tests.meetings.helpers import at, committed, committee, held, plan

pytestmark = pytest.mark.django_db


def many_meetings(world, n=60):
    with unscoped("test bulk"):
        meetings = Meeting.all_objects.bulk_create(
            [
                Meeting(
                    org=world.branch_a,
                    kind="theme_day",
                    topic=f"主题党日{i}",
                    starts_at=at(dt.date(2026, 1, 1) + dt.timedelta(days=i)),
                    status=Status.HELD,
                    expected_count=5,
                    attended_count=4,
                )
                for i in range(n)
            ]
        )
        Attendance.all_objects.bulk_create(
            [Attendance(meeting=m, person=p, is_voting=True) for m in meetings for p in world.members_a]
        )
    return meetings


def test_record_new_defaults_everyone_present_and_saves_exceptions(world, login):
    committee(world, 3)
    client = login(world.users["secretary"])
    page = client.get(f"/meetings/orgs/{world.branch_a.pk}/record/?kind=committee_meeting")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('value="present" checked') == 3  # the committee, all 出席 by default
    member = world.members_a[1]
    with committed():
        response = client.post(
            f"/meetings/orgs/{world.branch_a.pk}/record/",
            {
                "kind": "committee_meeting",
                "topic": "研究本月工作",
                "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "roster": "committee",
                f"st_{member.pk}": "leave",
                f"rs_{member.pk}": "外出培训",
                "minutes": "记录",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.all_objects.get(topic="研究本月工作")
    assert meeting.status == Status.HELD and meeting.expected_count == 3 and meeting.attended_count == 2
    assert meeting.attendances.get(person=member).status == Presence.LEAVE
    assert meeting.quorum_met is True


def test_roster_switch_returns_the_attendance_partial(world, login):
    response = login(world.users["secretary"]).get(
        f"/meetings/orgs/{world.branch_a.pk}/record/?kind=committee_meeting&roster=members",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response.content.decode().count('value="present" checked') == len(world.members_a)


def test_meeting_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    many_meetings(world, 80)
    client = login(world.users["secretary"])
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/?per_page=50")
    assert response.status_code == 200 and "主题党日79" in response.content.decode()


def test_api_list_query_count_does_not_grow(world, api_client, django_assert_max_num_queries):
    many_meetings(world, 80)
    client = api_client(world.users["secretary"])
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/meetings/meetings?limit=60")
    assert response.status_code == 200 and response.json()["count"] == 80
    meeting_id = response.json()["items"][0]["id"]
    with django_assert_max_num_queries(8):
        rows = client.get(f"/api/v1/meetings/meetings/{meeting_id}/attendance").json()
    assert rows["count"] == len(world.members_a)


def test_api_compliance_is_scoped(world, api_client):
    held(world, kind="theme_day")
    rows = api_client(world.users["secretary"]).get("/api/v1/meetings/compliance").json()["items"]
    assert rows and {r["org_id"] for r in rows} == {world.branch_a.pk}
    assert api_client(world.users["outsider"]).get("/api/v1/meetings/compliance").json()["items"] == []


def test_api_plan_record_and_leave(world, api_client):
    secretary = api_client(world.users["secretary"])
    created = secretary.post(
        "/api/v1/meetings/meetings",
        data={
            "org_id": world.branch_a.pk,
            "kind": "theme_day",
            "topic": "API",
            "starts_at": timezone.now().isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    meeting_id = created.json()["id"]
    member = api_client(world.users["member"])
    assert (
        member.post(
            f"/api/v1/meetings/meetings/{meeting_id}/leave", data={"reason": "外出"}, content_type="application/json"
        ).json()["status"]
        == "leave"
    )
    recorded = secretary.post(
        f"/api/v1/meetings/meetings/{meeting_id}/record",
        data={"attendance": [{"person_id": world.members_a[2].pk, "status": "online"}], "minutes": "m"},
        content_type="application/json",
    )
    assert recorded.status_code == 200 and recorded.json()["status"] == "held"
    assert recorded.json()["attended_count"] == len(world.members_a) - 1


def test_county_view_reads_the_table_in_fixed_queries(world, login, django_assert_max_num_queries):
    for i in range(25):
        OrgFactory(kind=OrgKind.BRANCH, name=f"支部{i}", parent=world.county)
    held(world, kind="theme_day")

    compliance.refresh(years=[timezone.localdate().year])
    client = login(world.users["county_admin"])
    with django_assert_max_num_queries(12):
        response = client.get("/meetings/county/")
    assert response.status_code == 200
    assert world.branch_a.name in response.content.decode()
    assert login(world.users["secretary"]).get("/meetings/county/").status_code == 403


def test_compliance_page_links_cells_to_their_meetings(world, login):
    meeting = held(world, kind="theme_day")
    response = login(world.users["secretary"]).get(f"/meetings/compliance/{world.branch_a.pk}/")
    html = response.content.decode()
    assert "主题党日" in html
    period = ComplianceCell.all_objects.get(
        org=world.branch_a, kind="theme_day", period_start__lte=meeting.day, period_end__gte=meeting.day
    )
    link = f"kind=theme_day&start={period.period_start:%Y-%m-%d}&end={period.period_end:%Y-%m-%d}"
    assert link in html
    listed = login(world.users["secretary"]).get(
        f"/meetings/?org={world.branch_a.pk}&kind=theme_day&start={period.period_start:%Y-%m-%d}&end={period.period_end:%Y-%m-%d}"
    )
    assert meeting.topic in listed.content.decode()


def test_public_live_sessions_need_no_login_and_show_no_private_fields(world, client):
    public = plan(
        world, kind="party_lecture", topic="公开党课", audience=Audience.COUNTY, online_url="https://live.example.org/a"
    )
    private = plan(world, kind="party_lecture", topic="内部党课")
    html = client.get("/meetings/live/").content.decode()
    assert "公开党课" in html and "内部党课" not in html and "https://live.example.org/a" in html
    assert world.people["member"].name not in html
    ics = client.get(f"/meetings/live/{public.pk}.ics")
    assert ics.status_code == 200
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert "公开党课" in str(event["summary"]) and "location" not in event
    assert client.get(f"/meetings/live/{private.pk}.ics").status_code == 404


def test_invitation_ics(world, login):
    meeting = plan(world, kind="theme_day", topic="重温入党誓词", place="党员活动室")
    response = login(world.users["member"]).get(f"/meetings/{meeting.pk}/invitation.ics")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "重温入党誓词" in str(event["summary"]) and str(event["location"]) == "党员活动室"
    assert event.decoded("dtstart") == meeting.starts_at


def test_member_page_leave_and_my_sections(world, login):
    meeting = plan(world, kind="theme_day", topic="即将召开")
    held(world, kind="party_lecture", topic="已听党课")
    client = login(world.users["member"])
    response = client.post(f"/meetings/{meeting.pk}/leave/", {"reason": "带学生比赛"})
    assert response.status_code == 302
    assert meeting.attendances.get(person=world.people["member"]).status == Presence.LEAVE
    html = client.get("/me/").content.decode()
    assert "即将召开" in html and "已听党课" in html and "请假待批准" in html
    assert "2 学时" in html or "2.00 学时" in html


def test_group_compliance_for_group_orgs(world):
    with unscoped("test"):
        assert Org.all_objects.filter(kind=OrgKind.GROUP, pk=world.group_a.pk).exists()
    plan(world, kind="group_meeting", org=world.group_a, day=timezone.localdate())
    with unscoped("test"):
        assert ComplianceCell.objects.filter(org=world.group_a, kind="group_meeting").exists()
        assert not ComplianceCell.objects.filter(org=world.branch_a, kind="group_meeting").exists()


def test_a_compliance_link_with_an_org_leads_to_that_orgs_grid_for_that_year(world, login):
    """Evidence links and reminders name the organization and the period; the page they lead to decides access."""

    url = reverse("meetings:compliance") + f"?org={world.branch_b.pk}&start=2025-01-01&end=2025-12-31"
    response = login(world.county_admin).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:compliance_org", args=[world.branch_b.pk]) + "?year=2025"
    assert login(world.county_admin).get(response["Location"]).status_code == 200
    foreign = login(world.outsider).get(reverse("meetings:compliance") + f"?org={world.branch_a.pk}", follow=True)
    assert foreign.status_code == 404
    own = login(world.secretary).get(reverse("meetings:compliance"))
    assert own["Location"] == reverse("meetings:compliance_org", args=[world.branch_a.pk])


def test_only_kinds_the_rules_mark_public_can_be_live(world, client):
    with pytest.raises(ValidationError, match="党内会议不能公开"):
        plan(world, kind="general_assembly", audience=Audience.COUNTY, online_url="https://live.example.org/b")
    # One written past the service (older data, or by hand) is still never shown.
    internal = plan(world, kind="theme_day", topic="内部主题党日", online_url="https://live.example.org/c")
    with unscoped("test: an audience written past the service"):
        Meeting.objects.filter(pk=internal.pk).update(audience=Audience.COUNTY)
    html = client.get("/meetings/live/").content.decode()
    assert "内部主题党日" not in html
    assert client.get(f"/meetings/live/{internal.pk}.ics").status_code == 404
